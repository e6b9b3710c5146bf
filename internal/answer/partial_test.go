package answer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestPartialAnswerNamesWhatIsMissing(t *testing.T) {
	cat := fixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	tests := []struct {
		q       string
		missing string // a word of the part reported missing; "" for none
	}{
		// The fixture holds 数据安全法 第四十五条 on fines, nothing on an
		// exchange's listing fees.
		{"违反国家核心数据管理制度，最高罚款多少？另外数据交易所挂牌收费标准是怎样规定的？", "挂牌"},
		{"向境外提供个人信息需要具备哪些条件？另外对个人本人要履行什么告知和同意义务？", ""},
	}
	for _, tt := range tests {
		ans, err := a.Ask(context.Background(), Request{Question: tt.q, Answerer: Extractive})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Refused {
			t.Errorf("%s: refused: %s", tt.q, ans.Text)
			continue
		}
		got := strings.Join(ans.Missing, "；")
		if tt.missing == "" {
			if got != "" {
				t.Errorf("%s: missing %q, want none", tt.q, got)
			}
			continue
		}
		if !strings.Contains(got, tt.missing) {
			t.Errorf("%s: missing %q, want a part with %s", tt.q, got, tt.missing)
		}
		if !strings.Contains(ans.Text, "库内未找到") || !strings.Contains(ans.Text, tt.missing) {
			t.Errorf("%s: the answer text does not say what is missing:\n%s", tt.q, ans.Text)
		}
		if len(ans.Cites) == 0 || !strings.Contains(ans.Text, "五十万元") && !strings.Contains(ans.Text, "一千万元") {
			t.Errorf("%s: the covered part is not answered:\n%s", tt.q, ans.Text)
		}
	}
}

func TestComparisonQuotesEachNamedDocument(t *testing.T) {
	cat := fixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "违反数据安全法和违反个人信息保护法，罚款分别最高是多少？", Answerer: Extractive})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Refused {
		t.Fatalf("refused: %s", ans.Text)
	}
	docs := map[string]bool{}
	for _, c := range ans.Cites {
		docs[c.Document] = true
	}
	for _, d := range []string{"中华人民共和国数据安全法", "中华人民共和国个人信息保护法"} {
		if !docs[d] {
			t.Errorf("no citation of %s: %v\n%s", d, ans.Cites, ans.Text)
		}
		if !strings.Contains(ans.Text, "《"+d+"》") {
			t.Errorf("no line for %s:\n%s", d, ans.Text)
		}
	}
}

// A part that names no point of its own (要在多长时间内提出来, 最多罚多少钱)
// asks for its type's evidence: it is answered when a quoted provision
// carries it (a fine, a period) and missing when none does.
func TestPartWithoutPointsJudgedByTypeEvidence(t *testing.T) {
	cat := fixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	tests := []struct {
		q       string
		missing bool
	}{
		{"违反国家核心数据管理制度会被怎么处理？最多罚多少钱？", false},
		// 第三十九条 answers the first part; no article cites it, so the
		// law's fine for breaching it as a whole (第六十六条) answers the
		// second.
		{"向境外提供个人信息要取得个人单独同意吗？最多罚多少钱？", false},
		// 第三十六条 answers the first part; no article fines its breach
		// and 数据安全法 has no general fine in the fixture.
		{"外国司法机构要调取境内的数据，能直接提供吗？最多罚多少钱？", true},
	}
	for _, tt := range tests {
		ans, err := a.Ask(context.Background(), Request{Question: tt.q, Answerer: Extractive})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Refused {
			t.Errorf("%s: refused: %s", tt.q, ans.Text)
			continue
		}
		if got := len(ans.Missing) > 0; got != tt.missing {
			t.Errorf("%s: missing %q, want missing=%v\n%s", tt.q, ans.Missing, tt.missing, ans.Text)
		}
	}
}

func TestAllPartsMissing(t *testing.T) {
	tests := []struct {
		parts, missing []string
		want           bool
	}{
		{[]string{"必须配合吗", "能不能收钱"}, []string{"必须配合吗", "能不能收钱"}, true},
		{[]string{"必须配合吗", "能不能收钱"}, []string{"能不能收钱"}, false},
		// A comparison's missing document is no part.
		{[]string{"必须配合吗", "能不能收钱"}, []string{"能不能收钱", "《某办法》中的相关规定"}, false},
		// A one-part question is refused by the scope decision, not here.
		{[]string{"必须配合吗"}, []string{"必须配合吗"}, false},
		{nil, nil, false},
	}
	for _, tt := range tests {
		if got := allPartsMissing(tt.parts, tt.missing); got != tt.want {
			t.Errorf("allPartsMissing(%v, %v) = %v, want %v", tt.parts, tt.missing, got, tt.want)
		}
	}
}

// A part is answered by its own search's first hit when that covers the
// part, even if another leading provision shares more of its words: the
// engine ranks by how provisions answer, word overlap only counts.
func TestPartAnsweredByItsOwnSearch(t *testing.T) {
	a, q := twoPartQuestion(t, "三级数据能不能共享？三级数据的安全事件要怎么上报？")
	cand := func(id, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: "工业数据分类分级指南", Label: id, Text: text}}
	}
	report := cand("第十六条", "涉及三级数据的安全事件，应将事件及时上报省级主管部门。")
	overlap := cand("第八条", "将工业数据分为一级、二级、三级数据，三级数据共享范围依照本指南确定，可以共享。")
	share := cand("第十五条", "三级数据原则上不共享，确需共享的应严格控制知悉范围。")
	for _, tt := range []struct {
		tops []string
		want string
	}{
		{[]string{"第十五条", "第十六条"}, "第十五条"},
		{nil, "第八条"}, // without the parts' own searches, word overlap decides
	} {
		r := &retrieval{q: q, candidates: []*candidate{report, overlap, share}, partTops: tt.tops}
		added := partsAdded(a, r, "第十六条")
		if len(added) != 1 || added[0] != tt.want {
			t.Errorf("tops %v: added %v, want [%s]", tt.tops, added, tt.want)
		}
	}
}

// A question that names a place is not answered, in any part, by another
// place's rule.
func TestPartNotAnsweredByAnotherPlace(t *testing.T) {
	a, q := twoPartQuestion(t, "在贵州的数据交易场所买卖数据，价格怎么定？能不能请第三方机构来评估定价？")
	local := func(id, region, doc, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Region: region, Document: doc, Label: id, Text: text}}
	}
	guizhou := local("gz25", "贵州", "贵州省数据流通交易管理办法(试行)", "数据交易场所的数据交易价格由交易双方协商确定。")
	hainan := local("hn29", "海南", "海南省公共数据产品开发利用暂行管理办法", "可以委托第三方机构对数据产品进行评估定价。")
	national := local("n1", "全国", "数据安全法", "可以委托第三方机构对数据进行评估定价。")
	for _, tt := range []struct {
		cands []*candidate
		want  string // the provision added for the second part, "" for none
	}{
		{[]*candidate{guizhou, hainan}, ""},
		{[]*candidate{guizhou, hainan, national}, "n1"},
	} {
		r := &retrieval{q: q, candidates: tt.cands}
		added := partsAdded(a, r, "gz25")
		if got := strings.Join(added, ","); got != tt.want {
			t.Errorf("%d candidates: added %q, want %q", len(tt.cands), got, tt.want)
		}
	}
}

// A quoted trial rule that covers a part as fully as an in-force rule of
// another document answers the part: standing chooses between provisions
// not yet quoted, it does not add a second one. A draft does not.
func TestQuotedTrialRuleAnswersItsPart(t *testing.T) {
	a, q := twoPartQuestion(t, "工业领域数据处理者多久开展一次风险评估？评估结果有效期多长？")
	cand := func(id, doc string, status, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: doc, Label: id, Status: status, Text: text}}
	}
	const text = "数据处理者每年至少开展一次风险评估，评估结果有效期为一年。"
	other := cand("other", "数据跨境流动规定", "", "评估结果有效期为3年，有效期届满可以申请延长。")
	for _, tt := range []struct {
		status string
		added  bool
	}{
		{library.StatusTrial, false},
		{library.StatusDraft, true},
	} {
		quoted := cand("quoted", "工业领域数据安全风险评估实施细则", tt.status, text)
		r := &retrieval{q: q, candidates: []*candidate{quoted, other}}
		added := partsAdded(a, r, "quoted")
		if got := slices.Contains(added, "other"); got != tt.added {
			t.Errorf("%s: added %v, want other added %v", tt.status, added, tt.added)
		}
	}
}

// A quoted in-force provision that covers a part well enough answers it
// against a draft that covers it more fully; an in-force one that covers
// it more fully is still added.
func TestDraftNotAddedForAnsweredPart(t *testing.T) {
	a, q := twoPartQuestion(t, "在上海做数据交易，必须进数据交易所吗？交易价格能不能自己定？")
	cand := func(id, status, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: "上海市数据条例", Label: id, Status: status, Text: text}}
	}
	quoted := cand("quoted", "", "数据交易可以在数据交易所进行。")
	for _, tt := range []struct {
		status string
		added  bool
	}{
		{library.StatusDraft, false},
		{"", true},
	} {
		other := cand("other", tt.status, "数据交易所的数据交易价格可以由交易双方自主确定。")
		r := &retrieval{q: q, candidates: []*candidate{quoted, other}}
		if got := slices.Contains(partsAdded(a, r, "quoted"), "other"); got != tt.added {
			t.Errorf("other %q: added %v, want %v", tt.status, got, tt.added)
		}
	}
}

// A later part that leaves its subject to the part before it is judged
// with that part's points: 不履行的话怎么处罚 asks about the 审核义务 just
// asked, which the quoted penalty provision names, not about any failure
// to act.
func TestCarriedPartJudgedWithPreviousPoints(t *testing.T) {
	a, q := twoPartQuestion(t, "从事数据交易中介服务的机构需要履行哪些审核义务？不履行的话怎么处罚？")
	cand := func(id, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: id, Label: id, Text: text}}
	}
	duty := cand("duty", "从事数据交易中介服务的机构应当要求数据提供方说明数据来源，审核交易双方的身份。")
	penalty := cand("penalty", "从事数据交易中介服务的机构未履行审核义务的，由有关主管部门责令改正，处十万元以上一百万元以下罚款。")
	generic := cand("generic", "网络运营者不履行本法规定的安全保护义务的，由有关主管部门给予处罚，处一万元以上十万元以下罚款。")
	if got := q.carriedPart(1); !strings.Contains(got, "审核") {
		t.Fatalf("carried part %q lacks the first part's points", got)
	}
	r := &retrieval{q: q, candidates: []*candidate{duty, penalty, generic}}
	seen := map[string]bool{"duty": true, "penalty": true}
	var added []string
	a.partsUncovered(r, seen, func(c *candidate, limited bool) bool {
		added = append(added, c.ProvisionID)
		return true
	})
	if len(added) != 0 {
		t.Errorf("added %v for a part the quoted penalty answers", added)
	}
}

// A national sector's rule answers a part of a question that does not
// name the sector only when it covers the part clearly better than a
// general text.
func TestSectorRuleWeighedForPart(t *testing.T) {
	a, q := twoPartQuestion(t, "数据安全事件发生后要做什么？要在多长时间内报告？")
	cand := func(id, doc, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: doc, Label: id, Text: text}}
	}
	quoted := cand("quoted", "数据安全管理办法", "发生数据安全事件，应当立即启动应急预案，采取处置措施。")
	general := cand("general", "数据安全管理办法", "发生数据安全事件的，应当在24小时内向主管部门报告事件情况。")
	sector := cand("sector", "电力行业网络安全管理办法", "电力企业发生数据安全事件的，应当在24小时内向电力监管机构报告事件情况和处置结果。")
	r := &retrieval{q: q, candidates: []*candidate{quoted, sector, general}}
	if added := partsAdded(a, r, "quoted"); !slices.Equal(added, []string{"general"}) {
		t.Errorf("added %v, want [general]", added)
	}
}

// twoPartQuestion analyses a question of two parts over the fixture
// library.
func twoPartQuestion(t *testing.T, text string) (*Answerer, *Question) {
	t.Helper()
	cat := fixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	q := analyze(text, a.lx, nil, nil)
	a.lib.weigh(q.Groups)
	if len(q.Parts) != 2 {
		t.Fatalf("parts %q, want 2", q.Parts)
	}
	return a, q
}

// partsAdded returns the provisions partsUncovered adds for r's parts when
// the provision quoted is the one with ID quoted.
func partsAdded(a *Answerer, r *retrieval, quoted string) []string {
	var added []string
	a.partsUncovered(r, map[string]bool{quoted: true}, func(c *candidate, limited bool) bool {
		if !slices.Contains(added, c.ProvisionID) { // quoted once, as pick takes it
			added = append(added, c.ProvisionID)
		}
		return true
	})
	return added
}
