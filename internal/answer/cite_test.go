package answer

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestDefaultCiteModel(t *testing.T) {
	if len(defaultCite.W) != len(citeFeatureNames) {
		t.Fatalf("cite_model.json has %d weights, features are %d: refit with TestFitCite", len(defaultCite.W), len(citeFeatureNames))
	}
	// A probability threshold, or 2 (the fit's grid point for "quote only
	// the governing provision and the parts' own").
	for _, keep := range []float64{defaultCite.Keep, defaultCite.KeepMulti} {
		if keep <= 0 || (keep > 1.01 && keep != 2) {
			t.Errorf("keep threshold %.2f out of range", keep)
		}
	}
}

func TestCiteChoose(t *testing.T) {
	r := &retrieval{q: &Question{}, candidates: []*candidate{{}, {}, {}, {}, {}}}
	flat := [][]float64{{0}, {0}, {0}, {0}}
	third := [][]float64{{0}, {0}, {1}, {0}}
	tests := []struct {
		name   string
		m      citeModel
		xs     [][]float64
		probs  []float64
		limit  int
		expect []int
	}{
		{"keeps the leading one and those above keep", citeModel{Keep: 0.5, Govern: 1}, flat, []float64{0.2, 0.6, 0.4, 0.9}, 4, []int{0, 1, 3}},
		{"cap", citeModel{Keep: 0.5, Govern: 1}, flat, []float64{0.2, 0.6, 0.4, 0.9}, 2, []int{0, 1}},
		{"the choice model's clear favourite governs", citeModel{Keep: 0.5, Govern: 0.3, Choice: []float64{5}}, third, []float64{0.2, 0.3, 0.4, 0.1}, 2, []int{2}},
		{"a slight favourite does not", citeModel{Keep: 0.5, Govern: 0.3, Choice: []float64{0.5}}, third, []float64{0.2, 0.3, 0.9, 0.1}, 3, []int{0, 2}},
		{"re-choosing off", citeModel{Keep: 0.5, Govern: 1, Choice: []float64{5}}, third, []float64{0.2, 0.3, 0.4, 0.1}, 2, []int{0}},
		{"nothing", citeModel{Keep: 0.5}, nil, nil, 2, nil},
	}
	for _, tt := range tests {
		got := tt.m.choose(r, tt.xs, tt.probs, tt.limit)
		if fmt.Sprint(got) != fmt.Sprint(tt.expect) {
			t.Errorf("%s: choose = %v, want %v", tt.name, got, tt.expect)
		}
	}
	// A cited article always governs.
	r.candidates[0].cited = true
	if got := (citeModel{Keep: 0.5, Govern: 0.1, Choice: []float64{5}}).choose(r, third, []float64{0.1, 0.2, 0.3, 0.1}, 1); fmt.Sprint(got) != "[0]" {
		t.Errorf("cited article: choose = %v, want [0]", got)
	}
}

func TestFitChoicePrefersTheMarkedFeature(t *testing.T) {
	// Feature 0 marks the correct candidate, feature 1 is noise: the
	// fitted choice puts the marked candidate first even when it is not
	// the leading one.
	qs := [][][]float64{
		{{0, 1}, {1, 0}, {0, 0.5}},
		{{1, 0.2}, {0, 0.9}},
		{{0, 0.3}, {0, 0.8}, {1, 0.1}},
	}
	golds := [][]bool{{false, true, false}, {true, false}, {false, false, true}}
	m := citeModel{Choice: fitChoice(qs, golds, 0.01)}
	for qi, xs := range qs {
		p := m.choiceProbs(xs)
		best := 0
		for i := range p {
			if p[i] > p[best] {
				best = i
			}
		}
		if !golds[qi][best] {
			t.Errorf("question %d: choice %v prefers %d", qi, p, best)
		}
	}
}

// citeRow is one question's leading candidates as the citation model sees
// them, with their labels (isGold) and texts.
type citeRow struct {
	id    string
	xs    [][]float64
	gold  []bool
	texts []string // squashed provision texts
	facts []string
	limit int
	r     *retrieval
	item  QAItem
}

// citeRows are the questions a answers with citations to choose (not
// decided, not refused), each with its leading candidates' features and
// labels.
func citeRows(t *testing.T, a *Answerer, items []QAItem) []citeRow {
	var rows []citeRow
	for _, it := range items {
		q := a.understand(it.Question, nil)
		r, err := a.retrieve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if a.decided(q) != nil || a.weak(r) {
			continue // answered by a decision or refused: no citations to choose
		}
		row := citeRow{id: it.ID, item: it, xs: a.citeFeatures(r), facts: it.AnswerFactsNorm, limit: maxPassages, r: r}
		if len(q.Parts) > 1 {
			row.limit = maxPassagesMulti
		}
		for _, c := range r.candidates[:len(row.xs)] {
			row.gold = append(row.gold, a.isGold(citationOf(1, c.Passage, ""), it))
			row.texts = append(row.texts, squash(c.Text))
		}
		rows = append(rows, row)
	}
	return rows
}

// TestFitCite fits the citation model (cite_model.json) on labelled
// questions with k-fold cross-validation: the model is fitted on the
// training folds' questions and scored on the held-out fold's; the
// operating point (Keep, KeepMulti, Govern) is the one whose held-out
// answers score best end to end (each fold's model answers its held-out
// questions; F of fact recall and citation precision, as datalex eval
// counts them), then the model is refitted on all questions. A run takes
// about two and a half minutes (108 operating points). With DATALEX_CITE_WRITE=1 the
// result is written to cite_model.json:
//
//	DATALEX_QA_DATA=/path/to/seeds-data DATALEX_QA_FILES=$PWD/../shared/eval/dev.jsonl,$PWD/internal/answer/testdata/probe.jsonl,$PWD/internal/answer/testdata/probe3.jsonl,$PWD/internal/answer/testdata/probe4.jsonl DATALEX_CITE_WRITE=1 go test ./internal/answer -run 'TestFitCite$' -v
func TestFitCite(t *testing.T) {
	qa := qaFilesFromEnv(t)
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	rows := citeRows(t, a, qa)
	// Rows from other question sets on other libraries
	// (DATALEX_CITE_ALSO=file.jsonl@datadir, comma-separated) join every
	// fold's training, never its held-out questions: more questions teach
	// the choice which candidate governs, and the held-out figures stay
	// those of the QA sets.
	var also []citeRow
	if spec := os.Getenv("DATALEX_CITE_ALSO"); spec != "" {
		for _, one := range strings.Split(spec, ",") {
			file, dir, ok := strings.Cut(one, "@")
			if !ok {
				t.Fatalf("DATALEX_CITE_ALSO %q: want file.jsonl@datadir", one)
			}
			items, err := LoadQA(file)
			if err != nil {
				t.Fatal(err)
			}
			cat2, retrieve2 := openEvalLibraryAt(t, dir)
			more := citeRows(t, New(Config{Catalog: cat2, Retrieve: retrieve2}), items)
			also = append(also, more...)
			n := len(more)
			fmt.Printf("also %s on %s: %d answered questions of %d\n", file, dir, n, len(items))
		}
	}
	const k = 5
	held := make([][]float64, len(rows))   // held-out probabilities per row
	choice := make([][]float64, len(rows)) // held-out choice weights per row's fold
	foldModels := make([]citeModel, k)
	for fold := 0; fold < k; fold++ {
		var xs [][]float64
		var ys []bool
		for i, r := range rows {
			if i%k != fold {
				xs, ys = append(xs, r.xs...), append(ys, r.gold...)
			}
		}
		var cq [][][]float64
		var cg [][]bool
		for i, r := range rows {
			if i%k != fold {
				cq, cg = append(cq, r.xs), append(cg, r.gold)
			}
		}
		for _, r := range also {
			xs, ys = append(xs, r.xs...), append(ys, r.gold...)
			cq, cg = append(cq, r.xs), append(cg, r.gold)
		}
		m := citeModel{scopeModel: fitScope(xs, ys, citeL2()), Choice: fitChoice(cq, cg, citeL2())}
		foldModels[fold] = m
		for i, r := range rows {
			if i%k == fold {
				held[i] = m.probs(r.xs)
				choice[i] = m.Choice
			}
		}
	}
	type point struct {
		keep, keepMulti, govern     float64
		precision, facts, governing float64
	}
	score := func(m citeModel, probs func(i int) []float64, weights func(i int) []float64) point {
		cited, good, govGood := 0, 0, 0
		found, facts := 0, 0
		for i, r := range rows {
			m.Choice = weights(i)
			idx := m.choose(r.r, r.xs, probs(i), r.limit)
			var text strings.Builder
			for j, c := range idx {
				cited++
				if r.gold[c] {
					good++
					if j == 0 {
						govGood++
					}
				}
				text.WriteString(r.texts[c])
			}
			for _, f := range r.facts {
				facts++
				if strings.Contains(text.String(), squash(f)) {
					found++
				}
			}
		}
		return point{m.Keep, m.KeepMulti, m.Govern, float64(good) / float64(max(cited, 1)), float64(found) / float64(max(facts, 1)), float64(govGood) / float64(max(len(rows), 1))}
	}
	heldProbs := func(i int) []float64 { return held[i] }
	heldChoice := func(i int) []float64 { return choice[i] }
	if os.Getenv("DATALEX_CITE_DEBUG") != "" {
		anyGold := 0
		for i, r := range rows {
			var marks []string
			has := false
			for j, g := range r.gold {
				m := " "
				if g {
					m, has = "*", true
				}
				marks = append(marks, fmt.Sprintf("%s%.2f", m, held[i][j]))
			}
			if has {
				anyGold++
			}
			fmt.Printf("ROW %s %s %s\n", r.id, strings.Join(marks, " "), r.r.q.Text)
			if os.Getenv("DATALEX_CITE_DEBUG") == "2" && has && !r.gold[0] {
				for j, c := range r.r.candidates[:len(r.gold)] {
					m := " "
					if r.gold[j] {
						m = "*"
					}
					fmt.Printf("    %s %s %s: %s\n", m, c.Document, c.Label, clip(c.Text, 90))
				}
			}
		}
		fmt.Printf("questions with a correct citation among the leading %d: %d/%d\n", citeLead, anyGold, len(rows))
	}
	base := score(citeModel{Keep: 2, KeepMulti: 2, Govern: 1}, heldProbs, heldChoice)
	fmt.Printf("%d answered questions; leading candidate only: precision %.3f, facts in cited texts %.3f, governing correct %.3f\n", len(rows), base.precision, base.facts, base.governing)
	// The operating point is chosen by what the answers score: each
	// fold's model, at the point, answers the fold's held-out questions
	// end to end (fact recall of the answer text, citation precision as
	// EvaluateQA counts them). The candidate-level figures alongside are
	// what the citations alone would give.
	folds := make([][]QAItem, k)
	for i, r := range rows {
		folds[i%k] = append(folds[i%k], r.item)
	}
	// endToEnd answers each fold's held-out questions with that fold's
	// model at the operating point; it returns the pooled fact recall and
	// citation precision, the standard error of F across folds, and the
	// mean number of citations per answer.
	endToEnd := func(keep, km, g float64) (fr, cp, se, perAnswer float64) {
		defer func(c citeModel) { a.cite = c }(a.cite)
		var rs []QAResult
		var fs []float64
		for fold := 0; fold < k; fold++ {
			m := foldModels[fold]
			m.Keep, m.KeepMulti, m.Govern = keep, km, g
			a.cite = m
			frs := EvaluateQA(context.Background(), a, folds[fold], nil).Results
			ffr, fcp, _ := summarize(frs)
			fs = append(fs, 2*ffr*fcp/max(ffr+fcp, 1e-9))
			rs = append(rs, frs...)
		}
		fr, cp, _ = summarize(rs)
		cited := 0
		for _, r := range rs {
			cited += r.Cited
		}
		return fr, cp, stdErr(fs), float64(cited) / float64(max(len(rs), 1))
	}
	// The one-standard-error rule (as in cross-validated model
	// selection): of the points whose held-out F is within one standard
	// error of the best, the one that cites least. A gain smaller than
	// the folds' own spread is noise, and an extra citation a reader must
	// check is a cost.
	type scored struct {
		p             point
		f, se, perAns float64
	}
	var grid []scored
	for _, g := range []float64{1, 0.3, 0.2, 0.1, 0.05, 0} {
		for _, keep := range []float64{0.5, 0.6, 0.7, 0.8, 0.9, 2} {
			for _, km := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 2} {
				p := score(citeModel{Keep: keep, KeepMulti: km, Govern: g}, heldProbs, heldChoice)
				fr, cp, se, perAns := endToEnd(keep, km, g)
				f := 2 * fr * cp / max(fr+cp, 1e-9)
				fmt.Printf("  held-out keep=%.2f multi=%.2f govern=%.2f: answers: fact recall %.3f, citation precision %.3f (F %.3f ± %.3f, %.2f citations per answer); citations alone: precision %.3f, facts %.3f, governing correct %.3f\n", keep, km, g, fr, cp, f, se, perAns, p.precision, p.facts, p.governing)
				grid = append(grid, scored{point{keep, km, g, cp, fr, p.governing}, f, se, perAns})
			}
		}
	}
	top := grid[0]
	for _, s := range grid {
		if s.f > top.f+1e-9 {
			top = s
		}
	}
	chosen := top
	for _, s := range grid {
		if s.f >= top.f-top.se && (s.perAns < chosen.perAns-1e-9 || (math.Abs(s.perAns-chosen.perAns) < 1e-9 && s.f > chosen.f+1e-9)) {
			chosen = s
		}
	}
	fmt.Printf("best held-out F %.3f ± %.3f (keep=%.2f multi=%.2f govern=%.2f, %.2f citations per answer)\n", top.f, top.se, top.p.keep, top.p.keepMulti, top.p.govern, top.perAns)
	best := chosen.p
	fmt.Printf("chosen: keep=%.2f multi=%.2f govern=%.2f (held-out answers: citation precision %.3f, fact recall %.3f)\n", best.keep, best.keepMulti, best.govern, best.precision, best.facts)
	var xs [][]float64
	var ys []bool
	for _, r := range rows {
		xs, ys = append(xs, r.xs...), append(ys, r.gold...)
	}
	var cq [][][]float64
	var cg [][]bool
	for _, r := range append(rows, also...) {
		cq, cg = append(cq, r.xs), append(cg, r.gold)
	}
	for _, r := range also {
		xs, ys = append(xs, r.xs...), append(ys, r.gold...)
	}
	m := citeModel{scopeModel: fitScope(xs, ys, citeL2()), Choice: fitChoice(cq, cg, citeL2()), Keep: best.keep, KeepMulti: best.keepMulti, Govern: best.govern}
	for i, n := range citeFeatureNames {
		fmt.Printf("  w[%s] = %.3f  choice %.3f\n", n, m.W[i], m.Choice[i])
	}
	if os.Getenv("DATALEX_CITE_WRITE") == "" {
		return
	}
	out := struct {
		citeModel
		Features []string `json:"features"`
		Note     string   `json:"note"`
	}{m, citeFeatureNames, fmt.Sprintf("fitted by TestFitCite on %s (%d answered questions, %d candidates); %d-fold held-out answers at this operating point: citation precision %.3f, fact recall %.3f",
		os.Getenv("DATALEX_QA_FILES")+alsoNote(len(also)), len(rows), len(ys), k, best.precision, best.facts)}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("cite_model.json", append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIsDefinition(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"第七十三条 本法下列用语的含义：（一）个人信息处理者，是指……", true},
		{"第五十三条 本条例中下列用语的含义：（一）公共管理和服务机构，是指……", true},
		{"本办法所称数据，是指任何以电子或者其他方式对信息的记录。", true},
		{"第三十三条 从事数据交易中介服务的机构提供服务，应当要求数据提供方说明数据来源。", false},
		{"第十条 处理下列用语所指的数据，应当遵守本法。", false},
	}
	for _, tt := range tests {
		if got := isDefinition(Passage{Text: tt.text}); got != tt.want {
			t.Errorf("isDefinition(%q) = %v", tt.text, got)
		}
	}
}

// stdErr is the standard error of the mean of xs (0 for fewer than two).
func stdErr(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss/float64(len(xs)-1)) / math.Sqrt(float64(len(xs)))
}

func TestStdErr(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{0.5}, 0},
		{[]float64{1, 1, 1}, 0},
		{[]float64{1, 3}, 1}, // sd √2, / √2
	}
	for _, tt := range tests {
		if got := stdErr(tt.xs); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("stdErr(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

// alsoNote names the extra training questions (DATALEX_CITE_ALSO) in the
// fitted file's note.
func alsoNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", plus %d answered questions of %s in every fold's training", n, os.Getenv("DATALEX_CITE_ALSO"))
}

// citeL2 is the citation model's regularisation: scopeL2, or
// DATALEX_CITE_L2 to compare.
func citeL2() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("DATALEX_CITE_L2"), 64); err == nil {
		return v
	}
	return scopeL2
}
