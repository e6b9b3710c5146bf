package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

func TestDefTerm(t *testing.T) {
	tests := []struct{ before, want string }{
		{"第四条 本法所称个人信息,", "个人信息"},
		{"(三)数据资产", "数据资产"},
		{"本办法所称“公共数据”", "公共数据"},
		{"前款", ""},  // a reference, no term
		{"第三条", ""}, // a label
		{"技术的数字企业", "技术的数字企业"}, // a run without punctuation is kept whole …
		{"的数字企业", ""},          // … but not one that starts with a function word
		{"a", ""},
		{"本规定所称的这一类特别长而且不像术语的名称", ""}, // too long
	}
	for _, tt := range tests {
		if got := defTerm(textseg.Fold(tt.before)); got != tt.want {
			t.Errorf("defTerm(%q) = %q, want %q", tt.before, got, tt.want)
		}
	}
}

func TestDefBody(t *testing.T) {
	if got := defBody("以电子方式记录的信息。第二句"); got != "以电子方式记录的信息" {
		t.Errorf("defBody = %q", got)
	}
}

// vocabLibrary is one law of articles: a definition clause, provisions
// where 警察 and 执法 keep company, and filler.
func vocabLibrary() []*library.Version {
	v := &library.Version{ID: "v", WorkID: "w", Kind: library.KindRegulation, Title: "测试法",
		Level: library.LevelLaw, Status: library.StatusInForce, Region: "全国"}
	add := func(text string) {
		label := fmt.Sprintf("第%d条", len(v.Provisions)+1)
		v.Provisions = append(v.Provisions, &library.Provision{ID: fmt.Sprintf("v.%d", len(v.Provisions)),
			Kind: library.ProvArticle, Label: label, Text: label + " " + text})
	}
	add("本法所称个人信息，是指以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息。")
	add("处理个人信息应当遵循合法原则。")
	for i := 0; i < 5; i++ {
		add(fmt.Sprintf("警察应当依照规定执法，第%d项。", i))
	}
	fillers := []string{"企业应当建立管理制度。", "机关应当公开目录。", "单位应当组织培训。", "组织应当报送材料。"}
	for i := 0; i < 40; i++ {
		add(fillers[i%len(fillers)])
	}
	return []*library.Version{v}
}

func expansions(ix *Index, q string, src int) []string {
	a := ix.analyseQuery(q)
	ix.addDefinitions(&a, textseg.Fold(q))
	ix.addAssociations(&a)
	var out []string
	for _, g := range a.groups {
		if g.expand && g.src == src {
			out = append(out, g.word)
		}
	}
	return out
}

// vocabIndex builds the library with both bridges on (they are off by
// default and built only when on).
func vocabIndex(t *testing.T) *Index {
	saved := DefaultWeights
	t.Cleanup(func() { DefaultWeights = saved })
	DefaultWeights.Def, DefaultWeights.Assoc = 0.3, 0.2
	return NewIndex(vocabLibrary())
}

func TestVocabOffByDefault(t *testing.T) {
	// The anchor field is on by default (its own tests cover it); the
	// definition and association bridges are not.
	s := NewIndex(vocabLibrary()).VocabStats()
	if s.Definitions != 0 || s.DefinedTerms != 0 || s.AssocTargets != 0 || s.AssocPostings != 0 {
		t.Errorf("bridges built while off: %+v", s)
	}
}

func TestDefinitionExpansion(t *testing.T) {
	ix := vocabIndex(t)
	if s := ix.VocabStats(); s.Definitions != 1 || s.DefinedTerms != 1 {
		t.Fatalf("mined %+v, want one definition", s)
	}
	// Forward: the definition's words bring the term.
	if got := expansions(ix, "用电子方式记录的可识别自然人的信息能随便用吗", srcDef); !slices.Contains(got, "个人信息") {
		t.Errorf("forward expansions = %v, want 个人信息", got)
	}
	// Reverse: the term brings its definition's rarest words.
	if got := expansions(ix, "个人信息能随便用吗", srcDef); len(got) == 0 || slices.Contains(got, "个人信息") {
		t.Errorf("reverse expansions = %v, want words of the definition", got)
	}
	// Unrelated questions get nothing; weight 0 turns it off.
	if got := expansions(ix, "企业培训制度", srcDef); len(got) != 0 {
		t.Errorf("unrelated question expanded to %v", got)
	}
	w := DefaultWeights
	w.Def = 0
	ix.SetWeights(w)
	if got := expansions(ix, "用电子方式记录的可识别自然人的信息能随便用吗", srcDef); len(got) != 0 {
		t.Errorf("Def 0 still expands: %v", got)
	}
}

func TestAssociationExpansion(t *testing.T) {
	ix := vocabIndex(t)
	if got := expansions(ix, "警察找我要数据", srcAssoc); !slices.Contains(got, "执法") {
		t.Errorf("associations = %v, want 执法", got)
	}
	for _, w := range expansions(ix, "警察找我要数据", srcAssoc) {
		if sharesRune(w, "警察") {
			t.Errorf("association %q is a piece of the question word", w)
		}
	}
	w := DefaultWeights
	w.Assoc = 0
	ix.SetWeights(w)
	if got := expansions(ix, "警察找我要数据", srcAssoc); len(got) != 0 {
		t.Errorf("Assoc 0 still expands: %v", got)
	}
}

// Each expansion source keeps its own ranker feature: a translation
// expansion must not be counted as an alias one.
func TestTranslationExpansionSource(t *testing.T) {
	ix := NewIndex(vocabLibrary())
	ix.SetTranslation(Translation{"警察": {{Word: "执法", Weight: 1}}})
	a := ix.analyseQuery("警察找我")
	ix.addTranslation(&a)
	found := false
	for _, g := range a.groups {
		if g.word == "执法" {
			found = true
			if !g.expand || g.src != srcTrans {
				t.Errorf("translation group %+v has source %d, want %d", g.word, g.src, srcTrans)
			}
		}
	}
	if !found {
		t.Fatal("no translation expansion")
	}
}

// FuzzMineDefinitions: any text mines without panicking, and every mined
// term is within bounds and appears in the text before its definition.
func FuzzMineDefinitions(f *testing.F) {
	for _, s := range []string{
		"本法所称个人信息,是指以电子或者其他方式记录的信息。",
		"是指", "X是指", "所称是指;", "(一)数据是指任何以电子方式对信息的记录\n第二条", "的是指是指是指",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := textseg.Fold(s)
		tab := mineDefinitions(func(yield func(string)) { yield(folded) })
		for _, d := range tab.defs {
			n := len([]rune(d.term))
			if n < defMinTerm || n > defMaxTerm || !strings.Contains(folded, d.term) {
				t.Fatalf("bad term %q from %q", d.term, s)
			}
		}
	})
}
