package community

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/ingest"
)

// Attachment errors (shown to the member).
var (
	ErrAttachType     = errors.New("仅支持上传 .pdf、.docx、.txt、.md 格式的知识文档")
	ErrAttachTooLarge = errors.New("附件过大")
	ErrAttachContent  = errors.New("附件内容与扩展名不符")
	ErrZipBomb        = errors.New("附件是可疑的压缩文件（解压后体积异常），已拒绝")
	ErrTooManyAttach  = errors.New("该主题的附件数量已达上限")
	ErrUploadQuota    = errors.New("今日上传量已达上限，请明天再试")
)

// Zip limits for .docx uploads: a knowledge document inflates to a few MB;
// anything far beyond is a zip bomb.
const (
	maxZipEntries      = 2000
	maxZipInflated     = 40 << 20
	maxZipRatio        = 100
	attachParseTimeout = 30 * time.Second
)

// Attachment is an uploaded knowledge document. Its extracted Text is
// searchable as community content, never as part of the official library.
type Attachment struct {
	ID         int64
	ThreadID   int64
	UploaderID string
	FileName   string // original name, for display and Content-Disposition only
	StoredName string // generated, safe
	MIME       string
	Size       int
	SHA256     string
	Title      string // title found in the document
	Text       string
	CreatedAt  time.Time
}

// Path is the download path of an attachment.
func (a *Attachment) Path() string {
	return fmt.Sprintf("/community/attachments/%d/%s", a.ID, a.StoredName)
}

var attachMIME = map[string]string{
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
}

// AddAttachment checks an uploaded file, extracts its text and stores it on
// a thread. Only the thread's author may attach. The extension must be one
// of .pdf/.docx/.txt/.md and the content must be that format (sniffed, not
// trusted); .docx archives are checked for zip bombs before anything is
// inflated.
func (s *Service) AddAttachment(ctx context.Context, uploaderID string, threadID int64, fileName string, data []byte) (*Attachment, error) {
	th, err := s.Thread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	if th.AuthorID != uploaderID {
		return nil, ErrNotAuthor
	}
	if th.Locked {
		return nil, ErrLocked
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM attachments WHERE thread_id = ?`, threadID).Scan(&n); err != nil {
		return nil, err
	}
	if n >= s.Limits.MaxAttachments {
		return nil, fmt.Errorf("%w（最多 %d 个）", ErrTooManyAttach, s.Limits.MaxAttachments)
	}
	name := safeDisplayName(fileName)
	ext := strings.ToLower(filepath.Ext(name))
	mime, ok := attachMIME[ext]
	if !ok {
		return nil, ErrAttachType
	}
	if len(data) > s.Limits.MaxAttachBytes {
		return nil, fmt.Errorf("%w（上限 %d MB）", ErrAttachTooLarge, s.Limits.MaxAttachBytes>>20)
	}
	var used int
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = ? AND created_at >= ?`,
		uploaderID, ts(s.now().Add(-24*time.Hour))).Scan(&used); err != nil {
		return nil, err
	}
	if used+len(data) > s.Limits.MaxUploadPerDay {
		return nil, fmt.Errorf("%w（每天 %d MB）", ErrUploadQuota, s.Limits.MaxUploadPerDay>>20)
	}
	if err := sniff(ext, data); err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, attachParseTimeout)
	defer cancel()
	parsed, err := ingest.ParseFileContext(pctx, name, data)
	if err != nil {
		return nil, fmt.Errorf("无法读取附件：%w", err)
	}
	title, text := documentText(parsed)
	sum := sha256.Sum256(data)
	a := &Attachment{ThreadID: threadID, UploaderID: uploaderID, FileName: name, StoredName: randomName() + ext, MIME: mime,
		Size: len(data), SHA256: hex.EncodeToString(sum[:]), Title: title, Text: text, CreatedAt: s.now()}
	err = s.DB.QueryRowContext(ctx, `INSERT INTO attachments (thread_id, uploader_id, file_name, stored_name, mime, size, sha256, title, text, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.ThreadID, a.UploaderID, a.FileName, a.StoredName, a.MIME, a.Size, a.SHA256,
		a.Title, a.Text, data, ts(a.CreatedAt)).Scan(&a.ID)
	if err != nil {
		return nil, fmt.Errorf("保存附件: %w", err)
	}
	return a, nil
}

// safeDisplayName keeps only the base name, without control characters or
// path separators, at most 120 runes (extension kept).
func safeDisplayName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = filepath.Base(strings.TrimSpace(name))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if name == "." || name == ".." || name == "/" {
		name = ""
	}
	if r := []rune(name); len(r) > 120 {
		// Keep a real extension; an absurdly long one (a fuzz input had a
		// 120-rune "extension") is just part of the name to cut.
		ext := filepath.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = string(stem[:120-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

func randomName() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sniff checks that the bytes are what the extension claims.
func sniff(ext string, data []byte) error {
	isPDF := bytes.HasPrefix(data, []byte("%PDF-"))
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch ext {
	case ".pdf":
		if !isPDF {
			return fmt.Errorf("%w：不是 PDF 文件", ErrAttachContent)
		}
	case ".docx":
		if !isZip {
			return fmt.Errorf("%w：不是 Word（.docx）文档", ErrAttachContent)
		}
		return checkZip(data)
	case ".txt", ".md":
		if isPDF || isZip || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) || looksBinary(data) {
			return fmt.Errorf("%w：不是纯文本文件", ErrAttachContent)
		}
		if _, err := ingest.DecodeText(data); err != nil {
			return fmt.Errorf("%w：%w", ErrAttachContent, err)
		}
	}
	return nil
}

// looksBinary spots executables and images renamed to .txt: NUL bytes
// outside UTF-16 text, or a known binary signature.
func looksBinary(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return false
	}
	for _, sig := range [][]byte{[]byte("MZ"), []byte("\x7fELF"), []byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8"), []byte("\x1f\x8b")} {
		if bytes.HasPrefix(data, sig) {
			return true
		}
	}
	return bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 && !utf16Like(data)
}

// utf16Like accepts BOM-less UTF-16 (every other byte NUL in ASCII text);
// ingest.DecodeText decides the rest.
func utf16Like(data []byte) bool {
	head := data[:min(len(data), 512)]
	zeros := bytes.Count(head, []byte{0})
	return zeros*3 > len(head) && zeros*3 < len(head)*2
}

// checkZip reads the archive directory only and refuses archives whose
// declared or possible inflated size is out of proportion.
func checkZip(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w：压缩结构损坏（%v）", ErrAttachContent, err)
	}
	if len(zr.File) > maxZipEntries {
		return ErrZipBomb
	}
	var total uint64
	hasDoc := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.Name == "word/document.xml" {
			hasDoc = true
		}
		if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > maxZipRatio && f.UncompressedSize64 > 1<<20 {
			return ErrZipBomb
		}
	}
	if total > maxZipInflated {
		return ErrZipBomb
	}
	if !hasDoc {
		return fmt.Errorf("%w：压缩包中没有 word/document.xml，不是 Word 文档", ErrAttachContent)
	}
	return nil
}

// documentText joins the extracted provisions into plain text.
func documentText(p *ingest.Parsed) (string, string) {
	if p == nil || len(p.Versions) == 0 {
		return "", ""
	}
	v := p.Versions[0]
	var b strings.Builder
	for _, pr := range v.Provisions {
		if t := strings.TrimSpace(pr.Text); t != "" {
			b.WriteString(t)
			b.WriteString("\n")
		}
	}
	return v.Title, strings.TrimSpace(b.String())
}

// Attachments lists a thread's attachments (without their bytes).
func (s *Service) Attachments(ctx context.Context, threadID int64) ([]*Attachment, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, thread_id, uploader_id, file_name, stored_name, mime, size, sha256, title, text, created_at
		FROM attachments WHERE thread_id = ? ORDER BY id`, threadID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanAttachment(sc interface{ Scan(...any) error }) (*Attachment, error) {
	var a Attachment
	var c string
	if err := sc.Scan(&a.ID, &a.ThreadID, &a.UploaderID, &a.FileName, &a.StoredName, &a.MIME, &a.Size, &a.SHA256, &a.Title, &a.Text, &c); err != nil {
		return nil, err
	}
	a.CreatedAt = parseTS(c)
	return &a, nil
}

// AttachmentData returns an attachment and its bytes for download. The
// stored name must match too, so ids cannot simply be enumerated. Serve
// with the returned MIME, "Content-Disposition: attachment" and
// "X-Content-Type-Options: nosniff".
func (s *Service) AttachmentData(ctx context.Context, id int64, storedName string) (*Attachment, []byte, error) {
	var data []byte
	a, err := scanAttachment(s.DB.QueryRowContext(ctx, `SELECT id, thread_id, uploader_id, file_name, stored_name, mime, size, sha256, title, text, created_at
		FROM attachments WHERE id = ? AND stored_name = ?`, id, storedName))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT data FROM attachments WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, nil, err
	}
	var hidden int
	if err := s.DB.QueryRowContext(ctx, `SELECT hidden FROM threads WHERE id = ?`, a.ThreadID).Scan(&hidden); err != nil {
		return nil, nil, err
	}
	if hidden != 0 {
		return nil, nil, ErrHidden
	}
	return a, data, nil
}

// DeleteAttachment removes an attachment (its uploader or, via moderator,
// the caller decides).
func (s *Service) DeleteAttachment(ctx context.Context, actorID string, id int64) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM attachments WHERE id = ? AND uploader_id = ?`, id, actorID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
