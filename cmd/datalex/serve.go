package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/community"
	"datalex/internal/embed"
	"datalex/internal/events"
	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/news"
	"datalex/internal/search"
	"datalex/internal/store"
	"datalex/internal/web"
	communityweb "datalex/internal/web/community"
	eventsweb "datalex/internal/web/events"
	meweb "datalex/internal/web/me"
	newsweb "datalex/internal/web/news"
	ruzhangweb "datalex/internal/web/ruzhang"
	selfcheckweb "datalex/internal/web/selfcheck"
	workspaceweb "datalex/internal/web/workspace"
	"datalex/internal/workspace"
)

// runServe starts the platform: library (imported on first start), web UI,
// JSON API, /healthz and /metrics, until SIGINT/SIGTERM.
//
// Settings come from flags, then DATALEX_* environment variables, then an
// optional config file of "key = value" lines using the flag names.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址 HOST:PORT")
	config := fs.String("config", "", "配置文件（每行 key = value，key 为参数名）")
	secure := fs.Bool("secure-cookies", false, "Cookie 加 Secure 标记（HTTPS 或 TLS 反向代理之后必须开启）")
	tlsCert := fs.String("tls-cert", "", "TLS 证书文件（与 --tls-key 一起启用 HTTPS）")
	tlsKey := fs.String("tls-key", "", "TLS 私钥文件")
	maxUpload := fs.Int("max-upload-mb", 20, "上传文档大小上限（MB）")
	searchCache := fs.Int("search-cache-mb", web.DefaultSearchCacheMB, "检索结果缓存上限（MB；按查询、筛选条件与页码缓存，资料库每次变化后清空；0 为不缓存）")
	searchSlots := fs.Int("search-slots", 0, "同时处理的检索请求数上限（页面与 API；其余按到达顺序排队）；0 为不限")
	askSlots := fs.Int("ask-slots", 0, "同时进行检索阶段的问答数上限（其余按到达顺序排队）；0 为可用核数的一半（至少 1），-1 为不限")
	logFormat := fs.String("log-format", "text", "日志格式：text 或 json")
	logLevel := fs.String("log-level", "info", "日志级别：debug、info、warn、error")
	opsAddr := fs.String("ops-addr", "", "运维监听地址（/metrics、/healthz），如 127.0.0.1:9090；为空则不单独监听")
	mf := addMailFlags(fs)
	alertsEvery := fs.Duration("alerts-every", time.Minute, "检索订阅检查间隔：资料库有变化时才检查（0 为不检查，可用 datalex alerts run）")
	embedRank := addEmbedRankFlags(fs)
	opsToken := fs.String("ops-token", "", "运维令牌：公开地址上的 /metrics 需带 Authorization: Bearer 令牌（建议用环境变量 DATALEX_OPS_TOKEN）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := applySettings(fs, *config); err != nil {
		return err
	}
	tuneGC()
	logger, err := newLogger(*logFormat, *logLevel)
	if err != nil {
		return err
	}
	slog.SetDefault(logger)

	unlock, err := lockDataDir(*dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	// The first start imports the bundled library and every start builds
	// the search index; say so, so that a silent minute is not mistaken
	// for a hang.
	started := time.Now()
	logger.Info("正在打开资料库（首次启动会先导入内置语料）…", "data", *dataDir)
	st, versions, err := openLibrary(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	logger.Info("资料库已载入，正在建立检索索引…", "versions", len(versions), "elapsed", time.Since(started).Round(time.Millisecond))
	indexing := time.Now()
	key, err := csrfKey(*dataDir, st.Dialect())
	if err != nil {
		return err
	}
	acc := account.New(st.DB())
	answerCfg := answer.Config{History: answer.NewHistory(st.DB())}
	if answerCfg.Model, err = answer.ModelConfigFromEnv(); err != nil {
		return err
	}
	reranker, err := embedRank.build(*dataDir, logger)
	if err != nil {
		return err
	}
	if e := embed.FromEnv(); e != nil {
		if answerCfg.Dense, err = answer.LoadDense(*dataDir, e); err != nil {
			logger.Warn("向量检索未启用（可运行 datalex ask --build-vectors）", "err", err)
		}
	}
	srv, err := web.New(web.Config{
		Store:             st,
		Accounts:          acc,
		Logger:            logger,
		SecureCookies:     *secure || *tlsCert != "",
		CSRFKey:           key,
		MaxUpload:         int64(*maxUpload) << 20,
		SearchCacheMB:     cacheMB(*searchCache),
		SearchConcurrency: *searchSlots,
		AskConcurrency:    *askSlots,
		OpsToken:          *opsToken,
		Modules:           map[string]string{"ruzhang": "/ruzhang"},
		Import: func(ctx context.Context, name string, data []byte) error {
			_, err := importer.ImportFiles(ctx, st, []importer.File{{Name: name, Data: data}})
			return err
		},
		// Rebuilt with every library snapshot (after imports and edits).
		NewAnswerer: func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			// Every snapshot's index gets the one re-ranker (and its
			// cache); this runs before the snapshot serves a search.
			if reranker != nil {
				ix.SetEmbedRank(reranker)
			}
			cfg := answerCfg
			cfg.Retrieve, cfg.Catalog = answer.FromSearch(ix, cat), cat
			return answer.New(cfg)
		},
	}, versions)
	if err != nil {
		return err
	}
	logger.Info("检索索引已建立", "elapsed", time.Since(indexing).Round(time.Millisecond))
	// Other nodes on the same PostgreSQL database import and edit too:
	// reload this node's snapshot and index when they do (no-op on SQLite).
	st.ListenLibrary(ctx, srv.Reload)
	if err := ruzhangweb.MountLedger(srv, ruzhangweb.LedgerDeps{}); err != nil {
		return err
	}
	if err := ruzhangweb.MountRuzhang(srv, ruzhangweb.RuzhangDeps{}); err != nil {
		return err
	}
	if err := selfcheckweb.MountSelfcheck(srv); err != nil {
		return err
	}
	// 头条 · 盛会 · 对话 · 我的: seed 002's items (idempotent), the pages,
	// and the feed poller.
	if res, err := news.SeedFromLibrary(ctx, st.DB(), versions); err != nil {
		logger.Warn("种子资讯导入失败", "err", err)
	} else if res.Hot+res.Regulations+res.Effective > 0 {
		logger.Info("种子资讯已导入", "数安热点", res.Hot, "法规动态", res.Regulations, "施行", res.Effective)
	}
	com := community.New(st.DB())
	if err := mountContent(srv, com); err != nil {
		return err
	}
	seedContent(ctx, logger, srv, com, versions)
	// 工作台: favourites, reading history, saved searches and their alerts.
	mail, err := mf.mailer()
	if err != nil {
		return err
	}
	base := *mf.baseURL
	if base == "" {
		base = "http://" + *addr
		if *tlsCert != "" {
			base = "https://" + *addr
		}
	}
	ws := workspace.New(st.DB())
	alerts := &workspace.Alerts{WS: ws, Notify: workspaceweb.InAppNotify(com), Mail: mail,
		BaseURL: base, Log: logger}
	if _, err := workspaceweb.MountWorkspace(srv, workspaceweb.Deps{WS: ws, Alerts: alerts}); err != nil {
		return err
	}
	go workspaceweb.RunAlerts(ctx, srv, alerts, *alertsEvery)
	go func() {
		// One node of a cluster polls the feeds (all would fetch the same
		// items); another takes over if it stops. On SQLite: this node.
		err := st.RunOnOneNode(ctx, "news-poller", func(ctx context.Context) error {
			return news.RunPoller(ctx, st.DB(), 30*time.Minute)
		})
		if err != nil && ctx.Err() == nil {
			logger.Error("资讯订阅抓取停止", "err", err)
		}
	}()

	go func() {
		// Expired throttle counters, login backoff and upload previews are
		// swept by one node; the others need not repeat it.
		err := st.RunOnOneNode(ctx, "node-state-sweep", func(ctx context.Context) error {
			t := time.NewTicker(10 * time.Minute)
			defer t.Stop()
			for {
				if err := srv.PruneNodeState(ctx); err != nil && ctx.Err() == nil {
					logger.Warn("清理过期节点状态失败", "err", err)
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-t.C:
				}
			}
		})
		if err != nil && ctx.Err() == nil {
			logger.Error("节点状态清理停止", "err", err)
		}
	}()

	hs := &http.Server{
		Addr:              *addr,
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads
		WriteTimeout:      5 * time.Minute, // streamed answers
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	logger.Info("DataLex 已启动", "url", scheme+"://"+ln.Addr().String(), "data", *dataDir, "model", answerCfg.Model != nil)

	if *opsAddr != "" {
		// Metrics on their own address, reachable only where operators
		// put it (loopback, a private interface), never through the proxy.
		opsMux := http.NewServeMux()
		opsMux.Handle("GET /metrics", srv.MetricsHandler())
		opsMux.Handle("GET /healthz", srv)
		opsMux.Handle("GET /readyz", srv)
		opsMux.Handle("GET /livez", srv)
		// Profiles (CPU, heap, goroutines, mutex waits) only here, next
		// to the metrics: operators look at a slow node without a rebuild.
		opsMux.HandleFunc("GET /debug/pprof/", pprof.Index)
		opsMux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		opsMux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
		ops := &http.Server{Addr: *opsAddr, Handler: opsMux, ReadHeaderTimeout: 10 * time.Second}
		opsLn, err := net.Listen("tcp", *opsAddr)
		if err != nil {
			return fmt.Errorf("运维地址: %w", err)
		}
		go ops.Serve(opsLn)
		defer ops.Close()
		logger.Info("运维地址", "url", "http://"+opsLn.Addr().String()+"/metrics")
	}
	go purgeSessions(ctx, acc)
	errc := make(chan error, 1)
	go func() {
		if *tlsCert != "" {
			errc <- hs.ServeTLS(ln, *tlsCert, *tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("正在关闭…")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("关闭服务: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("已关闭")
	return nil
}

// applySettings fills flags not given on the command line from DATALEX_*
// variables (DATALEX_MAX_UPLOAD_MB for --max-upload-mb) and then from the
// config file (--config or DATALEX_CONFIG).
func applySettings(fs *flag.FlagSet, config string) error {
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	envName := func(name string) string { return "DATALEX_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) }
	fromEnv := map[string]bool{}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if explicit[f.Name] || f.Name == "data" { // --data already reads DATALEX_DATA
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			fromEnv[f.Name] = true
			if e := fs.Set(f.Name, v); e != nil && err == nil {
				err = fmt.Errorf("环境变量 %s: %w", envName(f.Name), e)
			}
		}
	})
	if err != nil {
		return err
	}
	if config == "" {
		config = os.Getenv("DATALEX_CONFIG")
	}
	if config == "" {
		return nil
	}
	f, err := os.Open(config)
	if err != nil {
		return fmt.Errorf("读取配置文件: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		if !ok || fs.Lookup(k) == nil || k == "config" {
			return fmt.Errorf("配置文件 %s 第 %d 行：无法识别 %q", config, n, line)
		}
		if explicit[k] || fromEnv[k] || k == "data" && os.Getenv("DATALEX_DATA") != "" {
			continue
		}
		if err := fs.Set(k, v); err != nil {
			return fmt.Errorf("配置文件 %s 第 %d 行: %w", config, n, err)
		}
	}
	return sc.Err()
}

func newLogger(format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("无效的日志级别 %q", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("无效的日志格式 %q（text 或 json）", format)
}

// csrfKey is the key that signs CSRF tokens. Every node behind one proxy
// must use the same key (a form served by one node is posted to another),
// so DATALEX_CSRF_KEY, set alike on every node, takes precedence; without
// it the key is kept in the data directory, which suits one node.
func csrfKey(dataDir string, d store.Dialect) ([]byte, error) {
	if secret := os.Getenv("DATALEX_CSRF_KEY"); secret != "" {
		if len(secret) < 32 {
			return nil, errors.New("DATALEX_CSRF_KEY 至少需要 32 个字符")
		}
		sum := sha256.Sum256([]byte(secret))
		return sum[:], nil
	}
	if d == store.Postgres {
		slog.Warn("未设置 DATALEX_CSRF_KEY：多个节点共用 PostgreSQL 时，各节点须设置相同的 DATALEX_CSRF_KEY，否则在一个节点打开的表单提交到另一个节点会失败")
	}
	return loadOrCreateKey(filepath.Join(dataDir, "csrf.key"))
}

// loadOrCreateKey keeps the CSRF signing key in the data directory so that
// open forms survive a restart.
func loadOrCreateKey(path string) ([]byte, error) {
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("写入密钥文件: %w", err)
	}
	return b, nil
}

func purgeSessions(ctx context.Context, acc *account.Service) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := acc.PurgeExpired(ctx); err != nil {
				slog.Warn("清理过期会话失败", "err", err)
			}
		}
	}
}

// cacheMB maps the --search-cache-mb flag (0: off) to web.Config's
// SearchCacheMB (0: default, negative: off).
func cacheMB(flag int) int {
	if flag <= 0 {
		return -1
	}
	return flag
}

// tuneGC trades memory for latency while serving: the index is large and
// long-lived, so the default GOGC=100 collects every ~0.5 s under load and
// its marking shows up in the p99 of search requests. GOGC=250 with a soft
// limit of 550 MiB keeps resident memory within the 600 MB budget measured
// in the benchmarks. Explicit GOGC / GOMEMLIMIT settings win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(250)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(550 << 20)
	}
}

// mountContent serves 对话, 头条, 盛会 and 我的 over one community service
// (follows, notifications and citations are shared between them).
func mountContent(srv *web.Server, com *community.Service) error {
	cm, err := communityweb.MountCommunity(srv, communityweb.CommunityDeps{Community: com})
	if err != nil {
		return err
	}
	if err := newsweb.MountNews(srv, newsweb.NewsDeps{Community: com, Changed: cm.Invalidate}); err != nil {
		return err
	}
	if err := eventsweb.MountEvents(srv, eventsweb.EventsDeps{}); err != nil {
		return err
	}
	return meweb.MountMe(srv, meweb.MeDeps{Community: com})
}

// seedContent fills 盛会 and 对话 on a fresh install from the bundled
// sources: the events they report (verbatim quotes, see events.seedEvents)
// and the platform's 常见问题 threads quoting library provisions, posted
// under the platform's own account. Idempotent; failures are logged, not
// fatal (the site works without them).
func seedContent(ctx context.Context, logger *slog.Logger, srv *web.Server, com *community.Service, versions []*library.Version) {
	if n, err := events.SeedFromLibrary(ctx, com.DB, versions); err != nil {
		logger.Warn("种子活动导入失败", "err", err)
	} else if n > 0 {
		logger.Info("种子活动已导入", "盛会", n)
	}
	u, err := srv.Accounts().ByUsername(ctx, community.PlatformUsername)
	if err != nil {
		// Nobody logs in as the platform: the password is random and never shown.
		pw := make([]byte, 24)
		rand.Read(pw)
		u, err = srv.Accounts().Create(ctx, community.PlatformUsername, hex.EncodeToString(pw), account.RoleMember)
	}
	if err != nil {
		logger.Warn("平台示例账号创建失败", "err", err)
		return
	}
	if n, err := com.SeedFAQ(ctx, u.ID, srv.Catalog()); err != nil {
		logger.Warn("常见问题导入失败", "err", err)
	} else if n > 0 {
		logger.Info("常见问题已导入", "对话", n)
	}
}
