package web

import (
	"html/template"
	"strings"

	"datalex/internal/library"
)

// diffRow is one line of the side-by-side comparison (新旧对照).
type diffRow struct {
	Op       string // same, changed, added, removed
	OldLabel string
	NewLabel string
	Old      template.HTML
	New      template.HTML
}

type diffStats struct{ Same, Changed, Added, Removed int }

// Limits keep the quadratic LCS tables small: documents longer than this
// are compared with a greedy alignment instead.
const (
	maxLCSCells     = 4_000_000
	maxCharLCSCells = 1_500_000
)

// diffVersions aligns the provisions of a and b: an LCS over the provision
// texts finds unchanged ones; between them, removed and added provisions
// are paired in order as changed ones and compared character by character.
func diffVersions(a, b *library.Version) ([]diffRow, diffStats) {
	av, bv := diffUnits(a), diffUnits(b)
	at := make([]string, len(av))
	bt := make([]string, len(bv))
	for i, p := range av {
		at[i] = normText(p)
	}
	for i, p := range bv {
		bt[i] = normText(p)
	}
	pairs := lcsPairs(at, bt)
	var rows []diffRow
	var st diffStats
	i, j := 0, 0
	changed := func(x, y int) {
		o, n := charDiff(at[x], bt[y])
		rows = append(rows, diffRow{Op: "changed", OldLabel: chipLabel(at[x], av[x].Label), NewLabel: chipLabel(bt[y], bv[y].Label), Old: o, New: n})
		st.Changed++
	}
	removed := func(x int) {
		rows = append(rows, diffRow{Op: "removed", OldLabel: chipLabel(at[x], av[x].Label), Old: template.HTML("<del>" + template.HTMLEscapeString(at[x]) + "</del>")})
		st.Removed++
	}
	added := func(y int) {
		rows = append(rows, diffRow{Op: "added", NewLabel: chipLabel(bt[y], bv[y].Label), New: template.HTML("<ins>" + template.HTMLEscapeString(bt[y]) + "</ins>")})
		st.Added++
	}
	// flush handles the gap before the next unchanged pair: provisions with
	// the same label (第五条 in both) are paired as changed; the rest are
	// paired in order while both sides have some, then added or removed.
	flush := func(iEnd, jEnd int) {
		la := make([]string, 0, iEnd-i)
		lb := make([]string, 0, jEnd-j)
		for x := i; x < iEnd; x++ {
			la = append(la, "\x00"+av[x].Label)
		}
		for y := j; y < jEnd; y++ {
			lb = append(lb, "\x00"+bv[y].Label)
		}
		anchors := lcsPairs(la, lb)
		anchors = append(anchors, [2]int{len(la), len(lb)})
		i0, j0 := i, j
		for _, an := range anchors {
			x, y := i0+an[0], j0+an[1]
			for i < x && j < y {
				changed(i, j)
				i++
				j++
			}
			for ; i < x; i++ {
				removed(i)
			}
			for ; j < y; j++ {
				added(j)
			}
			if x < iEnd && y < jEnd {
				changed(i, j)
				i++
				j++
			}
		}
	}
	for _, pr := range pairs {
		flush(pr[0], pr[1])
		esc := template.HTML(template.HTMLEscapeString(at[i]))
		rows = append(rows, diffRow{Op: "same", OldLabel: chipLabel(at[i], av[i].Label), NewLabel: chipLabel(bt[j], bv[j].Label), Old: esc, New: esc})
		st.Same++
		i++
		j++
	}
	flush(len(at), len(bt))
	return rows, st
}

// diffUnits are the provisions that carry text of their own: headings such
// as 第一章 (a renamed chapter is a change) and whole articles, not their
// 款 and 项 again.
func diffUnits(v *library.Version) []*library.Provision {
	var out []*library.Provision
	byID := provisionIndex(v)
	for _, p := range v.Provisions {
		if strings.TrimSpace(p.Text) != "" && !insideArticle(p, byID) {
			out = append(out, p)
		}
	}
	return out
}

func normText(p *library.Provision) string {
	return strings.Join(strings.Fields(p.Text), " ")
}

// lcsPairs returns the index pairs of a longest common subsequence of equal
// strings. Over the size limit it matches greedily within a window.
func lcsPairs(a, b []string) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	if n*m > maxLCSCells {
		return greedyPairs(a, b)
	}
	// dp[i][j] = LCS length of a[i:], b[j:], flattened.
	w := m + 1
	dp := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i*w+j] = dp[(i+1)*w+j+1] + 1
			} else {
				dp[i*w+j] = max(dp[(i+1)*w+j], dp[i*w+j+1])
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case dp[(i+1)*w+j] >= dp[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

func greedyPairs(a, b []string) [][2]int {
	var out [][2]int
	j := 0
	for i := 0; i < len(a) && j < len(b); i++ {
		for k := j; k < len(b) && k < j+50; k++ {
			if a[i] == b[k] {
				out = append(out, [2]int{i, k})
				j = k + 1
				break
			}
		}
	}
	return out
}

// charDiff marks the characters that differ between two texts: <del> in
// the old one, <ins> in the new one.
func charDiff(a, b string) (template.HTML, template.HTML) {
	ar, br := []rune(a), []rune(b)
	// Common prefix and suffix need no table.
	p := 0
	for p < len(ar) && p < len(br) && ar[p] == br[p] {
		p++
	}
	s := 0
	for s < len(ar)-p && s < len(br)-p && ar[len(ar)-1-s] == br[len(br)-1-s] {
		s++
	}
	am, bm := ar[p:len(ar)-s], br[p:len(br)-s]
	keepA := make([]bool, len(am))
	keepB := make([]bool, len(bm))
	if len(am)*len(bm) <= maxCharLCSCells {
		n, m := len(am), len(bm)
		w := m + 1
		dp := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					dp[i*w+j] = dp[(i+1)*w+j+1] + 1
				} else {
					dp[i*w+j] = max(dp[(i+1)*w+j], dp[i*w+j+1])
				}
			}
		}
		for i, j := 0, 0; i < n && j < m; {
			switch {
			case am[i] == bm[j]:
				keepA[i], keepB[j] = true, true
				i++
				j++
			case dp[(i+1)*w+j] >= dp[i*w+j+1]:
				i++
			default:
				j++
			}
		}
	}
	render := func(all []rune, mid []rune, keep []bool, tag string) template.HTML {
		var sb strings.Builder
		sb.WriteString(template.HTMLEscapeString(string(all[:p])))
		open := false
		for i, r := range mid {
			if !keep[i] && !open {
				sb.WriteString("<" + tag + ">")
				open = true
			} else if keep[i] && open {
				sb.WriteString("</" + tag + ">")
				open = false
			}
			sb.WriteString(template.HTMLEscapeString(string(r)))
		}
		if open {
			sb.WriteString("</" + tag + ">")
		}
		sb.WriteString(template.HTMLEscapeString(string(all[len(all)-s:])))
		return template.HTML(sb.String())
	}
	return render(ar, am, keepA, "del"), render(br, bm, keepB, "ins")
}

// chipLabel is the label shown before a provision's text when the text
// does not already begin with it.
func chipLabel(text, label string) string {
	if strings.HasPrefix(text, label) {
		return ""
	}
	return label
}
