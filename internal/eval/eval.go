// Package eval measures search quality against questions with gold
// provisions (the format of ../shared/eval/dev.jsonl): Recall@k, hit@k,
// MRR@10 and nDCG@10, overall and per question style.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Gold is one provision that answers a question.
type Gold struct {
	Doc        string `json:"doc"`
	Article    string `json:"article"`
	Seed       string `json:"seed"`
	Line       int    `json:"line"`
	LineEnd    int    `json:"line_end"`
	CharOffset *int   `json:"char_offset,omitempty"`
	CharEnd    *int   `json:"char_end,omitempty"`
	AltFor     int    `json:"alt_for"` // gold_alt only: which gold it may stand in for
}

// Question is one line of an eval file.
type Question struct {
	ID          string `json:"id"`
	Question    string `json:"question"`
	Style       string `json:"style"`
	Topic       string `json:"topic"`
	NProvisions int    `json:"n_provisions"`
	Gold        []Gold `json:"gold"`
	GoldAlt     []Gold `json:"gold_alt"`
	Note        string `json:"note,omitempty"`
}

// Load reads questions, one JSON object per line; blank lines are skipped.
func Load(r io.Reader) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("第 %d 行: %w", n, err)
		}
		if q.Question == "" {
			// STARD's format: {"qid", "query", "gold": [{"law", "article"}]}.
			var st struct {
				QID   json.Number `json:"qid"`
				Query string      `json:"query"`
				Gold  []struct {
					Law     string `json:"law"`
					Article string `json:"article"`
				} `json:"gold"`
			}
			if err := json.Unmarshal([]byte(line), &st); err == nil && st.Query != "" {
				q = Question{ID: st.QID.String(), Question: st.Query, Style: "layperson"}
				for _, g := range st.Gold {
					q.Gold = append(q.Gold, Gold{Doc: g.Law, Article: g.Article})
				}
			}
		}
		if q.Question == "" || len(q.Gold) == 0 {
			return nil, fmt.Errorf("第 %d 行: 缺少 question 或 gold", n)
		}
		out = append(out, q)
	}
	return out, sc.Err()
}

// Hit is what the judge needs to know about a search result.
type Hit struct {
	Document string
	Label    string
	Source   string
	Line     int
	Offset   *int // single-line sources
}

// NormTitle normalises a document title for matching: NFKC, no
// whitespace, no 《》“” quotes, no 中华人民共和国 prefix.
func NormTitle(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '《', '》', '“', '”', '"', '〈', '〉':
			return -1
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	return strings.TrimPrefix(s, "中华人民共和国")
}

// NormLabel normalises a provision label: NFKC, no whitespace, no 、.
func NormLabel(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '、', '\u3000':
			return -1
		}
		return r
	}, s)
}

// Matches reports whether a hit is the gold provision: same document and
// label, or the same source file and a start inside the gold's lines (for
// single-line sources, inside its character range).
func (g Gold) Matches(h Hit) bool {
	if NormTitle(h.Document) == NormTitle(g.Doc) && NormLabel(h.Label) == NormLabel(g.Article) {
		return true
	}
	if g.Seed == "" || h.Source != g.Seed {
		return false
	}
	if g.CharOffset != nil && g.CharEnd != nil {
		return h.Offset != nil && h.Line == g.Line && *h.Offset >= *g.CharOffset && *h.Offset < *g.CharEnd
	}
	end := max(g.LineEnd, g.Line)
	return h.Line >= g.Line && h.Line <= end
}

// Ranks returns, for each gold provision of q, the 1-based rank of the first
// hit that matches it or one of its alternatives (0 when none does). A hit
// is credited to one gold provision only.
func Ranks(q Question, hits []Hit) []int {
	ranks := make([]int, len(q.Gold))
	for r, h := range hits {
		for i, g := range q.Gold {
			if ranks[i] != 0 {
				continue
			}
			ok := g.Matches(h)
			for _, alt := range q.GoldAlt {
				ok = ok || alt.AltFor == i && alt.Matches(h)
			}
			if ok {
				ranks[i] = r + 1
				break
			}
		}
	}
	return ranks
}

// Ks are the cut-offs reported for Recall@k and hit@k.
var Ks = []int{1, 3, 10, 100}

// Metrics are averages over questions.
type Metrics struct {
	N      int             `json:"n"`
	Recall map[int]float64 `json:"recall"` // share of gold provisions in the top k
	Hit    map[int]float64 `json:"hit"`    // share of questions with at least one gold provision in the top k
	MRR10  float64         `json:"mrr@10"`
	NDCG10 float64         `json:"ndcg@10"`
}

// Result is the outcome for one question.
type Result struct {
	ID    string `json:"id"`
	Style string `json:"style"`
	Ranks []int  `json:"ranks"`
}

// Score computes the metrics of a set of per-question results.
func Score(results []Result) Metrics {
	m := Metrics{N: len(results), Recall: map[int]float64{}, Hit: map[int]float64{}}
	if len(results) == 0 {
		return m
	}
	for _, r := range results {
		first := 0
		found := make([]int, 0, len(r.Ranks))
		for _, rank := range r.Ranks {
			if rank > 0 {
				found = append(found, rank)
				if first == 0 || rank < first {
					first = rank
				}
			}
		}
		for _, k := range Ks {
			n := 0
			for _, rank := range found {
				if rank <= k {
					n++
				}
			}
			m.Recall[k] += float64(n) / float64(len(r.Ranks))
			if n > 0 {
				m.Hit[k]++
			}
		}
		if first > 0 && first <= 10 {
			m.MRR10 += 1 / float64(first)
		}
		m.NDCG10 += ndcg10(found, len(r.Ranks))
	}
	n := float64(len(results))
	for _, k := range Ks {
		m.Recall[k] /= n
		m.Hit[k] /= n
	}
	m.MRR10 /= n
	m.NDCG10 /= n
	return m
}

// ndcg10 is binary-relevance nDCG@10 for the ranks at which gold provisions
// were found, out of nGold.
func ndcg10(found []int, nGold int) float64 {
	sort.Ints(found)
	var dcg, idcg float64
	for _, r := range found {
		if r <= 10 {
			dcg += 1 / math.Log2(float64(r)+1)
		}
	}
	for r := 1; r <= min(nGold, 10); r++ {
		idcg += 1 / math.Log2(float64(r)+1)
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// ByStyle splits results by question style and scores each.
func ByStyle(results []Result) map[string]Metrics {
	groups := map[string][]Result{}
	for _, r := range results {
		groups[r.Style] = append(groups[r.Style], r)
	}
	out := map[string]Metrics{}
	for s, rs := range groups {
		out[s] = Score(rs)
	}
	return out
}
