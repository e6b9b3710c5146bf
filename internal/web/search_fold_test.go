package web

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestSpacelessEqualAndHash(t *testing.T) {
	ref := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for _, tc := range []struct{ a, b string }{
		{"数据处理者 应当", "数据处理者应当"},
		{"第一条\u3000数据", "第一条数据"},
		{"数据处理者应当", "数据处理者应该"},
		{"", "  \n\t"},
		{"a b", "ab "},
		{"ab", "abc"},
		{"\xffx", "\xff x"},
		{"\xffx", "\xfex"},
	} {
		want := ref(tc.a) == ref(tc.b)
		if got := spacelessEqual(tc.a, tc.b); got != want {
			t.Errorf("spacelessEqual(%q, %q) = %v, want %v", tc.a, tc.b, got, want)
		}
		if want && spacelessHash(tc.a) != spacelessHash(tc.b) {
			t.Errorf("equal texts %q and %q hash apart", tc.a, tc.b)
		}
	}
}

func TestFoldSameText(t *testing.T) {
	prov := func(id, text string) *library.Provision { return &library.Provision{ID: id, Text: text} }
	v1 := &library.Version{ID: "law@2016", WorkID: "law", Provisions: []*library.Provision{
		prov("a1", "第一条 数据处理者应当履行义务。"), prov("a2", "第二条 本法自公布之日起施行。")}}
	v2 := &library.Version{ID: "law@2021", WorkID: "law", Provisions: []*library.Provision{
		prov("b1", "第一条\u3000数据处理者应当 履行义务。"), prov("b2", "第二条 本法自2021年起施行。")}}
	other := &library.Version{ID: "reg@2020", WorkID: "reg", Provisions: []*library.Provision{
		prov("c1", "第一条 数据处理者应当履行义务。")}}
	cat := library.NewCatalog([]*library.Version{v1, v2, other})
	hit := func(p, v, w string) ProvisionHit { return ProvisionHit{ProvisionID: p, VersionID: v, WorkID: w} }
	for _, tc := range []struct {
		name   string
		hits   []ProvisionHit
		want   []string // provision ids kept, in order
		folded int
	}{
		{"same text in two versions folds", []ProvisionHit{hit("b1", "law@2021", "law"), hit("a1", "law@2016", "law")}, []string{"b1"}, 1},
		{"different text stays", []ProvisionHit{hit("b2", "law@2021", "law"), hit("a2", "law@2016", "law")}, []string{"b2", "a2"}, 0},
		{"same text in another work stays", []ProvisionHit{hit("a1", "law@2016", "law"), hit("c1", "reg@2020", "reg")}, []string{"a1", "c1"}, 0},
		{"same version does not fold", []ProvisionHit{hit("a1", "law@2016", "law"), hit("a1", "law@2016", "law")}, []string{"a1", "a1"}, 0},
	} {
		res := &SearchResults{Provisions: tc.hits}
		n := foldSameText(res, cat)
		var got []string
		for _, h := range res.Provisions {
			got = append(got, h.ProvisionID)
		}
		if n != tc.folded || strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: kept %v folded %d, want %v folded %d", tc.name, got, n, tc.want, tc.folded)
		}
	}
}
