package answer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestDefinedTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"本法所称数据，是指任何以电子或者其他方式对信息的记录。", []string{"数据"}},
		{"本办法所称重要数据，是指一旦遭到篡改、破坏的数据。", []string{"重要数据"}},
		{"本条例所称的“公共数据”，指公共机构处理的数据。", []string{"公共数据"}},
		{"本法所称数据处理，包括数据的收集、存储、使用。", []string{"数据处理"}},
		// Enumerated definitions of a definitions article.
		{"本法下列用语的含义：（一）个人信息处理者，是指自主决定处理目的的组织、个人。（二）自动化决策，是指通过计算机程序自动分析的活动。",
			[]string{"个人信息处理者", "自动化决策"}},
		{"数据安全，是指通过采取必要措施，确保数据处于有效保护的状态。", []string{"数据安全"}},
		// Not definitions: a duty listed with 包括, a pointer with 指导.
		{"个人信息处理者的义务包括制定内部管理制度。", nil},
		{"国家网信部门负责指导数据出境安全评估工作。", nil},
		{"", nil},
		// By genus: X是…的Y, Y the head of X, after the article's label.
		{"第二十八条 敏感个人信息是一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害的个人信息，包括生物识别、宗教信仰等信息。", []string{"敏感个人信息"}},
		{"个人信息是以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息，不包括匿名化处理后的信息。", []string{"个人信息"}},
		// A statement about X is not its definition.
		{"数据是国家基础性战略资源。", nil},
		{"个人信息保护是全社会的共同责任。", nil},
	}
	for _, tt := range tests {
		if got := definedTerms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("definedTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestEnumeratedTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"个人信息的处理包括个人信息的收集、存储、使用、加工、传输等。", []string{"个人信息的处理"}},
		// The adverb before 包括 is no part of the term.
		{"评估报告内容主要包括数据资产的详细情况、质量评价情况、评估过程。", []string{"评估报告内容"}},
		// Two members are no enumeration; 本法 and 所称 are other forms.
		{"数据处理包括收集和存储。", nil},
		{"本法所称数据处理，包括数据的收集、存储、使用。", nil},
	}
	for _, tt := range tests {
		if got := enumeratedTerms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("enumeratedTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// definitionsFixture is a library where one article defines 重要数据 and
// another uses the term more often without defining it.
func definitionsFixture() *library.Catalog {
	v := &library.Version{ID: "m", WorkID: "w-m", Title: "数据出境安全评估办法", Status: library.StatusInForce, Kind: library.KindRegulation}
	for _, a := range [][2]string{
		// Shares more of 什么是重要数据 (是重) and uses the term more, with
		// 包括 (the definition type's cue), but defines nothing.
		{"第四条", "数据处理者向境外提供的数据是重要数据的，应当申报数据出境安全评估。重要数据出境前应当开展风险自评估，评估事项包括重要数据的规模、种类和敏感程度。"},
		{"第十九条", "本办法所称重要数据，是指一旦遭到篡改、破坏、泄露或者非法获取、非法利用等，可能危害国家安全、经济运行、社会稳定、公共健康和安全等的数据。"},
	} {
		v.Provisions = append(v.Provisions, &library.Provision{ID: "m-" + a[0], Kind: library.ProvArticle, Label: a[0], Text: a[0] + " " + a[1],
			Citation: library.CitationFor(v.Title, a[0])})
	}
	return library.NewCatalog([]*library.Version{v})
}

func TestAskedTerm(t *testing.T) {
	a := New(Config{Catalog: definitionsFixture()})
	tests := []struct {
		q    string
		want string
	}{
		{"什么是重要数据？", "重要数据"},
		{"重要数据是指什么？", "重要数据"},
		{"法律上说的重要数据到底是什么意思？", "重要数据"},
		{"何为“重要数据”？", "重要数据"},
		// The members of a category: its definition says what belongs.
		{"哪些数据属于重要数据？", "重要数据"},
		{"什么样的数据算重要数据？", "重要数据"},
		// A question naming the member asks about it, not the category.
		{"客户名单属于重要数据吗？", ""},
		// Not a definition question, or a term the library does not define.
		{"重要数据出境要申报安全评估吗？", ""},
		{"什么是数据资产？", ""},
	}
	for _, tt := range tests {
		if got := a.understand(tt.q, nil).Term; got != tt.want {
			t.Errorf("%s: term %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestDefinitionAnswersWithTheDefiningClause(t *testing.T) {
	cat := definitionsFixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "什么是重要数据？"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused || len(ans.Cites) == 0 {
		t.Fatalf("refused or uncited: %+v", ans)
	}
	if got := ans.Cites[0].Label; got != "第十九条" {
		t.Errorf("first citation %s, want the defining 第十九条", got)
	}
	if !strings.Contains(ans.Conclusion, "本办法所称重要数据，是指") {
		t.Errorf("conclusion does not give the definition: %s", ans.Conclusion)
	}
}

func TestDefinesAll(t *testing.T) {
	def := "本办法所称重要数据，是指可能危害国家安全的数据。"
	a := New(Config{Catalog: definitionsFixture()})
	tests := []struct {
		q    string
		want bool
	}{
		{"什么是重要数据？", true},
		{"重要数据是什么？", true},
		// A point outside the term: the definition alone does not answer.
		{"什么是欧盟的重要数据？", false},
		{"重要数据出境要申报吗？", false},
	}
	for _, tt := range tests {
		if got := definesAll(a.understand(tt.q, nil), def); got != tt.want {
			t.Errorf("%s: definesAll=%v, want %v", tt.q, got, tt.want)
		}
	}
}

// The definitions panel lists the defining clauses, national law first, a
// local rule marked as a local example, and answers a bare term too.
func TestDefinitionsPanel(t *testing.T) {
	law := &library.Version{ID: "m", WorkID: "w-m", Title: "数据出境安全评估办法", Status: library.StatusInForce,
		Kind: library.KindRegulation, Level: library.LevelDeptRules, Region: "全国"}
	local := &library.Version{ID: "sz", WorkID: "w-sz", Title: "深圳经济特区数据条例", Status: library.StatusInForce,
		Kind: library.KindRegulation, Level: library.LevelLocalRegs, Region: "深圳"}
	add := func(v *library.Version, label, text string) {
		v.Provisions = append(v.Provisions, &library.Provision{ID: v.ID + "-" + label, Kind: library.ProvArticle, Label: label,
			Text: label + " " + text, Citation: library.CitationFor(v.Title, label)})
	}
	add(local, "第二条", "本条例所称重要数据，是指本市认定的对经济社会发展有重要影响的数据。")
	add(law, "第四条", "数据处理者向境外提供重要数据的，应当申报数据出境安全评估。")
	add(law, "第十九条", "本办法所称重要数据，是指一旦遭到篡改、破坏、泄露，可能危害国家安全的数据。")
	a := New(Config{Catalog: library.NewCatalog([]*library.Version{local, law})})
	for _, query := range []string{"什么是重要数据", "重要数据"} {
		term, defs := a.Definitions(query, 4)
		if term != "重要数据" || len(defs) != 2 {
			t.Fatalf("%s: term %q, %d definitions", query, term, len(defs))
		}
		if defs[0].Label != "第十九条" || !strings.HasPrefix(defs[0].Quote, "本办法所称重要数据，是指") || defs[0].LocalExample {
			t.Errorf("%s: first %+v, want the national 第十九条", query, defs[0])
		}
		if defs[1].Document != "深圳经济特区数据条例" || !defs[1].LocalExample {
			t.Errorf("%s: second %+v, want 深圳 as a local example", query, defs[1])
		}
	}
	if term, defs := a.Definitions("重要数据出境要申报吗", 4); term != "" || defs != nil {
		t.Errorf("not a definition query: %q %v", term, defs)
	}
}
