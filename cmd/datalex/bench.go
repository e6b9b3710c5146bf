package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"datalex/internal/eval"
	"datalex/internal/library"
	"datalex/internal/search"
	"datalex/internal/search/bleveref"
	"datalex/internal/textseg"
)

func runBench(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "search" {
		return errors.New("用法: datalex bench search [--data DIR] [--queries FILE] [--min-provisions N] [--rounds N] [--bleve=false] [--json]")
	}
	fs := flag.NewFlagSet("bench search", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	queries := fs.String("queries", "", "查询文件：评测 JSONL (带金标准时同时报告评测指标) 或每行一个查询；默认用内置查询")
	minProv := fs.Int("min-provisions", 60000, "语料不足时用合成条文补足到该条数")
	rounds := fs.Int("rounds", 5, "每个查询重复次数 (另有一轮预热)")
	withBleve := fs.Bool("bleve", true, "同时测 Bleve v2 (gse 分词) 作对照")
	asJSON := fs.Bool("json", false, "输出 JSON")
	noRank := fs.Bool("no-rank", false, "不用排序模型 (只用第一阶段，消融对比)")
	cpuProfile := fs.String("cpuprofile", "", "把 DataLex 检索阶段的 CPU profile 写入该文件")
	defW := fs.Float64("def", -1, "定义条款扩展的权重 (0 为关闭，消融；默认内置权重)")
	assocW := fs.Float64("assoc", -1, "语料共现 (PMI) 扩展的权重 (0 为关闭，消融；默认内置权重)")
	prfW := fs.Float64("prf", -1, "伪相关反馈的权重 (0 为关闭；默认内置权重)")
	anchor := addAnchorFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	texts, questions, err := benchQueries(*queries)
	if err != nil {
		return err
	}
	rss0 := benchRSS()
	dict := textseg.Load()
	rep := benchReport{Queries: len(texts), Rounds: *rounds, DictLoad: dict.Duration, DictRSS: benchRSS() - rss0}
	versions, err := searchLoadLibrary(ctx, *dataDir)
	if err != nil {
		return err
	}
	rep.LibraryProvisions = benchCountProvisions(versions)
	if rep.LibraryProvisions < *minProv {
		synth := search.SyntheticVersions(versions, *minProv-rep.LibraryProvisions, 1)
		rep.SyntheticProvisions = benchCountProvisions(synth)
		versions = append(versions, synth...)
	}

	ours := benchEngine{Name: "DataLex"}
	rssBefore, cpuBefore := benchRSS(), benchCPU()
	for _, o := range []struct {
		v *float64
		w *float32
	}{{defW, &search.DefaultWeights.Def}, {assocW, &search.DefaultWeights.Assoc}, {prfW, &search.DefaultWeights.PRF}} {
		if *o.v >= 0 {
			*o.w = float32(*o.v)
		}
	}
	anchor.apply()
	ix := search.NewIndex(versions)
	ours.Build, ours.BuildCPU = ix.BuildTime, benchCPU()-cpuBefore
	if *noRank {
		ix.SetRanker(nil)
	}
	ours.RSS = benchRSS() - rssBefore
	rep.ServeRSS = benchRSS()
	rep.Units = ix.UnitCount()
	oursSearch := func(ctx context.Context, text string, k int) ([]search.Hit, error) {
		q, err := search.ParseQuery(text)
		if err != nil {
			return nil, err
		}
		if err := q.SetK(k); err != nil {
			return nil, err
		}
		res, err := ix.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		return res.Hits, nil
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
	}
	err = ours.measure(ctx, texts, *rounds, oursSearch)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	if len(questions) > 0 {
		results, _, err := evalRun(ctx, questions, 100, oursSearch)
		if err != nil {
			return err
		}
		m := eval.Score(results)
		ours.Eval = &m
	}
	rep.Engines = append(rep.Engines, ours)

	if *withBleve {
		bl := benchEngine{Name: "Bleve v2.5.7 + gse"}
		rssBefore, cpuBefore := benchRSS(), benchCPU()
		bi, err := bleveref.New(ix)
		if err != nil {
			return err
		}
		defer bi.Close()
		bl.Build, bl.BuildCPU = bi.BuildTime, benchCPU()-cpuBefore
		bl.RSS = benchRSS() - rssBefore
		bleveSearch := func(_ context.Context, text string, k int) ([]search.Hit, error) { return bi.Search(text, k) }
		if err := bl.measure(ctx, texts, *rounds, bleveSearch); err != nil {
			return err
		}
		if len(questions) > 0 {
			results, _, err := evalRun(ctx, questions, 100, bleveSearch)
			if err != nil {
				return err
			}
			m := eval.Score(results)
			bl.Eval = &m
		}
		rep.Engines = append(rep.Engines, bl)
	}
	rep.TotalRSS = benchRSS()
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(os.Stdout)
	return nil
}

type benchEngine struct {
	Name     string        `json:"name"`
	Build    time.Duration `json:"build_ns"`
	BuildCPU time.Duration `json:"build_cpu_ns"`
	RSS      int64         `json:"rss_bytes"` // resident memory added by building the index
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	Mean     time.Duration `json:"mean_ns"`
	CPU      time.Duration `json:"cpu_per_query_ns"` // process CPU time per query (less sensitive to a busy machine)
	Eval     *eval.Metrics `json:"eval,omitempty"`
}

type benchReport struct {
	LibraryProvisions   int           `json:"library_provisions"`
	SyntheticProvisions int           `json:"synthetic_provisions"`
	Units               int           `json:"indexed_units"`
	Queries             int           `json:"queries"`
	Rounds              int           `json:"rounds"`
	DictLoad            time.Duration `json:"dict_load_ns"`
	DictRSS             int64         `json:"dict_rss_bytes"`
	ServeRSS            int64         `json:"serve_rss_bytes"` // process RSS with library, dictionary and DataLex index loaded
	TotalRSS            int64         `json:"total_rss_bytes"`
	Engines             []benchEngine `json:"engines"`
}

// measure runs every query once to warm up, then rounds times, top-10.
func (e *benchEngine) measure(ctx context.Context, texts []string, rounds int, run evalSearch) error {
	for _, t := range texts {
		if _, err := run(ctx, t, 10); err != nil {
			return fmt.Errorf("%s: %q: %w", e.Name, t, err)
		}
	}
	var lat []time.Duration
	cpu0 := benchCPU()
	for r := 0; r < rounds; r++ {
		for _, t := range texts {
			start := time.Now()
			if _, err := run(ctx, t, 10); err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
		}
	}
	if len(lat) == 0 {
		return nil
	}
	e.CPU = (benchCPU() - cpu0) / time.Duration(len(lat))
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	e.Mean = sum / time.Duration(len(lat))
	e.P50 = lat[len(lat)/2]
	e.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
	return nil
}

// benchQueries reads the query file: eval JSONL (questions with gold) or
// one query per line. Without a file, a built-in mix is used.
func benchQueries(file string) ([]string, []eval.Question, error) {
	if file == "" {
		return []string{
			"关键信息基础设施运营者以外的数据处理者向境外提供个人信息需要申报安全评估吗",
			"外国警方要调取存储在境内的数据", "数据资源入表 会计处理", "数据安全法第二十一条", "个人信息保护法 第38条",
			"重要数据 目录", "公共数据授权运营", "孩子的个人信息需要家长同意吗", "个人信息处理者 安全事件 通知", "数据交易 不得交易",
			"数据资产评估 成本法", "数据知识产权登记", "暂行规定 二（一）", "网络安全审查 国外上市", "敏感个人信息 单独同意",
		}, nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	if strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
		qs, err := eval.Load(strings.NewReader(string(data)))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", file, err)
		}
		var texts []string
		for _, q := range qs {
			texts = append(texts, q.Question)
		}
		return texts, qs, nil
	}
	var texts []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			texts = append(texts, t)
		}
	}
	return texts, nil, nil
}

func benchCountProvisions(vs []*library.Version) int {
	n := 0
	for _, v := range vs {
		n += len(v.Provisions)
	}
	return n
}

// benchRSS is the resident set size of the process after a GC.
func benchRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (r benchReport) print(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "语料: 条文 %d (资料库 %d + 合成 %d)，索引单元 %d；查询 %d 个 × %d 轮，top-10，单线程\n",
		r.LibraryProvisions+r.SyntheticProvisions, r.LibraryProvisions, r.SyntheticProvisions, r.Units, r.Queries, r.Rounds)
	fmt.Fprintf(w, "gse 词典加载 %s，常驻内存 +%s；建好 DataLex 索引后进程常驻内存 %s (含资料库与词典)，测试结束时 %s\n\n",
		ms(r.DictLoad), mb(r.DictRSS), mb(r.ServeRSS), mb(r.TotalRSS))
	fmt.Fprintf(w, "%-22s", "")
	for _, e := range r.Engines {
		fmt.Fprintf(w, "%22s", e.Name)
	}
	fmt.Fprintln(w)
	row := func(name string, f func(e benchEngine) string) {
		fmt.Fprintf(w, "%-22s", name)
		for _, e := range r.Engines {
			fmt.Fprintf(w, "%22s", f(e))
		}
		fmt.Fprintln(w)
	}
	row("索引构建", func(e benchEngine) string { return fmt.Sprintf("%.2f s", e.Build.Seconds()) })
	row("索引构建 CPU", func(e benchEngine) string { return fmt.Sprintf("%.2f s", e.BuildCPU.Seconds()) })
	row("索引常驻内存", func(e benchEngine) string { return mb(e.RSS) })
	row("延迟 p50", func(e benchEngine) string { return ms(e.P50) })
	row("延迟 p99", func(e benchEngine) string { return ms(e.P99) })
	row("延迟 平均", func(e benchEngine) string { return ms(e.Mean) })
	row("CPU/查询", func(e benchEngine) string { return ms(e.CPU) })
	if len(r.Engines) > 0 && r.Engines[0].Eval != nil {
		for _, k := range []int{1, 3, 10, 100} {
			row(fmt.Sprintf("Recall@%d", k), func(e benchEngine) string { return fmt.Sprintf("%.3f", e.Eval.Recall[k]) })
		}
		row("hit@10", func(e benchEngine) string { return fmt.Sprintf("%.3f", e.Eval.Hit[10]) })
		row("MRR@10", func(e benchEngine) string { return fmt.Sprintf("%.3f", e.Eval.MRR10) })
		row("nDCG@10", func(e benchEngine) string { return fmt.Sprintf("%.3f", e.Eval.NDCG10) })
	}
	if len(r.Engines) == 2 && r.Engines[0].P50 > 0 {
		a, b := r.Engines[0], r.Engines[1]
		fmt.Fprintf(w, "\n延迟比 (Bleve / DataLex): p50 %.1f×，p99 %.1f×，CPU %.1f×\n",
			float64(b.P50)/float64(a.P50), float64(b.P99)/float64(max(a.P99, 1)), float64(b.CPU)/float64(max(a.CPU, 1)))
	}
}
