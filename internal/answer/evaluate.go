package answer

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"datalex/internal/library"
)

// QAItem is one question of the evaluation set (see shared/eval/README.md).
type QAItem struct {
	ID              string    `json:"id"`
	Question        string    `json:"question"`
	Style           string    `json:"style"`
	Topic           string    `json:"topic"`
	Gold            []GoldRef `json:"gold"`
	GoldAlt         []GoldRef `json:"gold_alt"`
	AnswerFacts     []string  `json:"answer_facts"`
	AnswerFactsNorm []string  `json:"answer_facts_norm"`
}

// GoldRef is one provision that answers an evaluation question.
type GoldRef struct {
	Doc        string `json:"doc"`
	Article    string `json:"article"`
	Seed       string `json:"seed"`
	Line       int    `json:"line"`
	LineEnd    int    `json:"line_end"`
	CharOffset int    `json:"char_offset"`
	CharEnd    int    `json:"char_end"`
	AltFor     int    `json:"alt_for"`
}

// QAResult is the outcome for one question.
type QAResult struct {
	ID         string   `json:"id"`
	Question   string   `json:"question"`
	Refused    bool     `json:"refused"`
	Strength   float64  `json:"strength"`
	FactRecall float64  `json:"fact_recall"`
	Missing    []string `json:"missing_facts,omitempty"`
	// MissingParts are the parts the answer says the library lacks.
	MissingParts []string `json:"missing_parts,omitempty"`
	Cited        int      `json:"cited"`
	CitedGood    int      `json:"cited_good"`
	Citations    []string `json:"citations"`
	// CitationGood says, per citation, whether it counted as correct.
	CitationGood []bool  `json:"citation_good,omitempty"`
	Supported    int     `json:"supported"`
	Sentences    int     `json:"sentences"` // supported + removed
	Millis       float64 `json:"ms"`
	Error        string  `json:"error,omitempty"`
}

// QAReport aggregates an evaluation run.
type QAReport struct {
	Answerer          string     `json:"answerer"`
	Questions         int        `json:"questions"`
	FactRecall        float64    `json:"fact_recall"`        // mean share of answer facts present
	CitationPrecision float64    `json:"citation_precision"` // cited provisions that are gold or hold a gold fact
	SupportedRate     float64    `json:"supported_sentence_rate"`
	InScopeRefusals   int        `json:"in_scope_refusals"`
	OutOfScope        int        `json:"out_of_scope"`
	OutOfScopeRefusal float64    `json:"out_of_scope_refusal_rate"`
	LatencyP50Millis  float64    `json:"latency_p50_ms"`
	LatencyP95Millis  float64    `json:"latency_p95_ms"`
	Results           []QAResult `json:"results"`
	OutOfScopeMissed  []string   `json:"out_of_scope_answered,omitempty"`
	OutOfScopeResults []QAResult `json:"out_of_scope_results,omitempty"`
}

// LoadQA reads a JSON-lines evaluation file.
func LoadQA(path string) ([]QAItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []QAItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it QAItem
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, fmt.Errorf("%s 第 %d 行: %w", path, n, err)
		}
		out = append(out, it)
	}
	return out, sc.Err()
}

//go:embed testdata/out_of_scope.txt
var outOfScopeData string

// OutOfScope returns the built-in out-of-scope questions (tax, sport,
// cooking, family and criminal law …, plus near-domain ones about foreign
// or non-data law) on which EvaluateQA measures refusals.
func OutOfScope() []string {
	return parseLines(outOfScopeData)
}

// LoadLines reads one question per line, skipping blanks and # comments.
func LoadLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseLines(string(data)), nil
}

func parseLines(data string) []string {
	var out []string
	for _, l := range strings.Split(data, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// EvaluateQA answers every question and measures fact recall, citation
// precision, the supported-sentence rate and, over outOfScope, the refusal
// rate. Questions run one after another so latencies are comparable.
func EvaluateQA(ctx context.Context, a *Answerer, questions []QAItem, outOfScope []string) QAReport {
	rep := QAReport{Answerer: Extractive, Questions: len(questions), OutOfScope: len(outOfScope)}
	if a.model != nil {
		rep.Answerer = Model
	}
	var lat []float64
	for _, it := range questions {
		start := time.Now()
		ans, err := a.Ask(ctx, Request{Question: it.Question})
		ms := float64(time.Since(start).Microseconds()) / 1000
		lat = append(lat, ms)
		res := QAResult{ID: it.ID, Question: it.Question, Millis: ms}
		if err != nil {
			res.Error = err.Error()
			rep.Results = append(rep.Results, res)
			continue
		}
		res.Refused = ans.Refused
		res.Strength = ans.Strength
		res.MissingParts = ans.Missing
		if ans.Refused {
			rep.InScopeRefusals++
		}
		text := squash(ans.Text)
		facts := it.AnswerFactsNorm
		found := 0
		for _, f := range facts {
			if strings.Contains(text, squash(f)) {
				found++
			} else {
				res.Missing = append(res.Missing, f)
			}
		}
		if len(facts) > 0 {
			res.FactRecall = float64(found) / float64(len(facts))
		}
		for _, c := range ans.Cites {
			res.Cited++
			res.Citations = append(res.Citations, c.Citation)
			good := a.isGold(c, it)
			res.CitationGood = append(res.CitationGood, good)
			if good {
				res.CitedGood++
			}
		}
		res.Supported = ans.Grounding.Supported
		res.Sentences = ans.Grounding.Supported + ans.Grounding.Removed
		rep.Results = append(rep.Results, res)
	}
	rep.FactRecall, rep.CitationPrecision, rep.SupportedRate = summarize(rep.Results)
	refused := 0
	for _, q := range outOfScope {
		ans, err := a.Ask(ctx, Request{Question: q})
		if err == nil {
			rep.OutOfScopeResults = append(rep.OutOfScopeResults, QAResult{Question: q, Refused: ans.Refused, Strength: ans.Strength})
		}
		if err == nil && ans.Refused {
			refused++
		} else {
			rep.OutOfScopeMissed = append(rep.OutOfScopeMissed, q)
		}
	}
	if len(outOfScope) > 0 {
		rep.OutOfScopeRefusal = float64(refused) / float64(len(outOfScope))
	}
	sort.Float64s(lat)
	if len(lat) > 0 {
		rep.LatencyP50Millis = lat[len(lat)/2]
		rep.LatencyP95Millis = lat[min(len(lat)-1, len(lat)*95/100)]
	}
	return rep
}

// isGold reports whether a cited provision is one of the question's gold
// provisions (by document and label, or by seed and position) or contains
// one of its answer facts.
func (a *Answerer) isGold(c Citation, it QAItem) bool {
	var p *library.Provision
	if a.lib.cat != nil {
		_, p = a.lib.cat.Provision(c.ProvisionID)
	}
	for _, g := range append(append([]GoldRef{}, it.Gold...), it.GoldAlt...) {
		if normDoc(c.Document) == normDoc(g.Doc) && labelMatches(c, p, g.Article) {
			return true
		}
		if p != nil && g.Seed != "" && c.Source == g.Seed && positionMatches(p, g) {
			return true
		}
	}
	if p != nil {
		text := squash(p.Text)
		for _, f := range it.AnswerFactsNorm {
			if strings.Contains(text, squash(f)) {
				return true
			}
		}
	}
	return false
}

// normDoc normalises a document title as the eval README prescribes.
func normDoc(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '《', '》', '“', '”', '"', ' ', '\t', '\n', '\u3000':
			return -1
		}
		return r
	}, s)
	return strings.TrimPrefix(s, "中华人民共和国")
}

func labelMatches(c Citation, p *library.Provision, article string) bool {
	want := squash(article)
	if squash(c.Label) == want {
		return true
	}
	if p != nil {
		path := squash(strings.ReplaceAll(p.Path, "›", ""))
		return want != "" && strings.HasSuffix(path, want)
	}
	return false
}

func positionMatches(p *library.Provision, g GoldRef) bool {
	if g.CharEnd > 0 {
		return p.Line == g.Line && p.Offset >= g.CharOffset && p.Offset < g.CharEnd
	}
	end := g.LineEnd
	if end == 0 {
		end = g.Line
	}
	return p.Line >= g.Line && p.Line <= end
}

// summarize returns the mean fact recall, the citation precision and the
// supported-sentence rate of results (0 where nothing was counted).
func summarize(rs []QAResult) (factRecall, citationPrecision, supportedRate float64) {
	var recall float64
	var cited, good, supported, sentences int
	for _, r := range rs {
		recall += r.FactRecall
		cited += r.Cited
		good += r.CitedGood
		supported += r.Supported
		sentences += r.Sentences
	}
	if len(rs) > 0 {
		factRecall = recall / float64(len(rs))
	}
	if cited > 0 {
		citationPrecision = float64(good) / float64(cited)
	}
	if sentences > 0 {
		supportedRate = float64(supported) / float64(sentences)
	}
	return factRecall, citationPrecision, supportedRate
}
