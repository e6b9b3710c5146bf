package search

import (
	"context"
	"slices"
	"testing"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// TestLearnTranslation: words that keep co-occurring with a provision's
// wording in training pairs become associations, one-offs do not, and the
// model brings the provision up for a question that shares no word with it.
func TestLearnTranslation(t *testing.T) {
	ix := testIndex()
	ix.SetTranslation(nil)
	gold := [][2]string{{"中华人民共和国数据安全法", "第二十一条"}}
	if ix.articleUnit(gold[0][0], gold[0][1]) < 0 {
		t.Fatal("fixture article not found")
	}
	pairs := []TrainPair{
		{Question: "哪些属于最要紧的那类东西", Gold: gold},
		{Question: "最要紧的那类东西怎么管", Gold: gold},
		{Question: "东西丢了找谁", Gold: nil},
	}
	tr := ix.LearnTranslation(pairs)
	as := tr["要紧"]
	if len(as) == 0 {
		t.Fatalf("no association for 要紧: %v", tr)
	}
	var words []string
	for _, a := range as {
		words = append(words, a.Word)
		if a.Weight <= 0 || a.Weight > 1 {
			t.Errorf("weight %v out of (0,1]", a.Weight)
		}
	}
	if !slices.ContainsFunc(words, func(w string) bool { return ix.body.term(w) >= 0 }) {
		t.Errorf("associations %v are not index terms", words)
	}
	if _, ok := tr["丢"]; ok {
		t.Error("a question without gold provisions taught the model")
	}

	q, _ := ParseQuery("最要紧的那类东西")
	ix.SetTranslation(nil)
	before, _ := ix.Search(context.Background(), q)
	ix.SetTranslation(tr)
	after, _ := ix.Search(context.Background(), q)
	if len(after.Hits) == 0 || after.Hits[0].Citation != "数据安全法 第二十一条" {
		t.Errorf("with the model the first hit is %v (before: %d hits)", after.Hits, len(before.Hits))
	}
}

// TestShippedTranslation: the embedded model parses and has normalised
// weights.
func TestShippedTranslation(t *testing.T) {
	tr := DefaultTranslation()
	if len(tr) == 0 {
		t.Fatal("empty shipped model")
	}
	for w, as := range tr {
		if len(as) == 0 || len(as) > transPerWord || as[0].Weight != 1 {
			t.Fatalf("%s: %v", w, as)
		}
	}
}

// TestModalsKept: negations and modals change the meaning of a question and
// must survive stop-word removal.
func TestModalsKept(t *testing.T) {
	a := contentWords(textseg.Fold("公司可以不告诉用户吗"))
	b := contentWords(textseg.Fold("公司必须告诉用户吗"))
	if slices.Equal(a, b) {
		t.Fatalf("same query words %v", a)
	}
	for _, w := range []string{"不", "没有", "必须", "可以", "应当"} {
		if stopwords[w] {
			t.Errorf("%s is a stop word", w)
		}
	}
	_ = library.StatusInForce
}
