// Command loadtest sends a bounded mix of search, document, ask and write
// requests to a DataLex server and reports req/s, p50/p99 per kind and the
// server's resident memory before and after.
//
// It refuses any target outside the loopback range: load is only ever sent
// to a server on this machine. Pointing -url at a load balancer on 127.0.0.1
// in front of two nodes measures two nodes; so does a comma-separated -url
// list (requests go round-robin to the nodes, -pid may list each node's
// process and the memory reported is their sum).
//
//	go run ./bench/loadtest -url http://127.0.0.1:8080 -c 16 -d 30s -pid $(pgrep -n datalex)
//
// -sample 30s prints a memory time series while the load runs (the
// server's VmRSS and, with -metrics pointing at the ops listener's
// /metrics, its Go heap in use and goroutine count), so a long run shows
// whether memory levels off or keeps growing.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	var (
		target   = flag.String("url", "http://127.0.0.1:8080", "server base URL, or several separated by commas (one per node; loopback only)")
		conns    = flag.Int("c", 16, "concurrent connections")
		dur      = flag.Duration("d", 30*time.Second, "duration (at most 15m)")
		maxReq   = flag.Int("n", 2_000_000, "stop after this many requests")
		pid      = flag.String("pid", "", "server process id(s), comma-separated, for VmRSS from /proc (empty: skip)")
		mix      = flag.String("mix", "search=60,document=25,ask=10,write=5", "request mix in percent")
		user     = flag.String("user", "", "member account for writes (saved items); writes are skipped without it")
		password = flag.String("password", "", "password of -user")
		queries  = flag.String("queries", "bench/keyword-queries.txt", "one search query per line")
		sample   = flag.Duration("sample", 0, "print a memory sample this often while the load runs (0: only before/after)")
		metrics  = flag.String("metrics", "", "the server's Prometheus /metrics URL on its ops listener (loopback), for Go heap and goroutines in samples")
	)
	flag.Parse()
	if err := run(*target, *conns, *dur, *maxReq, *pid, *mix, *user, *password, *queries, *sample, *metrics); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type kind int

const (
	kSearch kind = iota
	kDocument
	kAsk
	kWrite
	nKinds
)

var kindNames = [nKinds]string{"search", "document", "ask", "write"}

// Rows of the report: the search share of the mix is split evenly between
// the HTML search page and the JSON search API, reported apart because
// the page also renders a template, builds facets and highlights, and
// issue #16 sets its p99 target on the page.
type row int

const (
	rSearchPage row = iota
	rSearchAPI
	rDocument
	rAsk
	rWrite
	nRows
)

var rowNames = [nRows]string{"search", "search-api", "document", "ask", "write"}

type stats struct {
	mu   sync.Mutex
	lat  [nRows][]time.Duration
	errs [nRows]int
}

func run(target string, conns int, dur time.Duration, maxReq int, pidList, mixSpec, user, password, queryFile string, sample time.Duration, metricsURL string) error {
	var bases []string
	for _, t := range strings.Split(target, ",") {
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(t), "/"))
		if err != nil {
			return err
		}
		if err := loopbackOnly(u.Hostname()); err != nil {
			return err
		}
		bases = append(bases, u.String())
	}
	base := bases[0]
	var pids []int
	for _, p := range strings.Split(pidList, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("-pid: %w", err)
		}
		pids = append(pids, n)
	}
	vmRSSAll := func() int64 {
		var sum int64
		for _, p := range pids {
			sum += vmRSS(p)
		}
		return sum
	}
	if dur > 15*time.Minute {
		return errors.New("-d 最多 15m")
	}
	weights, err := parseMix(mixSpec)
	if err != nil {
		return err
	}
	qs, err := readLines(queryFile)
	if err != nil {
		return err
	}
	if metricsURL != "" {
		u, err := url.Parse(metricsURL)
		if err != nil {
			return fmt.Errorf("-metrics: %w", err)
		}
		if err := loopbackOnly(u.Hostname()); err != nil {
			return err
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	plain := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	docs, err := documentIDs(plain, base)
	if err != nil {
		return err
	}
	var writer *http.Client
	var csrf string
	if user != "" {
		// Sessions live in the database, so one login serves every node
		// (the cookie jar ignores ports; the nodes share DATALEX_CSRF_KEY).
		if writer, csrf, err = login(tr, base, user, password); err != nil {
			return err
		}
	} else {
		weights[kWrite] = 0
	}

	rssBefore := vmRSSAll()
	cpuAll := func() time.Duration {
		var sum time.Duration
		for _, p := range pids {
			sum += cpuTime(p)
		}
		return sum
	}
	cpuBefore := cpuAll()
	selfBefore := cpuTime(os.Getpid())
	var peak atomic.Int64
	peak.Store(rssBefore)
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	go func() { // sample memory once a second
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if v := vmRSSAll(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()

	var st stats
	var issued, turn atomic.Int64
	start := time.Now()
	if sample > 0 {
		mc := &http.Client{Timeout: 5 * time.Second}
		fmt.Printf("%8s %9s %9s %10s %9s\n", "t", "RSS(MB)", "heap(MB)", "goroutines", "requests")
		printSample := func() {
			heap, gor := -1.0, -1.0
			if metricsURL != "" {
				if m, err := scrape(mc, metricsURL); err == nil {
					heap, gor = m["go_memstats_heap_inuse_bytes"]/(1<<20), m["go_goroutines"]
				}
			}
			st.mu.Lock()
			n := 0
			for k := range st.lat {
				n += len(st.lat[k])
			}
			st.mu.Unlock()
			fmt.Printf("%8s %9d %9.0f %10.0f %9d\n", time.Since(start).Round(time.Second), vmRSSAll()>>10, heap, gor, n)
		}
		printSample()
		go func() {
			t := time.NewTicker(sample)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					printSample()
				}
			}
		}()
	}
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 42))
			for ctx.Err() == nil && issued.Add(1) <= int64(maxReq) {
				k := pick(rng, weights)
				node := bases[int(turn.Add(1))%len(bases)]
				req, r := build(ctx, k, node, rng, qs, docs, csrf)
				c := plain
				if k == kWrite {
					c = writer
				}
				t0 := time.Now()
				resp, err := c.Do(req)
				ok := err == nil
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					ok = resp.StatusCode < 400
				}
				el := time.Since(t0)
				if ctx.Err() != nil && err != nil {
					return // cut off by the deadline, not a server error
				}
				st.mu.Lock()
				st.lat[r] = append(st.lat[r], el)
				if !ok {
					st.errs[r]++
				}
				st.mu.Unlock()
			}
		}(uint64(i + 1))
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpuUsed := cpuAll() - cpuBefore
	selfUsed := cpuTime(os.Getpid()) - selfBefore
	tr.CloseIdleConnections()
	time.Sleep(500 * time.Millisecond)
	rssAfter := vmRSSAll()

	fmt.Printf("target %s  connections %d  elapsed %.1fs\n", strings.Join(bases, ","), conns, elapsed.Seconds())
	var all []time.Duration
	total, totalErr := 0, 0
	fmt.Printf("%-10s %8s %8s %9s %9s %9s\n", "kind", "requests", "errors", "req/s", "p50(ms)", "p99(ms)")
	for k := row(0); k < nRows; k++ {
		l := st.lat[k]
		total += len(l)
		totalErr += st.errs[k]
		all = append(all, l...)
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		fmt.Printf("%-10s %8d %8d %9.1f %9.2f %9.2f\n", rowNames[k], len(l), st.errs[k],
			float64(len(l))/elapsed.Seconds(), ms(pct(l, 0.50)), ms(pct(l, 0.99)))
	}
	slices.Sort(all)
	fmt.Printf("%-10s %8d %8d %9.1f %9.2f %9.2f\n", "all", total, totalErr,
		float64(total)/elapsed.Seconds(), ms(pct(all, 0.50)), ms(pct(all, 0.99)))
	if len(pids) > 0 {
		fmt.Printf("server VmRSS: before %d MB, peak %d MB, after %d MB\n", rssBefore>>10, peak.Load()>>10, rssAfter>>10)
		// CPU per request does not depend on what else the machine runs,
		// unlike latency on a shared box: the figure to compare builds by.
		fmt.Printf("server CPU: %.1f s (%.2f cores), %.2f ms per request\n", cpuUsed.Seconds(), cpuUsed.Seconds()/elapsed.Seconds(),
			ms(cpuUsed)/float64(max(total, 1)))
	}
	// On a machine that also runs the server, the generator's own share
	// of the cores is what the server could not use.
	fmt.Printf("load generator CPU: %.1f s (%.2f cores)\n", selfUsed.Seconds(), selfUsed.Seconds()/elapsed.Seconds())
	return nil
}

func build(ctx context.Context, k kind, base string, rng *rand.Rand, qs, docs []string, csrf string) (*http.Request, row) {
	var req *http.Request
	r := rDocument
	switch k {
	case kSearch:
		q := url.QueryEscape(qs[rng.IntN(len(qs))])
		if rng.IntN(2) == 0 {
			req, _ = http.NewRequestWithContext(ctx, "GET", base+"/search?q="+q, nil)
			r = rSearchPage
		} else {
			req, _ = http.NewRequestWithContext(ctx, "GET", base+"/api/v1/search?q="+q, nil)
			r = rSearchAPI
		}
	case kDocument:
		req, _ = http.NewRequestWithContext(ctx, "GET", base+"/documents/"+url.PathEscape(docs[rng.IntN(len(docs))]), nil)
	case kAsk:
		r = rAsk
		body := fmt.Sprintf(`{"question":%q}`, qs[rng.IntN(len(qs))]+"有哪些要求？")
		req, _ = http.NewRequestWithContext(ctx, "POST", base+"/api/v1/ask", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	case kWrite:
		r = rWrite
		form := url.Values{"item": {docs[rng.IntN(len(docs))]}}
		if rng.IntN(2) == 0 {
			form.Set("remove", "1")
		}
		req, _ = http.NewRequestWithContext(ctx, "POST", base+"/saved", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", csrf)
	}
	return req, r
}

var (
	docHref  = regexp.MustCompile(`href="/documents/([^"/?#]+)"`)
	csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)
)

// documentIDs collects document ids from the library page.
func documentIDs(c *http.Client, base string) ([]string, error) {
	body, err := get(c, base+"/library")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, m := range docHref.FindAllStringSubmatch(body, -1) {
		if id, _ := url.PathUnescape(m[1]); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("/library 页面上没有文件链接：库是空的吗？")
	}
	return ids, nil
}

// login signs in through the form (CSRF cookie + token) and returns a
// client holding the session cookie and the token for later writes.
func login(tr http.RoundTripper, base, user, password string) (*http.Client, string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second}
	page, err := get(c, base+"/login")
	if err != nil {
		return nil, "", err
	}
	m := csrfMeta.FindStringSubmatch(page)
	if m == nil {
		return nil, "", errors.New("登录页没有 CSRF 令牌")
	}
	form := url.Values{"username": {user}, "password": {password}, "csrf": {m[1]}}
	resp, err := c.PostForm(base+"/login", form)
	if err != nil {
		return nil, "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	page, err = get(c, base+"/saved")
	if err != nil {
		return nil, "", fmt.Errorf("登录失败（%s）：%w", user, err)
	}
	if m = csrfMeta.FindStringSubmatch(page); m == nil {
		return nil, "", errors.New("登录后页面没有 CSRF 令牌")
	}
	return c, m[1], nil
}

func get(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path == "/login" && !strings.HasSuffix(u, "/login") {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(b), err
}

func loopbackOnly(host string) error {
	ips, err := net.LookupIP(host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s 不是本机回环地址：负载测试只对本机服务器发送请求", host)
		}
	}
	return nil
}

func parseMix(spec string) ([nKinds]int, error) {
	var w [nKinds]int
	for _, part := range strings.Split(spec, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		i := slices.Index(kindNames[:], name)
		n, err := strconv.Atoi(val)
		if !ok || i < 0 || err != nil || n < 0 {
			return w, fmt.Errorf("-mix: 无法理解 %q（例：search=60,document=25,ask=10,write=5）", part)
		}
		w[i] = n
	}
	return w, nil
}

func pick(rng *rand.Rand, w [nKinds]int) kind {
	sum := 0
	for _, v := range w {
		sum += v
	}
	r := rng.IntN(max(sum, 1))
	for k := kind(0); k < nKinds; k++ {
		if r < w[k] {
			return k
		}
		r -= w[k]
	}
	return kSearch
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: 没有查询", path)
	}
	return out, nil
}

// scrape reads the unlabelled samples of a Prometheus text exposition
// (go_goroutines, go_memstats_heap_inuse_bytes …).
func scrape(c *http.Client, u string) (map[string]float64, error) {
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return parseMetrics(resp.Body)
}

func parseMetrics(r io.Reader) (map[string]float64, error) {
	m := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.ContainsRune(line, '{') {
			continue
		}
		name, val, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.Fields(val)[0], 64); err == nil {
			m[name] = v
		}
	}
	return m, sc.Err()
}

// cpuTime reads the user+system CPU time of a process from /proc (clock
// ticks of 1/100 s, the kernel's USER_HZ on Linux).
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a
// /proc/PID/stat line; the command name in parentheses may hold spaces.
func parseStatCPU(stat string) time.Duration {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// vmRSS reads the resident set size in kB of a process from /proc.
func vmRSS(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(float64(len(l))*p))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
