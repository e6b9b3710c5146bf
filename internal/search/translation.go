package search

import (
	_ "embed"
	"encoding/json"
	"math"
	"sort"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// A translation model bridges how people ask and how statutes are worded
// from data rather than hand lists: from training questions paired with
// their gold provisions it learns which statute words follow a question
// word (p(statute word | question word), kept only when it is well above the
// word's background rate). At query time the associated words join the
// query as optional expansions. Fitted and scored with k-fold
// cross-validation by `datalex eval --folds`.
type Translation map[string][]Assoc

// Assoc is one associated statute word and its weight in (0, 1].
type Assoc struct {
	Word   string  `json:"w"`
	Weight float32 `json:"p"`
}

// TrainPair is one training question and its gold provisions.
type TrainPair struct {
	Question string
	Gold     [][2]string // (document title, article label)
}

const (
	transMinCount = 2 // question–provision co-occurrences an association needs
	// transPerWord is the number of associations kept per question word:
	// 5, 8, 12 and 16 held out (joint 5-fold command, session 27) STARD
	// MRR@10 0.499, 0.506, 0.513, 0.512 and data-asset MRR@10 0.659,
	// 0.661, 0.688, 0.679; the gain levels off at 12.
	transPerWord = 12
	// transScanned is the number of a question's expansions (strongest
	// first) whose postings the first stage scans; the others (up to
	// 2·transPerWord) are counted only for the re-scored pool, where the
	// ranker reads them (body_trans). Scanning all 24 held out best
	// (STARD MRR@10 0.513, data-asset 0.688) but cost 40% more time per
	// question; 2 keeps STARD 0.503 and data-asset 0.677 (the former 5
	// per word, 10 scanned: 0.499, 0.659) at the former model's time —
	// session 27, joint 5-fold command and datalex bench search.
	transScanned = 2
)

// articleUnit finds the unit of a document's article, preferring the
// version in force.
func (ix *Index) articleUnit(doc, label string) int32 {
	best, bestRank := int32(-1), -1
	for _, vi := range ix.byTitle[titleKey(doc)] {
		u, ok := ix.labels[labelRef{vi, labelKey(label)}]
		if !ok {
			continue
		}
		r := 0
		if ix.versions[vi].Status == library.StatusInForce {
			r = 1
		}
		if r > bestRank {
			best, bestRank = u, r
		}
	}
	return best
}

// LearnTranslation fits a translation model on training pairs.
func (ix *Index) LearnTranslation(pairs []TrainPair) Translation {
	count := map[string]map[string]int{}
	nq := map[string]int{}
	for _, p := range pairs {
		qws := contentWords(textseg.Fold(p.Question))
		inQ := map[string]bool{}
		for _, w := range qws {
			inQ[w] = true
		}
		aws := map[string]bool{}
		for _, g := range p.Gold {
			if u := ix.articleUnit(g[0], g[1]); u >= 0 {
				for _, w := range contentWords(ix.units[u].text) {
					if !inQ[w] && ix.body.term(w) >= 0 {
						aws[w] = true
					}
				}
			}
		}
		if len(aws) == 0 {
			continue
		}
		for w := range inQ {
			nq[w]++
			m := count[w]
			if m == nil {
				m = map[string]int{}
				count[w] = m
			}
			for a := range aws {
				m[a]++
			}
		}
	}
	n := float64(max(ix.body.nDocs, 1))
	out := Translation{}
	for q, m := range count {
		var as []Assoc
		for a, c := range m {
			if c < transMinCount {
				continue
			}
			pCond := float64(c) / float64(nq[q])
			pBack := float64(len(ix.body.post[ix.body.term(a)])) / n
			lift := pCond / pBack
			if lift < 2 {
				continue
			}
			as = append(as, Assoc{a, float32(pCond * math.Log(lift))})
		}
		sort.Slice(as, func(i, j int) bool {
			if as[i].Weight != as[j].Weight {
				return as[i].Weight > as[j].Weight
			}
			return as[i].Word < as[j].Word
		})
		if len(as) > transPerWord {
			as = as[:transPerWord]
		}
		if len(as) == 0 {
			continue
		}
		top := as[0].Weight
		for i := range as {
			as[i].Weight /= top
		}
		out[q] = as
	}
	return out
}

// SetTranslation installs a model (nil: none); not safe during searches.
func (ix *Index) SetTranslation(t Translation) { ix.trans = t }

// Translation returns the installed model (a fitted model is plain words,
// so one fitted on a library can be installed on another).
func (ix *Index) Translation() Translation { return ix.trans }

// addTranslation adds the model's associations of the user's words as
// optional expansion groups, merged per statute word.
func (ix *Index) addTranslation(a *analysed) {
	if len(ix.trans) == 0 || ix.weights.Trans <= 0 {
		return
	}
	inQ := map[string]bool{}
	for _, w := range a.words {
		inQ[w] = true
	}
	sum := map[string]float32{}
	var order []string
	for _, w := range a.words {
		for _, as := range ix.trans[w] {
			if inQ[as.Word] {
				continue
			}
			if _, ok := sum[as.Word]; !ok {
				order = append(order, as.Word)
			}
			sum[as.Word] += as.Weight
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return sum[order[i]] > sum[order[j]] })
	for i, w := range order[:min(len(order), 2*transPerWord)] {
		if len(a.groups) >= maxGroups {
			break
		}
		g := qgroup{word: w, terms: ix.termsFor(w), scale: ix.weights.Trans * min(sum[w], 1), expand: true, trans: true, src: srcTrans}
		ix.groupWeight(&g)
		if i >= transScanned && a.nOrig >= 2 {
			// Scanned only in the re-scoring of the pool, as the
			// library's most common words are (dropCommon; not for a
			// one-word query, whose count of matches the expansions
			// decide): see transScanned. A short list is cheap to scan.
			for ti := range g.terms {
				if t := &g.terms[ti]; t.body >= 0 && len(ix.body.post[t.body]) > minDropPostings {
					a.dropped = append(a.dropped, droppedTerm{t.body, g.scale * t.weight * ix.body.idf(t.body), len(a.groups)})
					t.body = -1
				}
			}
		}
		a.expMask |= 1 << len(a.groups)
		a.groups = append(a.groups, g)
	}
}

// translationFile is the model shipped with the program: fitted on the
// STARD training questions and the data-asset training questions (dev,
// probe, probe3, probe4) over the LawRefBook + seeds library, reproduced by
//
//	datalex eval --data DIR --queries stard-train.jsonl --learn-translation internal/search/translation.json \
//	  --learn-translation-also ../shared/eval/dev.jsonl,internal/answer/testdata/probe.jsonl,internal/answer/testdata/probe3.jsonl,internal/answer/testdata/probe4.jsonl
//
// (rank.json is fitted with --rank-translation --rank-translation-also, so
// the ranker's rows saw translation features of the same kind, each from a
// model that did not see the row's question.) Single-character question
// words keep their associations: leaving them out cost 5-fold held-out
// MRR@10 on the 132 data-asset questions (0.659 → 0.641) and changed STARD
// within noise.
//
//go:embed translation.json
var translationFile []byte

// defaultTranslation is the shipped model (nil if the file is empty).
var defaultTranslation = func() Translation {
	var t Translation
	if len(translationFile) > 0 && json.Unmarshal(translationFile, &t) != nil {
		panic("search: bad translation.json")
	}
	return t
}()

// DefaultTranslation returns the shipped model.
func DefaultTranslation() Translation { return defaultTranslation }

// WriteJSON writes the model compactly with sorted keys (stable diffs).
func (t Translation) WriteJSON() ([]byte, error) {
	return json.Marshal(t) // map keys are sorted by encoding/json
}
