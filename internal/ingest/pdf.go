package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// PDF text comes from poppler's pdftotext (Debian package poppler-utils):
// writing a PDF parser is out of scope and pdftotext handles CJK fonts,
// CMaps and layout far better than any pure-Go option we could vendor.
const (
	pdfTimeout   = 60 * time.Second
	maxPDFOutput = 64 << 20 // bytes of extracted text
)

// pdfToText runs `pdftotext -layout -enc UTF-8 FILE -` on data and returns
// its output. -layout keeps table columns apart instead of interleaving them.
func pdfToText(ctx context.Context, data []byte) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", ErrNoPDFTool
	}
	tmp, err := os.CreateTemp("", "datalex-*.pdf")
	if err != nil {
		return "", fmt.Errorf("无法创建临时文件：%w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("无法写入临时文件：%w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("无法写入临时文件：%w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-layout", "-enc", "UTF-8", tmp.Name(), "-")
	out := &pdfCappedBuffer{max: maxPDFOutput}
	var stderr bytes.Buffer
	cmd.Stdout = out
	cmd.Stderr = &stderr
	err = cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", fmt.Errorf("%w：PDF 文字提取超时（%s）", ErrCorrupt, pdfTimeout)
	case out.overflow:
		return "", fmt.Errorf("%w：PDF 提取出的文字超过 %d MB", ErrTooLarge, maxPDFOutput>>20)
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "password") || strings.Contains(msg, "Incorrect") {
			return "", fmt.Errorf("%w：PDF 已加密，请先解除密码保护", ErrUnsupported)
		}
		return "", fmt.Errorf("%w：pdftotext 无法读取该 PDF（%s）", ErrCorrupt, pdfFirstLine(msg))
	}
	text := out.String()
	if strings.TrimFunc(strings.ReplaceAll(text, "\f", ""), encIsBlank) == "" {
		return "", fmt.Errorf("%w：PDF 中没有可提取的文字（可能是扫描件，需要先做 OCR）", ErrEmpty)
	}
	return text, nil
}

// pdfCappedBuffer stops storing after max bytes so a hostile PDF cannot exhaust
// memory; it keeps accepting writes so pdftotext does not block on a full pipe.
type pdfCappedBuffer struct {
	bytes.Buffer
	max      int
	overflow bool
}

func (b *pdfCappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		b.overflow = true
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func pdfFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "未知错误"
	}
	return s
}
