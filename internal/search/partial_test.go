package search

import (
	"context"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// TestTotalAndPartial: every ranked hit is counted once, in Total (it
// holds the query: its one word, or half of its words) or in Partial,
// and is marked accordingly, so a page can show a count that agrees with
// its list.
func TestTotalAndPartial(t *testing.T) {
	ix := NewIndex(fixture())
	tests := []string{"数据出境", "数据", "个人信息保护", "数据出境 安全评估 境外 核心", "重要数据 目录"}
	for _, text := range tests {
		t.Run(text, func(t *testing.T) {
			q, err := ParseQuery(text)
			if err != nil {
				t.Fatal(err)
			}
			q.K = MaxK
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != min(res.Total+res.Partial, MaxK) {
				t.Errorf("%d hits, Total %d + Partial %d", len(res.Hits), res.Total, res.Partial)
			}
			partial := 0
			for _, h := range res.Hits {
				if h.Partial {
					partial++
				}
				if words := strings.Fields(text); len(words) == 1 {
					u, p := ix.catalogProvision(h.ProvisionID)
					p += " " + ix.unitHeadings(u) // expansions match headings too
					// The word itself, or one of its statutory expansions.
					holds := strings.Contains(textseg.Fold(p), textseg.Fold(text)) || strings.Contains(textseg.Fold(h.Document), textseg.Fold(text))
					// The expansions Search adds (translation, definitions,
					// associations, feedback) count as the word, as they do in fullMatch.
					a := ix.analyseQuery(text)
					ix.addTranslation(&a)
					ix.addDefinitions(&a, a.folded)
					ix.addAssociations(&a)
					if ix.weights.PRF > 0 {
						ix.addFeedback(context.Background(), &a, q)
					}
					for _, g := range a.groups {
						for _, term := range g.terms {
							holds = holds || g.expand && strings.Contains(textseg.Fold(p), term.text)
						}
					}
					if holds == h.Partial {
						t.Errorf("%s: holds %q = %v but Partial = %v", h.Citation, text, holds, h.Partial)
					}
				}
			}
			if partial != res.Partial && len(res.Hits) < MaxK {
				t.Errorf("%d partial hits listed, Partial %d", partial, res.Partial)
			}
		})
	}
}

// unitHeadings returns the heading context unit u is indexed with.
func (ix *Index) unitHeadings(u int32) string {
	if u < 0 {
		return ""
	}
	byID := map[string]*library.Provision{}
	v := ix.versions[ix.units[u].ver]
	for i := range v.Provisions {
		byID[v.Provisions[i].ID] = v.Provisions[i]
	}
	return headContext(ix.units[u].p, byID)
}

// catalogProvision returns the indexed text of a provision (its article
// with paragraphs).
func (ix *Index) catalogProvision(id string) (int32, string) {
	for i := range ix.units {
		if ix.units[i].p.ID == id {
			return int32(i), ix.units[i].orig
		}
	}
	return -1, ""
}
