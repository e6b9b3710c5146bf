package ingest

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func parseSeed004(t testing.TB) *Parsed {
	t.Helper()
	name, data := readSeed(t, "004")
	p, err := ParseSeed004(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeed004Documents(t *testing.T) {
	p := parseSeed004(t)
	want := []struct {
		title, issuers, alias string
		first, sections       int
	}{
		{"中共中央办公厅 国务院办公厅关于加快公共数据资源开发利用的意见", "中共中央办公厅|国务院办公厅", "", 1, 6},
		{"中共中央 国务院关于构建数据基础制度更好发挥数据要素作用的意见", "中共中央|国务院", "数据二十条", 55, 6},
		{"关于完善数据流通安全治理更好促进数据要素市场化价值化的实施方案", "", "", 130, 2},
		{"国务院关于加强数字政府建设的指导意见", "国务院", "", 144, 8},
	}
	if len(p.Versions) != len(want) {
		t.Fatalf("got %d documents, want %d", len(p.Versions), len(want))
	}
	for i, w := range want {
		v := p.Versions[i]
		sections := 0
		for _, pr := range v.Provisions {
			if pr.Depth == 0 && pr.Kind == library.ProvOutline {
				sections++
			}
		}
		if v.Title != w.title || strings.Join(v.Issuers, "|") != w.issuers || strings.Join(v.Aliases, "|") != w.alias ||
			v.Sources[0].FirstLine != w.first || sections != w.sections || v.Level != library.LevelPolicy || v.Region != "全国" {
			t.Errorf("doc %d: %q issuers %v aliases %v L%d sections %d level %s", i+1, v.Title, v.Issuers, v.Aliases, v.Sources[0].FirstLine, sections, v.Level)
		}
	}
	if !p.Versions[2].HasFlag(library.FlagExcerpt) || p.Versions[3].HasFlag(library.FlagExcerpt) {
		t.Errorf("only document 3 is an excerpt")
	}
	if !containsStr(p.Versions[3].Tags, "主送:各省、自治区、直辖市人民政府，国务院各部委、各直属机构") {
		t.Errorf("addressee line not recorded: %v", p.Versions[3].Tags)
	}
}

func TestSeed004Golden(t *testing.T) {
	checkGolden(t, "seed004", "all", parseSeed004(t).Versions)
}

func TestSeed004EvalGold(t *testing.T) {
	checkEvalGold(t, "seed004", parseSeed004(t).Versions)
}
