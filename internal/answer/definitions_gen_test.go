package answer

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strconv"
	"testing"
)

// reGenDefinition is the definition clause the generated questions are
// drawn from: 所称X，是指. It is deliberately narrower than the answerer's
// own patterns (definedTerms), so the gold is not the feature's output.
var reGenDefinition = regexp.MustCompile(`所称的?(\p{Han}{2,12})，?是指`)

// TestWriteDefinitionQuestions writes a definition-question set drawn from
// a library's own 所称X，是指 clauses: 什么是X？ with every provision
// stating such a clause for X as gold. The committed sets were written by
//
//	DATALEX_QA_DATA=SEEDS DATALEX_DEFS_WRITE=testdata/definitions_seeds.jsonl go test ./internal/answer -run TestWriteDefinitionQuestions
//	DATALEX_QA_DATA=LRB DATALEX_DEFS_WRITE=testdata/definitions_lawrefbook.jsonl DATALEX_DEFS_EXCLUDE=testdata/definitions_seeds.jsonl DATALEX_DEFS_MAX=200 go test ./internal/answer -run TestWriteDefinitionQuestions
//
// (the second: 200 terms in md5 order, none of the first set's).
func TestWriteDefinitionQuestions(t *testing.T) {
	out := os.Getenv("DATALEX_DEFS_WRITE")
	if out == "" {
		t.Skip("DATALEX_DEFS_WRITE not set")
	}
	cat, _ := openEvalLibrary(t)
	gold := map[string][]GoldRef{}
	for _, v := range cat.Versions {
		for _, p := range v.Provisions {
			for _, m := range reGenDefinition.FindAllStringSubmatch(p.Text, -1) {
				gold[m[1]] = append(gold[m[1]], GoldRef{Doc: v.Title, Article: p.Label})
			}
		}
	}
	exclude := map[string]bool{}
	if f := os.Getenv("DATALEX_DEFS_EXCLUDE"); f != "" {
		items, err := LoadQA(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			exclude[it.Question] = true
		}
	}
	var terms []string
	for x := range gold {
		if !exclude["什么是"+x+"？"] {
			terms = append(terms, x)
		}
	}
	sort.Strings(terms)
	id, prefix := 1, "D"
	if n, _ := strconv.Atoi(os.Getenv("DATALEX_DEFS_MAX")); n > 0 {
		sum := func(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
		sort.Slice(terms, func(i, j int) bool { return sum(terms[i]) < sum(terms[j]) })
		terms, prefix = terms[:min(n, len(terms))], "L"
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, x := range terms {
		g := gold[x]
		if len(g) > 80 {
			g = g[:80]
		}
		if err := enc.Encode(QAItem{ID: prefix + strconv.Itoa(1000 + id)[1:], Question: "什么是" + x + "？", Style: "professional", Topic: "定义", Gold: g}); err != nil {
			t.Fatal(err)
		}
		id++
	}
}
