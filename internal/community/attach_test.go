package community

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

func makeZip(t *testing.T, files map[string][]byte, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeDocx(t *testing.T, paras ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document ` + wordNS + `><w:body>`)
	for _, p := range paras {
		b.WriteString(`<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`)
	}
	b.WriteString(`</w:body></w:document>`)
	return makeZip(t, map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
		"word/document.xml":   []byte(b.String()),
	}, zip.Deflate)
}

func TestAttachments(t *testing.T) {
	s, _ := newService(t)
	s.Limits.MaxAttachments = 100 // the table checks content first
	ctx := context.Background()
	th := mustThread(t, s, KindKnowledge, alice, "知识文档：数据交易办法解读", "")
	pdf, err := os.ReadFile("testdata/sample.pdf")
	if err != nil {
		t.Fatal(err)
	}
	bomb := makeZip(t, map[string][]byte{
		"word/document.xml": bytes.Repeat([]byte("0"), 50<<20),
	}, zip.Deflate)
	tests := []struct {
		name     string
		file     string
		data     []byte
		want     error  // nil = accepted
		wantText string // substring of the extracted text
	}{
		{"markdown", "笔记.md", []byte("# 数据资产入表笔记\n\n第一条 数据资源按**无形资产**确认。\n"), nil, "无形资产"},
		{"text gbk", "说明.txt", []byte{0xca, 0xfd, 0xbe, 0xdd, 0xb0, 0xb2, 0xc8, 0xab, 0xb7, 0xa8, 0xa1, 0xa3, 0xb5, 0xda, 0xd2, 0xbb, 0xcc, 0xf5, 0x0a}, nil, "数据安全法"},
		{"docx", "办法.docx", makeDocx(t, "某某办法", "第一条 为了规范数据交易，制定本办法。"), nil, "规范数据交易"},
		{"pdf", "办法.pdf", pdf, nil, "规范数据交易"},
		{"path traversal name", `..\..\etc\passwd.txt`, []byte("正文内容"), nil, "正文内容"},
		{"exe renamed", "病毒.txt", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...), ErrAttachContent, ""},
		{"png renamed", "图.md", []byte("\x89PNG\r\n\x1a\n\x00\x00"), ErrAttachContent, ""},
		{"text as pdf", "假.pdf", []byte("这不是 PDF"), ErrAttachContent, ""},
		{"pdf as txt", "假.txt", pdf, ErrAttachContent, ""},
		{"zip without document", "空.docx", makeZip(t, map[string][]byte{"a.txt": []byte("x")}, zip.Deflate), ErrAttachContent, ""},
		{"zip bomb", "炸弹.docx", bomb, ErrZipBomb, ""},
		{"legacy doc", "旧.doc", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, ErrAttachType, ""},
		{"exe", "a.exe", []byte("MZ"), ErrAttachType, ""},
		{"html", "a.html", []byte("<script>alert(1)</script>"), ErrAttachType, ""},
		{"too large", "大.txt", bytes.Repeat([]byte("数"), 4<<20), ErrAttachTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasSuffix(tt.file, ".pdf") && tt.want == nil {
				requirePDFToText(t)
			}
			a, err := s.AddAttachment(ctx, alice, th.ID, tt.file, tt.data)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Text, tt.wantText) {
				t.Fatalf("text %q lacks %q", a.Text, tt.wantText)
			}
			if strings.ContainsAny(a.FileName, `/\`) || strings.Contains(a.StoredName, "..") || len(a.StoredName) < 32 {
				t.Fatalf("unsafe names %q %q", a.FileName, a.StoredName)
			}
			got, data, err := s.AttachmentData(ctx, a.ID, a.StoredName)
			if err != nil || !bytes.Equal(data, tt.data) || got.MIME != a.MIME {
				t.Fatalf("download: %v", err)
			}
			if _, _, err := s.AttachmentData(ctx, a.ID, "guess.pdf"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("download with wrong name: %v", err)
			}
		})
	}
	if _, err := s.AddAttachment(ctx, bob, th.ID, "b.txt", []byte("别人的附件")); !errors.Is(err, ErrNotAuthor) {
		t.Fatalf("attach to another's thread: %v", err)
	}
	want := 5
	if _, err := exec.LookPath("pdftotext"); err != nil {
		want-- // the PDF case was skipped
	}
	list, _ := s.Attachments(ctx, th.ID)
	if len(list) != want {
		t.Fatalf("%d attachments stored", len(list))
	}
	s.Limits.MaxUploadPerDay = 1 << 20
	other := mustThread(t, s, KindKnowledge, alice, "另一篇", "")
	if _, err := s.AddAttachment(ctx, alice, other.ID, "q.txt", bytes.Repeat([]byte("额"), 400<<10)); !errors.Is(err, ErrUploadQuota) {
		t.Fatalf("daily quota: %v", err)
	}
	s.Limits.MaxAttachments = want
	if _, err := s.AddAttachment(ctx, alice, th.ID, "6.txt", []byte("第六个")); !errors.Is(err, ErrTooManyAttach) {
		t.Fatalf("attachment over the limit of %d: %v", want, err)
	}
	// Extracted text is searchable as community content.
	recs, err := s.AllForIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var att int
	for _, r := range recs {
		if !r.NonAuthoritative {
			t.Errorf("record %s is not marked non-authoritative", r.ID)
		}
		if r.Type == "attachment" {
			att++
			if !strings.HasPrefix(r.URL, th.Path()+"#attachment-") {
				t.Errorf("attachment url %q", r.URL)
			}
		}
	}
	if att != want {
		t.Fatalf("%d attachment records", att)
	}
	if err := s.SetHidden(ctx, mod, TargetThread, th.ID, true, "x"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AttachmentData(ctx, list[0].ID, list[0].StoredName); !errors.Is(err, ErrHidden) {
		t.Fatalf("download from hidden thread: %v", err)
	}
	recs, _ = s.AllForIndex(ctx)
	for _, r := range recs {
		if strings.HasPrefix(r.URL, th.Path()) {
			t.Fatalf("hidden thread still indexed: %+v", r)
		}
	}
	if len(recs) != 1 || recs[0].Title != "另一篇" {
		t.Fatalf("visible records %+v", recs)
	}
}

func TestSafeDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":               "passwd",
		`C:\Users\a\报告.pdf`:              "报告.pdf",
		"a\x00b\r\n.txt":                 "ab.txt",
		"..":                             "",
		`"quoted".md`:                    "quoted.md",
		strings.Repeat("长", 200) + ".md": strings.Repeat("长", 117) + ".md",
		// Regression: a 120-character extension crashed the cleaner (500).
		"a." + strings.Repeat("x", 120): "a." + strings.Repeat("x", 118),
		"." + strings.Repeat("y", 130):  "." + strings.Repeat("y", 119),
	} {
		if got := safeDisplayName(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func FuzzSafeDisplayName(f *testing.F) {
	for _, s := range []string{"a." + strings.Repeat("x", 120), strings.Repeat("长", 200) + ".md", "..", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := safeDisplayName(name)
		if utf8.RuneCountInString(got) > 120 || strings.ContainsAny(got, "/\x00") {
			t.Fatalf("safeDisplayName(%q) = %q", name, got)
		}
	})
}

// requirePDFToText skips a test that reads PDF text when Debian's
// poppler-utils is not installed, unless CI requires it
// (DATALEX_REQUIRE_PDFTOTEXT=1 in .ci/run): a fresh machine with only Go
// must pass `go test ./...`.
func requirePDFToText(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("DATALEX_REQUIRE_PDFTOTEXT") != "" {
			t.Fatal("pdftotext required (DATALEX_REQUIRE_PDFTOTEXT) but not installed: apt-get install poppler-utils")
		}
		t.Skip("pdftotext not installed (Debian package poppler-utils); skipping PDF text extraction")
	}
}
