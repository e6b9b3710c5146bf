// Package versiondiff aligns the provisions of two versions of one work for
// the 新旧对照 (old/new comparison).
//
// Revisions renumber: the 2023 行政复议法 inserts articles near the start,
// so its 第二十条 is not the 2017 第二十条. Pairing by article number, or by
// position between unchanged texts, pairs unrelated provisions. Provisions
// are therefore paired by their content: the text without its leading label
// is compared by character-bigram similarity, an order-preserving alignment
// maximises the total similarity of the pairs (a weighted LCS), and
// provisions left over that still resemble each other are paired as moved.
package versiondiff

import (
	"regexp"
	"sort"
	"strings"

	"datalex/internal/library"
)

// Op says what happened to a provision between the old and the new version.
const (
	OpSame       = "same"       // identical text, same label
	OpRenumbered = "renumbered" // identical text under another label (第二十条 → 第二十三条)
	OpChanged    = "changed"    // similar text, edited
	OpMoved      = "moved"      // similar text, moved out of order
	OpAdded      = "added"      // only in the new version
	OpRemoved    = "removed"    // only in the old version
)

// MinSimilarity is the least bigram similarity for two provisions to be the
// same provision edited rather than one removed and another added. Chosen
// on the real 行政复议法 and 公司法 revisions: edited articles score above
// 0.5, unrelated articles of one law below 0.3.
const MinSimilarity = 0.4

// Row is one line of the comparison. Old or New is nil for added and removed
// provisions.
type Row struct {
	Op         string             `json:"op"`
	Old        *library.Provision `json:"-"`
	New        *library.Provision `json:"-"`
	Similarity float64            `json:"similarity"`
}

// Stats counts the rows by op.
type Stats struct {
	Same       int `json:"same"`
	Renumbered int `json:"renumbered"`
	Changed    int `json:"changed"`
	Moved      int `json:"moved"`
	Added      int `json:"added"`
	Removed    int `json:"removed"`
}

// maxCells bounds the alignment table; longer pairs of documents (rare: the
// table for two 1,300-article codes is 1.7 M cells) fall back to pairing by
// similarity alone.
const maxCells = 6_000_000

// Units are the provisions compared: those with text of their own — headings
// such as 第一章 (a renamed chapter is a change) and whole articles, not their
// 款 and 项 again (an article's text holds them).
func Units(v *library.Version) []*library.Provision {
	byID := make(map[string]*library.Provision, len(v.Provisions))
	for _, p := range v.Provisions {
		byID[p.ID] = p
	}
	var out []*library.Provision
	for _, p := range v.Provisions {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		if parent := byID[p.ParentID]; parent != nil && parent.Kind == library.ProvArticle {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Body is a provision's text without whitespace and without its leading
// label, the part that stays when an article is renumbered.
func Body(p *library.Provision) string {
	t := strings.Join(strings.Fields(p.Text), "")
	if l := strings.Join(strings.Fields(p.Label), ""); l != "" && strings.HasPrefix(t, l) {
		t = t[len(l):]
	} else if m := reLeadLabel.FindString(t); m != "" {
		t = t[len(m):]
	}
	return strings.TrimLeft(t, "　 、.．")
}

var reLeadLabel = regexp.MustCompile(`^第[零〇一二三四五六七八九十百千\d]+[条章节编]`)

// Compare aligns the provisions of old and new and returns the rows in
// reading order: the new version's order, with removed provisions where
// they stood in the old one.
func Compare(old, new *library.Version) ([]Row, Stats) {
	a, b := Units(old), Units(new)
	return Align(a, b)
}

// Align aligns two provision lists (see Compare).
func Align(a, b []*library.Provision) ([]Row, Stats) {
	ab := make([]string, len(a))
	bb := make([]string, len(b))
	for i, p := range a {
		ab[i] = Body(p)
	}
	for j, p := range b {
		bb[j] = Body(p)
	}
	sim := similarities(ab, bb)

	// matchOld[i] = j paired with a[i], or -1; moved marks pairs found
	// outside the order-preserving alignment.
	matchOld := make([]int, len(a))
	matchNew := make([]int, len(b))
	for i := range matchOld {
		matchOld[i] = -1
	}
	for j := range matchNew {
		matchNew[j] = -1
	}
	moved := map[int]bool{}
	if len(a)*len(b) <= maxCells {
		for _, pr := range alignOrdered(len(a), len(b), sim) {
			matchOld[pr[0]], matchNew[pr[1]] = pr[1], pr[0]
		}
	}
	// Leftovers that still resemble each other moved (or, over the size
	// limit, everything is paired this way): best pairs first.
	type cand struct {
		i, j int
		s    float64
	}
	var cands []cand
	for i, row := range sim {
		if matchOld[i] >= 0 {
			continue
		}
		for j, s := range row {
			if matchNew[j] < 0 && s >= MinSimilarity {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	sort.Slice(cands, func(x, y int) bool {
		if cands[x].s != cands[y].s {
			return cands[x].s > cands[y].s
		}
		if cands[x].i != cands[y].i {
			return cands[x].i < cands[y].i
		}
		return cands[x].j < cands[y].j
	})
	for _, c := range cands {
		if matchOld[c.i] < 0 && matchNew[c.j] < 0 {
			matchOld[c.i], matchNew[c.j] = c.j, c.i
			moved[c.j] = true
		}
	}
	// Over the size limit the greedy pairs are not known to be in order:
	// those that keep the order are not "moved".
	if len(a)*len(b) > maxCells {
		last := -1
		for j := range b {
			if i := matchNew[j]; i >= 0 {
				if i > last {
					delete(moved, j)
					last = i
				}
			}
		}
	}

	var rows []Row
	var st Stats
	emit := func(r Row) {
		rows = append(rows, r)
		switch r.Op {
		case OpSame:
			st.Same++
		case OpRenumbered:
			st.Renumbered++
		case OpChanged:
			st.Changed++
		case OpMoved:
			st.Moved++
		case OpAdded:
			st.Added++
		case OpRemoved:
			st.Removed++
		}
	}
	// Removed old provisions are shown where they stood: before the
	// provisions added in the same gap, and before the next new provision
	// paired in order with an old one after them.
	nextOld := make([]int, len(b)+1)
	nextOld[len(b)] = len(a)
	for j := len(b) - 1; j >= 0; j-- {
		nextOld[j] = nextOld[j+1]
		if matchNew[j] >= 0 && !moved[j] {
			nextOld[j] = matchNew[j]
		}
	}
	i := 0
	flushRemoved := func(upTo int) {
		for ; i < upTo && i < len(a); i++ {
			if matchOld[i] < 0 {
				emit(Row{Op: OpRemoved, Old: a[i]})
			}
		}
	}
	for j := range b {
		oi := matchNew[j]
		switch {
		case oi < 0:
			flushRemoved(nextOld[j])
			emit(Row{Op: OpAdded, New: b[j]})
		case moved[j]:
			emit(Row{Op: OpMoved, Old: a[oi], New: b[j], Similarity: sim[oi][j]})
		default:
			flushRemoved(oi)
			if i == oi {
				i++
			}
			op := OpChanged
			if ab[oi] == bb[j] {
				op = OpSame
				if label(a[oi]) != label(b[j]) {
					op = OpRenumbered
				}
			}
			emit(Row{Op: op, Old: a[oi], New: b[j], Similarity: sim[oi][j]})
		}
	}
	flushRemoved(len(a))
	return rows, st
}

func label(p *library.Provision) string { return strings.Join(strings.Fields(p.Label), "") }

// similarities returns, for every old provision, its similarity to the new
// provisions it shares bigrams with (a sparse row: map new index →
// similarity), computed through an inverted index so that long documents do
// not compare every pair of texts.
func similarities(a, b []string) []map[int]float64 {
	ag := make([]map[string]int, len(a))
	bg := make([]map[string]int, len(b))
	for i, t := range a {
		ag[i] = bigrams(t)
	}
	post := map[string][]int{}
	for j, t := range b {
		bg[j] = bigrams(t)
		for g := range bg[j] {
			post[g] = append(post[g], j)
		}
	}
	size := func(m map[string]int) int {
		n := 0
		for _, c := range m {
			n += c
		}
		return n
	}
	bs := make([]int, len(b))
	for j := range b {
		bs[j] = size(bg[j])
	}
	// Bigrams found in most provisions (的规, 应当) say nothing about which
	// provision is which; they still count in the score, but are not used
	// to find candidates.
	common := len(b)/4 + 8
	out := make([]map[int]float64, len(a))
	for i := range a {
		out[i] = map[int]float64{}
		as := size(ag[i])
		if as == 0 {
			continue
		}
		cand := map[int]bool{}
		for g := range ag[i] {
			if ps := post[g]; len(ps) <= common {
				for _, j := range ps {
					cand[j] = true
				}
			}
		}
		if len(cand) == 0 {
			// Short headings made only of common bigrams (第一章 总则):
			// compare with every new provision of the same text.
			for j := range b {
				if a[i] == b[j] {
					cand[j] = true
				}
			}
		}
		for j := range cand {
			if bs[j] == 0 {
				continue
			}
			shared := 0
			for g, c := range ag[i] {
				shared += min(c, bg[j][g])
			}
			if s := 2 * float64(shared) / float64(as+bs[j]); s > 0 {
				out[i][j] = s
			}
		}
	}
	return out
}

// bigrams counts the character bigrams of t (a one-character text counts
// as itself).
func bigrams(t string) map[string]int {
	rs := []rune(t)
	m := map[string]int{}
	if len(rs) == 1 {
		m[t]++
	}
	for k := 0; k+1 < len(rs); k++ {
		m[string(rs[k:k+2])]++
	}
	return m
}

// alignOrdered finds the order-preserving set of pairs (i ascending with j)
// whose similarities, each at least MinSimilarity, have the largest sum.
func alignOrdered(n, m int, sim []map[int]float64) [][2]int {
	if n == 0 || m == 0 {
		return nil
	}
	w := m + 1
	// dp[i*w+j] = best total for a[i:], b[j:].
	dp := make([]float32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		row := sim[i]
		for j := m - 1; j >= 0; j-- {
			best := max(dp[(i+1)*w+j], dp[i*w+j+1])
			if s, ok := row[j]; ok && s >= MinSimilarity {
				best = max(best, dp[(i+1)*w+j+1]+float32(s))
			}
			dp[i*w+j] = best
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		if s, ok := sim[i][j]; ok && s >= MinSimilarity && dp[i*w+j] == dp[(i+1)*w+j+1]+float32(s) {
			out = append(out, [2]int{i, j})
			i++
			j++
			continue
		}
		if dp[(i+1)*w+j] >= dp[i*w+j+1] {
			i++
		} else {
			j++
		}
	}
	return out
}

// JSONRow is a Row as the CLI and the API print it.
type JSONRow struct {
	Op         string  `json:"op"`
	Old        *Side   `json:"old"`
	New        *Side   `json:"new"`
	Similarity float64 `json:"similarity"`
}

// Side is one provision of a JSONRow.
type Side struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// JSON converts rows for output; similarity is rounded to two decimals.
func JSON(rows []Row) []JSONRow {
	out := make([]JSONRow, 0, len(rows))
	side := func(p *library.Provision) *Side {
		if p == nil {
			return nil
		}
		return &Side{ID: p.ID, Label: p.Label, Text: p.Text}
	}
	for _, r := range rows {
		out = append(out, JSONRow{Op: r.Op, Old: side(r.Old), New: side(r.New), Similarity: float64(int(r.Similarity*100+0.5)) / 100})
	}
	return out
}
