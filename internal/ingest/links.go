package ingest

import (
	"net/url"
	"regexp"
	"strings"

	"datalex/internal/library"
)

var (
	reLink = regexp.MustCompile(`https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[^\s，。；、）)”"<>]*)?`)
	// reLinkLabel is a line that introduces a link to the text itself:
	// "国家标准全文公开系统在线阅读：https://…".
	reLinkLabel = regexp.MustCompile(`^[^。；，]{0,30}(?:阅读|全文|原文|链接|网址|下载|附件)[^。；，]{0,10}[：:]\s*$`)
)

// OfficialLinks returns the links to government sites (hosts under .gov.cn)
// a document's raw lines give for the document itself; lines[0] is line
// firstNo. The cleaner drops URL-only lines from the text, so they are read
// from the source. A link counts when it stands on its own line, or after a
// label such as "在线阅读：". Links inside sentences ("通过…平台（https://…）
// 完成受理") and reference lists that mix other sites are citations of
// something else and are left out. Nothing is ever made up.
func OfficialLinks(lines []string, firstNo int) []library.Provenance {
	var out []library.Provenance
	seen := map[string]bool{}
	// A run of URL-only lines (blank lines ignored) is a reference list
	// unless every link in it is official.
	urlOnly := func(i int) bool { return IsURLOnly(strings.TrimSpace(lines[i])) }
	runOfficial := func(i int) bool {
		lo, hi := i, i
		for j := i - 1; j >= 0; j-- {
			if strings.TrimSpace(lines[j]) == "" {
				continue
			}
			if !urlOnly(j) {
				break
			}
			lo = j
		}
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "" {
				continue
			}
			if !urlOnly(j) {
				break
			}
			hi = j
		}
		for j := lo; j <= hi; j++ {
			if t := strings.TrimSpace(lines[j]); t != "" && !officialHost(t) {
				return false
			}
		}
		return true
	}
	for i, l := range lines {
		if !strings.Contains(l, "http") {
			continue
		}
		t := strings.TrimSpace(l)
		for _, loc := range reLink.FindAllStringIndex(t, -1) {
			m := t[loc[0]:loc[1]]
			if !officialHost(m) || seen[m] {
				continue
			}
			switch {
			case loc[0] == 0 && loc[1] == len(t):
				if !runOfficial(i) {
					continue
				}
			case loc[1] == len(t) && reLinkLabel.MatchString(t[:loc[0]]):
			default:
				continue
			}
			seen[m] = true
			out = append(out, library.Provenance{Line: firstNo + i, Note: m})
		}
	}
	return out
}

// officialHost reports whether link is an http(s) URL on a .gov.cn host.
func officialHost(link string) bool {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return strings.HasSuffix(strings.ToLower(u.Hostname()), ".gov.cn")
}
