package webtest

import (
	"archive/zip"
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// MakeDocx builds a minimal Word document with one paragraph per line.
func MakeDocx(t testing.TB, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	for _, p := range paras {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc.Replace(p) + `</w:t></w:r></w:p>`)
	}
	body.WriteString(`<w:sectPr/></w:body></w:document>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   body.String(),
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// DocxSample is the text of a provincial measure used in upload tests.
var DocxSample = []string{
	"某某省公共数据授权运营管理办法",
	"第一章 总则",
	"第一条 为规范公共数据授权运营，依据《中华人民共和国数据安全法》制定本办法。",
	"第二条 本办法所称公共数据，是指下列数据：",
	"（一）政务数据；",
	"（二）公共服务数据。",
	"第二章 附则",
	"第三条 本办法自发布之日起施行。",
}

// UploadTokenRe finds the commit token on the upload preview page.
var UploadTokenRe = regexp.MustCompile(`name="token" value="([^"]+)"`)
