package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"datalex/internal/library"
)

// Helpers shared by the seed 000/002/003/004 tests.

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/seed00{0,2,3,4} golden files")

const seedDir = "../../corpus/seeds"

func readSeed(t testing.TB, prefix string) (string, []byte) {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s not found in %s", prefix, seedDir)
	}
	data, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(m[0]), data
}

// goldenProvision is the golden-file view of a provision.
type goldenProvision struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Path      string `json:"path"`
	Citation  string `json:"citation"`
	Text80    string `json:"text80"`
	Line      int    `json:"line"`
	LineEnd   int    `json:"line_end"`
	Offset    int    `json:"offset,omitempty"`
	OffsetEnd int    `json:"offset_end,omitempty"`
}

// goldenVersion is the golden-file view of a version: metadata plus the
// provision skeleton.
type goldenVersion struct {
	Kind          string                        `json:"kind"`
	Title         string                        `json:"title"`
	Aliases       []string                      `json:"aliases"`
	DocNumber     string                        `json:"doc_number"`
	Issuers       []string                      `json:"issuers"`
	IssueDate     string                        `json:"issue_date"`
	EffectiveDate string                        `json:"effective_date"`
	Status        string                        `json:"status"`
	Level         string                        `json:"level"`
	Region        string                        `json:"region"`
	Part          string                        `json:"part"`
	Subsection    string                        `json:"subsection"`
	Tags          []string                      `json:"tags"`
	Flags         []string                      `json:"flags"`
	VersionLabel  string                        `json:"version_label,omitempty"`
	Sources       []library.Source              `json:"sources"`
	Provenance    map[string]library.Provenance `json:"provenance,omitempty"`
	Citations     []library.Citation            `json:"citations,omitempty"`
	Provisions    []goldenProvision             `json:"provisions"`
}

func toGolden(v *library.Version) goldenVersion {
	g := goldenVersion{
		Kind: v.Kind, Title: v.Title, Aliases: v.Aliases, DocNumber: v.DocNumber, Issuers: v.Issuers,
		IssueDate: v.IssueDate, EffectiveDate: v.EffectiveDate, Status: v.Status, Level: v.Level,
		Region: v.Region, Part: v.Part, Subsection: v.Subsection, Tags: v.Tags, Flags: v.Flags,
		VersionLabel: v.VersionLabel, Sources: v.Sources, Provenance: v.Provenance, Citations: v.Citations,
		Provisions: []goldenProvision{},
	}
	for _, p := range v.Provisions {
		r := []rune(p.Text)
		g.Provisions = append(g.Provisions, goldenProvision{
			ID: p.ID, Label: p.Label, Path: p.Path, Citation: p.Citation, Text80: string(r[:min(80, len(r))]),
			Line: p.Line, LineEnd: p.LineEnd, Offset: p.Offset, OffsetEnd: p.OffsetEnd,
		})
	}
	return g
}

// checkGolden compares versions with testdata/<dir>/<name>.golden.json.
func checkGolden(t *testing.T, dir, name string, vs []*library.Version) {
	t.Helper()
	var gs []goldenVersion
	for _, v := range vs {
		gs = append(gs, toGolden(v))
	}
	got, err := json.MarshalIndent(gs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", dir, name+".golden.json")
	if *updateSeeds {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update-seeds)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the parser output; diff it against go test -update-seeds output", path)
	}
}

// evalGold is one gold provision of the eval set (copied from
// /work/shared/eval/dev.jsonl into testdata/seedNNN/eval_gold.json).
type evalGold struct {
	Q          string `json:"q"`
	Doc        string `json:"doc"`
	Article    string `json:"article"`
	Line       int    `json:"line"`
	LineEnd    int    `json:"line_end"`
	CharOffset *int   `json:"char_offset"`
	CharEnd    int    `json:"char_end"`
}

// normTitle normalises a document title the way the eval README says: NFKC,
// no whitespace, no 《》“”" quotes, no 中华人民共和国 prefix.
func normTitle(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("《》“”\"", r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimPrefix(s, "中华人民共和国")
}

// normLabel compares labels without the trailing 、 of an outline number
// (gold "十七、" vs "十七、" or "十七").
func normLabel(s string) string {
	return strings.TrimSuffix(norm.NFKC.String(strings.ReplaceAll(s, " ", "")), "、")
}

// goldHit reports whether some version titled g.Doc has a provision labelled
// g.Article that covers the gold position (line, or char_offset for seed 003).
func goldHit(vs []*library.Version, g evalGold) (bool, string) {
	titleSeen, labelSeen := false, ""
	for _, v := range vs {
		if normTitle(v.Title) != normTitle(g.Doc) {
			continue
		}
		titleSeen = true
		for _, p := range v.Provisions {
			if normLabel(p.Label) != normLabel(g.Article) {
				continue
			}
			if g.CharOffset != nil {
				if p.Offset <= *g.CharOffset && *g.CharOffset < p.OffsetEnd {
					return true, ""
				}
				labelSeen = p.Label
				continue
			}
			if p.Line <= g.Line && g.Line <= p.LineEnd {
				return true, ""
			}
			labelSeen = p.Label
		}
	}
	switch {
	case !titleSeen:
		return false, "no version titled " + g.Doc
	case labelSeen != "":
		return false, "label " + labelSeen + " found but it does not cover the gold position"
	}
	return false, "no provision labelled " + g.Article
}

// checkEvalGold reports each gold provision of the seed that the parse misses.
func checkEvalGold(t *testing.T, dir string, vs []*library.Version) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", dir, "eval_gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golds []evalGold
	if err := json.Unmarshal(data, &golds); err != nil {
		t.Fatal(err)
	}
	hits := 0
	for _, g := range golds {
		if ok, why := goldHit(vs, g); ok {
			hits++
		} else {
			t.Errorf("%s %s %s: %s", g.Q, g.Doc, g.Article, why)
		}
	}
	t.Logf("eval gold hits for %s: %d/%d", dir, hits, len(golds))
}

func parseSeed003(t testing.TB) *Parsed {
	t.Helper()
	name, data := readSeed(t, "003")
	p, err := ParseSeed003(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeed003Counts(t *testing.T) {
	_, data := readSeed(t, "003")
	line := []rune(strings.Split(string(data), "\n")[3])
	p := parseSeed003(t)
	listings, withText, truncated := 0, 0, 0
	for _, v := range p.Versions {
		for _, tag := range v.Tags {
			if strings.HasPrefix(tag, "宝典目录:") {
				listings++
			}
		}
		if v.Kind == library.KindRegulation {
			withText++
			if len(v.Provisions) < 2 {
				t.Errorf("%s: %d provisions", v.Title, len(v.Provisions))
			}
		} else if !v.HasFlag(library.FlagNoText) || len(v.Provisions) != 0 || v.Kind != library.KindCatalogue {
			t.Errorf("%s: catalogue record must be kind catalogue, no_text, without provisions", v.Title)
		} else if src := v.Sources[0]; src.OffsetEnd-src.Offset > 200 || src.OffsetEnd <= src.Offset ||
			line[src.OffsetEnd-1] != ')' || line[src.Offset] < '0' || line[src.Offset] > '9' {
			t.Errorf("%s: TOC span [%d,%d) is %q", v.Title, src.Offset, src.OffsetEnd, string(line[src.Offset:src.OffsetEnd]))
		}
		if v.HasFlag(library.FlagTruncated) {
			truncated++
		}
		if v.IssueDate == "" || v.Part == "" || v.Region == "" && v.Subsection != "三、准则" {
			t.Errorf("%s: missing date/part/region: %+v", v.Title, v)
		}
	}
	if listings != 126 || len(p.Versions) != 123 {
		t.Errorf("TOC listings = %d, distinct = %d; want 126 and 123", listings, len(p.Versions))
	}
	if withText != 20 || truncated != 1 {
		t.Errorf("with text = %d, truncated = %d; want 20 and 1", withText, truncated)
	}
	last := p.Versions[19]
	if !strings.HasPrefix(last.Title, "北京市加快数字人才培育") || !last.HasFlag(library.FlagTruncated) {
		t.Errorf("20th version %q should be the truncated 北京 #8", last.Title)
	}
}

func TestSeed003TOCFields(t *testing.T) {
	p := parseSeed003(t)
	byTitle := map[string]*library.Version{}
	for _, v := range p.Versions {
		byTitle[v.Title] = v
	}
	tests := []struct {
		title, date, region, part, sub, page, status string
	}{
		{"银行业数据资产估值指南", "2024-03-01", "全国", "B.法律法规篇", "三、准则", "p.912", ""},
		{"湖北省数据条例（草案）（征求意见稿）", "2024-04-28", "湖北", "B.法律法规篇", "（十三）湖北省", "p.427", library.StatusDraft},
		{"河北省数字经济发展规划（2020—2025年）", "2020-04-19", "河北", "B.法律法规篇", "（十）河北省", "p.335", ""},
		{"关于深化智慧城市发展 推进城市全域数字化转型的指导意见", "2024-05-14", "全国", "B.法律法规篇", "一、国家篇", "p.63", ""},
		{"浙江省数据知识产权实务指引（试行）（征求意见稿）", "2024-07-03", "浙江", "B.法律法规篇", "三、准则", "p.984", library.StatusDraft},
		{"“数据要素×”三年行动计划（2024—2026年）", "2024-01-04", "全国", "A.核心篇", "", "p.7", ""},
	}
	for _, tt := range tests {
		v := byTitle[tt.title]
		if v == nil {
			t.Errorf("no version %q", tt.title)
			continue
		}
		if v.IssueDate != tt.date || v.Region != tt.region || v.Part != tt.part || v.Subsection != tt.sub || v.Status != tt.status {
			t.Errorf("%s: got date %s region %s part %s sub %s status %s", tt.title, v.IssueDate, v.Region, v.Part, v.Subsection, v.Status)
		}
		if !containsStr(v.Tags, "宝典页码:"+tt.page) {
			t.Errorf("%s: tags %v lack page %s", tt.title, v.Tags, tt.page)
		}
	}
	// Listed twice: one version, both listings noted.
	v := byTitle["自然资源领域数据安全管理办法"]
	if v == nil || !containsStr(v.Tags, "宝典页码:p.39") || !containsStr(v.Tags, "宝典页码:p.846") {
		t.Errorf("duplicate listing not merged: %+v", v)
	}
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestSeed003Offsets checks that every provision's offsets point at its own
// text in the original line 4 (modulo the cleaning, which only deletes and
// re-punctuates): the first characters of the provision text must occur at
// the start of the original span.
func TestSeed003Offsets(t *testing.T) {
	_, data := readSeed(t, "003")
	line := []rune(strings.Split(string(data), "\n")[3])
	p := parseSeed003(t)
	for _, v := range p.Versions {
		prev := -1
		for _, pr := range v.Provisions {
			if pr.Line != 4 || pr.LineEnd != 4 {
				t.Fatalf("%s %s: line %d–%d, want 4", v.Title, pr.Label, pr.Line, pr.LineEnd)
			}
			if pr.Offset < 0 || pr.OffsetEnd > len(line) || pr.Offset >= pr.OffsetEnd {
				t.Fatalf("%s %s: bad span [%d,%d)", v.Title, pr.Label, pr.Offset, pr.OffsetEnd)
			}
			if pr.Offset < prev {
				t.Errorf("%s %s: offset %d before previous %d", v.Title, pr.Label, pr.Offset, prev)
			}
			prev = pr.Offset
			// The first character survives cleaning unchanged except for
			// full-width punctuation.
			want := []rune(strings.NewReplacer("（", "(", "）", ")", "：", ":").Replace(pr.Text))
			if len(want) > 0 && line[pr.Offset] != want[0] {
				t.Errorf("%s %s: original starts %q, provision text starts %q", v.Title, pr.Label, line[pr.Offset], want[0])
			}
		}
	}
}

func TestSeed003Golden(t *testing.T) {
	p := parseSeed003(t)
	var beijing []*library.Version
	for _, v := range p.Versions {
		if v.Region == "北京" && v.Kind == library.KindRegulation {
			beijing = append(beijing, v)
		}
	}
	if len(beijing) != 8 {
		t.Fatalf("北京 documents with text = %d, want 8", len(beijing))
	}
	checkGolden(t, "seed003", "beijing", beijing)
}

func TestSeed003EvalGold(t *testing.T) {
	checkEvalGold(t, "seed003", parseSeed003(t).Versions)
}

func TestSeed003Cleaning(t *testing.T) {
	tests := []struct{ in, want string }{
		{"财资2023141 号", "财资〔2023〕141号"},
		{"(20242026 年)", "（2024—2026年）"},
		{"自 2024 年 10 月 1 日起", "自2024年10月1日起"},
		{"通过登 记 平 台 进 行登记", "通过登记平台进行登记"},
		{"总 则", "总 则"},
		{"a,b;c:d 10:30 1,000 http://x", "a，b；c：d 10:30 1,000 http://x"},
	}
	for _, tt := range tests {
		got := cleanS3Text(newS3Text(tt.in))
		if got.String() != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got.String(), tt.want)
		}
		checkS3Offsets(t, got, len([]rune(tt.in)))
	}
}

func TestSeed003LineBreaks(t *testing.T) {
	in := "第一章 总则第一条 为规范管理,制定本办法。第二条 依照本办法第三条、第四条规定,第五条规定的除外。" +
		"第三条 下列情形适用本办法:(一)甲;(二)乙的。其他单位参照本办法执行。" +
		"第二章 管理一、总体要求(一)指导思想。坚持。1.加强。(二)原则"
	var got []string
	for _, l := range splitS3Lines(cleanS3Text(newS3Text(in))) {
		got = append(got, l.String())
	}
	want := []string{
		"第一章 总则", "第一条 为规范管理，制定本办法。", "第二条 依照本办法第三条、第四条规定，第五条规定的除外。",
		"第三条 下列情形适用本办法：", "（一）甲；", "（二）乙的。", "其他单位参照本办法执行。",
		"第二章 管理", "一、总体要求", "（一）指导思想。坚持。", "1.加强。", "（二）原则",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines:\n got %q\nwant %q", got, want)
	}
}

func TestSeed003Markers(t *testing.T) {
	// Chunks hold 300 characters; "798/751、" is genuine and stays, and
	// only the marker's own digits go: "(2022、4-05-14)" is (2024-05-14).
	in := "头1、" + strings.Repeat("数", 292) + "798/751、" + "(2022、4-05-14)" + strings.Repeat("据", 292) + "3、尾"
	got, n := removeChunkMarkers(newS3Text(in))
	if n != 3 {
		t.Fatalf("removed %d markers, want 3", n)
	}
	want := "头" + strings.Repeat("数", 292) + "798/751、" + "(2024-05-14)" + strings.Repeat("据", 292) + "尾"
	if got.String() != want {
		t.Errorf("got %q", got.String())
	}
	checkS3Offsets(t, got, len([]rune(in)))
}

func checkS3Offsets(t *testing.T, x s3Text, n int) {
	t.Helper()
	if len(x.r) != len(x.off) {
		t.Fatalf("runes %d, offsets %d", len(x.r), len(x.off))
	}
	for i, o := range x.off {
		if o < 0 || o >= max(n, 1) || i > 0 && o < x.off[i-1] {
			t.Fatalf("offset %d at %d out of order or bounds (n=%d)", o, i, n)
		}
	}
}

func BenchmarkParseSeed003(b *testing.B) {
	name, data := readSeed(b, "003")
	for b.Loop() {
		if _, err := ParseSeed003(name, data); err != nil {
			b.Fatal(err)
		}
	}
}
