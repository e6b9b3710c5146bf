package ingest

import (
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"datalex/internal/ingest/lawrefbooktest"
	"datalex/internal/library"
)

func TestParseLawRefBook(t *testing.T) {
	p, err := ParseLawRefBook(os.DirFS("testdata"), "lawrefbook")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %q", p.Warnings)
	}
	type row struct{ title, label, status, level, region, issue, effective string }
	var got []row
	byLabel := map[string]*library.Version{}
	for _, v := range p.Versions {
		got = append(got, row{v.Title, v.VersionLabel, v.Status, v.Level, v.Region, v.IssueDate, v.EffectiveDate})
		byLabel[v.Title+"@"+v.VersionLabel] = v
	}
	want := []row{
		{"上海市数据示例条例", "2021-11-25", "现行有效", "地方性法规", "上海", "2021-11-25", ""},
		{"中华人民共和国数据流通促进法", "2021-06-10", "已被替代", "法律", "全国", "2021-06-10", "2021-09-01"},
		{"中华人民共和国数据流通促进法", "2023-12-29", "现行有效", "法律", "全国", "2023-12-29", "2024-03-01"},
		{"中华人民共和国民法典", "2020-05-28", "现行有效", "法律", "全国", "2020-05-28", ""},
		{"中华人民共和国电子票据示例法", "2019-04-23", "已被替代", "法律", "全国", "2019-04-23", "2019-10-01"},
		{"中华人民共和国电子票据示例法", "2022-06-24", "现行有效", "法律", "全国", "2022-06-24", "2022-09-01"},
		{"网络数据示例条例", "2024-09-24", "现行有效", "行政法规", "全国", "2024-09-24", "2025-01-01"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d versions: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("version %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	v := byLabel["中华人民共和国数据流通促进法@2023-12-29"]
	if v.Sources[0] != (library.Source{File: "经济法/数据流通促进法(2023-12-29).md", FirstLine: 1, LastLine: 25}) {
		t.Errorf("sources = %+v", v.Sources)
	}
	if !slicesEqual(v.Issuers, []string{"全国人民代表大会常务委员会"}) || v.Provenance["issuers"].Line != 5 {
		t.Errorf("issuers %q prov %+v", v.Issuers, v.Provenance["issuers"])
	}
	a3 := v.Provision("a3")
	if a3 == nil || a3.Line != 17 || !strings.Contains(a3.Text, "（二）侵害个人隐私的。") || a3.Citation != "数据流通促进法 第三条" {
		t.Errorf("a3 = %+v", a3)
	}
	if c := v.Provision("c1"); c == nil || c.Label != "第一章" {
		t.Errorf("c1 = %+v", c)
	}
	if len(v.Citations) != 1 || v.Citations[0].CitedTitle != "中华人民共和国数据安全法" || v.Citations[0].ProvisionID != "a3" {
		t.Errorf("citations = %+v", v.Citations)
	}

	code := byLabel["中华人民共和国民法典@2020-05-28"]
	if len(code.Sources) != 2 || code.Sources[0].File != "民法典/第一编 总则.md" || code.Sources[1].File != "民法典/第二编 物权.md" {
		t.Errorf("民法典 sources = %+v", code.Sources)
	}
	var parts, articles int
	for _, pr := range code.Provisions {
		switch pr.Kind {
		case library.ProvPart:
			parts++
		case library.ProvArticle:
			articles++
		}
	}
	if parts != 2 || articles != 5 {
		t.Errorf("民法典: %d parts, %d articles", parts, articles)
	}

	reg := byLabel["网络数据示例条例@2024-09-24"]
	if reg.DocNumber != "国务院令第790号" {
		t.Errorf("doc number = %q", reg.DocNumber)
	}
	if a2 := reg.Provision("a2"); a2 == nil || !strings.Contains(a2.Text, "重要数据 | 评估") {
		t.Errorf("table not kept in a2: %+v", a2)
	}
}

func TestParseLawRefBookBad(t *testing.T) {
	fsys := fstest.MapFS{
		"laws/行政法/空.md":      {Data: []byte("# 空文件\n\n<!-- INFO END -->\n")},
		"laws/行政法/二进制.md":    {Data: []byte("\x00\x01\x02\x00")},
		"laws/行政法/notes.txt": {Data: []byte("ignored")},
	}
	_, err := ParseLawRefBook(fsys, "laws")
	if !errors.Is(err, ErrEmpty) {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseLawRefBook(fsys, "missing"); err == nil {
		t.Errorf("missing root: no error")
	}
	fsys["laws/行政法/好.md"] = &fstest.MapFile{Data: []byte("# 某条例\n第一条 内容。\n第二条 内容。\n")}
	p, err := ParseLawRefBook(fsys, "laws")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Versions) != 1 || len(p.Warnings) != 2 {
		t.Errorf("versions %d warnings %q", len(p.Versions), p.Warnings)
	}
}

func TestParseLawRefBookFileNoMarker(t *testing.T) {
	doc, err := parseLawRefBookFile("x/某法(2020-01-02).md", []byte("# 某法\n2020年1月2日某会议通过\n## 第一章 总则\n第一条 内容。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Info) != 1 || len(doc.Body) != 2 || doc.FileDate != "2020-01-02" || doc.Title != "某法" {
		t.Errorf("doc = %+v", doc)
	}
}

// TestParseLawRefBookRealTree imports the real LawRefBook snapshot when the
// shared benchmark data is present and checks that every "第…条" heading
// of the source files becomes an article. The unit fixture above cannot
// catch naming conventions of the real tree (the 民法典 parts are named
// 总则.md, 人格权编.md, … without a 第X编 prefix).
func TestParseLawRefBookRealTree(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	fsys := lawrefbooktest.Load(t, func(path string) bool {
		return lawrefbooktest.InFolder("民法典")(path) || lawrefbooktest.InFolder("民法商法")(path) || lawrefbooktest.InFolder("经济法")(path)
	})
	p, err := ParseLawRefBook(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	articleHead := regexp.MustCompile(`^第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?(?:\s|$)`)
	for _, v := range p.Versions {
		want := 0
		for _, src := range v.Sources {
			data, err := fs.ReadFile(fsys, src.File)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(string(data), "\n") {
				if articleHead.MatchString(strings.TrimSpace(line)) {
					want++
				}
			}
		}
		got := 0
		for _, pr := range v.Provisions {
			if pr.Kind == library.ProvArticle {
				got++
			}
		}
		if v.Title == "中华人民共和国民法典" && (want != 1260 || got != 1260) {
			t.Errorf("民法典: %d articles in the source, %d imported; want 1260", want, got)
		}
		if got != want {
			t.Errorf("%s (%s): %d article headings in the source, %d articles imported", v.Title, v.VersionLabel, want, got)
		}
	}
}
