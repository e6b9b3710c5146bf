package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"datalex/internal/library"
)

const sampleRegulation = `某某市数据资源管理办法
（试行）
某府发〔2024〕3号

第一章 总 则
第一条 为了规范数据资源管理，根据《中华人民共和国数据安全法》，制定本办法。
第二条 本办法适用于本市行政区域内的数据资源管理活动。
第二章 管理
第三条 数据处理者应当依照《中华人民共和国个人信息保护法》第十三条处理个人信息。
第四条 本办法自2024年3月1日起施行。
某某市人民政府
2024年1月15日
`

func TestParseFileText(t *testing.T) {
	p, err := ParseFile("dir/办法.txt", []byte(sampleRegulation))
	if err != nil {
		t.Fatal(err)
	}
	if p.File != "办法.txt" || len(p.Versions) != 1 {
		t.Fatalf("File=%q versions=%d", p.File, len(p.Versions))
	}
	v := p.Versions[0]
	checks := []struct{ field, got, want string }{
		{"title", v.Title, "某某市数据资源管理办法（试行）"},
		{"doc_number", v.DocNumber, "某府发〔2024〕3号"},
		{"status", v.Status, library.StatusTrial},
		{"effective_date", v.EffectiveDate, "2024-03-01"},
		{"issue_date", v.IssueDate, "2024-01-15"},
		{"kind", v.Kind, library.KindRegulation},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if got := v.Sources; len(got) != 1 || got[0] != (library.Source{File: "办法.txt", FirstLine: 1, LastLine: 12}) {
		t.Errorf("Sources = %+v", got)
	}
	if v.Provenance["doc_number"].Line != 3 || v.Provenance["effective_date"].Line != 10 {
		t.Errorf("provenance = %+v", v.Provenance)
	}
	if !slicesEqual(v.Issuers, []string{"某某市人民政府"}) {
		t.Errorf("Issuers = %q", v.Issuers)
	}
	var articles []string
	for _, pr := range v.Provisions {
		if pr.Kind == library.ProvArticle {
			articles = append(articles, pr.Label)
		}
	}
	if len(articles) != 4 {
		t.Errorf("articles = %q, want 4", articles)
	}
	if a := v.Provision("a3"); a == nil || a.Line != 9 {
		t.Errorf("a3 = %+v", a)
	}
	var cited []string
	for _, c := range v.Citations {
		cited = append(cited, c.CitedTitle+c.Article)
	}
	want := []string{"中华人民共和国数据安全法", "中华人民共和国个人信息保护法第十三条"}
	if !slicesEqual(cited, want) {
		t.Errorf("citations = %q, want %q", cited, want)
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "结构") {
			t.Errorf("unexpected warning %q", w)
		}
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestParseFileEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(sampleRegulation))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"utf8-bom.txt", append([]byte{0xEF, 0xBB, 0xBF}, sampleRegulation...)},
		{"gbk.txt", gbk},
		{"utf16le.txt", utf16Bytes(sampleRegulation, false, true)},
		{"utf16be.txt", utf16Bytes(sampleRegulation, true, true)},
		{"crlf.txt", []byte(strings.ReplaceAll(sampleRegulation, "\n", "\r\n"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseFile(tc.name, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			v := p.Versions[0]
			if v.Title != "某某市数据资源管理办法（试行）" || v.Sources[0].LastLine != 12 {
				t.Errorf("title %q sources %+v", v.Title, v.Sources)
			}
		})
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b []byte
	if bom {
		if bigEndian {
			b = append(b, 0xFE, 0xFF)
		} else {
			b = append(b, 0xFF, 0xFE)
		}
	}
	for _, r := range s { // the sample is all in the BMP
		if bigEndian {
			b = append(b, byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8))
		}
	}
	return b
}

func TestParseFileBadInput(t *testing.T) {
	bigLine := bytes.Repeat([]byte("数据"), 10<<20/6)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty.txt", nil, ErrEmpty},
		{"blank.txt", []byte(" \n\t\n\u3000\n"), ErrEmpty},
		{"punct.txt", []byte("。，、；：\n——……\n！？\n"), ErrEmpty},
		{"binary.txt", []byte("\x00\x01\x02\x03binary\x00\xff\xfe\x10"), ErrBinary},
		{"random.txt", []byte{0x81, 0x30, 0xff, 0xfe, 0x80, 0x80, 0x81, 0x20, 0x99, 0xa0}, ErrEncoding},
		{"fake.pdf", []byte("just text"), ErrMislabelled},
		{"fake.docx", []byte("just text"), ErrMislabelled},
		{"zip.docx", zipWith(t, map[string]string{"a.txt": "hello"}), ErrMislabelled},
		{"pdf.txt", []byte("%PDF-1.4\n..."), ErrMislabelled},
		{"docx.md", zipWith(t, map[string]string{"a.txt": "hello"}), ErrMislabelled},
		{"truncated.docx", makeDocx(t, "第一条 测试。")[:60], ErrCorrupt},
		{"old.doc", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, ErrUnsupported},
		{"ole.docx", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, ErrUnsupported},
		{"image.png", []byte("\x89PNG"), ErrUnsupported},
		{"huge.txt", make([]byte, MaxFileSize+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseFile(tc.name, tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if p != nil {
				t.Errorf("non-nil result with error")
			}
			if !strings.Contains(err.Error(), tc.name) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	t.Run("10MB one line", func(t *testing.T) {
		p, err := ParseFile("long.txt", bigLine)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Warnings) == 0 {
			t.Errorf("want a warning for a file without structure")
		}
		if n := len(p.Versions[0].Provisions); n != 1 {
			t.Errorf("provisions = %d, want 1 preamble", n)
		}
	})
}

func TestParseFileNoStructureWarns(t *testing.T) {
	p, err := ParseFile("note.txt", []byte("会议纪要\n今天讨论了数据资产入表的有关问题。\n大家一致同意下周继续讨论。\n"))
	if err != nil {
		t.Fatal(err)
	}
	v := p.Versions[0]
	if v.Title != "会议纪要" || len(v.Provisions) != 1 || v.Provisions[0].Kind != library.ProvPreamble {
		t.Errorf("title %q provisions %+v", v.Title, v.Provisions)
	}
	if len(p.Warnings) != 1 {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestParseFileTitleFallsBackToFileName(t *testing.T) {
	p, err := ParseFile("无标题文件.txt", []byte("这是一段很长的正文，没有标题行，直接从正文开始写起，一直写到这里才结束，用来检验标题的兜底逻辑是否正确。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Versions[0].Title; got != "无标题文件" {
		t.Errorf("title = %q", got)
	}
}

func TestParseFileMarkdown(t *testing.T) {
	md := "---\nauthor: x\n---\n# 数据管理**办法**\n\n> 引言：参见[《数据安全法》](https://example.org/x)。\n\n## 第一章 总则\n\n第一条 **数据**是*重要*资源。\n\n| 项目 | 说明 |\n|---|---|\n| `A` | 甲 |\n\n<!-- 注释\n多行 -->\n第二条 见 <https://example.org>。\n"
	p, err := ParseFile("x.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	v := p.Versions[0]
	if v.Title != "数据管理办法" {
		t.Errorf("title = %q", v.Title)
	}
	var all []string
	for _, pr := range v.Provisions {
		all = append(all, pr.Text)
	}
	text := strings.Join(all, "\n")
	for _, bad := range []string{"**", "](", "<!--", "|---", "`", "https://"} {
		if strings.Contains(text, bad) {
			t.Errorf("markup %q left in %q", bad, text)
		}
	}
	for _, want := range []string{"第一章 总则", "第一条 数据是重要资源。", "A | 甲", "引言：参见《数据安全法》。"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in %q", want, text)
		}
	}
	if len(v.Citations) != 1 || v.Citations[0].CitedTitle != "数据安全法" {
		t.Errorf("citations = %+v", v.Citations)
	}
	if a := v.Provision("a1"); a == nil || a.Line != 10 {
		t.Errorf("a1 = %+v", a)
	}
}

func TestJoinWrapped(t *testing.T) {
	in := []string{
		"标题",
		"第一条 这是一段被排版软件硬换行的条文内容，它在这一行的末尾被折断了，",
		"下一行接着写完，直到句号为止，之后是另外一条独立的条文内容。",
		"第二条 短条文。",
		"第三条 又一段很长很长很长很长很长很长的条文内容，这一行也要足够长才会",
		"（一）但这一行是项，不能接上去。",
	}
	var lines []Line
	for i, s := range in {
		lines = append(lines, Line{Text: s, No: i + 1})
	}
	got := ufJoinWrapped(lines)
	if len(got) != 5 || !strings.HasSuffix(got[1].Text, "之后是另外一条独立的条文内容。") || got[2].No != 4 {
		for _, l := range got {
			t.Logf("%d %s", l.No, l.Text)
		}
		t.Fatalf("join wrong")
	}
}

func TestCleanLine(t *testing.T) {
	for in, want := range map[string]string{
		"  第一章　总  则 ":     "第一章 总则",
		"内 容 准 确":         "内容准确",
		"第 3 条":           "第 3 条",
		"Data  Law  2021": "Data Law 2021",
		"数 据":             "数据",
		"数据 安全":           "数据 安全",
	} {
		if got := ufCleanLine(in); got != want {
			t.Errorf("ufCleanLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFileFixtures(t *testing.T) {
	files := userFixtures(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".pdf") {
				skipWithoutPDFTool(t)
			}
			p, err := ParseFile(f, data)
			if err != nil {
				t.Fatal(err)
			}
			v := p.Versions[0]
			if v.Title == "" || len(v.Provisions) < 2 {
				t.Errorf("title %q, %d provisions", v.Title, len(v.Provisions))
			}
		})
	}
}

// zipWith builds an in-memory zip archive.
func zipWith(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// userFixtures lists the files (not the golden directory) in testdata/userfiles.
func userFixtures(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("testdata/userfiles/*")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/userfiles")
	}
	return files
}

// ufGoldenVersion is the part of a parsed version the golden files pin down:
// the metadata this package extracts and the outline of the provision tree.
type ufGoldenVersion struct {
	Title, VersionLabel, Status, Level, Region, DocNumber string
	IssueDate, EffectiveDate                              string
	Issuers                                               []string
	Sources                                               []library.Source
	Provisions                                            []string // "id label line"
	Citations                                             []string
}

func ufGoldenOf(p *Parsed) []ufGoldenVersion {
	var out []ufGoldenVersion
	for _, v := range p.Versions {
		g := ufGoldenVersion{v.Title, v.VersionLabel, v.Status, v.Level, v.Region, v.DocNumber, v.IssueDate, v.EffectiveDate, v.Issuers, v.Sources, nil, nil}
		for _, pr := range v.Provisions {
			// LineEnd is left out: how far a node extends is the
			// splitter's business (structure_test pins it), not this importer's.
			g.Provisions = append(g.Provisions, fmt.Sprintf("%s %s %d", pr.ID, pr.Label, pr.Line))
		}
		for _, c := range v.Citations {
			g.Citations = append(g.Citations, c.ProvisionID+" "+c.CitedTitle+c.Article)
		}
		out = append(out, g)
	}
	return out
}

// ufCheckGolden compares got with testdata/userfiles/golden/name.json;
// -update-userfiles rewrites it. Provision ids and lines come from
// Structure(), so a deliberate splitter change needs a rewrite too.
func ufCheckGolden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata/userfiles/golden", name+".json")
	if *updateFixtures {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-userfiles)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from golden file; got:\n%s", path, b)
	}
}

func TestGoldenUserFiles(t *testing.T) {
	for _, f := range userFixtures(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if strings.HasSuffix(f, ".pdf") {
				skipWithoutPDFTool(t)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseFile(f, data)
			if err != nil {
				t.Fatal(err)
			}
			ufCheckGolden(t, filepath.Base(f), ufGoldenOf(p))
		})
	}
	t.Run("lawrefbook", func(t *testing.T) {
		p, err := ParseLawRefBook(os.DirFS("testdata"), "lawrefbook")
		if err != nil {
			t.Fatal(err)
		}
		ufCheckGolden(t, "lawrefbook", ufGoldenOf(p))
	})
}
