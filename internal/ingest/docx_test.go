package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

var updateFixtures = flag.Bool("update-userfiles", false, "rewrite generated fixtures and golden files under testdata/userfiles")

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// docxParagraphs renders paragraphs (a "|" in a paragraph becomes a table
// row of cells) as a minimal word/document.xml body.
func docxBody(paras ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>`)
	inTable := false
	for _, p := range paras {
		if strings.Contains(p, "|") {
			if !inTable {
				b.WriteString("<w:tbl>")
				inTable = true
			}
			b.WriteString("<w:tr>")
			for _, c := range strings.Split(p, "|") {
				b.WriteString(`<w:tc><w:p><w:r><w:t>` + xmlEscape(c) + `</w:t></w:r></w:p></w:tc>`)
			}
			b.WriteString("</w:tr>")
			continue
		}
		if inTable {
			b.WriteString("</w:tbl>")
			inTable = false
		}
		// Split the text over two runs to check runs are concatenated.
		r := []rune(p)
		h := len(r) / 2
		b.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">` + xmlEscape(string(r[:h])) +
			`</w:t></w:r><w:r><w:t>` + xmlEscape(string(r[h:])) + `</w:t></w:r></w:p>`)
	}
	if inTable {
		b.WriteString("</w:tbl>")
	}
	b.WriteString(`<w:sectPr/></w:body></w:document>`)
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// makeDocx writes a minimal .docx holding paras.
func makeDocx(t testing.TB, paras ...string) []byte {
	return zipWith(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   docxBody(paras...),
	})
}

var docxSample = []string{
	"某某省公共数据授权运营管理办法",
	"第一章 总则",
	"第一条 为规范公共数据授权运营，依据《数据安全法》制定本办法。",
	"第二条 本办法所称公共数据，是指下列数据：",
	"（一）政务数据；",
	"（二）公共服务数据。",
	"第二章 附则",
	"第三条 收费标准如下表：",
	"项目|标准（元）",
	"数据查询|10",
	"第四条 本办法自发布之日起施行。",
}

func TestParseDocx(t *testing.T) {
	p, err := ParseFile("a.docx", makeDocx(t, docxSample...))
	if err != nil {
		t.Fatal(err)
	}
	v := p.Versions[0]
	if v.Title != "某某省公共数据授权运营管理办法" {
		t.Errorf("title = %q", v.Title)
	}
	if v.Sources[0].FirstLine != 1 || v.Sources[0].LastLine != len(docxSample) {
		t.Errorf("sources = %+v", v.Sources)
	}
	a3 := v.Provision("a3")
	if a3 == nil || !strings.Contains(a3.Text, "数据查询 | 10") {
		t.Fatalf("a3 = %+v", a3)
	}
	if a2 := v.Provision("a2"); a2 == nil || !strings.Contains(a2.Text, "（二）公共服务数据。") {
		t.Errorf("a2 = %+v", a2)
	}
	if len(v.Citations) != 1 {
		t.Errorf("citations = %+v", v.Citations)
	}
}

func TestDocxLines(t *testing.T) {
	body := `<w:document ` + wordNS + `><w:body>
<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p>
<w:p><w:r><w:delText>删除的</w:delText><w:instrText>PAGE</w:instrText><w:t>保留</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>
<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>尾</w:t></w:r></w:p></w:body></w:document>`
	got, err := docxLines([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, l := range got {
		s := l.Text
		if l.Table {
			s = "T:" + s
		}
		texts = append(texts, s)
	}
	want := []string{"甲\t乙", "丙", "保留", "T:a b | 内", "尾"}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines = %q, want %q", texts, want)
	}
}

func TestDocxCoreTitle(t *testing.T) {
	data := zipWith(t, map[string]string{
		"word/document.xml": docxBody("正文第一段没有标题。", "第一条 内容。", "第二条 内容。"),
		"docProps/core.xml": `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>属性中的标题</dc:title></cp:coreProperties>`,
	})
	p, err := ParseFile("b.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Versions[0].Title; got != "属性中的标题" {
		t.Errorf("title = %q", got)
	}
}

func TestDocxRefusals(t *testing.T) {
	// A zip bomb: document.xml inflates beyond the limit.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	chunk := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < maxDocxXML>>20+1; i++ {
		w.Write(chunk)
	}
	zw.Close()
	if _, err := ParseFile("bomb.docx", buf.Bytes()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("bomb: err = %v", err)
	}
	// Many entries.
	files := map[string]string{"word/document.xml": docxBody("x")}
	for i := 0; i <= maxDocxEntries; i++ {
		files[strings.Repeat("d/", 1)+string(rune('a'+i%26))+strings.Repeat("x", i/26)] = ""
	}
	if _, err := ParseFile("many.docx", zipWith(t, files)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("many entries: err = %v", err)
	}
	// Broken XML.
	bad := zipWith(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"})
	if _, err := ParseFile("bad.docx", bad); err == nil {
		t.Errorf("broken xml: no error")
	}
	// Empty document.
	empty := zipWith(t, map[string]string{"word/document.xml": docxBody()})
	if _, err := ParseFile("empty.docx", empty); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v", err)
	}
}

// TestWriteDocxFixture regenerates testdata/userfiles/sample.docx with -update-userfiles.
func TestWriteDocxFixture(t *testing.T) {
	if !*updateFixtures {
		t.Skip("run with -update-userfiles to regenerate")
	}
	if err := os.WriteFile("testdata/userfiles/sample.docx", makeDocx(t, docxSample...), 0o644); err != nil {
		t.Fatal(err)
	}
}
