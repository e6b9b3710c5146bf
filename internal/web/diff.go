package web

import (
	"html/template"
	"strings"

	"datalex/internal/library"
	"datalex/internal/versiondiff"
)

// diffRow is one line of the side-by-side comparison (新旧对照).
type diffRow struct {
	Op       string // versiondiff.Op*: same, renumbered, changed, moved, added, removed
	OldLabel string
	NewLabel string
	Old      template.HTML
	New      template.HTML
}

type diffStats = versiondiff.Stats

// Limit keeps the character LCS table small; longer edited provisions are
// marked as a whole between their common prefix and suffix.
const maxCharLCSCells = 1_500_000

// diffVersions aligns the provisions of a and b by content
// (internal/versiondiff: a renumbered article still pairs with its old
// self) and marks the characters that changed in each pair.
func diffVersions(a, b *library.Version) ([]diffRow, diffStats) {
	rows, st := versiondiff.Compare(a, b)
	out := make([]diffRow, 0, len(rows))
	for _, r := range rows {
		var at, bt string
		var d diffRow
		d.Op = r.Op
		if r.Old != nil {
			at = normText(r.Old)
			d.OldLabel = chipLabel(at, r.Old.Label)
		}
		if r.New != nil {
			bt = normText(r.New)
			d.NewLabel = chipLabel(bt, r.New.Label)
		}
		switch r.Op {
		case versiondiff.OpSame:
			d.Old = template.HTML(template.HTMLEscapeString(at))
			d.New = d.Old
		case versiondiff.OpAdded:
			d.New = template.HTML("<ins>" + template.HTMLEscapeString(bt) + "</ins>")
		case versiondiff.OpRemoved:
			d.Old = template.HTML("<del>" + template.HTMLEscapeString(at) + "</del>")
		default: // renumbered, changed, moved
			d.Old, d.New = charDiff(at, bt)
		}
		out = append(out, d)
	}
	return out, st
}

func normText(p *library.Provision) string {
	return strings.Join(strings.Fields(p.Text), " ")
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
