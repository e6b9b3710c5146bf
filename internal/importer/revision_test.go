package importer

import (
	"context"
	"testing"
	"time"

	"datalex/internal/library"
	"datalex/internal/store/storetest"
	"datalex/internal/validity"
)

// TestRevisedUserFileAddsVersion imports a rule, then in a later import a
// user file holding its revised text: the revision joins the same work as
// a second version, and the first text is 已修改 from the revision's
// effective date.
func TestRevisedUserFileAddsVersion(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	old := "# 某市公共数据开放办法\n\n2021年3月1日某市人民政府发布\n\n第一条 为了促进公共数据开放，制定本办法。\n\n第二条 本办法自2021年4月1日起施行。\n"
	revised := "# 某市公共数据开放办法\n\n2024年5月6日某市人民政府修订发布\n\n第一条 为了促进和规范公共数据开放，制定本办法。\n\n第二条 公共数据开放应当安全有序。\n\n第三条 本办法自2024年6月1日起施行。\n"
	if _, err := ImportFiles(ctx, st, []File{{Name: "开放办法.md", Data: []byte(old)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportFiles(ctx, st, []File{{Name: "开放办法（2024年修订）.md", Data: []byte(revised)}}); err != nil {
		t.Fatal(err)
	}
	vs, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].WorkID != vs[1].WorkID {
		t.Fatalf("want two versions of one work, got %d: %+v", len(vs), vs)
	}
	var first, second *library.Version
	for _, v := range vs {
		if v.EffectiveDate == "2021-04-01" {
			first = v
		} else {
			second = v
		}
	}
	if first == nil || second.EffectiveDate != "2024-06-01" {
		t.Fatalf("dates: %s / %s", vs[0].EffectiveDate, vs[1].EffectiveDate)
	}
	validity.Annotate(vs, time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC))
	if first.Validity != library.ValidityInForce || second.Validity != library.ValidityNotYet {
		t.Errorf("before the revision applies: %s / %s", first.Validity, second.Validity)
	}
	validity.Annotate(vs, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if first.Validity != library.ValidityAmended || second.Validity != library.ValidityInForce {
		t.Errorf("after: %s (%s) / %s", first.Validity, first.ValidityReason, second.Validity)
	}
}
