package answer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"datalex/internal/library"
)

func groupWords(q *Question) []string {
	var out []string
	for _, g := range q.Groups {
		out = append(out, strings.Join(g.Words, "|"))
	}
	return out
}

func TestAnalyze(t *testing.T) {
	names := []string{"数据安全法", "个人信息保护法"}
	tests := []struct {
		q         string
		docs      []string
		articles  []int
		expanded  []string // must be among the expansions
		intent    Intent
		parts     int
		notInTerm []string
	}{
		{q: "数据安全法第二十一条规定了什么？", docs: []string{"数据安全法"}, articles: []int{21}},
		{q: "《中华人民共和国个人信息保护法》第38条", docs: []string{"个人信息保护法"}, articles: []int{38}},
		{q: "个保法对儿童的信息有什么要求", docs: []string{"个人信息保护法"}, expanded: []string{"不满十四周岁", "监护人"}, intent: IntentList},
		{q: "老外公司要我们的用户数据，能卖给他们吗？", expanded: []string{"境外", "个人信息", "数据交易"}, intent: IntentYesNo},
		{q: "数据泄露后最晚多久要上报？", expanded: []string{"报告"}, intent: IntentTime, notInTerm: []string{"多久", "最晚"}},
		{q: "什么样的数据属于国家核心数据？违反国家核心数据管理制度最高会被罚多少？", parts: 2, intent: IntentAmount},
	}
	for _, tt := range tests {
		q := analyze(tt.q, defaultLexicon, names, nil)
		for _, d := range tt.docs {
			if !slices.Contains(q.Documents, d) {
				t.Errorf("%s: documents %v, want %s", tt.q, q.Documents, d)
			}
		}
		if tt.articles != nil && !slices.Equal(q.Articles, tt.articles) {
			t.Errorf("%s: articles %v, want %v", tt.q, q.Articles, tt.articles)
		}
		for _, e := range tt.expanded {
			if !slices.Contains(q.Expanded, e) {
				t.Errorf("%s: expanded %v, want %s", tt.q, q.Expanded, e)
			}
		}
		if q.Intent&tt.intent != tt.intent {
			t.Errorf("%s: intent %b, want %b", tt.q, q.Intent, tt.intent)
		}
		if len(q.Parts) != tt.parts {
			t.Errorf("%s: parts %q, want %d", tt.q, q.Parts, tt.parts)
		}
		for _, w := range tt.notInTerm {
			for _, g := range groupWords(q) {
				if strings.HasPrefix(g, w) {
					t.Errorf("%s: question word %s kept as a key term: %v", tt.q, w, groupWords(q))
				}
			}
		}
	}
}

func TestFollowUpCarriesContext(t *testing.T) {
	prev := &Context{Question: "数据安全法对国家核心数据有什么规定？", Terms: []string{"国家核心数据"}, Documents: []string{"数据安全法"}}
	q := analyze("那罚款是多少？", defaultLexicon, nil, prev)
	if q.Carried == nil || !slices.Contains(q.Documents, "数据安全法") {
		t.Fatalf("elliptical follow-up did not carry context: %+v", q)
	}
	q = analyze("个人信息保护法对处理不满十四周岁未成年人个人信息有什么要求？", defaultLexicon, []string{"个人信息保护法"}, prev)
	if q.Carried != nil {
		t.Errorf("self-contained question carried the previous context")
	}
}

func TestExtractiveAnswers(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	tests := []struct {
		q      string
		cites  []string // labels that must be cited
		facts  []string // must appear in the answer (whitespace removed)
		absent []string // must not appear
	}{
		{q: "外国法院或者外国警方直接找我们要存在国内服务器上的数据，我们可以直接给吗？",
			cites: []string{"第三十六条"}, facts: []string{"非经中华人民共和国主管机关批准", "外国司法或者执法机构"}},
		{q: "处理儿童的个人信息，需要经过父母同意吗？",
			cites: []string{"第三十一条"}, facts: []string{"不满十四周岁", "父母或者其他监护人的同意"}},
		{q: "根据个人信息保护法，向境外提供个人信息需要具备哪些条件之一？另外对个人本人还要履行什么告知和同意义务？",
			cites: []string{"第三十八条", "第三十九条"}, facts: []string{"个人信息保护认证", "标准合同", "单独同意"}},
		{q: "什么样的数据属于国家核心数据？违反国家核心数据管理制度最高会被罚多少？",
			cites: []string{"第二十一条", "第四十五条"}, facts: []string{"国民经济命脉、重要民生、重大公共利益", "二百万元以上一千万元以下罚款"}},
		{q: "数据安全法第三十六条是怎么规定的？", cites: []string{"第三十六条"}},
		{q: "公司乱用客户的个人信息被查了，情节严重的话最多能罚多少钱？",
			cites: []string{"第六十六条"}, facts: []string{"五千万元以下", "上一年度营业额百分之五"}, absent: []string{"记者获悉"}},
	}
	for _, tt := range tests {
		ans, err := a.Ask(context.Background(), Request{Question: tt.q})
		if err != nil {
			t.Fatalf("%s: %v", tt.q, err)
		}
		if ans.Refused {
			t.Errorf("%s: refused:\n%s", tt.q, ans.Text)
			continue
		}
		var labels []string
		for _, c := range ans.Cites {
			labels = append(labels, c.Label)
		}
		for _, l := range tt.cites {
			if !slices.Contains(labels, l) {
				t.Errorf("%s: cited %v, want %s\n%s", tt.q, labels, l, ans.Text)
			}
		}
		text := squash(ans.Text)
		for _, f := range tt.facts {
			if !strings.Contains(text, squash(f)) {
				t.Errorf("%s: answer lacks %q:\n%s", tt.q, f, ans.Text)
			}
		}
		for _, f := range tt.absent {
			if strings.Contains(text, squash(f)) {
				t.Errorf("%s: answer contains %q:\n%s", tt.q, f, ans.Text)
			}
		}
		if ans.Grounding.Removed != 0 || ans.Grounding.Supported == 0 {
			t.Errorf("%s: extractive answer failed its own grounding: %+v\n%s", tt.q, ans.Grounding, ans.Text)
		}
		if ans.Answerer != Extractive {
			t.Errorf("answerer %q", ans.Answerer)
		}
	}
}

func TestDraftFlaggedAndDemoted(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	ans, err := a.Ask(context.Background(), Request{Question: "向境外提供不满1万人个人信息，需要申报数据出境安全评估吗？"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ans.Cites {
		if strings.Contains(c.Document, "征求意见稿") {
			if !slices.Contains(c.Warnings, "征求意见稿，非正式生效文本") || !strings.Contains(ans.Text, "征求意见稿") {
				t.Errorf("draft cited without its status:\n%s", ans.Text)
			}
		}
		if strings.Contains(c.Document, "解读") {
			t.Errorf("news item cited as a source:\n%s", ans.Text)
		}
	}
}

func TestRefusesOutOfScope(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	qs, err := LoadLines("testdata/out_of_scope.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != len(OutOfScope()) {
		t.Fatalf("embedded list differs from the file")
	}
	if len(qs) < 20 {
		t.Fatalf("only %d out-of-scope questions", len(qs))
	}
	for _, q := range qs {
		ans, err := a.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Refused {
			t.Errorf("answered an out-of-scope question %q:\n%s", q, ans.Text)
		}
		if len(ans.Cites) != 0 {
			t.Errorf("%q: a refusal cites %v", q, ans.Cites)
		}
		if !strings.Contains(ans.Text, "库内未找到") {
			t.Errorf("%q: refusal does not say so: %s", q, ans.Text)
		}
	}
}

func TestFollowUpAnswer(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	first, err := a.Ask(context.Background(), Request{Question: "数据安全法对国家核心数据有什么规定？"})
	if err != nil || first.Refused {
		t.Fatalf("first question: %v %+v", err, first)
	}
	ans, err := a.Ask(context.Background(), Request{Question: "那罚款是多少？", Previous: &first.Context})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused || !strings.Contains(squash(ans.Text), "二百万元以上一千万元以下") {
		t.Errorf("follow-up lost its context:\n%s", ans.Text)
	}
	// Without the context the same words are too vague to answer from the
	// right article.
	alone, _ := a.Ask(context.Background(), Request{Question: "那罚款是多少？"})
	if !alone.Refused && strings.Contains(squash(alone.Text), "二百万元以上一千万元以下") && len(alone.Cites) == 1 {
		t.Logf("note: answered without context too: %s", alone.Text)
	}
}

func TestEmptyQuestion(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	if _, err := a.Ask(context.Background(), Request{Question: "  "}); err != ErrEmptyQuestion {
		t.Errorf("err = %v", err)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"数据安全法第二十一条", "《》第条", "那罚款是多少？", "？？？；；", "第99999999条", "《个人信息保护法", "老外老外老外", "\x00\xff", "a《b》c第1条d"} {
		f.Add(s)
	}
	prev := &Context{Question: "x", Terms: []string{"罚款"}, Documents: []string{"数据安全法"}}
	f.Fuzz(func(t *testing.T, s string) {
		q := analyze(s, defaultLexicon, []string{"数据安全法"}, prev)
		for _, g := range q.Groups {
			if len(g.Words) == 0 || g.Words[0] == "" {
				t.Fatalf("empty group in %+v", q.Groups)
			}
		}
		for _, n := range q.Articles {
			if n <= 0 {
				t.Fatalf("article %d", n)
			}
		}
	})
}

func TestConcurrentAsk(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		go func(i int) {
			ans, err := a.Ask(context.Background(), Request{Question: benchQuestions[i%len(benchQuestions)]})
			if err == nil && ans.Grounding.Removed > 0 {
				err = fmt.Errorf("grounding removed %v", ans.Removed)
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 16; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestWithoutQuoted(t *testing.T) {
	tests := []struct {
		sents  []string
		quoted string
		want   []string
	}{
		{[]string{"甲应当报告。", "乙应当备案。"}, "甲应当报告。", []string{"乙应当备案。"}},
		{[]string{"处十万元以上罚款；对直接负责的主管人员处一万元以上罚款。"}, "处十万元以上罚款；", []string{"对直接负责的主管人员处一万元以上罚款"}},
		{[]string{"甲应当报告。"}, "甲应当报告。", nil},
		{[]string{"甲应当报告。"}, "", []string{"甲应当报告。"}},
		{[]string{"甲应当报告，乙。"}, "甲应当报告", nil}, // a leftover too short to read alone
	}
	for _, tt := range tests {
		if got := withoutQuoted(tt.sents, tt.quoted); !slices.Equal(got, tt.want) {
			t.Errorf("withoutQuoted(%q, %q) = %q, want %q", tt.sents, tt.quoted, got, tt.want)
		}
	}
}

func TestQueriesCarryPoints(t *testing.T) {
	a := &Answerer{lx: defaultLexicon}
	tests := []struct {
		question string
		want     string // a word the last part's query must hold
		not      string // a word it must not (not carried)
	}{
		// The second part names only 履行 and 处罚: the intermediary of
		// the first part comes with it.
		{"从事数据交易中介服务的机构需要履行哪些审核义务？不履行的话怎么处罚？", "中介", ""},
		// Each part states its own points: nothing is carried.
		{"三级工业数据能不能共享？涉及三级数据的安全事件要怎么上报？", "上报", "共享"},
	}
	for _, tt := range tests {
		q := analyze(tt.question, defaultLexicon, nil, nil)
		if len(q.Parts) != 2 {
			t.Fatalf("%s: parts %q", tt.question, q.Parts)
		}
		qs := a.queries(q)
		got := qs[len(qs)-1] // the last part's query comes last
		if !strings.HasSuffix(got, q.Parts[1]) || !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
			t.Errorf("%s: last part's query %q", tt.question, got)
		}
	}
}

// The question is searched as asked besides with its lexicon expansions:
// the engine's own query processing was fitted on questions as asked.
func TestQueriesKeepTheQuestionAsAsked(t *testing.T) {
	a := &Answerer{lx: defaultLexicon}
	for _, tt := range []struct {
		question string
		expanded bool // the lexicon expands a word of the question
	}{
		{"我发现App里我的资料写错了，能让他们改吗？", true},
		{"数据安全法第四十五条规定了什么？", false},
	} {
		q := analyze(tt.question, defaultLexicon, nil, nil)
		qs := a.queries(q)
		asked := 0
		for _, s := range qs {
			if s == q.Text {
				asked++
			}
		}
		// Searched as asked exactly once: on its own beside the expanded
		// main query, or as the main query when nothing is expanded.
		if asked != 1 || (qs[0] == q.Text) == tt.expanded {
			t.Errorf("%s: queries %q", tt.question, qs)
		}
	}
}

// An article the version a work is known by lacks (a draft's numbering) is
// quoted from the version that has it, with that version's status.
func TestNamedArticleOfAnotherVersion(t *testing.T) {
	mk := func(id, title, status string, seq int, arts ...[2]string) *library.Version {
		v := &library.Version{ID: id, WorkID: "w-bj", Title: title, Kind: library.KindRegulation, Status: status, Seq: seq}
		for _, a := range arts {
			v.Provisions = append(v.Provisions, &library.Provision{ID: id + "-" + a[0], Kind: library.ProvArticle, Label: a[0],
				Text: a[0] + " " + a[1], Citation: library.CitationFor(title, a[0])})
		}
		return v
	}
	draft := mk("d", "北京市公共数据专区授权运营管理办法（征求意见稿）", library.StatusDraft, 1,
		[2]string{"第一条", "为规范公共数据专区授权运营，制定本办法。"},
		[2]string{"第三十二条", "专区的公共数据使用应遵循集约利用和最小授权原则，不得以任何形式对外提供原始数据。"})
	adopted := mk("a", "北京市公共数据专区授权运营管理办法（试行）", library.StatusTrial, 2,
		[2]string{"第一条", "为规范公共数据专区授权运营，制定本办法。"},
		[2]string{"第二条", "本办法适用于本市公共数据专区的授权运营。"})
	cat := library.NewCatalog([]*library.Version{draft, adopted})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "《北京市公共数据专区授权运营管理办法》第三十二条规定了什么？"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused || len(ans.Cites) == 0 {
		t.Fatalf("refused or uncited: %s", ans.Text)
	}
	if c := ans.Cites[0]; c.ProvisionID != "d-第三十二条" || len(c.Warnings) == 0 {
		t.Errorf("first citation %s %s %v, want the draft's 第三十二条 with its warning", c.Document, c.Label, c.Warnings)
	}
}
