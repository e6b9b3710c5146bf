// Package web serves the DataLex platform: server-rendered pages (html/template,
// embedded assets, a little plain JavaScript), the JSON API, accounts and the
// editors' back office.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/export"
	"datalex/internal/library"
	"datalex/internal/search"
	"datalex/internal/store"
	"datalex/internal/validity"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// ImportFunc commits one uploaded file to the library in one transaction
// (importer.ImportFiles in production).
type ImportFunc func(ctx context.Context, name string, data []byte) error

// AnswererFunc builds the question answerer over one library snapshot. It
// runs at start and after every import, metadata edit or withdrawal, like
// the search index it is given.
type AnswererFunc func(cat *library.Catalog, ix *search.Index) *answer.Answerer

// Config is what the server needs from the command that starts it.
type Config struct {
	Store    *store.Store
	Accounts *account.Service // defaults to account.New(Store.DB())
	Logger   *slog.Logger
	// SecureCookies marks cookies Secure (set when serving TLS or behind a
	// TLS-terminating proxy).
	SecureCookies bool
	// CSRFKey signs CSRF tokens; keep it stable across restarts so open
	// forms stay valid. Random when empty.
	CSRFKey []byte
	// MaxUpload bounds an uploaded document (bytes). Default 20 MB.
	MaxUpload int64
	Import    ImportFunc
	// NewAnswerer builds the 智能问答 answerer; nil leaves the page listing
	// the best search hits for a question (clearly labelled as such).
	NewAnswerer AnswererFunc
	// Modules maps a home-page module key (ruzhang, news, events, community)
	// to its URL once that module is served; absent modules show 即将上线.
	Modules map[string]string
	// Registry receives the HTTP metrics; nil uses a private registry
	// (served at /metrics either way).
	Registry *prometheus.Registry
	// OpsToken, when set, lets /metrics on the public address answer a
	// request carrying "Authorization: Bearer <OpsToken>".
	OpsToken string
	// Printer prints PDF exports; nil looks for Chromium on PATH.
	Printer *export.Printer
	// SearchCacheMB bounds the search result cache of each library
	// snapshot (results by normalised query, filters and page; emptied by
	// every import or edit). 0 uses DefaultSearchCacheMB; negative turns
	// the cache off.
	SearchCacheMB int
	// AskConcurrency bounds the questions retrieving at once (the
	// CPU-heavy part of 智能问答); others wait their turn. 0 uses half
	// the cores (at least 1); negative sets no bound.
	AskConcurrency int
	// SearchConcurrency bounds the search pages and search API requests
	// being worked on at once (FIFO admission; see newSearchGate); 0 or
	// negative sets no bound (the default: it did not measurably help).
	SearchConcurrency int
}

// DefaultSearchCacheMB is the search result cache's default budget.
const DefaultSearchCacheMB = 32

// Server is the HTTP handler of the platform.
type Server struct {
	cfg     Config
	log     *slog.Logger
	acc     *account.Service
	snap    atomic.Pointer[snapshot]
	reload  sync.Mutex // one rebuild at a time
	pages   map[string]*template.Template
	static  fs.FS
	metrics *metrics
	// The throttles and upload previews keep their state in the store,
	// shared by every node (issue 16).
	limiter *account.Limiter // login and register attempts per client address
	pdfRate *account.Limiter // PDF exports per client address (each starts a browser)
	backoff *account.Backoff
	csrfKey []byte
	askGate *askGate
	// searchGate admits search requests N at a time (nil: no gate, the default).
	searchGate *askGate
	handler    http.Handler
	// documentBox and searchSection are set by the 对话 module
	// (SetDocumentBox, SetSearchSection).
	documentBox   func(*http.Request, *library.Version) template.HTML
	searchSection func(*http.Request, string) template.HTML
	mux           *http.ServeMux
	onView        func(r *http.Request, userID, itemID string) // OnView
}

// New builds a server over the given library versions (as loaded by
// openLibrary).
func New(cfg Config, versions []*library.Version) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 20 << 20
	}
	if cfg.SearchCacheMB == 0 {
		cfg.SearchCacheMB = DefaultSearchCacheMB
	}
	if cfg.Accounts == nil && cfg.Store != nil {
		cfg.Accounts = account.New(cfg.Store.DB())
	}
	if cfg.Registry == nil {
		// The Go runtime and process collectors put heap, GC, goroutines
		// and resident memory next to the HTTP figures: what an operator
		// (and bench/loadtest -metrics) watches for growth under load.
		cfg.Registry = prometheus.NewRegistry()
		cfg.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		if cfg.Store != nil {
			// Pool waits and connections closed for lack of idle room
			// show when the database pool, not the CPU, holds requests.
			cfg.Registry.MustRegister(collectors.NewDBStatsCollector(cfg.Store.DB(), "datalex"))
		}
	}
	if cfg.Printer == nil {
		cfg.Printer = export.NewPrinter()
	}
	key := cfg.CSRFKey
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	db := cfg.Store.DB()
	s := &Server{
		cfg:        cfg,
		log:        cfg.Logger,
		acc:        cfg.Accounts,
		metrics:    newMetrics(cfg.Registry),
		limiter:    account.NewLimiter(db, "login", 10, time.Minute),
		pdfRate:    account.NewLimiter(db, "pdf", pdfPerMinute, time.Minute),
		backoff:    account.NewBackoff(db, account.MaxFailedLogins, account.BackoffBase, account.BackoffMax, account.DefaultLimiterCapacity),
		csrfKey:    key,
		askGate:    newAskGate(cfg.AskConcurrency),
		searchGate: newSearchGate(cfg.SearchConcurrency),
	}
	if cfg.Store.Dialect() == store.Postgres {
		// Throttle counts need not wait for the WAL flush (an fsync per
		// login attempt); see account.Limiter.AsyncCommit.
		s.limiter.AsyncCommit()
		s.pdfRate.AsyncCommit()
		s.backoff.AsyncCommit()
	}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	if s.static, err = fs.Sub(staticFS, "static"); err != nil {
		return nil, err
	}
	if err := s.setLibrary(versions); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Reload re-reads the library from the store and swaps in a new snapshot
// (catalog and search index) once it is built; requests in flight keep the
// old one.
func (s *Server) Reload(ctx context.Context) error {
	s.reload.Lock()
	defer s.reload.Unlock()
	versions, err := s.cfg.Store.LoadLibrary(ctx)
	if err != nil {
		return err
	}
	return s.setLibrary(versions)
}

func (s *Server) setLibrary(versions []*library.Version) error {
	// 时效性, relations and inferred metadata are derived as of today, so
	// every snapshot (start, import, edit) carries current statuses.
	validity.Annotate(versions, time.Now())
	snap, err := buildSnapshot(versions, s.cfg.NewAnswerer, int64(s.cfg.SearchCacheMB)<<20)
	if err != nil {
		return err
	}
	s.snap.Store(snap)
	s.log.Info("资料库已加载", "versions", len(versions), "works", len(snap.cat.Works), "provisions", snap.stats.Provisions)
	return nil
}

func (s *Server) library() *snapshot { return s.snap.Load() }

// PruneNodeState deletes the expired rows of the state nodes share in the
// store (throttle counters, login backoff, upload previews). The tables are
// bounded without it — each write path prunes as it goes — but a periodic
// sweep on one node frees the rows of an idle cluster.
func (s *Server) PruneNodeState(ctx context.Context) error {
	return errors.Join(s.limiter.Prune(ctx), s.pdfRate.Prune(ctx), s.backoff.Prune(ctx),
		s.cfg.Store.PruneUploadPreviews(ctx))
}
