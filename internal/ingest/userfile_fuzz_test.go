package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var fuzzExts = []string{".txt", ".md", ".docx", ".pdf", "", ".doc"}

// nastyInputs are the seed corpus shared by the fuzzers.
func nastyInputs(tb testing.TB) [][]byte {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(sampleRegulation))
	docx := makeDocx(tb, docxSample...)
	in := [][]byte{
		nil,
		[]byte(" \n\t"),
		[]byte("\x00\x01\x02\xff\xfe"),
		{0xFF, 0xFE, 0x00},
		{0xFE, 0xFF, 0xD8, 0x00},
		{0xEF, 0xBB, 0xBF},
		[]byte("。，、；：！？……——"),
		[]byte(sampleRegulation),
		gbk,
		utf16Bytes(sampleRegulation, false, true),
		utf16Bytes("第一条 x", true, false),
		docx,
		docx[:len(docx)/2],
		makePDF(pdfSample)[:200],
		[]byte("%PDF-1.4\n"),
		[]byte("PK\x03\x04garbage"),
		[]byte("# 标题\n<!-- INFO END -->\n## 第一章\n第一条 内容\n| a | b |\n|---|---|\n"),
		[]byte("# \n<!--\n第一条"),
		[]byte("第一条第二条第三条《《》》〈〉"),
		bytes.Repeat([]byte("数据"), 5000),
	}
	files, _ := filepath.Glob("testdata/userfiles/*")
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			in = append(in, b)
		}
	}
	return in
}

func FuzzParseFile(f *testing.F) {
	for i, b := range nastyInputs(f) {
		f.Add(uint8(i%len(fuzzExts)), b)
		f.Add(uint8(2), b)
	}
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		name := "fuzz" + fuzzExts[int(ext)%len(fuzzExts)]
		p, err := ParseFile(name, data)
		if err == nil && (p == nil || len(p.Versions) != 1 || p.Versions[0].Title == "") {
			t.Fatalf("nil error with bad result %+v", p)
		}
		if err != nil && p != nil {
			t.Fatalf("error %v with non-nil result", err)
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	for _, b := range nastyInputs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeText(data)
		if err == nil && s == "" {
			t.Fatal("nil error with empty text")
		}
		if err != nil && s != "" {
			t.Fatalf("error %v with text", err)
		}
	})
}

func FuzzParseLawRefBookFile(f *testing.F) {
	for _, b := range nastyInputs(f) {
		f.Add("经济法/某法(2021-06-10).md", b)
	}
	f.Add("民法典/第一编 总则.md", []byte("# 中华人民共和国民法典\n<!-- INFO END -->\n## 第一编 总则\n### 第一章\n第一条 x"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := parseLawRefBookFile(name, data)
		if err == nil {
			if doc == nil || len(doc.Body) == 0 || len(doc.Sources) != 1 {
				t.Fatalf("nil error with bad result %+v", doc)
			}
			v := lrbVersion(doc) // metadata and structure must not panic either
			if v.Title == "" {
				t.Fatal("empty title")
			}
		}
	})
}
