package answer

import (
	"context"
	"strings"
	"testing"

	"datalex/internal/library"
)

// penaltyFixture is a law whose duties and penalties are separate articles,
// and a law whose short name (密码法) is under four characters.
func penaltyFixture() *library.Catalog {
	mk := func(id, title string, arts ...[2]string) *library.Version {
		v := &library.Version{ID: id, WorkID: "w-" + id, Title: title, Status: library.StatusInForce, Kind: library.KindRegulation}
		for _, a := range arts {
			v.Provisions = append(v.Provisions, &library.Provision{ID: id + "-" + a[0], Kind: library.ProvArticle, Label: a[0], Text: a[0] + " " + a[1],
				Citation: library.CitationFor(title, a[0])})
		}
		return v
	}
	law := mk("dm", "中华人民共和国数据管理法",
		[2]string{"第十条", "数据处理者应当建立数据安全管理制度，落实数据安全保护责任，定期开展数据安全风险评估。"},
		[2]string{"第十二条", "数据处理者应当按照国家规定向主管部门报送数据安全风险评估报告。"},
		[2]string{"第三十条", "数据处理者不履行本法第十条规定的数据安全保护义务的，由主管部门责令改正，处一万元以上十万元以下罚款。"},
		[2]string{"第三十一条", "违反本法规定，未报送风险评估报告的，由主管部门责令改正，处五万元以下罚款。"},
	)
	crypto := mk("mm", "中华人民共和国密码法",
		[2]string{"第五条", "国家对密码实行分类管理，密码分为核心密码、普通密码和商用密码。"},
		[2]string{"第六条", "核心密码、普通密码用于保护国家秘密信息。"},
	)
	return library.NewCatalog([]*library.Version{law, crypto})
}

func TestPenaltyOfTheNamedDuty(t *testing.T) {
	cat := penaltyFixture()
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	tests := []struct {
		q    string
		want string // the first citation's label
	}{
		// The penalty article cites the duty: it answers, not the duty.
		{"违反《数据管理法》第十条的规定，会被罚多少钱？", "第三十条"},
		// No penalty article cites 第十二条: the one punishing breaches of
		// the law as a whole answers.
		{"不按数据管理法第十二条报送报告，怎么处罚？", "第三十一条"},
		// Not a penalty question: the named article itself.
		{"数据管理法第十条规定了什么？", "第十条"},
		// The duty stated in words, not by number: the closest provision is
		// the duty, the penalty article citing it answers.
		{"数据处理者没有建立数据安全管理制度、落实数据安全保护责任，会被怎么罚？", "第三十条"},
		// A short law's name in 《》 names it.
		{"《密码法》第五条怎么规定的？", "第五条"},
	}
	for _, tt := range tests {
		ans, err := a.Ask(context.Background(), Request{Question: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Refused || len(ans.Cites) == 0 {
			t.Errorf("%s: refused or uncited", tt.q)
			continue
		}
		if got := ans.Cites[0].Label; got != tt.want {
			t.Errorf("%s: first citation %s %s, want %s", tt.q, ans.Cites[0].Document, got, tt.want)
		}
	}
}

// A penalty question whose chosen provisions state no fine is also
// answered by the closest penalty article (the duty of one law, the fine
// in another).
func TestPenaltyQuestionGetsAFine(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	q := a.understand("数据处理者违反本法规定处理个人信息，怎么处罚？", nil)
	cand := func(id, text string) *candidate {
		return &candidate{Passage: Passage{ProvisionID: id, Document: "数据法", Label: id, Text: text}, typed: 1}
	}
	duty := cand("duty", "数据处理者应当依照本法规定处理个人信息。")
	fine := cand("fine", "违反本法规定处理个人信息的，处一百万元以下罚款。")
	r := &retrieval{q: q, candidates: []*candidate{duty, fine}}
	if c := a.typeEvidenceProvision(r, []*candidate{duty}); c == nil || c.ProvisionID != "fine" {
		t.Errorf("duty chosen: got %v, want the penalty article", c)
	}
	if c := a.typeEvidenceProvision(r, []*candidate{fine}); c != nil {
		t.Errorf("penalty chosen: added %s", c.ProvisionID)
	}
	r.q = a.understand("数据处理者应当怎样处理个人信息？", nil)
	if c := a.typeEvidenceProvision(r, []*candidate{duty}); c != nil {
		t.Errorf("not a penalty question: added %s", c.ProvisionID)
	}
}

// A penalty question naming no article prefers the penalty clause citing
// the closest duty provision over one sharing more of its words.
func TestPenaltyClauseOfTheLeadingDuty(t *testing.T) {
	q := newFixtureAnswerer(Config{}).understand("公司没有制定数据安全管理制度，会被怎么罚？", nil)
	duty := "开展数据处理活动的组织、个人不履行本法第二十七条规定的数据安全保护义务的，由有关主管部门责令改正，可以并处五万元以上五十万元以下罚款。"
	core := "违反国家核心数据安全管理制度，危害国家主权、安全和发展利益的，由有关主管部门处二百万元以上一千万元以下罚款。"
	if sentenceScore(duty, q) >= sentenceScore(core, q) {
		t.Fatalf("without duties the duty clause already wins: the test proves nothing")
	}
	q.duties = []int{27}
	if sentenceScore(duty, q) <= sentenceScore(core, q) {
		t.Errorf("with 第二十七条 leading, the clause citing it scores %.2f, the other %.2f", sentenceScore(duty, q), sentenceScore(core, q))
	}
}

func TestLeadInAndRefersTo(t *testing.T) {
	quote := "有下列行为之一的，由市场监督管理部门责令停止发布广告，处二十万元以上一百万元以下的罚款：（一）发布有本法第九条规定的禁止情形的广告的；（二）违反本法第十五条规定发布处方药广告的。"
	if got := leadIn(quote, "（二）违反本法第十五条规定发布处方药广告的。"); !strings.HasPrefix(got, "有下列行为之一的") {
		t.Errorf("leadIn = %q", got)
	}
	if got := leadIn(quote, "不在引文中的句子"); got != "" {
		t.Errorf("leadIn of a sentence not quoted = %q", got)
	}
	for _, tt := range []struct {
		s        string
		articles []int
		want     bool
	}{
		{"（一）发布有本法第九条、第十条规定的禁止情形的广告的；", []int{10}, true},
		{"（二）违反本法第十五条规定发布处方药广告的；", []int{9}, false},
		{"违反本法规定的，处罚款。", []int{9}, false},
		{"（一）发布有本法第九条规定的禁止情形的广告的；", nil, false},
		// A run of articles cites each article inside it.
		{"违反本法第二十二条第三款、第四十一条至第四十三条规定，侵害个人信息依法得到保护的权利的，处罚款。", []int{42}, true},
		{"违反本法第四十一条至第四十三条规定的，处罚款。", []int{44}, false},
	} {
		if got := refersTo(tt.s, tt.articles); got != tt.want {
			t.Errorf("refersTo(%q, %v) = %v", tt.s, tt.articles, got)
		}
	}
}

func TestPenaltyItemConclusion(t *testing.T) {
	// A penalty article listing cases under one fine: the conclusion is
	// the item naming the duty asked about, led by the lead-in's fine.
	v := &library.Version{ID: "gg", WorkID: "w-gg", Title: "中华人民共和国广告管理法", Status: library.StatusInForce, Kind: library.KindRegulation}
	for _, a := range [][2]string{
		{"第九条", "广告不得使用国家机关、国家机关工作人员的名义或者形象。"},
		{"第十五条", "处方药广告只能在指定的医学、药学专业刊物上发布。"},
		{"第五十七条", "有下列行为之一的，由市场监督管理部门责令停止发布广告，对广告主处二十万元以上一百万元以下的罚款：\n（一）违反本法第十五条规定发布处方药广告的；\n（二）发布有本法第九条规定的禁止情形的广告的。"},
	} {
		v.Provisions = append(v.Provisions, &library.Provision{ID: "gg-" + a[0], Kind: library.ProvArticle, Label: a[0], Text: a[0] + " " + a[1], Citation: library.CitationFor(v.Title, a[0])})
	}
	cat := library.NewCatalog([]*library.Version{v})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "违反《广告管理法》第九条的规定，会受到什么处罚？"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Cites) == 0 || ans.Cites[0].Label != "第五十七条" {
		t.Fatalf("citations %+v, want 第五十七条 first", ans.Cites)
	}
	if !strings.Contains(ans.Conclusion, "第九条") || !strings.Contains(ans.Conclusion, "二十万元以上一百万元以下") {
		t.Errorf("conclusion %q: want the item naming 第九条 and the fine", ans.Conclusion)
	}
}

func TestWithFigureClause(t *testing.T) {
	penalty := &Question{Text: "违反第二十一条会被罚多少钱？", Type: TypePenalty}
	quote := "网络运营者不履行本法第二十一条规定的网络安全保护义务的，由有关主管部门责令改正，给予警告；拒不改正的，处一万元以上十万元以下罚款；对直接负责的主管人员处五千元以上五万元以下罚款。"
	first := "网络运营者不履行本法第二十一条规定的网络安全保护义务的，由有关主管部门责令改正，给予警告；"
	tests := []struct {
		name string
		q    *Question
		s    string
		want string
	}{
		{"the fine is in the next clause", penalty, first, first + "拒不改正的，处一万元以上十万元以下罚款；"},
		{"the sentence states the fine", penalty, "拒不改正的，处一万元以上十万元以下罚款；", "拒不改正的，处一万元以上十万元以下罚款；"},
		{"not asking a figure", &Question{Text: "第二十一条怎么规定？", Type: TypeObligation}, first, first},
		{"not in the quote", penalty, "另一句话。", "另一句话。"},
	}
	for _, tt := range tests {
		if got := withFigureClause(tt.q, quote, tt.s); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A penalty conclusion names the severer tier its sentence goes on to
// state, not one of the next sentence (another breach's), and not when
// the question states the severity itself.
func TestSevererTierOfTheFine(t *testing.T) {
	base := "开展数据处理活动的组织不履行数据安全保护义务的，由有关主管部门责令改正，可以并处五万元以上五十万元以下罚款；"
	quote := base + "拒不改正或者造成大量数据泄露等严重后果的，处五十万元以上二百万元以下罚款。违反本法第三十六条规定的，处十万元以上一百万元以下罚款；造成严重后果的，处一百万元以上五百万元以下罚款。"
	first := "违反本法第三十五条规定，拒不配合数据调取的，并处五万元以上五十万元以下罚款。"
	tests := []struct {
		q, quote, sentence, want string
	}{
		{"没有履行数据安全保护义务会被罚多少？", quote, base, "拒不改正或者造成大量数据泄露等严重后果的，五十万元以上二百万元以下"},
		// The sentence ends: the next one punishes another breach.
		{"拒不配合数据调取会被罚多少？", first + "违反本法第三十六条规定的，处十万元以上一百万元以下罚款；造成严重后果的，处一百万元以上五百万元以下罚款。", first, ""},
		// The question states the severity.
		{"造成严重后果的会被罚多少？", quote, base, ""},
	}
	for _, tt := range tests {
		q := analyze(tt.q, defaultLexicon, nil, nil)
		if got := severerTier(q, tt.quote, tt.sentence, "五万元以上五十万元以下"); got != tt.want {
			t.Errorf("%s: tier %q, want %q", tt.q, got, tt.want)
		}
	}
}

// A penalty clause states the breach first and the fine after a semicolon,
// often on the next source line: the two answer a penalty question
// together (个人信息保护法 第六十六条), while a clause naming the breach
// without any fine does not.
func TestPenaltyClauseAcrossSemicolons(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	q := a.understand("违反个人信息保护法怎么罚？", nil)
	if firstType(q.Type) != TypePenalty {
		t.Fatalf("type %v, want penalty", q.Type)
	}
	penalty := &candidate{Passage: Passage{ProvisionID: "p66", Document: "个人信息保护法", Label: "第六十六条",
		Text: "第六十六条 违反本法规定处理个人信息的，由履行个人信息保护职责的部门责令改正，给予警告；\n拒不改正的，并处一百万元以下罚款。"}}
	erase := &candidate{Passage: Passage{ProvisionID: "p47", Document: "个人信息保护法", Label: "第四十七条",
		Text: "第四十七条 有下列情形之一的，个人信息处理者应当主动删除个人信息：\n（四）个人信息处理者违反法律、行政法规或者违反约定处理个人信息；"}}
	a.rerank(q, []*candidate{erase, penalty}, nil)
	if penalty.typed == 0 {
		t.Errorf("the penalty clause's breach and fine were judged apart: typed %.2f", penalty.typed)
	}
	if erase.typed != 0 {
		t.Errorf("a breach without a fine counted as a penalty: typed %.2f", erase.typed)
	}
	tests := []struct {
		text string
		want int
	}{
		{"违反本法规定的，责令改正；\n拒不改正的，处一万元以下罚款。", 1},
		{"有下列情形之一的，应当删除：\n（一）处理目的已实现；\n（二）保存期限已届满。", 3},
		{"第一句。第二句；第三句！", 2},
	}
	for _, tt := range tests {
		if got := periodSentences(tt.text); len(got) != tt.want {
			t.Errorf("periodSentences(%q) = %q, want %d sentences", tt.text, got, tt.want)
		}
	}
}

// A penalty whose severer tier is a paragraph of its own (个人信息保护法
// 第六十六条): the conclusion quotes the base fine with the severer tier in
// brackets, and the severer tier when the question asks it.
func TestPenaltyTierAcrossParagraphs(t *testing.T) {
	quote := "违反本法规定处理个人信息的，由履行个人信息保护职责的部门责令改正，给予警告；拒不改正的，并处一百万元以下罚款；对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款。\n" +
		"有前款规定的违法行为，情节严重的，由省级以上履行个人信息保护职责的部门责令改正，并处五千万元以下或者上一年度营业额百分之五以下罚款；对直接负责的主管人员和其他直接责任人员处十万元以上一百万元以下罚款。"
	c := Citation{Document: "中华人民共和国个人信息保护法", Label: "第六十六条", Quote: quote}
	tests := []struct {
		q, want, sentence string
	}{
		{"个人信息处理者违法处理个人信息会被怎么处罚？", "一百万元以下（情节严重的，五千万元以下或者上一年度营业额百分之五以下）", "拒不改正的"},
		{"违法处理个人信息，情节严重的怎么罚？", "五千万元以下或者上一年度营业额百分之五以下", "有前款规定的违法行为"},
		{"违法处理个人信息最多罚多少？", "五千万元以下或者上一年度营业额百分之五以下", "有前款规定的违法行为"},
	}
	for _, tt := range tests {
		q := analyze(tt.q, defaultLexicon, nil, nil)
		best, _ := quoteSentence(q, c)
		lead, sentence := conclusionOf(q, c, best)
		if lead != tt.want+"，" {
			t.Errorf("%s: lead %q, want %q", tt.q, lead, tt.want)
		}
		if !strings.Contains(sentence, tt.sentence) {
			t.Errorf("%s: sentence %q, want the one with %q", tt.q, sentence, tt.sentence)
		}
	}
}
