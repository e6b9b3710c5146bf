package answer

import (
	_ "embed"
	"encoding/json"
	"math"
	"regexp"
	"strings"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Which provisions an answer cites is decided by evidence, one candidate
// at a time: a logistic model (citeModel) of "this provision is a correct
// citation" — a provision that governs the question or whose text carries
// a fact the answer needs — over what the retrieval knows of it: its rank
// and score, how much of the question its best sentences cover, whether
// they carry what the question type asks for (a fine, a period, a count),
// whether it shares the leading provision's document, its validity, level,
// place and sector. The model is fitted with k-fold cross-validation on
// labelled questions (TestFitCite), never hand-set; its operating point
// (the probability a supporting provision needs) is chosen on the held-out
// folds.

// citeLead is how many leading candidates the citation model considers.
const citeLead = 8

// citeModel is the fitted citation model and its operating point.
type citeModel struct {
	scopeModel
	// Keep is the probability a provision other than the governing one
	// needs to be cited.
	Keep float64 `json:"keep"`
	// KeepMulti is Keep for a question of several parts, which usually
	// needs a provision per part.
	KeepMulti float64 `json:"keep_multi"`
	// Choice weighs the candidates' features in a conditional logit (a
	// softmax over one question's candidates) fitted to pick the candidate
	// that is a correct citation: which provision governs the answer.
	Choice []float64 `json:"choice"`
	// Govern is the margin by which a lower-ranked candidate's choice
	// probability must beat the leading candidate's to become the
	// governing provision (≥ 1 keeps the leading one).
	Govern float64 `json:"govern"`
}

//go:embed cite_model.json
var citeModelJSON []byte

// defaultCite is the citation model shipped in cite_model.json, written by
// TestFitCite (see there for the command).
var defaultCite = func() citeModel {
	var m citeModel
	if err := json.Unmarshal(citeModelJSON, &m); err != nil {
		panic("answer: cite_model.json: " + err.Error())
	}
	return m
}()

// citeFeatureNames label citeFeatures' vector, in order (for the fitted
// file and its report).
var citeFeatureNames = []string{
	"rank", "score_rel", "coverage", "best", "typed", "covered_share", "quote_cov",
	"quote_typed", "quote_quantity", "same_doc", "standing", "local_unnamed",
	"standard_unasked", "sector_mismatch", "named", "rrf_rel", "cov_rel", "short",
	"adds_point", "part_best", "law_level", "rule_level", "appendix", "article",
	"operative", "definition_unasked", "heading_of_lead", "unit_match", "unit_other",
	"focus_named", "focus_listed",
}

// citeFeatures describes the leading candidates of r for the citation
// model, one vector each.
func (a *Answerer) citeFeatures(r *retrieval) [][]float64 {
	cands := r.candidates
	n := min(len(cands), citeLead)
	if n == 0 {
		return nil
	}
	q, top := r.q, cands[0]
	maxRRF := 0.0
	for _, d := range cands[:n] {
		maxRRF = math.Max(maxRRF, d.rrf)
	}
	// The best candidate of each sub-question of a multi-part question.
	partBest := map[int]bool{}
	for _, part := range q.Parts {
		pq := analyze(part, a.lx, nil, nil)
		a.lib.weigh(pq.Groups)
		best, bestScore := -1, 0.0
		for i, c := range cands[:n] {
			if s := coverage(squash(c.Document+c.Text), pq.Groups) * standing(c.Passage); s > bestScore {
				best, bestScore = i, s
			}
		}
		if best >= 0 {
			partBest[best] = true
		}
	}
	rel := func(a, b float64) float64 {
		if b <= 0 {
			return 0
		}
		return math.Min(a/b, 1.5)
	}
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	asksDefinition := reAsksDefinition.MatchString(q.Text)
	asksQuantity := q.Intent&(IntentAmount|IntentTime) != 0 || q.Type&(TypePenalty|TypePeriod|TypeThreshold) != 0
	unit, head := textseg.AskedUnit(q.Text), focusHead(q.Text)
	out := make([][]float64, n)
	for i, c := range cands[:n] {
		share := 0.0
		if len(q.Groups) > 0 {
			share = float64(c.covered) / float64(len(q.Groups))
		}
		quote := strings.Join(selectSentences(c.Passage, q, wholeRunes), "")
		uf, ff := unitFit(unit, c.Text), focusFit(head, c.Text)
		out[i] = []float64{
			1 / float64(1+i),
			rel(c.final, top.final),
			c.coverage,
			c.best,
			c.typed,
			share,
			coverage(squash(quote), q.Groups),
			b(q.Type != 0 && q.evidence(quote)),
			b(asksQuantity && hasQuantity(quote)),
			b(c.WorkID == top.WorkID),
			standing(c.Passage),
			b(!c.named && !placeNamed(q.Text, c.Passage)),
			b(!c.named && isStandard(c.Level) && !reAsksStandard.MatchString(q.Text)),
			b(!c.named && !sectorNamed(q, c.Passage)),
			b(c.named || c.cited),
			rel(c.rrf, maxRRF),
			rel(c.coverage, top.coverage),
			b(runeLen(strings.TrimSpace(c.Text)) < 40 || c.Kind == library.KindCatalogue),
			b(i > 0 && addsPoint(c, cands[:1], q.Groups)),
			b(partBest[i]),
			b(c.Level == library.LevelLaw || c.Level == library.LevelAdminRegs),
			b(c.Level == library.LevelDeptRules || c.Level == library.LevelLocalRegs || c.Level == library.LevelLocalRules || c.Level == library.LevelJudicial),
			b(strings.HasPrefix(c.Label, "附")),
			b(c.Kind != library.KindCatalogue && library.ArticleNumber(c.Label) > 0),
			b(operative(quote)),
			b(!asksDefinition && isDefinition(c.Passage)),
			b(headsAnother(c, cands[:n])),
			b(uf > 0),
			b(uf < 0),
			b(ff > 0),
			b(ff > 1),
		}
	}
	return out
}

// reModality finds the words by which a provision states a rule: an
// obligation, a prohibition, a permission or a right.
var reModality = regexp.MustCompile(`应当|不得|禁止|可以|有权|必须|不予|应予|须`)

// operative reports whether a quote states a rule (carries a modality
// word) rather than only mentioning the question's words.
func operative(quote string) bool { return reModality.MatchString(quote) }

// reAsksDefinition finds a question about what a term means.
var reAsksDefinition = regexp.MustCompile(`什么是|是什么|是指|指什么|指的是|定义|含义|概念|何谓|怎么理解|如何理解`)

// reDefinition finds a definition clause: 本办法所称…, …是指…, a term
// entry of a standard's 术语和定义.
var reDefinition = regexp.MustCompile(`^(第[一二三四五六七八九十百零]+条)?\s*(本\S{0,10}所称|\S{0,24}是指)`)

// isDefinition reports whether p defines a term rather than states a rule.
func isDefinition(p Passage) bool {
	return reDefinition.MatchString(strings.TrimSpace(p.Text)) || strings.Contains(p.Path, "术语") || reTermsArticle.MatchString(p.Text)
}

// reTermsArticle finds the article that defines a text's terms in one
// list, as Chinese statutes draft it: 本法下列用语的含义, 本条例中下列用语的含义是.
var reTermsArticle = regexp.MustCompile(`^\s*(第[一二三四五六七八九十百零]+条)?\s*本\S{0,6}(中)?下列用语(的)?含义`)

// headsAnother reports whether c is an outline heading (or article) of
// which another leading candidate is a part: the part carries the point.
func headsAnother(c *candidate, lead []*candidate) bool {
	if c.Path == "" {
		return false
	}
	for _, d := range lead {
		if d != c && d.WorkID == c.WorkID && strings.HasPrefix(d.Path, c.Path+" ›") {
			return true
		}
	}
	return false
}

// probs are the model's probabilities for feature vectors.
func (m citeModel) probs(xs [][]float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = m.prob(x)
	}
	return out
}

// choose returns the indexes of the candidates to cite, governing first:
// the governing one (see governing), then, in rank order, those the model
// judges correct citations with probability ≥ Keep (KeepMulti for a
// multi-part question), up to limit.
func (m citeModel) choose(r *retrieval, xs [][]float64, probs []float64, limit int) []int {
	if len(probs) == 0 {
		return nil
	}
	g := m.governing(r, m.choiceProbs(xs))
	out := []int{g}
	keep := m.Keep
	if len(r.q.Parts) > 1 {
		keep = m.KeepMulti
	}
	for i, p := range probs {
		if len(out) >= limit {
			break
		}
		if i != g && p >= keep {
			out = append(out, i)
		}
	}
	return out
}

// choiceProbs is the conditional logit's softmax over the candidates.
func (m citeModel) choiceProbs(xs [][]float64) []float64 {
	out := make([]float64, len(xs))
	mx := math.Inf(-1)
	for i, x := range xs {
		z := 0.0
		for j, v := range x {
			if j < len(m.Choice) {
				z += m.Choice[j] * v
			}
		}
		out[i] = z
		mx = math.Max(mx, z)
	}
	sum := 0.0
	for i := range out {
		out[i] = math.Exp(out[i] - mx)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// governing is the index of the candidate that governs the answer: the
// leading one, unless the choice model prefers a lower-ranked one by the
// Govern margin; a cited article always governs.
func (m citeModel) governing(r *retrieval, choice []float64) int {
	if len(choice) == 0 || r.candidates[0].cited || m.Govern >= 1 {
		return 0
	}
	best := 0
	for i, p := range choice {
		if p > choice[best] {
			best = i
		}
	}
	if best != 0 && choice[best]-choice[0] >= m.Govern {
		return best
	}
	return 0
}

// fitChoice fits the conditional logit by batch gradient descent: for each
// question (a list of candidate vectors with at least one correct one) the
// softmax of w·x is pulled towards the correct candidates.
func fitChoice(qs [][][]float64, golds [][]bool, l2 float64) []float64 {
	if len(qs) == 0 || len(qs[0]) == 0 {
		return nil
	}
	d := len(qs[0][0])
	w := make([]float64, d)
	g := make([]float64, d)
	m := citeModel{Choice: w}
	const rate, steps = 0.5, 3000
	for it := 0; it < steps; it++ {
		for j := range g {
			g[j] = l2 * w[j]
		}
		n := 0
		for qi, xs := range qs {
			ng := 0
			for _, y := range golds[qi] {
				if y {
					ng++
				}
			}
			if ng == 0 {
				continue
			}
			n++
			p := m.choiceProbs(xs)
			for i, x := range xs {
				t := 0.0
				if golds[qi][i] {
					t = 1 / float64(ng)
				}
				for j, v := range x {
					g[j] += (p[i] - t) * v / float64(len(qs))
				}
			}
		}
		if n == 0 {
			return w
		}
		for j := range w {
			w[j] -= rate * g[j]
		}
	}
	return w
}
