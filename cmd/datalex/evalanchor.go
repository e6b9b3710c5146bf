package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"datalex/internal/eval"
	"datalex/internal/search"
)

// anchorFlags are the switches of the anchor field (citing sentences of
// other documents, internal/search/anchor.go), shared by eval and bench.
type anchorFlags struct {
	weight *float64
	cap    *int
	same   *bool
}

func addAnchorFlags(fs *flag.FlagSet) anchorFlags {
	return anchorFlags{
		weight: fs.Float64("anchor", -1, "引用语境字段 (其他文件引用该条时的原句) 在第一阶段的权重；≥ 0 时建立该字段并提供排序特征 anchor (0 为只作特征)；默认内置设置"),
		cap:    fs.Int("anchor-cap", 0, "每条条文的引用语境最多字数 (0 为默认)"),
		same:   fs.Bool("anchor-same", false, "引用语境也收同一文件内其他条文的引用 (违反本法第X条规定的……)"),
	}
}

// apply changes the defaults before the index is built.
func (f anchorFlags) apply() {
	if *f.weight >= 0 {
		search.DefaultAnchors.On = true
		search.DefaultWeights.Anchor = float32(*f.weight)
	}
	if *f.same {
		search.DefaultAnchors.SameDoc = true
	}
	if *f.cap > 0 {
		search.DefaultAnchors.MaxRunes = *f.cap
	}
}

// evalAnchorCoverage prints how many gold provisions of the questions have
// anchor text (diagnostics for --anchor with -v), with a few examples.
func evalAnchorCoverage(w io.Writer, ix *search.Index, qs []eval.Question) {
	seen := map[string]bool{}
	var n, resolved, with int
	var examples []string
	for _, q := range qs {
		for _, g := range q.Gold {
			c := g.Doc + g.Article
			if seen[c] {
				continue
			}
			seen[c] = true
			n++
			text, ok := ix.AnchorOf(c)
			if !ok {
				continue
			}
			resolved++
			if text != "" {
				with++
				if len(examples) < 5 {
					examples = append(examples, c+" ← "+strings.ReplaceAll(text, "\n", " | "))
				}
			}
		}
	}
	fmt.Fprintf(w, "金标准条文 %d 条 (可解析 %d 条)，其中有引用语境 %d 条\n", n, resolved, with)
	for _, e := range examples {
		fmt.Fprintln(w, "  ", e)
	}
}
