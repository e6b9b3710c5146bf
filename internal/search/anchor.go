package search

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"datalex/internal/textseg"
)

// Anchor text: statutes are paraphrased by the documents that cite them. A
// judicial interpretation, a policy handbook or a note says
// "依照《个人信息保护法》第四十五条，个人有权查阅、复制其个人信息" in words of
// its own. For each provision, the sentences of OTHER documents that cite it
// by title and article are indexed as a separate field (like anchor text in
// web search), with its own BM25 weight in the first stage (Weights.Anchor)
// and its own ranker feature ("anchor"). The cited titles and article
// numbers themselves are removed from the window: they name the document,
// which the title field and the intent features already do; what remains
// is the citing document's wording. A document's references to itself
// (本法第十条, or a title of the same work) are never anchors.

// AnchorOptions control the anchor field at index build.
type AnchorOptions struct {
	On bool // build the anchor field (NewIndex)
	// MaxRunes caps the anchor text of one provision (a much-cited article
	// of 民法典 would otherwise collect pages of judicial text).
	MaxRunes int
	// SameDoc also indexes references inside one document (违反本法第二十一条
	// 规定的 … in a penalty article, 依照第三十条的规定): other provisions of
	// the same version, never the provision itself.
	SameDoc bool
}

// DefaultAnchors are the options NewIndex uses. On since the 5-fold STARD
// run chose a positive weight in every fold (R@100 0.784→0.809, MRR@10
// 0.472→0.485; dev unchanged because the seeds cite few articles): see
// the ablation in docs/ARCHITECTURE.md (search section).
var DefaultAnchors = AnchorOptions{On: true, MaxRunes: 400}

const (
	// anchorB is the anchor field's BM25 length normalisation.
	anchorB = 0.5
	// anchorSide bounds a citing window on each side of the citation
	// when the sentence around it is longer.
	anchorSide = 80
)

// reCitedList matches an article list (after 》, after a bare title or
// alone): 第四十五条, 第十条第二款, 第三条、第五条, 第十条至第十二条, 第二十一条之一.
var reCitedList = regexp.MustCompile(`^(?:\s*(?:、|,|和|及|与|至|到)?\s*第[0-9零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?(?:第[0-9零〇一二三四五六七八九十]+[款项])*)+`)

// reCitedArticle is one article inside such a list.
var reCitedArticle = regexp.MustCompile(`第[0-9零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?`)

// reCiteNoise is what is removed from a window: book titles and provision
// numbers.
var reCiteNoise = regexp.MustCompile(`《[^《》]{0,80}》|第[0-9零〇一二三四五六七八九十百千两]+[条款项章节编](?:之[一二三四五六七八九十]+)?|本(?:法|条例|规定|办法|解释|细则|决定|准则|规则|规范|指引|措施)|[“”"‘’]`)

// anchorTable is the anchor field: one document per provision that some
// other document cites.
type anchorTable struct {
	field  *invIndex
	unit   []int32  // anchor document → unit
	ofUnit []int32  // unit → anchor document, -1 if none
	texts  []string // anchor document → its text
	// windows is the number of citing windows indexed (before the cap).
	windows int
	citing  int           // provisions that cite another document's article
	build   time.Duration // time buildAnchors took (scan and field)
}

// isSentenceEnd reports whether r ends a sentence in folded text.
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', ';', '；', '!', '！', '?', '？', '\n':
		return true
	}
	return false
}

// citingWindow returns the sentence of text around the mention [lo, hi),
// at most anchorSide runes on either side, without the mention itself and
// with other titles and provision numbers removed.
func citingWindow(text string, lo, hi int) string {
	start := lo
	for n := 0; start > 0 && n < anchorSide; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if isSentenceEnd(r) {
			break
		}
		start -= size
	}
	end := hi
	for n := 0; end < len(text) && n < anchorSide; n++ {
		r, size := utf8.DecodeRuneInString(text[end:])
		if isSentenceEnd(r) {
			break
		}
		end += size
	}
	w := reCiteNoise.ReplaceAllString(text[start:lo]+" "+text[hi:end], " ")
	return strings.TrimSpace(w)
}

// articleNos returns the byte offsets of 第X条 in text (X a numeral), as
// reArticleNo would, without a regular expression: every article's text
// starts with one, so this runs over most of the library at build.
func articleNos(text string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(text[i:], "第")
		if j < 0 {
			return out
		}
		at := i + j
		k := at + len("第")
		n := 0
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			if !isNumeral(r) {
				break
			}
			k += size
			n++
		}
		if n > 0 && strings.HasPrefix(text[k:], "条") {
			out = append(out, at)
		}
		i = k
	}
}

func isNumeral(r rune) bool {
	return r >= '0' && r <= '9' || strings.ContainsRune("零〇一二三四五六七八九十百千两", r)
}

// maxBareTitle bounds the title looked for before a bare citation
// (刑法第二百六十四条, 民法典第一千一百六十五条: judicial interpretations cite
// without book-title marks).
const maxBareTitle = 30

// citations calls fn for every citation of articles in a folded text: a
// 《title》 or a bare title right before 第X条 (or a list 第X条、第Y条). title
// is the cited text's name as written; the caller resolves it. lo, hi span
// the mention (title and articles).
func citations(text string, resolve func(title string) bool, fn func(title string, labels []string, lo, hi int)) {
	done := 0
	for _, at := range articleNos(text) {
		if at < done {
			continue
		}
		list := reCitedList.FindString(text[at:])
		if list == "" {
			continue
		}
		done = at + len(list)
		before := text[:at]
		if strings.HasSuffix(before, "》") {
			open := strings.LastIndex(before, "《")
			if open < 0 {
				continue
			}
			title := before[open+len("《") : len(before)-len("》")]
			if strings.Contains(title, "》") || utf8.RuneCountInString(title) > 80 {
				continue
			}
			fn(title, reCitedArticle.FindAllString(list, -1), open, done)
			continue
		}
		// A bare title: the longest known name ending right here.
		start, n := at, 0
		var starts []int
		for start > 0 && n < maxBareTitle {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if !textseg.IsHan(r) && !(r >= '0' && r <= '9') {
				break
			}
			start -= size
			n++
			if n >= 2 {
				starts = append(starts, start)
			}
		}
		found := false
		for i := len(starts) - 1; i >= 0; i-- {
			if title := text[starts[i]:at]; resolve(title) {
				fn(title, reCitedArticle.FindAllString(list, -1), starts[i], done)
				found = true
				break
			}
		}
		if !found && (ownRef(before) || !endsLikeTitle(before)) {
			// 本法第十条, 依照第三十条: the document itself.
			fn("", reCitedArticle.FindAllString(list, -1), at, done)
		}
	}
}

// buildAnchors collects, for every provision cited by title and article
// from another work, the citing windows, and indexes them.
func (ix *Index) buildAnchors(opt AnchorOptions) *anchorTable {
	start := time.Now()
	texts := make(map[int32][]string) // unit → windows
	type seenKey struct {
		u int32
		w string
	}
	seen := make(map[seenKey]bool) // (unit, window) already added
	var windows, citing int
	for ui := range ix.units {
		u := &ix.units[ui]
		if strings.Count(u.text, "条") < 1+boolInt(strings.HasPrefix(u.text, "第")) {
			continue // no article number but its own label
		}
		own := ix.versions[u.ver].WorkID
		before := windows
		citations(u.text, func(title string) bool { return len(ix.citedVersions(title)) > 0 }, func(title string, labels []string, lo, hi int) {
			vers, same := ix.citedVersions(title), false
			if title == "" {
				if !opt.SameDoc {
					return
				}
				vers, same = []int32{u.ver}, true
			}
			if len(vers) == 0 {
				return
			}
			var w string
			for _, vi := range vers {
				// The citing document itself (本法第十条, or its own
				// title): only with SameDoc, and only this version.
				self := same || vi == u.ver || (own != "" && ix.versions[vi].WorkID == own)
				if self && (!opt.SameDoc || vi != u.ver) {
					continue
				}
				for _, l := range labels {
					t, ok := ix.labels[labelRef{vi, labelKey(l)}]
					if !ok || t == int32(ui) {
						continue
					}
					if w == "" {
						if w = citingWindow(u.text, lo, hi); w == "" {
							return
						}
					}
					key := seenKey{t, w}
					if seen[key] {
						continue
					}
					seen[key] = true
					texts[t] = append(texts[t], w)
					windows++
				}
			}
		})
		if windows > before {
			citing++
		}
	}
	at := &anchorTable{ofUnit: make([]int32, len(ix.units)), windows: windows, citing: citing}
	for i := range at.ofUnit {
		at.ofUnit[i] = -1
	}
	docs := make([]string, 0, len(texts))
	for ui := range ix.units {
		ws, ok := texts[int32(ui)]
		if !ok {
			continue
		}
		at.ofUnit[ui] = int32(len(at.unit))
		at.unit = append(at.unit, int32(ui))
		docs = append(docs, capRunes(strings.Join(ws, "\n"), opt.MaxRunes))
	}
	at.texts = docs
	at.field = buildInvIndex(len(docs), anchorB, func(i int) string { return docs[i] })
	at.build = time.Since(start)
	return at
}

// ownRefs are how a document names itself before an article number.
var ownRefs = []string{"本法", "本条例", "本规定", "本办法", "本解释", "本细则", "本决定", "本准则", "本规则", "本规范", "本指引", "本措施"}

// ownRef reports whether text ends with a document's name for itself.
func ownRef(text string) bool {
	for _, r := range ownRefs {
		if strings.HasSuffix(text, r) {
			return true
		}
	}
	return false
}

// titleEnds are the last characters of most document names: an article
// number after an unknown name (某法第十条) belongs to a document outside the
// library, not to the citing one.
var titleEnds = []string{"法", "条例", "规定", "办法", "解释", "细则", "决定", "准则", "规则", "规范", "指引", "措施", "意见", "通知", "典", "》"}

func endsLikeTitle(text string) bool {
	for _, e := range titleEnds {
		if strings.HasSuffix(text, e) {
			return true
		}
	}
	return false
}

// citedVersions resolves a cited title (folded, as written) to versions.
func (ix *Index) citedVersions(title string) []int32 {
	key := strings.TrimPrefix(title, "中华人民共和国")
	if strings.ContainsAny(key, " 《》“”\"") {
		key = titleKey(key)
	}
	if vers := ix.byTitle[key]; len(vers) > 0 {
		return vers
	}
	if full, ok := ix.aliases.resolveDoc(key); ok {
		return ix.byTitle[titleKey(full)]
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// capRunes cuts s to at most n runes (n ≤ 0: no cap).
func capRunes(s string, n int) string {
	if n <= 0 {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// anchorText returns the anchor text of unit u ("" if nothing cites it);
// for tests and diagnostics.
func (ix *Index) anchorText(u int32) string {
	if ix.anchor == nil || ix.anchor.ofUnit[u] < 0 {
		return ""
	}
	return ix.anchor.texts[ix.anchor.ofUnit[u]]
}

// scoreAnchors scores the anchor field for a query; with Weights.Anchor
// on, each anchor document's score joins its provision's text score (and
// its matched words the provision's coverage), so a provision can enter the
// first stage through its citing text alone.
func (ix *Index) scoreAnchors(a *analysed, acc *accum) {
	if ix.anchor == nil {
		return
	}
	scoreField(ix.anchor.field, a, func(t *qterm) int32 { return t.anchor }, acc.aScore, acc.aMask)
	ix.addAnchors(acc, &acc.touched)
}

// addAnchors adds the anchor field's scores and masks (scoreAnchors) to
// the provisions' slots, listing in touched the slots it is first to set.
func (ix *Index) addAnchors(acc *accum, touched *[]int32) {
	w := ix.weights.Anchor
	if ix.anchor == nil || w <= 0 {
		return
	}
	for d, m := range acc.aMask {
		if m == 0 {
			continue
		}
		u := ix.anchor.unit[d]
		x := &acc.units[u]
		if x.mask == 0 {
			*touched = append(*touched, u)
		}
		x.score += w * acc.aScore[d]
		x.mask |= m
	}
}

// anchorScore is the anchor field's BM25 score of unit u for the current
// query (0 if it has no anchor text).
func (ix *Index) anchorScore(acc *accum, u int32) float32 {
	if ix.anchor == nil {
		return 0
	}
	if d := ix.anchor.ofUnit[u]; d >= 0 {
		return acc.aScore[d]
	}
	return 0
}

// AnchorOf returns the anchor text of the provision a citation
// (数据安全法第二十一条) resolves to: "" when it has none; ok is false when
// the citation does not resolve. For diagnostics (`datalex eval -v`).
func (ix *Index) AnchorOf(citation string) (text string, ok bool) {
	u, _, ok := ix.resolveCitation(citation)
	if !ok {
		return "", false
	}
	return ix.anchorText(u), true
}
