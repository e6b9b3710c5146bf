package answer

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
	"datalex/internal/selfcheck/crossborder"
	"datalex/internal/validity"
)

func TestVerdict(t *testing.T) {
	tests := []struct{ question, sentence, want, quote string }{
		{"向境外提供不满1万人个人信息，需要申报吗？", "不需要申报数据出境安全评估", "不需要", ""},
		{"我们可以直接把数据给外国警方吗？", "境内的组织、个人不得向外国司法或者执法机构提供", "不可以", ""},
		{"处理敏感个人信息需要单独同意吗？", "应当取得个人的单独同意", "需要", ""},
		{"公司可以向第三方提供个人信息吗？", "应当向个人告知接收方的名称……并取得个人的单独同意", "可以，但须满足条件", "个人信息处理者向其他个人信息处理者提供其处理的个人信息的，应当向个人告知接收方的名称或者姓名、联系方式、处理目的、处理方式和个人信息的种类，并取得个人的单独同意。"},
		{"数据出境安全评估结果有效期多久？", "结果有效期为3年", "", ""}, // not a yes/no question
		// A duty elsewhere in the quoted provision counts for the omission.
		{"申请被拒了，理由都不给，这样可以吗？", "应当建立便捷的申请受理和处理机制", "不可以", "个人信息处理者应当建立便捷的申请受理和处理机制。拒绝个人行使权利的请求的，应当说明理由。"},
		// Without the duty to give reasons the provision does not speak of the act.
		{"申请被拒了，理由都不给，这样可以吗？", "应当建立便捷的申请受理和处理机制", "", "个人信息处理者应当建立便捷的申请受理和处理机制。"},
		{"评估机构可以按委托方给的数出结论吗？", "资产评估机构不可以按照委托人指定的价值出具报告", "不可以", ""},
		{"物业可以查看业主的消费记录吗？", "物业服务企业无权查阅业主的个人信息", "不可以", ""},
		// Leave to omit an act: the polarity turns.
		{"我们可以不告诉用户就共享给合作方吗？", "应当向个人告知接收方的名称", "不可以", ""},
		{"能不能不做个人信息保护影响评估？", "应当事前进行个人信息保护影响评估", "不可以", ""},
		{"这种情况能不能不申报？", "免予申报数据出境安全评估", "可以", ""},
		{"是否可以不签标准合同？", "不得向境外提供", "", ""},
		// 能不能 and 可不可以 are choice forms, not omissions.
		{"能不能把原始数据导出？", "原始数据不得导出授权运营域", "不可以", ""},
		{"可不可以收取费用？", "可以根据转移个人信息的成本收取必要费用", "可以", ""},
		// Everyday obligation forms.
		{"数据出境了还要去申报吗？", "不需要将其作为重要数据申报数据出境安全评估", "不需要", ""},
		{"这种情况不用报告吧？", "应当在24小时内向有关主管部门报告", "需要", ""},
		// The pair: leaving undone what a duty requires is no
		// permission; asking whether the duty exists is an obligation.
		{"公司可以不告诉用户吗？", "应当告知用户处理目的和方式", "不可以", ""},
		{"公司必须告诉用户吗？", "应当告知用户处理目的和方式", "需要", ""},
		{"没有说明理由就驳回申请，这样可以吗？", "驳回申请的，应当说明理由", "不可以", ""},
		{"材料都不交就能办理吗？", "申请人应当提交下列材料", "不可以", ""},                                             // fronted object before 都不
		{"向境外提供不满1万人的个人信息，可以直接提供吗？", "应当与境外接收方订立合同", "可以，但须满足条件", "向境外提供个人信息的，应当与境外接收方订立合同。"}, // 不满 is a quantity
		// A rule on the party the act goes to settles nothing for the one asking.
		{"在上海做数据交易，必须进数据交易所吗？", "数据交易所应当为数据交易提供场所与设施，组织和监管数据交易。", "", ""},
		{"商家可以把订单数据交给平台吗？", "平台应当建立健全数据安全管理制度。", "", ""},
		// A rule on an authority answers nothing for whoever asks, unless
		// the question names it; a sentence of two rules is not read so.
		{"数据交易价格能不能自己定？", "市相关主管部门应当组织相关行业协会等制订数据交易价格评估导则。", "", ""},
		{"主管部门需要制定数据交易价格评估导则吗？", "市相关主管部门应当组织相关行业协会等制订数据交易价格评估导则。", "需要", ""},
		{"公安局来调取数据，我们必须配合吗？", "公安机关因侦查犯罪的需要调取数据，应当经过严格的批准手续，有关组织、个人应当予以配合。", "需要", ""},
		// … but a rule on the one asking does, and a conditional clause names no party.
		{"个人信息处理者需要取得个人同意吗？", "个人信息处理者应当取得个人的单独同意。", "需要", ""},
		{"公司可以用爬虫去抓取别家平台的数据吗？", "企业采用网络爬虫收集数据的，应当尊重爬取对象平台的爬虫协议。", "可以，但须满足条件", ""},
		{"合同到期后还能继续使用这些数据吗？", "合同履行完毕后，应当删除或者返还数据", "不可以", ""},
		{"合同到期后可以把数据交给母公司吗？", "合同履行完毕后，应当删除或者返还数据", "可以，但须满足条件", ""},
		// A question word makes the clause ask for a list, a place or a
		// figure: no 需要/可以 lead.
		{"申请登记需要提交哪些材料？", "申请人应当提交下列材料", "", ""},
		{"发现违法处理个人信息，可以去哪里投诉？", "任何组织、个人有权对违法个人信息处理活动进行投诉", "", ""},
		{"累计向境外提供多少人的个人信息时应当订立标准合同？", "应当订立标准合同", "", ""},
		// 只能/可能 hold no modal 能; 违法吗 is answered by a prohibition only.
		{"只能刷脸才能进门，这样做合规吗？", "不得将刷脸作为进门的唯一验证方式", "不可以", ""},
		{"这种差别定价违法吗？", "不得对交易条件实行不合理的差别待遇", "不可以", ""},
		{"这种差别定价违法吗？", "应当保证决策的透明度和结果公平", "", ""},
		{"数据可能涉及个人信息，每年都要做评估吗？", "应当每年开展一次风险评估", "需要", ""},
		// Data localisation: taking abroad what a duty keeps in the country
		// is refused; the exception sentence answers with its condition.
		{"关键信息基础设施运营者收集的个人信息可以存到国外服务器上吗？", "应当将在中华人民共和国境内收集和产生的个人信息存储在境内", "不可以", ""},
		{"运营中收集的个人信息可以传到境外吗？", "因业务需要，确需向境外提供的，应当按照国家网信部门会同国务院有关部门制定的办法进行安全评估", "可以，但须满足条件",
			"关键信息基础设施的运营者在中华人民共和国境内运营中收集和产生的个人信息和重要业务数据应当在境内存储。因业务需要，确需向境外提供的，应当按照国家网信部门会同国务院有关部门制定的办法进行安全评估"},
		// A rule that ends the act asked about (不再调整) exempts from it.
		{"暂行规定施行前已经费用化的数据资源支出需要追溯调整吗？", "本规定施行前已经费用化计入损益的数据资源相关支出不再调整。", "不需要", ""},
		{"数据资源支出需要追溯调整吗？", "不再作为资产列示的，应当调整报表。", "需要", ""},
		// The act asked about is the condition of another's permission:
		// the permission is not the answer.
		{"个人信息处理者可以拒绝个人行使权利的请求吗？", "个人信息处理者拒绝个人行使权利的请求的，个人可以依法向人民法院提起诉讼。", "", ""},
		{"个人可以要求删除自己的个人信息吗？", "个人可以请求个人信息处理者删除其个人信息", "可以", ""},
		// A provision that does not speak of the act asked about settles
		// nothing, whatever its modal words.
		{"已经费用化的数据支出，现在能不能调回来确认成资产？", "企业应当采用未来适用法执行本规定", "", "企业应当采用未来适用法执行本规定，本规定施行前已经费用化计入损益的数据资源相关支出不再调整。"},
		{"用户要求把个人信息转到另一家平台，我们必须配合吗？", "应当履行下列义务：（一）按照国家规定建立健全个人信息保护合规制度体系", "", ""},
		{"我之前点了同意，现在后悔了，能收回吗？", "未向用户明示并经用户同意，不得开启收集地理位置等功能", "", ""},
		// A verb split round its object still names the act (收费, 收取必要费用);
		// 照办 stands for the clause before.
		{"次数明显不合理，我们可以收费吗？", "可以根据转移个人信息的成本收取必要费用", "可以", ""},
		{"客户要我们直接按他定的价出评估结论，可以照办吗？", "不得直接以预先设定的价值作为评估结论", "不可以", ""},
	}
	for _, tt := range tests {
		q := analyze(tt.question, defaultLexicon, nil, nil)
		if got := verdict(q, tt.sentence, tt.quote); got != tt.want {
			t.Errorf("%s / %s: %q, want %q", tt.question, tt.sentence, got, tt.want)
		}
	}
}

func TestCrossBorderFacts(t *testing.T) {
	tests := []struct {
		q        string
		ok       bool
		pi, sens int64
		cii      bool
		scenario string
	}{
		{"我们把3万个客户手机号传给新加坡总部，需要做安全评估吗", true, 30000, 0, false, crossborder.ScenarioNone},
		{"关键信息基础设施运营者向境外提供5000名用户的信息要评估吗", true, 5000, 0, true, crossborder.ScenarioNone},
		{"医院要把两万名患者的医疗健康数据传到美国", true, 0, 20000, false, crossborder.ScenarioNone},
		{"跨境购物平台把120万用户的收件信息给境外商家", true, 1200000, 0, false, crossborder.ScenarioContract},
		// 第五条's cases are exempt whatever the number: none is needed.
		{"员工的个人信息传给境外总部做人力资源管理，要申报吗", true, 0, 0, false, crossborder.ScenarioHR},
		{"数据出境安全评估结果有效期多久", false, 0, 0, false, ""},        // no head count
		{"我们有3万个客户，要做个人信息保护影响评估吗", false, 0, 0, false, ""}, // nothing goes abroad
	}
	for _, tt := range tests {
		f, ok := crossBorderFacts(tt.q)
		if ok != tt.ok {
			t.Errorf("%s: ok=%v", tt.q, ok)
			continue
		}
		if ok && (f.PersonalInfo != tt.pi || f.SensitivePersonalInfo != tt.sens || f.CIIOperator != tt.cii || f.Scenario != tt.scenario) {
			t.Errorf("%s: %+v", tt.q, f)
		}
	}
}

// TestAnswersOnBundledLibrary runs the answerer over the bundled library
// with validity annotated, as the platform does: the current rule is stated
// (第九条 3 years, not the old 2 years), thresholds are applied to the
// question's numbers, and every in-scope answer opens with a conclusion.
func TestAnswersOnBundledLibrary(t *testing.T) {
	vs := checktest.BundledVersions(t)
	validity.Annotate(vs, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	cat := library.NewCatalog(vs)
	a := New(Config{Catalog: cat, Retrieve: noSearch})
	tests := []struct{ q, conclusionHas, notHas string }{
		{"我们把3万个客户手机号传给新加坡总部，需要做安全评估吗", "免予申报", ""},
		{"公司一年要向境外提供50万人的个人信息，走什么程序？", "标准合同", ""},
		{"我们要把国内员工的个人信息传给新加坡总部做人力资源管理，需要申报安全评估吗？", "免予申报", ""},
	}
	for _, tt := range tests {
		ans, err := a.Ask(t.Context(), Request{Question: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Refused || !strings.Contains(ans.Conclusion, tt.conclusionHas) {
			t.Errorf("%s: conclusion %q (refused=%v)", tt.q, ans.Conclusion, ans.Refused)
		}
		// A decision's own sentences must all survive verification, and
		// each quote appears once.
		if ans.Notice != "" {
			t.Errorf("%s: %s %q", tt.q, ans.Notice, ans.Removed)
		}
		for _, q := range regexp.MustCompile(`「[^」]+」`).FindAllString(ans.Text, -1) {
			if n := strings.Count(ans.Text, q); n > 1 {
				t.Errorf("%s: quote %s appears %d times", tt.q, q, n)
			}
		}
		if !strings.Contains(ans.Text, "万人") && !strings.Contains(ans.Text, "数量未说明") {
			t.Errorf("%s: the facts line should state the count in 万, or that none was given: %s", tt.q, ans.Text)
		}
	}
}

// noSearch stands for a search engine that finds nothing: the answers
// above must come from applying the decision rules, not from quoting.
func noSearch(context.Context, string, int) ([]Passage, error) { return nil, nil }

func TestVerdictNeedsProse(t *testing.T) {
	q := analyze("平台必须帮我转吗？", defaultLexicon, nil, nil)
	table := "StartDate 日期 可选 开始日期EndDate 日期 可选 结束日期TransactionContext字符串 可选 一个搜索文档的独特标识符CriteriaExpression对象 可选 去除搜索标准必须强制为一个单一类型层次对象类型的约束条件"
	if v := verdict(q, table, table); v != "" {
		t.Errorf("a standard's field table got the verdict %q", v)
	}
	rule := "个人请求将其个人信息转移至其指定的个人信息处理者，符合国家网信部门规定条件的，个人信息处理者应当提供转移的途径。"
	if v := verdict(q, rule, rule); v == "" {
		t.Error("a rule in prose lost its verdict")
	}
}

func TestFieldTable(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"StartDate 日期 可选 开始日期EndDate 日期 可选 结束日期TransactionContext字符串 可选", true},
		{"应当采用 TLS 1.2 以上协议传输，并使用 HTTPS 访问 WebService 接口。", false},
		{"个人信息处理者应当取得个人的单独同意。", false},
		// A code table: identifiers joined by underscores.
		{"OLI_LU_PARTICROLE 中文名称：参与者角色 OLI_PARTICROLE_UNKNOWN 未知 OLI_PARTICROLE_ASSIGNEE 受托人", true},
		// Underscores alone (a blank to fill in, ____年) are no identifier.
		{"本合同自____年____月____日起生效，依照 GB_T 标准执行。", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := fieldTable(tt.text); got != tt.want {
			t.Errorf("fieldTable(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestPartConclusions: a question of two parts gets a conclusion line per
// part, each quoting the sentence that answers that part, and no sentence
// is quoted again below; a question of one part keeps the single line.
func TestPartConclusions(t *testing.T) {
	a := newFixtureAnswerer(Config{})
	ans, err := a.Ask(context.Background(), Request{Question: "个人信息处理者向境外提供个人信息应当具备哪些条件？还要向个人告知哪些事项？"})
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(ans.Text, "\n\n")
	lines := strings.Split(head, "\n")
	if len(lines) != 3 || lines[0] != "结论：" || !strings.HasPrefix(lines[1], "- 个人信息处理者向境外提供个人信息应当具备哪些条件：") || !strings.HasPrefix(lines[2], "- 还要向个人告知哪些事项：") {
		t.Fatalf("conclusion:\n%s", head)
	}
	if !strings.Contains(lines[1], "应当具备下列条件之一") || !strings.Contains(lines[2], "应当向个人告知境外接收方的名称") {
		t.Errorf("each part should quote its own sentence:\n%s", head)
	}
	for _, l := range lines[1:] {
		q := quotedIn(l)
		if strings.Count(ans.Text, q) != 1 {
			t.Errorf("%q is quoted %d times:\n%s", q, strings.Count(ans.Text, q), ans.Text)
		}
	}
	if !strings.Contains(ans.Conclusion, "；还要向个人告知哪些事项：") {
		t.Errorf("plain conclusion %q should answer both parts", ans.Conclusion)
	}
	one, err := a.Ask(context.Background(), Request{Question: "个人信息处理者向境外提供个人信息应当具备哪些条件？"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(one.Text, "结论：「") && !strings.HasPrefix(one.Text, "结论：需要") {
		t.Errorf("a one-part question keeps the single conclusion line:\n%s", one.Text)
	}
}

// TestConclusionStatesTheFigure: a question asking a fine is concluded by
// the cited sentence stating one, not by the duty the governing citation
// states; a question asking none keeps the governing sentence.
func TestConclusionStatesTheFigure(t *testing.T) {
	cites := []Citation{
		{N: 1, Document: "中华人民共和国数据安全法", Label: "第三十五条", Quote: "公安机关、国家安全机关因依法维护国家安全或者侦查犯罪的需要调取数据，应当按照国家有关规定，经过严格的批准手续，依法进行，有关组织、个人应当予以配合。"},
		{N: 2, Document: "中华人民共和国数据安全法", Label: "第四十八条", Quote: "违反本法第三十五条规定，拒不配合数据调取的，由有关主管部门责令改正，给予警告，并处五万元以上五十万元以下罚款，对直接负责的主管人员和其他直接责任人员处一万元以上十万元以下罚款。"},
	}
	tests := []struct {
		q    string
		want int // the citation the conclusion quotes
	}{
		{"公安机关来调取数据，公司拒不配合，会被罚多少钱？", 2},
		{"公安机关来调取数据，公司必须配合吗？", 1},
	}
	for _, tt := range tests {
		q := analyze(tt.q, defaultLexicon, nil, nil)
		line, _, n := singleConclusion(q, q, cites)
		if n != tt.want || !strings.HasSuffix(line, fmt.Sprintf("[%d]", tt.want)) {
			t.Errorf("%s: concluded from [%d]: %s", tt.q, n, line)
		}
	}
}

// TestPartConclusionGivesThePartsFigure: the first part of a multi-part
// question asking a period is concluded by the sentence giving that
// period for the part, not by the sentence the whole question picks that
// merely carries some period.
func TestPartConclusionGivesThePartsFigure(t *testing.T) {
	cites := []Citation{{N: 1, Document: "广东省数据资产合规登记规则（试行）", Label: "第十一条",
		Quote: "【登记公示与凭证发放】复审通过的，登记机构应当结合合规性审核意见作出是否同意登记意见。同意登记的数据产品和服务通过数据资产登记平台向社会公示，公示期为3个工作日。公示期满无异议的，发放数据资产登记凭证。任何自然人、法人和非法人组织可以在公示期内通过资产登记平台提出异议，并提供真实、必要的材料作为依据。公示期内有异议的，登记主体应当在 10 个工作日内处理完毕。"}}
	// The whole question's best sentence is the second part's (异议, 处理).
	whole := analyze("在广东做数据资产登记，审核通过以后要公示多久？有人提异议的话要多久处理完？", defaultLexicon, nil, nil)
	part := analyze(whole.Parts[0], defaultLexicon, nil, nil)
	if l, _ := conclusionLine(whole, cites[0]); !strings.Contains(l, "10 个工作日") {
		t.Fatalf("the whole question's line %q: the case no longer tests the part's own choice", l)
	}
	line, _, _ := singleConclusion(whole, part, cites)
	if !strings.Contains(line, "公示期为3个工作日") {
		t.Errorf("part conclusion %q, want the 公示期 sentence", line)
	}
}

// TestProhibitionAnswersPermission: a permission question is concluded by
// the provision's outright prohibition of the act, not by its other duty
// (浙江省公共数据条例第三十五条 as the library holds it, answered end to
// end); a prohibition under a condition is not read so.
func TestProhibitionAnswersPermission(t *testing.T) {
	zj := "县级以上人民政府可以授权符合规定安全条件的法人或者非法人组织运营公共数据，并与授权运营单位签订授权运营协议。禁止开放的公共数据不得授权运营。授权运营单位应当依托公共数据平台对授权运营的公共数据进行加工；对加工形成的数据产品和服务，可以向用户提供并获取合理收益。授权运营单位不得向第三方提供授权运营的原始公共数据。授权运营协议应当明确授权运营范围、运营期限、合理收益的测算方法、数据安全要求、期限届满后资产处置等内容。"
	v := &library.Version{ID: "zj", WorkID: "w-zj", Title: "浙江省公共数据条例", Status: library.StatusInForce, Kind: library.KindRegulation,
		Sources: []library.Source{{File: "001_test.txt", FirstLine: 1, LastLine: 100}}}
	v.Provisions = append(v.Provisions, &library.Provision{ID: "zj-35", Kind: library.ProvArticle, Label: "第三十五条", Text: "第三十五条 " + zj,
		Citation: library.CitationFor(v.Title, "第三十五条"), Line: 10, LineEnd: 12})
	cat := library.NewCatalog([]*library.Version{v})
	a := New(Config{Catalog: cat, Retrieve: bigramRetriever(cat)})
	ans, err := a.Ask(context.Background(), Request{Question: "浙江的授权运营单位拿到公共数据以后，能把原始数据直接转给第三方吗？"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "结论：不可以，「授权运营单位不得向第三方提供授权运营的原始公共数据。」[1]"; !strings.HasPrefix(ans.Text, want) {
		t.Errorf("conclusion:\n%s\nwant %s", ans.Text, want)
	}
	// The choice itself: even against a best sentence of the duty to
	// process, the prohibition is returned.
	zq := analyze("浙江的授权运营单位拿到公共数据以后，能把原始数据直接转给第三方吗？", a.lx, a.lib.names, nil)
	a.lib.weigh(zq.Groups)
	duty := "授权运营单位应当依托公共数据平台对授权运营的公共数据进行加工；"
	if p := prohibitionOf(zq, Citation{N: 1, Quote: zj}, sentenceScore(duty, zq)); p != "授权运营单位不得向第三方提供授权运营的原始公共数据。" {
		t.Errorf("prohibition chosen: %q", p)
	}
	// 未经同意，不得 forbids only without consent.
	q := analyze("公司能把用户信息提供给第三方吗？", defaultLexicon, nil, nil)
	quote := "个人信息处理者向第三方提供个人信息的，应当向个人告知接收方的名称。未经个人同意，不得向第三方提供个人信息。"
	if p := prohibitionOf(q, Citation{N: 1, Quote: quote}, 0); p != "" {
		t.Errorf("a conditional prohibition concluded it: %s", p)
	}
}
