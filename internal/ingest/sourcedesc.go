package ingest

import (
	"path"
	"strings"

	"datalex/internal/library"
)

// seedTitles names the bundled seed files as people know them (the
// compilations' own titles; seed 004 has none and is named by what it
// holds).
var seedTitles = map[string]string{
	"000_37b33e204dfe8d53.txt": "学习笔记《数字经济-网络法规-金管局发布文件》",
	"001_7f2e25d6ce76f700.txt": "《数据资产新赛道全国法规政策汇编（2024版）》",
	"002_05371c1a2a590865.txt": "上海市律师协会数据合规与网络安全专业委员会简报（2024年11月）",
	"003_0c77de8fbd85633f.txt": "全球数据资产理事会《数据资产政策宝典（2024版）》",
	"004_8b811ad74843f955.txt": "内置中央政策文件选（四篇全文）",
}

const seed003 = "003_0c77de8fbd85633f.txt"

// DescribeSource says where a version's text comes from in human terms:
// the compilation with its part, section and page when known, the
// LawRefBook folder, or the imported file's name — never an internal
// file:line position (that stays in the provenance details).
func DescribeSource(v *library.Version) string {
	var parts []string
	seen := map[string]bool{}
	for i, s := range v.Sources {
		d := describeOne(v, s, i == 0)
		if d != "" && !seen[d] {
			seen[d] = true
			parts = append(parts, d)
		}
	}
	return strings.Join(parts, "；")
}

func describeOne(v *library.Version, s library.Source, first bool) string {
	if t, ok := seedTitles[s.File]; ok {
		out := t
		if first && v.Part != "" {
			out += " › " + v.Part
			if v.Subsection != "" {
				out += " › " + v.Subsection
			}
		}
		// Pages are known for the 宝典 only (its table of contents); a
		// copy of the same text in another compilation keeps the tag, so
		// the page is tied to the 宝典's own source.
		if s.File == seed003 {
			for _, tag := range v.Tags {
				if p, ok := strings.CutPrefix(tag, "宝典页码:p."); ok {
					out += " · 第 " + p + " 页"
					break
				}
			}
		}
		return out
	}
	if _, ok := lrbCategoryLevel[v.Part]; ok && strings.HasSuffix(s.File, ".md") {
		return "LawRefBook 法律库 › " + strings.TrimSuffix(s.File, ".md")
	}
	if s.File == "" {
		return ""
	}
	return "导入文件 " + path.Base(s.File)
}
