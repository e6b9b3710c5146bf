// Package webtest holds the helpers the web packages' tests share: a
// server over a temporary store, a cookie-keeping HTTP client and a
// chromedp browser. It is imported only by tests (internal/web and its
// module subpackages, which cannot see each other's _test.go files).
package webtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/ruzhang"
	"datalex/internal/search"
	"datalex/internal/store"
	"datalex/internal/store/storetest"
	"datalex/internal/web"
)

// Env is a running server over a temporary store.
type Env struct {
	Srv *web.Server
	St  *store.Store
	Acc *account.Service
	TS  *httptest.Server
}

// NewEnv stores versions, builds a server (configure may adjust its
// configuration), lets mount add modules, and serves it.
func NewEnv(t testing.TB, versions []*library.Version, configure func(*web.Config), mount func(*web.Server) error) *Env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	SaveVersions(t, st, versions)
	loaded, err := st.LoadLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Import: Import(st)}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := web.New(cfg, loaded)
	if err != nil {
		t.Fatal(err)
	}
	if mount != nil {
		if err := mount(srv); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &Env{Srv: srv, St: st, Acc: srv.Accounts(), TS: ts}
}

// SaveVersions stores versions grouped into works.
func SaveVersions(t testing.TB, st *store.Store, versions []*library.Version) {
	t.Helper()
	byWork := map[string]*library.Work{}
	var works []*library.Work
	for _, v := range versions {
		w := byWork[v.WorkID]
		if w == nil {
			w = &library.Work{ID: v.WorkID, Title: v.Title}
			byWork[v.WorkID] = w
			works = append(works, w)
		}
		w.Versions = append(w.Versions, v)
	}
	if err := st.SaveImport(context.Background(), nil, works); err != nil {
		t.Fatal(err)
	}
}

// Import stands in for importer.ImportFiles (which lives behind the
// wip build tag while the seed parsers land): parse, give global ids, save.
func Import(st *store.Store) web.ImportFunc {
	return func(ctx context.Context, name string, data []byte) error {
		p, err := ingest.ParseFile(name, data)
		if err != nil {
			return err
		}
		for _, v := range p.Versions {
			v.ID = "v" + library.ShortHash(name, v.Title)[:10]
			v.WorkID = "w" + library.ShortHash(v.Title)[:10]
			v.Seq = 1000
			for _, pr := range v.Provisions {
				pr.ID = v.ID + "." + pr.ID
				if pr.ParentID != "" {
					pr.ParentID = v.ID + "." + pr.ParentID
				}
			}
			for i := range v.Citations {
				if v.Citations[i].ProvisionID != "" {
					v.Citations[i].ProvisionID = v.ID + "." + v.Citations[i].ProvisionID
				}
			}
		}
		return st.SaveImport(ctx, nil, []*library.Work{{ID: p.Versions[0].WorkID, Title: p.Versions[0].Title, Versions: p.Versions}})
	}
}

// Client is a browser-like HTTP client with a cookie jar that does not
// follow redirects.
type Client struct {
	T    testing.TB
	Env  *Env
	HTTP *http.Client
}

// Client returns a new client of the server.
func (e *Env) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, Env: e, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *Client) Do(req *http.Request) (int, string, *http.Response) {
	c.T.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func (c *Client) Get(path string) (int, string) {
	c.T.Helper()
	req, _ := http.NewRequest("GET", c.Env.TS.URL+path, nil)
	code, body, _ := c.Do(req)
	return code, body
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// CSRF fetches a page and returns the CSRF token rendered into it.
func (c *Client) CSRF() string {
	c.T.Helper()
	_, body := c.Get("/login")
	m := csrfMeta.FindStringSubmatch(body)
	if m == nil {
		c.T.Fatal("no csrf token on page")
	}
	return m[1]
}

func (c *Client) Post(path string, form url.Values) (int, string, *http.Response) {
	c.T.Helper()
	req, _ := http.NewRequest("POST", c.Env.TS.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostCSRF posts a form with a valid token.
func (c *Client) PostCSRF(path string, form url.Values) (int, string, *http.Response) {
	c.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.CSRF())
	return c.Post(path, form)
}

// Login creates a user with role (if needed) and logs the client in.
func (c *Client) Login(username, role string) {
	c.T.Helper()
	const pw = "correct horse battery"
	if _, err := c.Env.Acc.ByUsername(context.Background(), username); err != nil {
		if _, err := c.Env.Acc.Create(context.Background(), username, pw, role); err != nil {
			c.T.Fatal(err)
		}
	}
	code, body, _ := c.PostCSRF("/login", url.Values{"username": {username}, "password": {pw}})
	if code != http.StatusSeeOther {
		c.T.Fatalf("login %s: %d %s", username, code, body)
	}
}

// ChromiumPath finds chromium or skips the test.
func ChromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DATALEX_REQUIRE_BROWSER") == "1" {
		t.Fatal("DATALEX_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium not installed; set DATALEX_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

// Browser is a chromium tab; screenshots go to Dir.
type Browser struct {
	T    *testing.T
	Ctx  context.Context
	Base string
	Dir  string
}

// NewBrowser starts chromium (skipping without it unless
// DATALEX_REQUIRE_BROWSER=1).
func NewBrowser(t *testing.T, base string) *Browser {
	path := ChromiumPath(t)
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := os.Getenv("DATALEX_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// Start the browser without a deadline (a timeout on the first Run
	// would bound the browser's whole life), then bound each step.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &Browser{T: t, Ctx: ctx, Base: base, Dir: dir}
}

// Do runs steps with a deadline.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.Shot("failure-" + strings.ReplaceAll(what, " ", "-"))
		b.T.Fatalf("%s: %v", what, err)
	}
}

func (b *Browser) Eval(js string) string {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.T.Fatalf("eval %s: %v", js, err)
	}
	return v
}

func (b *Browser) Location() string {
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

func (b *Browser) Shot(name string) {
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.T.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.Dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.T.Fatal(err)
	}
	b.T.Logf("screenshot %s", path)
}

// WaitFor polls a JavaScript condition.
func (b *Browser) WaitFor(what, cond string) {
	b.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// Errors are expected while a page is loading; keep polling.
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string]("(() => { try { return String(!!("+cond+")) } catch (e) { return 'false' } })()"))
		cancel()
		if err == nil && v == "true" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Shot("failure-" + strings.ReplaceAll(what, " ", "-"))
	b.T.Fatalf("timed out waiting for %s (%s) at %s", what, cond, b.Location())
}

// JSString quotes s as a JavaScript string literal.
func JSString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// RuzhangVersions is a small library holding every provision the engine
// cites, so that citations resolve to provision pages.
func RuzhangVersions() []*library.Version {
	byDoc := map[string]*library.Version{}
	var out []*library.Version
	for _, r := range ruzhang.AllRefs() {
		v := byDoc[r.Doc]
		if v == nil {
			n := len(out)
			v = &library.Version{ID: fmt.Sprintf("vrz%d", n), WorkID: fmt.Sprintf("wrz%d", n), Kind: library.KindRegulation, Title: r.Doc,
				Status: library.StatusInForce, Level: library.LevelNormative, Region: "全国", IssueDate: "2023-08-01", Seq: 100 + n}
			byDoc[r.Doc] = v
			out = append(out, v)
		}
		p := &library.Provision{ID: fmt.Sprintf("%s.p%d", v.ID, len(v.Provisions)), Kind: library.ProvArticle, Label: r.Label,
			Text: r.Label + " 企业使用的数据资源，符合无形资产准则规定的定义和确认条件的，应当确认为无形资产，并按规定进行摊销。",
			Ord:  len(v.Provisions), Line: len(v.Provisions) + 1, LineEnd: len(v.Provisions) + 1}
		p.Citation = library.CitationFor(v.Title, r.Label)
		p.Path = r.Label
		v.Provisions = append(v.Provisions, p)
	}
	return out
}

// NewRuzhangEnv is a server over RuzhangVersions with the extractive
// answerer (the 入表, ledger and self-check pages cite these provisions);
// mount adds the module under test.
func NewRuzhangEnv(t testing.TB, mount func(*web.Server) error) *Env {
	t.Helper()
	return NewEnv(t, RuzhangVersions(), func(cfg *web.Config) {
		cfg.Modules = map[string]string{"ruzhang": "/ruzhang"}
		cfg.NewAnswerer = func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat})
		}
	}, mount)
}

// SendJSON sends a JSON body with the given method, with csrf (when not
// empty) in the X-CSRF-Token header.
func (c *Client) SendJSON(method, path, body, csrf string) (int, string) {
	c.T.Helper()
	req, _ := http.NewRequest(method, c.Env.TS.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	code, b, _ := c.Do(req)
	return code, b
}

// LoginAs logs the browser in through the login form and waits until the
// header names the user.
func (b *Browser) LoginAs(username, password, next string) {
	b.T.Helper()
	b.Do("log in as "+username, chromedp.Navigate(b.Base+"/login?next="+url.QueryEscape(next)),
		chromedp.SetValue(chromedp.CSS("#username"), username), chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form.stack button")))
	b.WaitFor("logged in as "+username, `document.querySelector(".who") && document.querySelector(".who").innerText.includes(`+JSString(username)+`)`)
}

// Logout logs the browser out with the header's button.
func (b *Browser) Logout() {
	b.T.Helper()
	b.Do("log out", chromedp.Click(chromedp.CSS(".who form button")))
	b.WaitFor("logged out", `document.querySelector('.who a[href="/login"]') !== null`)
}

// EvalAsync evaluates a promise-returning expression.
func (b *Browser) EvalAsync(js string) string {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.T.Fatalf("eval %s: %v", js, err)
	}
	return v
}
