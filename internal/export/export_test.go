package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"datalex/internal/library"
)

func sampleVersion() *library.Version {
	v := &library.Version{ID: "v1", WorkID: "w1", Title: "中华人民共和国数据安全法", DocNumber: "主席令第八十四号",
		Issuers: []string{"全国人民代表大会常务委员会"}, IssueDate: "2021-06-10", EffectiveDate: "2021-09-01",
		Validity: library.ValidityInForce, ValidityReason: "已施行", Level: "法律", Part: "第一部分 法律", Subsection: "（一）国家法律",
		Sources: []library.Source{{File: "001_x.txt", FirstLine: 10, LastLine: 90}}}
	v.Provisions = []*library.Provision{
		{ID: "v1.c1", Kind: library.ProvChapter, Label: "第一章", Text: "第一章　总则"},
		{ID: "v1.a1", ParentID: "v1.c1", Kind: library.ProvArticle, Label: "第一条", Citation: "数据安全法 第一条",
			Text: "第一条　为了规范数据处理活动，保障数据安全，促进数据开发利用。"},
		{ID: "v1.a21", ParentID: "v1.c1", Kind: library.ProvArticle, Label: "第二十一条", Citation: "数据安全法 第二十一条",
			Text: "第二十一条　国家建立数据分类分级保护制度。\n关系国家安全的数据属于国家核心数据，实行更加严格的管理制度。<&>\x01"},
		{ID: "v1.a21.p2", ParentID: "v1.a21", Kind: library.ProvParagraph, Text: "关系国家安全的数据属于国家核心数据，实行更加严格的管理制度。"},
	}
	return v
}

func link(p *library.Provision) string { return "https://example.test/p/" + p.ID }

// docxText returns the text of word/document.xml, one paragraph a line.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	if doc == nil {
		t.Fatal("no word/document.xml")
	}
	var out strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(doc))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if el.Name.Local == "p" {
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				out.Write(el)
			}
		}
	}
	return out.String()
}

func TestWriteDOCX(t *testing.T) {
	now := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		doc  *Doc
		want []string
		not  []string
	}{
		{"whole document", ForVersion(sampleVersion(), link, now), []string{
			"中华人民共和国数据安全法", "文号：主席令第八十四号", "时效性：现行有效（已施行）", "第一章　总则",
			"数据安全法 第二十一条", "时效性：现行有效 · 来源：第一部分 法律 › （一）国家法律 · 链接：https://example.test/p/v1.a21",
			"国家建立数据分类分级保护制度。", "实行更加严格的管理制度。<&>", "导出自 DataLex"},
			// the 款 is inside its article's text: not exported twice
			[]string{"\x01"}},
		{"empty", &Doc{Title: "空", Generated: now}, []string{"空", "导出自 DataLex"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteDOCX(&b, tt.doc); err != nil {
				t.Fatal(err)
			}
			text := docxText(t, b.Bytes())
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("docx text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("docx text has %q", w)
				}
			}
			if n := strings.Count(text, "关系国家安全的数据属于国家核心数据"); n != 1 {
				if tt.name == "whole document" {
					t.Errorf("paragraph printed %d times, want once", n)
				}
			}
		})
	}
}

func TestWriteHTMLEscapes(t *testing.T) {
	d := ForVersion(sampleVersion(), link, time.Now())
	d.Items = append(d.Items, Item{Citation: "<script>x</script>", Text: "<b>粗</b>"})
	var b bytes.Buffer
	if err := WriteHTML(&b, d, []Action{{"下载 Word", "/documents/v1/export.docx"}}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, w := range []string{"数据安全法 第二十一条", "时效性：现行有效", "&lt;script&gt;", "&lt;b&gt;粗", `href="/documents/v1/export.docx"`} {
		if !strings.Contains(s, w) {
			t.Errorf("print view lacks %q", w)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("unescaped script in print view")
	}
}

func TestPDF(t *testing.T) {
	p := NewPrinter()
	if !p.Available() {
		if os.Getenv("DATALEX_REQUIRE_BROWSER") == "1" {
			t.Fatal("DATALEX_REQUIRE_BROWSER=1 but chromium is not installed")
		}
		if _, err := p.PDF(context.Background(), []byte("<p>x</p>")); err != ErrNoBrowser {
			t.Fatalf("without chromium: err %v, want ErrNoBrowser", err)
		}
		t.Skip("chromium not installed; set DATALEX_REQUIRE_BROWSER=1 to make this a failure")
	}
	if testing.Short() {
		t.Skip("starts chromium")
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, ForVersion(sampleVersion(), link, time.Now()), nil); err != nil {
		t.Fatal(err)
	}
	pdf, err := p.PDF(context.Background(), html.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("DATALEX_REQUIRE_PDFTOTEXT") == "1" {
			t.Fatal("DATALEX_REQUIRE_PDFTOTEXT=1 but pdftotext is not installed")
		}
		t.Skip("pdftotext not installed; the PDF starts with %PDF")
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, w := range []string{"数据安全法第二十一条", "国家建立数据分类分级保护制度", "时效性：现行有效", "第1/1页"} {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext output lacks %q:\n%s", w, out)
		}
	}
}

// FuzzWriteDOCX: whatever text a provision holds, the .docx opens and its
// document.xml parses.
func FuzzWriteDOCX(f *testing.F) {
	for _, s := range []string{"第一条　正文", "<&>\"'", "\x00\x01\x1f", "\uFFFE\uFFFF", "\xff\xfe", "a\nb\r\nc\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := &Doc{Title: s, Subtitle: s, Meta: []Field{{"文号", s}}, Notes: []string{s},
			Items: []Item{{Citation: s, Text: s, Status: s, Source: s}, {Heading: true, Text: s}}}
		var b bytes.Buffer
		if err := WriteDOCX(&b, d); err != nil {
			t.Fatal(err)
		}
		docxText(t, b.Bytes())
	})
}
