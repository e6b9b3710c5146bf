package selfcheck

import (
	"context"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/store/storetest"
)

func TestRecordsAndReview(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	if _, err := st.DB().Exec(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u1', 'u1', 'x', 'member', '2024-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	v := &library.Version{ID: "v1", Title: "促进和规范数据跨境流动规定", Validity: library.ValidityInForce,
		Provisions: []*library.Provision{{ID: "v1.a9", Label: "第九条", Text: "第九条通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。"}}}
	lib := NewLibrary([]*library.Version{v})
	cited := lib.CiteAll([]Citation{{Document: "促进和规范数据跨境流动规定", Label: "第九条", Quote: "结果有效期为 3年"}})
	if cited[0].Missing || cited[0].ProvisionID != "v1.a9" {
		t.Fatalf("cite %+v", cited[0])
	}
	rs := NewRecords(st.DB())
	if _, err := rs.Save(ctx, "u1", "  ", "crossborder", nil, nil, cited); err == nil {
		t.Error("empty org accepted")
	}
	if _, err := rs.Save(ctx, "u1", "示例公司", "crossborder", map[string]int{"personal_info": 1}, map[string]string{"route": "exempt"}, cited); err != nil {
		t.Fatal(err)
	}
	recs, err := rs.List(ctx, "u1", "示例公司")
	if err != nil || len(recs) != 1 || recs[0].Fingerprint == "" || recs[0].Cited[0].Validity != library.ValidityInForce {
		t.Fatalf("%v %+v", err, recs)
	}
	Review(recs[0], lib)
	if len(recs[0].Review) != 0 {
		t.Errorf("unchanged library flagged: %v", recs[0].Review)
	}
	// The provision's document is repealed: the check is flagged.
	v2 := *v
	v2.Validity = library.ValidityRepealed
	Review(recs[0], NewLibrary([]*library.Version{&v2}))
	if len(recs[0].Review) != 1 || !strings.Contains(recs[0].Review[0], "已废止") {
		t.Errorf("repeal not flagged: %v", recs[0].Review)
	}
	// The text changed so that the quote is gone: flagged.
	v3 := *v
	v3.Provisions = []*library.Provision{{ID: "v1.a9", Label: "第九条", Text: "第九条 结果有效期为2年。"}}
	Review(recs[0], NewLibrary([]*library.Version{&v3}))
	if len(recs[0].Review) != 1 {
		t.Errorf("changed text not flagged: %v", recs[0].Review)
	}
	if other, _ := rs.List(ctx, "u2", ""); len(other) != 0 {
		t.Error("another owner sees the record")
	}
}
