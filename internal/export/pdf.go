package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser means no Chromium is installed, so no PDF can be printed;
// callers say so and offer the print view instead of failing.
var ErrNoBrowser = errors.New("服务器未安装 Chromium（Debian 包 chromium），无法生成 PDF")

// ErrBusy means too many PDFs are being printed at once.
var ErrBusy = errors.New("正在生成其他 PDF，请稍后再试")

// Printer prints print views to PDF with a headless Chromium, one fresh
// browser per document (a crashed or stuck print cannot affect the next)
// and at most a few at a time, so exports cannot take the server's memory.
type Printer struct {
	path  string
	slots chan struct{}
	// Timeout bounds one print, browser start included.
	Timeout time.Duration
}

// NewPrinter finds Chromium: DATALEX_CHROMIUM, else chromium,
// chromium-browser or google-chrome on PATH. A Printer without one
// returns ErrNoBrowser.
func NewPrinter() *Printer {
	p := &Printer{slots: make(chan struct{}, 2), Timeout: 60 * time.Second}
	if env := os.Getenv("DATALEX_CHROMIUM"); env != "" {
		if path, err := exec.LookPath(env); err == nil {
			p.path = path
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			p.path = path
			break
		}
	}
	return p
}

// Available reports whether a browser was found.
func (p *Printer) Available() bool { return p != nil && p.path != "" }

// PDF prints html (a self-contained page: WriteHTML) to A4 PDF. Scripts
// are off and nothing is fetched: the page is set as the document content
// of a blank tab.
func (p *Printer) PDF(ctx context.Context, html []byte) ([]byte, error) {
	if !p.Available() {
		return nil, ErrNoBrowser
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-time.After(5 * time.Second):
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "datalex-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("blink-settings", "scriptEnabled=false"),
		chromedp.UserDataDir(dir))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		return nil, fmt.Errorf("启动 Chromium 失败：%w", err)
	}
	setContent := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(html)})
		return err
	})
	if err := chromedp.Do(bctx, setContent, chromedp.WaitReady("body")); err != nil {
		return nil, fmt.Errorf("载入打印页失败：%w", err)
	}
	// Page numbers and the title on every page (a printed export is
	// filed and cited by page), and the headings as the PDF's outline.
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(), chromedp.PDFOutlineAndTagged(), chromedp.PDFStream(),
		chromedp.PDFHeaderTemplate(`<span></span>`),
		chromedp.PDFFooterTemplate(`<div style="font-size:8px;width:100%;text-align:center;color:#555;font-family:'Noto Sans CJK SC',sans-serif">`+
			`<span class="title"></span> · 第 <span class="pageNumber"></span> / <span class="totalPages"></span> 页</div>`)))
	if err != nil {
		return nil, fmt.Errorf("打印 PDF 失败：%w", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		return nil, errors.New("Chromium 返回的不是 PDF")
	}
	return pdf, nil
}
