package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"datalex/internal/library"
)

// maxJSONLLine bounds one article record; the longest articles of Chinese
// law are a few thousand characters.
const maxJSONLLine = 1 << 20

// articleRecord is one line of `datalex import --format jsonl`.
type articleRecord struct {
	ID      json.RawMessage `json:"id"`
	Name    string          `json:"name"`    // law title
	Content string          `json:"content"` // one article: "第X条 …"
}

// ParseArticleJSONL reads article records, one JSON object per line:
// {"id": …, "name": "<law title>", "content": "第X条 …"}. Records are grouped
// by name into one version per law, in order of first appearance; a
// content's embedded newlines become its 款. Blank lines are skipped; a bad
// line fails the whole file with its line number, so an import never stores
// half a file.
func ParseArticleJSONL(name string, r io.Reader) (*Parsed, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxJSONLLine)
	type group struct {
		title       string
		lines       []Line
		first, last int
	}
	var (
		groups   []*group
		byName   = map[string]*group{}
		seenIDs  = map[string]int{}
		warnings []string
		total    int
		no       int
	)
	for sc.Scan() {
		no++
		raw := bytes.TrimSpace(sc.Bytes())
		total += len(raw)
		if total > MaxFileSize {
			return nil, fmt.Errorf("%s：%w", name, ErrTooLarge)
		}
		if len(raw) == 0 {
			continue
		}
		if no == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
		}
		var rec articleRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("%s 第 %d 行：%w：JSON 无法解析（%v）", name, no, ErrCorrupt, err)
		}
		rec.Name = strings.TrimSpace(rec.Name)
		if rec.Name == "" || strings.TrimFunc(rec.Content, encIsBlank) == "" {
			return nil, fmt.Errorf("%s 第 %d 行：%w：缺少 name 或 content 字段", name, no, ErrCorrupt)
		}
		if id := strings.Trim(string(rec.ID), `" `); id != "" && id != "null" {
			if prev, dup := seenIDs[id]; dup {
				warnings = append(warnings, fmt.Sprintf("第 %d 行的 id %s 与第 %d 行重复", no, id, prev))
			} else {
				seenIDs[id] = no
			}
		}
		g := byName[rec.Name]
		if g == nil {
			g = &group{title: rec.Name, first: no}
			byName[rec.Name] = g
			groups = append(groups, g)
		}
		g.last = no
		for _, para := range strings.Split(strings.ReplaceAll(rec.Content, "\r\n", "\n"), "\n") {
			if t := ufCleanLine(para); t != "" {
				g.lines = append(g.lines, Line{Text: t, No: no})
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s 第 %d 行：%w：单行超过 %d 字节", name, no+1, ErrTooLarge, maxJSONLLine)
		}
		return nil, fmt.Errorf("%s：读取失败：%w", name, err)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("%s：%w", name, ErrEmpty)
	}
	out := &Parsed{File: name, Warnings: warnings}
	for i, g := range groups {
		v := &library.Version{
			Kind:       library.KindRegulation,
			Title:      g.title,
			Sources:    []library.Source{{File: name, FirstLine: g.first, LastLine: g.last}},
			Provenance: map[string]library.Provenance{"title": {File: name, Line: g.first}},
			Seq:        i,
		}
		if short := library.ShortName(g.title); short != g.title {
			v.Aliases = []string{short}
		}
		if s := DetectStatus(g.title); s != "" {
			v.Status = s
			v.Provenance["status"] = library.Provenance{File: name, Note: "由标题推断"}
		}
		if lv := DetectLevel(g.title, nil, ""); lv != "" {
			v.Level = lv
			v.Provenance["level"] = library.Provenance{File: name, Note: "由标题推断"}
		}
		v.Provisions = Structure(g.title, g.lines, StyleLegal)
		if !ufHasStructure(v.Provisions) {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s：记录中没有“第X条”形式的条文", g.title))
		}
		v.Citations = ufCitations(g.title, v.Provisions)
		out.Versions = append(out.Versions, v)
	}
	return out, nil
}
