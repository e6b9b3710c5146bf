package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func skipWithoutPDFTool(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("DATALEX_REQUIRE_PDFTOTEXT") != "" {
			t.Fatal("pdftotext required (DATALEX_REQUIRE_PDFTOTEXT) but not installed: apt-get install poppler-utils")
		}
		t.Skip("pdftotext not installed (Debian package poppler-utils); set DATALEX_REQUIRE_PDFTOTEXT=1 to make this a failure")
	}
}

// makePDF writes a minimal one-page PDF showing lines. The font is a Type0
// font with Identity-H encoding whose CIDs are the Unicode code points and a
// ToUnicode CMap mapping them back, so pdftotext extracts Chinese text
// without any embedded font program.
func makePDF(lines []string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 12 Tf 14 TL 50 780 Td\n")
	used := map[rune]bool{}
	for _, l := range lines {
		content.WriteString("<")
		for _, r := range l {
			fmt.Fprintf(&content, "%04X", r)
			used[r] = true
		}
		content.WriteString("> Tj T*\n")
	}
	content.WriteString("ET\n")

	var cmap bytes.Buffer
	cmap.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	var rs []rune
	for r := range used {
		rs = append(rs, r)
	}
	for i := 0; i < len(rs); i += 100 {
		chunk := rs[i:min(i+100, len(rs))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <%04X>\n", r, r)
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end\n")

	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /DataLexTest /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DataLexTest /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /CIDToGIDMap /Identity >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cmap.Len(), cmap.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}

var pdfSample = []string{
	"某某市数据交易管理暂行办法",
	"第一章 总则",
	"第一条 为了规范数据交易，制定本办法。",
	"第二条 本办法自2024年5月1日起施行。",
	"- 1 -",
}

func TestParsePDF(t *testing.T) {
	skipWithoutPDFTool(t)
	p, err := ParseFile("x.pdf", makePDF(pdfSample))
	if err != nil {
		t.Fatal(err)
	}
	v := p.Versions[0]
	if v.Title != "某某市数据交易管理暂行办法" || v.Status != "暂行" || v.EffectiveDate != "2024-05-01" {
		t.Errorf("title %q status %q effective %q", v.Title, v.Status, v.EffectiveDate)
	}
	if a := v.Provision("a2"); a == nil || strings.Contains(a.Text, "- 1 -") {
		t.Errorf("a2 = %+v", a)
	}
}

func TestParsePDFBroken(t *testing.T) {
	skipWithoutPDFTool(t)
	pdf := makePDF(pdfSample)
	_, err := ParseFile("cut.pdf", pdf[:len(pdf)/3])
	if err == nil {
		t.Fatal("truncated PDF parsed without error")
	}
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrEmpty) {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseFile("blank.pdf", makePDF(nil)); !errors.Is(err, ErrEmpty) {
		t.Errorf("blank PDF: err = %v", err)
	}
}

func TestPDFToolMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := ParseFile("x.pdf", makePDF(pdfSample)); !errors.Is(err, ErrNoPDFTool) || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("err = %v", err)
	}
}

// TestWritePDFFixture regenerates testdata/userfiles/sample.pdf with -update-userfiles.
func TestWritePDFFixture(t *testing.T) {
	if !*updateFixtures {
		t.Skip("run with -update-userfiles to regenerate")
	}
	if err := os.WriteFile("testdata/userfiles/sample.pdf", makePDF(pdfSample), 0o644); err != nil {
		t.Fatal(err)
	}
}
