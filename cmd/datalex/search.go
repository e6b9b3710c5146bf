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
	"strings"

	"datalex/internal/export"
	"datalex/internal/library"
	"datalex/internal/search"
)

// searchFilters collects repeated --filter k=v flags.
type searchFilters []string

func (f *searchFilters) String() string     { return strings.Join(*f, ",") }
func (f *searchFilters) Set(v string) error { *f = append(*f, v); return nil }

func runSearch(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	asJSON := fs.Bool("json", false, "输出 JSON (与 --batch 的单行格式相同)")
	full := fs.Bool("full", false, "与 --json 同用：输出完整结果 (分面、文件分组、摘要)")
	k := fs.Int("k", search.DefaultK, "返回条数 (最多 1000)")
	batch := fs.String("batch", "", "批量检索：每行一个查询的文件 (- 为标准输入)，每个查询输出一行 JSON")
	sortBy := fs.String("sort", search.SortRelevance, "排序：relevance | date")
	embedRank := addEmbedRankFlags(fs)
	var filters searchFilters
	fs.Var(&filters, "filter", "筛选 字段=值，可重复 (level/效力级别, issuer/发布机关, region/地域, status/时效性, year/年份, sector/行业, tag/主题, source/来源, kind/类型)")
	words, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *k < 0 {
		return search.ErrBadK
	}
	if *sortBy != search.SortRelevance && *sortBy != search.SortDate {
		return fmt.Errorf("排序方式 %q 无效，可用 relevance 或 date", *sortBy)
	}
	build := func(text string) (search.Query, error) {
		q, err := search.ParseQuery(text)
		if err != nil {
			return q, err
		}
		if err := q.SetK(*k); err != nil {
			return q, err
		}
		q.Sort = *sortBy
		for _, f := range filters {
			if err := q.AddFilter(f); err != nil {
				return q, err
			}
		}
		return q, nil
	}
	if *batch == "" {
		if len(words) == 0 {
			return errors.New("用法: datalex search [--json] [--k N] [--filter 字段=值 …] 检索词")
		}
		// Check the query before paying for the index.
		if _, err := build(strings.Join(words, " ")); err != nil {
			return err
		}
	}
	versions, err := searchLoadLibrary(ctx, *dataDir)
	if err != nil {
		return err
	}
	ix := search.NewIndex(versions)
	if err := embedRank.install(ix, *dataDir, nil); err != nil {
		return err
	}
	if *batch != "" {
		return searchBatch(ctx, ix, *batch, build)
	}
	text := strings.Join(words, " ")
	q, _ := build(text)
	res, err := ix.Search(ctx, q)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	switch {
	case *asJSON && *full:
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case *asJSON:
		return json.NewEncoder(out).Encode(res.Compact(text))
	}
	byID := make(map[string]*library.Version, len(versions))
	for _, v := range versions {
		byID[v.ID] = v
	}
	searchPrint(out, res, func(id string) *library.Version { return byID[id] })
	return nil
}

// searchOpenIndex loads the library from the data directory and indexes it.
func searchOpenIndex(ctx context.Context, dataDir string) (*search.Index, error) {
	versions, err := searchLoadLibrary(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	return search.NewIndex(versions), nil
}

// searchLoadLibrary loads every version of the library (importing the
// bundled corpus on first use).
func searchLoadLibrary(ctx context.Context, dataDir string) ([]*library.Version, error) {
	st, versions, err := openExistingLibrary(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	st.Close()
	return versions, nil
}

// searchBatch answers one query per input line with one JSON line, in
// order; a bad line gives an object with "error" so lines stay aligned.
func searchBatch(ctx context.Context, ix *search.Index, file string, build func(string) (search.Query, error)) error {
	var in io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for sc.Scan() {
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		line := search.CompactResult{Query: text, Hits: []search.CompactHit{}}
		q, err := build(text)
		if err == nil {
			var res *search.Results
			if res, err = ix.Search(ctx, q); err == nil {
				line = res.Compact(text)
			}
		}
		if err != nil {
			line.Error = err.Error()
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// searchPrint writes results for people: citation, path, snippet with the
// query words in 【】, 时效性 and where the text comes from (the
// compilation part, with the file line for checking). The count says how
// many hits hold the query and how many only part of it, and the list
// marks the latter, so the two agree.
func searchPrint(w io.Writer, res *search.Results, version func(string) *library.Version) {
	for _, n := range res.Notices {
		fmt.Fprintln(w, "提示: "+n)
	}
	fmt.Fprintf(w, "共 %d 条条文匹配", res.Total)
	if res.Partial > 0 {
		fmt.Fprintf(w, "；另有 %d 条只含部分检索词（标为 [部分匹配]）", res.Partial)
	}
	fmt.Fprintf(w, "；相关文件 %d 个", res.TotalDocs)
	fmt.Fprintf(w, " (%.1f ms)\n\n", res.TookMS)
	for i, h := range res.Hits {
		mark := ""
		if h.Cited {
			mark = " [引用定位]"
		}
		if h.Partial {
			mark += " [部分匹配]"
		}
		fmt.Fprintf(w, "%d. %s%s  (%.2f)\n", i+1, h.Citation, mark, h.Score)
		fmt.Fprintf(w, "   %s › %s", h.Document, h.Path)
		v := version(h.VersionID)
		if v != nil && v.ValidityOrStatus() != "" {
			fmt.Fprintf(w, "  [%s]", v.ValidityOrStatus())
		} else if h.Status != "" {
			fmt.Fprintf(w, "  [%s]", h.Status)
		}
		fmt.Fprintln(w)
		var b strings.Builder
		for _, s := range h.Snippet {
			if s.Highlight {
				b.WriteString("【" + s.Text + "】")
			} else {
				b.WriteString(s.Text)
			}
		}
		fmt.Fprintf(w, "   %s\n", b.String())
		origin := ""
		if v != nil {
			origin = export.SourceText(v)
		}
		pos := fmt.Sprintf("%s 第 %d 行", h.Source, h.Line)
		if h.Offset != nil {
			pos += fmt.Sprintf(" 字符 %d", *h.Offset)
		}
		if origin != "" && origin != h.Source {
			fmt.Fprintf(w, "   来源: %s（%s）\n\n", origin, pos)
		} else {
			fmt.Fprintf(w, "   来源: %s\n\n", pos)
		}
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "没有找到匹配的条文。")
	}
	if len(res.Documents) > 0 {
		fmt.Fprintln(w, "相关文件:")
		for i, d := range res.Documents[:min(10, len(res.Documents))] {
			fmt.Fprintf(w, "  %d. 《%s》 %s %s (%d 条)\n", i+1, d.Title, d.Level, d.IssueDate, d.Matches)
		}
	}
	for _, f := range res.Facets {
		var parts []string
		for _, v := range f.Values[:min(6, len(f.Values))] {
			parts = append(parts, fmt.Sprintf("%s(%d)", v.Value, v.Count))
		}
		fmt.Fprintf(w, "%s: %s\n", f.Label, strings.Join(parts, " "))
	}
}
