package search

import (
	"strings"

	"datalex/internal/textseg"
)

// Term importance learned from training questions: the share of questions
// using a word whose gold provisions contain it, P(word in gold text | word
// in question), smoothed towards the average share. Words people use that
// statutes echo (合同, 工资) weigh more than words that only describe the
// asker's situation (老公, 朋友). It feeds the ranker's imp_* features.
type Importance struct {
	Words map[string]float32 `json:"words"`
	Prior float32            `json:"prior"` // the average share, for unseen words
}

// importanceSmoothing is how many questions' worth of the prior a word's
// share starts from.
const importanceSmoothing = 3

// LearnImportance fits term importance on training pairs.
func (ix *Index) LearnImportance(pairs []TrainPair) *Importance {
	nq, ng := map[string]int{}, map[string]int{}
	var totQ, totG int
	for _, p := range pairs {
		var gold []string
		for _, g := range p.Gold {
			if u := ix.articleUnit(g[0], g[1]); u >= 0 {
				gold = append(gold, ix.units[u].text)
			}
		}
		if len(gold) == 0 {
			continue
		}
		text := strings.Join(gold, "\n")
		for _, w := range contentWords(textseg.Fold(p.Question)) {
			nq[w]++
			totQ++
			if strings.Contains(text, w) {
				ng[w]++
				totG++
			}
		}
	}
	imp := &Importance{Words: map[string]float32{}, Prior: 0.5}
	if totQ > 0 {
		imp.Prior = float32(totG) / float32(totQ)
	}
	for w, n := range nq {
		if n < 2 {
			continue // one question says little; the prior stands in
		}
		imp.Words[w] = (float32(ng[w]) + importanceSmoothing*imp.Prior) / (float32(n) + importanceSmoothing)
	}
	return imp
}

// of returns a word's importance.
func (imp *Importance) of(w string) float32 {
	if imp == nil {
		return 1
	}
	if v, ok := imp.Words[w]; ok {
		return v
	}
	return imp.Prior
}

// SetImportance installs term importance (nil: every word 1); not safe
// during searches. SetRanker installs the ranker's own.
func (ix *Index) SetImportance(imp *Importance) { ix.imp = imp }
