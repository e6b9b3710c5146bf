package answer

import (
	"datalex/internal/library"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Grounding reports the checks run on an answer's text.
type Grounding struct {
	Sentences  int `json:"sentences"`   // claim sentences in the final text
	Supported  int `json:"supported"`   // … each citing a retrieved provision, quotes verified
	Removed    int `json:"removed"`     // sentences taken out
	BadMarkers int `json:"bad_markers"` // [n] pointing at no retrieved provision
	BadQuotes  int `json:"bad_quotes"`  // quotes not found verbatim in the cited provision
	BadNumbers int `json:"bad_numbers"` // figures not found in the cited provision
	BadTitles  int `json:"bad_titles"`  // 《documents》 that are not the cited ones
	BadLabels  int `json:"bad_labels"`  // 第X条 that is neither a cited provision nor named in one
	Uncited    int `json:"uncited"`     // claims without any [n]
}

var (
	reMarker = regexp.MustCompile(`\[(\d{1,3})\]`)
	reQuote  = regexp.MustCompile(`「([^「」]+)」|“([^“”]+)”|"([^"]+)"`)
	reDigits = regexp.MustCompile(`\d+(?:\.\d+)?`)
	// reCNAmount matches a Chinese-numeral figure with its unit (五千万元,
	// 三个月, 二十四小时).
	reCNAmount = regexp.MustCompile(`[零〇一二两三四五六七八九十百千万亿]{2,}(?:万元|亿元|元|万人|人|个工作日|工作日|日|天|小时|个月|年|倍)|[二两三四五六七八九十百千万亿](?:万元|亿元|元|万人|个工作日|工作日|日|天|小时|个月|年|倍)`)
	reTitle    = regexp.MustCompile(`《([^《》]+)》`)
	// reLead matches a list item's leading label (- 第七条：) whose figures
	// are the provision's number, not a claim.
	reArticleNo = regexp.MustCompile(`第\d+条`)
	reLead      = regexp.MustCompile(`^\s*[-*•]\s*[^：:「“]{1,24}[：:]`)
)

// verify runs the grounding checks on ans.Text against the provisions its
// markers may cite (byN): every claim sentence must cite a provision that
// was retrieved, every quote must appear verbatim (whitespace aside) in a
// provision it cites, and every figure must appear in one. Sentences
// failing a check are removed and recorded; markers to nothing are
// dropped; citations are pruned to those still referenced. When no claim
// survives the answer is a refusal.
func verify(ans *Answer, byN map[int]Passage, question string) {
	allowed := squash(question)
	var g Grounding
	var kept []string
	used := map[int]bool{}
	for _, line := range strings.Split(ans.Text, "\n") {
		var out strings.Builder
		for _, s := range splitClaims(line) {
			if !isClaim(s) {
				out.WriteString(reMarker.ReplaceAllStringFunc(s, func(m string) string {
					n, _ := strconv.Atoi(m[1 : len(m)-1])
					if _, ok := byN[n]; !ok {
						g.BadMarkers++
						return ""
					}
					used[n] = true
					return "[" + strconv.Itoa(n) + "]"
				}))
				continue
			}
			ok, clean, ns := checkSentence(s, byN, allowed, &g)
			if !ok {
				g.Removed++
				ans.Removed = append(ans.Removed, strings.TrimSpace(s))
				continue
			}
			g.Sentences++
			g.Supported++
			for _, n := range ns {
				used[n] = true
			}
			out.WriteString(clean)
		}
		kept = append(kept, strings.TrimRight(out.String(), " "))
	}
	ans.Text = strings.TrimSpace(collapseBlank(kept))
	var cites []Citation
	for _, c := range ans.Cites {
		if used[c.N] {
			cites = append(cites, c)
		}
	}
	ans.Cites = cites
	if ans.Cites == nil {
		ans.Cites = []Citation{}
	}
	ans.Grounding = g
	if g.Supported == 0 {
		ans.Refused = true
	}
	if g.Removed > 0 && ans.Notice == "" {
		ans.Notice = "已删除 " + strconv.Itoa(g.Removed) + " 句无法在所引条文中核实的内容。"
	}
}

// noteMark starts a line of library metadata (a validity note) that the
// answerer itself writes; model output has it stripped.
const noteMark = "※"

// checkSentence verifies one claim and returns it with invalid markers
// removed, and the provision numbers it cites.
func checkSentence(s string, byN map[int]Passage, allowed string, g *Grounding) (bool, string, []int) {
	var ns []int
	clean := reMarker.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		if _, ok := byN[n]; !ok {
			g.BadMarkers++
			return ""
		}
		ns = append(ns, n)
		return "[" + strconv.Itoa(n) + "]"
	})
	if len(ns) == 0 {
		g.Uncited++
		return false, "", nil
	}
	var texts []string
	for _, n := range ns {
		texts = append(texts, squash(byN[n].Text))
	}
	inAny := func(x string) bool {
		for _, t := range texts {
			if strings.Contains(t, x) {
				return true
			}
		}
		return false
	}
	body := reMarker.ReplaceAllString(clean, "")
	for _, m := range reQuote.FindAllStringSubmatch(body, -1) {
		quote := squash(m[1] + m[2] + m[3])
		for _, part := range strings.Split(quote, "……") {
			if part != "" && !inAny(strings.Trim(part, "…")) {
				g.BadQuotes++
				return false, "", nil
			}
		}
	}
	for _, m := range reTitle.FindAllStringSubmatch(body, -1) {
		if !titleCited(squash(m[1]), ns, byN) && !inAny(squash(m[1])) {
			g.BadTitles++
			return false, "", nil
		}
	}
	for _, m := range reLabel.FindAllString(squash(body), -1) {
		if !labelCited(m, ns, byN) && !inAny(m) && !strings.Contains(allowed, m) {
			g.BadLabels++
			return false, "", nil
		}
	}
	for _, f := range reCNAmount.FindAllString(squash(body), -1) {
		if !inAny(f) && !strings.Contains(allowed, f) {
			g.BadNumbers++
			return false, "", nil
		}
	}
	figures := reArticleNo.ReplaceAllString(squash(reLead.ReplaceAllString(body, "")), "")
	for _, d := range reDigits.FindAllString(figures, -1) {
		if !inAny(d) && !strings.Contains(allowed, d) {
			g.BadNumbers++
			return false, "", nil
		}
	}
	return true, clean, ns
}

// reLabel matches an article label a sentence names (第九条, 第 9 条).
var reLabel = regexp.MustCompile(`第[零〇一二两三四五六七八九十百千0-9]{1,7}条`)

// labelCited reports whether article label m is the label of a cited
// provision (or the last part of its path).
func labelCited(m string, ns []int, byN map[int]Passage) bool {
	n := library.ParseChineseNumber(strings.TrimSuffix(strings.TrimPrefix(m, "第"), "条"))
	for _, k := range ns {
		p := byN[k]
		if squash(p.Label) == m || strings.Contains(squash(p.Path), m) {
			return true
		}
		if n > 0 && library.ArticleNumber(p.Label) == n {
			return true
		}
	}
	return false
}

// titleCited reports whether a 《title》 names one of the cited documents.
func titleCited(title string, ns []int, byN map[int]Passage) bool {
	title = stripDocName(title)
	for _, n := range ns {
		doc := stripDocName(squash(byN[n].Document))
		if title != "" && (strings.Contains(doc, title) || strings.Contains(title, doc)) {
			return true
		}
	}
	return false
}

// splitClaims splits a line into sentences at 。！？； outside quotes; the
// [n] markers right after a sentence end stay with that sentence.
func splitClaims(line string) []string {
	var out []string
	// 「」 is the quote the answerers are told to use; “” counts only
	// outside it, since source text inside a quote may carry unbalanced
	// curly quotes.
	corner, curly := 0, 0
	start := 0
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		depth := corner + curly
		switch r {
		case '「':
			corner++
		case '」':
			if corner > 0 {
				corner--
			}
		case '“':
			if corner == 0 {
				curly++
			}
		case '”':
			if corner == 0 && curly > 0 {
				curly--
			}
		case '。', '！', '？', '；', '!', '?':
			if depth == 0 {
				end := i + size
				for {
					loc := reMarker.FindStringIndex(line[end:])
					if loc == nil || loc[0] != 0 {
						break
					}
					end += loc[1]
				}
				out = append(out, line[start:end])
				start = end
				i = end
				continue
			}
		}
		i += size
	}
	if start < len(line) {
		out = append(out, line[start:])
	}
	return out
}

// isClaim reports whether a sentence states something that needs a
// source: headings (lines ending in ：, document titles, list markers) and
// short connective phrases do not.
func isClaim(s string) bool {
	t := strings.TrimSpace(reMarker.ReplaceAllString(s, ""))
	t = strings.TrimLeft(t, "-*#>• ")
	if hanCount(t) < 6 {
		return false
	}
	if strings.HasPrefix(t, noteMark) {
		return false // library metadata (validity notes), written by us
	}
	if strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":") {
		return hasMarker(s)
	}
	if strings.HasPrefix(t, "《") && strings.HasSuffix(t, "》") {
		return false
	}
	return true
}

func hasMarker(s string) bool { return reMarker.MatchString(s) }

// collapseBlank joins lines, dropping empty bullets and runs of blank lines.
func collapseBlank(lines []string) string {
	var out []string
	blank := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "-" || t == "*" || t == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
