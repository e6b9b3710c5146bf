package ruzhang

// 数据资产入表指南: the guided workflow over internal/ruzhang, its report
// and JSON API.
//
// Members' cases are stored (ruzhang.CaseStore) and every answer is saved
// only when the whole case still validates. Visitors use the same pages
// without saving: their case travels in a hidden "state" form field (JSON)
// from step to step, and they can download it or the report at any time.

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"datalex/internal/account"
	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/ruzhang"
	"datalex/internal/web"
)

// RuzhangDeps is what the 入表指南 module needs besides the server.
type RuzhangDeps struct {
	// Cases stores members' cases; nil uses the server's store.
	Cases *ruzhang.CaseStore
}

type ruzhangModule struct {
	s     *web.Server
	cases *ruzhang.CaseStore
	tmpl  *template.Template

	mu      sync.Mutex
	citeCat *library.Catalog
	cites   map[ruzhang.Ref]rzCite
}

// MountRuzhang serves the 入表指南 pages under /ruzhang and the JSON API
// under /api/v1/ruzhang. Call it once after New, before serving.
func MountRuzhang(srv *web.Server, deps RuzhangDeps) error {
	m := &ruzhangModule{s: srv, cases: deps.Cases}
	if m.cases == nil {
		m.cases = ruzhang.NewCaseStore(srv.DB())
	}
	t, err := template.New("ruzhang").Funcs(web.Funcs()).ParseFS(templateFS, "templates/ruzhang*.html")
	if err != nil {
		return err
	}
	m.tmpl = t
	m.citations() // resolve once now so that missing provisions are logged at start

	srv.Handle("GET /ruzhang", "", m.landing)
	srv.Handle("GET /ruzhang/try", "", m.tryPage)
	srv.Handle("POST /ruzhang/try/answer", "", m.tryAnswer)
	srv.Handle("POST /ruzhang/try/valuation", "", m.tryValuation)
	srv.Handle("POST /ruzhang/try/report", "", m.tryReport)
	srv.Handle("POST /ruzhang/try/report.md", "", m.tryMarkdown)
	srv.Handle("POST /ruzhang/cases", account.RoleMember, m.create)
	srv.Handle("GET /ruzhang/cases/{id}", account.RoleMember, m.casePage)
	srv.Handle("POST /ruzhang/cases/{id}/answer", account.RoleMember, m.caseAnswer)
	srv.Handle("POST /ruzhang/cases/{id}/valuation", account.RoleMember, m.caseValuation)
	srv.Handle("POST /ruzhang/cases/{id}/delete", account.RoleMember, m.caseDelete)
	srv.Handle("GET /ruzhang/cases/{id}/report", account.RoleMember, m.caseReport)
	srv.Handle("GET /ruzhang/cases/{id}/report.md", account.RoleMember, m.caseMarkdown)
	srv.Handle("GET /ruzhang/cases/{id}/case.json", account.RoleMember, m.caseJSON)

	// Stateless API: open to cookie-less clients, CSRF-checked for
	// logged-in browsers (as POST /api/v1/ask).
	srv.HandleAPI("POST /api/v1/ruzhang/evaluate", m.apiEvaluate)
	srv.HandleAPI("POST /api/v1/ruzhang/questions", m.apiQuestions)
	srv.HandleAPI("POST /api/v1/ruzhang/ask", m.apiAsk)
	srv.Handle("GET /api/v1/ruzhang/cases", account.RoleMember, m.apiList)
	srv.Handle("POST /api/v1/ruzhang/cases", account.RoleMember, m.apiCreate)
	srv.Handle("GET /api/v1/ruzhang/cases/{id}", account.RoleMember, m.apiGet)
	srv.Handle("POST /api/v1/ruzhang/cases/{id}", account.RoleMember, m.apiUpdate)
	srv.Handle("DELETE /api/v1/ruzhang/cases/{id}", account.RoleMember, m.apiDelete)
	return nil
}

//go:embed templates/*.html
var templateFS embed.FS

// trimRunes cuts s to n runes, marking the cut with an ellipsis.
func trimRunes(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return strings.TrimSpace(string(rs[:n])) + "…"
}

// ---- citations ----

// rzCite is a provision citation and its link into the library ("" when
// the library lacks the provision).
type rzCite struct {
	Text, Href string
}

// citations resolves every provision the engine cites against the current
// library snapshot; it is redone only after the library changes.
func (m *ruzhangModule) citations() map[ruzhang.Ref]rzCite {
	cat := m.s.Catalog()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.citeCat == cat {
		return m.cites
	}
	ids, missing := ruzhang.Resolve(ruzhang.AllRefs(), cat.Versions)
	if len(missing) > 0 {
		var names []string
		for _, r := range missing {
			names = append(names, r.Citation())
		}
		m.s.Logger().Warn("入表指南引用的条文在资料库中缺失", "count", len(missing), "refs", strings.Join(names, "；"))
	}
	cites := make(map[ruzhang.Ref]rzCite, len(ids))
	for _, r := range ruzhang.AllRefs() {
		c := rzCite{Text: r.Citation()}
		if id := ids[r]; id != "" {
			c.Href = "/provisions/" + url.PathEscape(id)
		}
		cites[r] = c
	}
	m.citeCat, m.cites = cat, cites
	return cites
}

// evaluate runs the engine and links the result's citations.
func (m *ruzhangModule) evaluate(c ruzhang.Case) (*ruzhang.Result, []ruzhang.FieldError) {
	res, err := ruzhang.Evaluate(c)
	var verr *ruzhang.ValidationError
	if errors.As(err, &verr) {
		return nil, verr.Errors
	}
	if err != nil {
		return nil, []ruzhang.FieldError{{Message: err.Error()}}
	}
	ids := map[ruzhang.Ref]string{}
	for ref, c := range m.citations() {
		if c.Href != "" {
			ids[ref] = strings.TrimPrefix(c.Href, "/provisions/")
		}
	}
	res.Link(ids)
	return res, nil
}

// ---- answers: form values into the case ----

// rzInvertedBool lists yes/no questions whose field holds the opposite of
// the answer: "能否预见期限？" 是 means indefinite_life = false.
var rzInvertedBool = map[string]bool{"indefinite_life": true}

func rzQuestionByID(id string) (ruzhang.Question, bool) {
	for _, q := range ruzhang.AllQuestions() {
		if q.ID == id {
			return q, true
		}
	}
	return ruzhang.Question{}, false
}

// rzCaseMap turns a case into nested JSON maps (numbers kept as text) so
// that an answer can be set at its question's field path.
func rzCaseMap(c ruzhang.Case) map[string]any {
	b, _ := json.Marshal(c)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	m := map[string]any{}
	dec.Decode(&m)
	return m
}

func rzMapCase(m map[string]any) (ruzhang.Case, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return ruzhang.Case{}, err
	}
	var c ruzhang.Case
	err = json.Unmarshal(b, &c)
	return c, err
}

func rzGetPath(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

func rzSetPath(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// rzAnswered reports whether a field holds an answer.
func rzAnswered(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}

func rzParseMoney(raw string) (ruzhang.Money, error) {
	raw = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(raw), ",", ""), "，", "")
	var m ruzhang.Money
	b, _ := json.Marshal(raw)
	err := json.Unmarshal(b, &m)
	return m, err
}

var rzListSep = regexp.MustCompile(`[\s,，;；、]+`)

const rzMaxTextAnswer = 500

// rzApplyAnswer sets the answer to q from the form on a copy of c. Errors
// here are about the form (not a number …); Validate checks the rest.
func rzApplyAnswer(c ruzhang.Case, q ruzhang.Question, form url.Values) (ruzhang.Case, []ruzhang.FieldError) {
	m := rzCaseMap(c)
	raw := strings.TrimSpace(form.Get("v"))
	fail := func(field, msg string) (ruzhang.Case, []ruzhang.FieldError) {
		return c, []ruzhang.FieldError{{Field: field, Message: msg}}
	}
	var val any
	switch q.Kind {
	case ruzhang.KindText:
		if raw == "" {
			return fail(q.Field, "请填写此项。")
		}
		if utf8.RuneCountInString(raw) > rzMaxTextAnswer {
			return fail(q.Field, fmt.Sprintf("内容过长（最多 %d 个字）。", rzMaxTextAnswer))
		}
		val = raw
	case ruzhang.KindChoice:
		if !rzHasOption(q, raw) {
			return fail(q.Field, "请选择一项。")
		}
		val = raw
	case ruzhang.KindMulti:
		var vs []any
		for _, v := range form["v"] {
			if !rzHasOption(q, v) {
				return fail(q.Field, "选项无效。")
			}
			vs = append(vs, v)
		}
		if len(vs) == 0 {
			return fail(q.Field, "请至少选择一项。")
		}
		val = vs
	case ruzhang.KindBool:
		if raw != "yes" && raw != "no" {
			return fail(q.Field, "请选择“是”或“否”。")
		}
		val = (raw == "yes") != rzInvertedBool[q.ID]
	case ruzhang.KindNumber:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return fail(q.Field, "请输入整数。")
		}
		val = n
	case ruzhang.KindMoney:
		if raw == "" {
			return fail(q.Field, "请填写金额（元）；没有的填 0。")
		}
		mon, err := rzParseMoney(raw)
		if err != nil {
			return fail(q.Field, err.Error())
		}
		val = json.Number(strings.ReplaceAll(mon.String(), ",", ""))
	case ruzhang.KindDate:
		if raw == "" {
			return fail(q.Field, "请填写日期。")
		}
		val = raw
	case ruzhang.KindList:
		var xs []any
		for _, p := range rzListSep.Split(raw, -1) {
			if p == "" {
				continue
			}
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return fail(q.Field, fmt.Sprintf("“%s”不是数字；请用逗号分隔各年度的数量。", p))
			}
			xs = append(xs, f)
		}
		if len(xs) == 0 {
			return fail(q.Field, "请至少填写一个数量。")
		}
		val = xs
	case ruzhang.KindCosts:
		items, errs := rzParseCostRows(form)
		if len(errs) > 0 {
			return c, errs
		}
		if len(items) == 0 {
			return fail(q.Field, "请至少录入一项支出。")
		}
		val = items
	default:
		return fail(q.Field, "无法识别的问题类型。")
	}
	rzSetPath(m, q.Field, val)
	out, err := rzMapCase(m)
	if err != nil {
		return fail(q.Field, "答案格式不正确："+err.Error())
	}
	rzPrune(&out)
	return out, nil
}

func rzHasOption(q ruzhang.Question, v string) bool {
	for _, o := range q.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// rzPrune drops answers an earlier change made irrelevant, which the engine
// would otherwise reject as contradictory: the R&D answers and cost phases
// of a case that is no longer an internal R&D project.
func rzPrune(c *ruzhang.Case) {
	if c.Acquisition == "" || len(c.Purposes) == 0 {
		return
	}
	rd := c.Acquisition == ruzhang.AcqDeveloped && !slices.Contains(c.Purposes, ruzhang.PurposeSale)
	if rd {
		return
	}
	c.Development = nil
	for i := range c.Costs {
		c.Costs[i].Phase, c.Costs[i].BeforeConditions = "", false
	}
}

const rzMaxCostRows = 60

// rzParseCostRows reads the cost table: parallel cost_* fields, one per row;
// blank rows are skipped. cost_before carries the row numbers ticked.
func rzParseCostRows(form url.Values) ([]any, []ruzhang.FieldError) {
	cats, descs, amts := form["cost_category"], form["cost_description"], form["cost_amount"]
	phases, credits := form["cost_phase"], form["cost_credit"]
	before := map[string]bool{}
	for _, b := range form["cost_before"] {
		before[b] = true
	}
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	var items []any
	var errs []ruzhang.FieldError
	for i := 0; i < len(cats) && i < rzMaxCostRows; i++ {
		cat, desc, amt := at(cats, i), at(descs, i), at(amts, i)
		if cat == "" && amt == "" && desc == "" {
			continue
		}
		n := len(items)
		if cat == "" {
			errs = append(errs, ruzhang.FieldError{Field: fmt.Sprintf("costs[%d].category", n), Message: "请选择支出类别。"})
		}
		if utf8.RuneCountInString(desc) > rzMaxTextAnswer {
			errs = append(errs, ruzhang.FieldError{Field: fmt.Sprintf("costs[%d].description", n), Message: "说明过长。"})
		}
		mon, err := rzParseMoney(amt)
		if amt == "" {
			err = errors.New("请填写金额（元）。")
		}
		if err != nil {
			errs = append(errs, ruzhang.FieldError{Field: fmt.Sprintf("costs[%d].amount", n), Message: err.Error()})
		}
		item := map[string]any{"category": cat, "description": desc, "amount": json.Number(strings.ReplaceAll(mon.String(), ",", ""))}
		if p := at(phases, i); p != "" {
			item["phase"] = p
		}
		if before[strconv.Itoa(i)] {
			item["before_conditions"] = true
		}
		if cr := at(credits, i); cr != "" {
			item["credit"] = cr
		}
		items = append(items, item)
	}
	return items, errs
}

// ---- valuation form ----

const (
	rzIncomeRows = 5
	rzMarketRows = 3
)

// rzValForm is the valuation form: raw values and errors by field path.
type rzValForm struct {
	Use     map[string]bool
	Vals    map[string]string
	Errs    map[string]string
	Periods []int
	Sets    []int
}

func rzRangeN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func rzFmtFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func rzFmtMoney(m ruzhang.Money) string {
	if m == 0 {
		return ""
	}
	return strings.ReplaceAll(m.String(), ",", "")
}

// rzValFormOf fills the form from the stored inputs.
func rzValFormOf(in *ruzhang.ValuationInputs) rzValForm {
	f := rzValForm{Use: map[string]bool{}, Vals: map[string]string{}, Errs: map[string]string{}}
	np, ns := rzIncomeRows, rzMarketRows
	if in == nil {
		f.Periods, f.Sets = rzRangeN(np), rzRangeN(ns)
		return f
	}
	v := f.Vals
	v["valuation.base_date"] = in.BaseDate
	if c := in.Cost; c != nil {
		f.Use["cost"] = true
		for k, m := range map[string]ruzhang.Money{"preliminary": c.Preliminary, "direct": c.Direct, "indirect": c.Indirect, "opportunity": c.Opportunity, "taxes": c.Taxes} {
			v["valuation.cost."+k] = rzFmtMoney(m)
		}
		for k, p := range map[string]*float64{"delta": c.Delta, "actual_quality": c.ActualQuality, "expected_quality": c.ExpectedQuality, "remaining_life": c.RemainingLife, "total_life": c.TotalLife} {
			v["valuation.cost."+k] = rzFmtFloat(p)
		}
	}
	if inc := in.Income; inc != nil {
		f.Use["income"] = true
		v["valuation.income.variant"] = inc.Variant
		v["valuation.income.share_basis"] = inc.ShareBasis
		v["valuation.income.discount_rate"] = rzFmtFloat(&inc.DiscountRate)
		np = max(np, len(inc.Periods)+1)
		for i, p := range inc.Periods {
			pre := fmt.Sprintf("valuation.income.periods[%d].", i)
			v[pre+"r"], v[pre+"ry"], v[pre+"rn"] = rzFmtMoney(p.R), rzFmtMoney(p.RY), rzFmtMoney(p.RN)
			if p.K != 0 {
				v[pre+"k"] = rzFmtFloat(&p.K)
			}
			var cs []string
			for _, c := range p.C {
				cs = append(cs, rzFmtMoney(c))
			}
			v[pre+"c"] = strings.Join(cs, ", ")
		}
	}
	if mk := in.Market; mk != nil {
		f.Use["market"] = true
		ns = max(ns, len(mk.Datasets)+1)
		for i, d := range mk.Datasets {
			pre := fmt.Sprintf("valuation.market.datasets[%d].", i)
			v[pre+"name"], v[pre+"reference"], v[pre+"q"] = d.Name, d.Reference, rzFmtMoney(d.Q)
			for k, p := range map[string]*float64{"quality": d.Quality, "supply_demand": d.SupplyDemand, "date": d.Date, "volume": d.Volume, "other": d.Other} {
				v[pre+k] = rzFmtFloat(p)
			}
		}
	}
	f.Periods, f.Sets = rzRangeN(min(np, 50)), rzRangeN(min(ns, 20))
	return f
}

// rzParseValuation reads the valuation form. No approach ticked clears the
// valuation.
func rzParseValuation(form url.Values) (*ruzhang.ValuationInputs, rzValForm) {
	f := rzValForm{Use: map[string]bool{}, Vals: map[string]string{}, Errs: map[string]string{}}
	for _, u := range form["use"] {
		f.Use[u] = true
	}
	get := func(k string) string {
		s := strings.TrimSpace(form.Get(k))
		f.Vals[k] = s
		return s
	}
	money := func(k string) ruzhang.Money {
		s := get(k)
		if s == "" {
			return 0
		}
		m, err := rzParseMoney(s)
		if err != nil {
			f.Errs[k] = err.Error()
		}
		return m
	}
	float := func(k string) *float64 {
		s := get(k)
		if s == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil {
			f.Errs[k] = "请输入数字（小数形式，如 0.12）。"
			return nil
		}
		if strings.HasSuffix(s, "%") {
			x /= 100
		}
		return &x
	}
	rows := func(prefix string, fields []string, limit int) int {
		last := -1
		for i := 0; i < limit; i++ {
			for _, fl := range fields {
				if strings.TrimSpace(form.Get(fmt.Sprintf("%s[%d].%s", prefix, i, fl))) != "" {
					last = i
				}
			}
		}
		return last + 1
	}
	in := &ruzhang.ValuationInputs{BaseDate: get("valuation.base_date")}
	if f.Use["cost"] {
		c := &ruzhang.CostApproach{}
		c.Preliminary, c.Direct, c.Indirect = money("valuation.cost.preliminary"), money("valuation.cost.direct"), money("valuation.cost.indirect")
		c.Opportunity, c.Taxes = money("valuation.cost.opportunity"), money("valuation.cost.taxes")
		c.Delta, c.ActualQuality, c.ExpectedQuality = float("valuation.cost.delta"), float("valuation.cost.actual_quality"), float("valuation.cost.expected_quality")
		c.RemainingLife, c.TotalLife = float("valuation.cost.remaining_life"), float("valuation.cost.total_life")
		in.Cost = c
	}
	np, ns := rzIncomeRows, rzMarketRows
	if f.Use["income"] {
		inc := &ruzhang.IncomeApproach{Variant: get("valuation.income.variant"), ShareBasis: get("valuation.income.share_basis")}
		if r := float("valuation.income.discount_rate"); r != nil {
			inc.DiscountRate = *r
		}
		n := rows("valuation.income.periods", []string{"r", "k", "c", "ry", "rn"}, 50)
		for i := 0; i < n; i++ {
			pre := fmt.Sprintf("valuation.income.periods[%d].", i)
			p := ruzhang.IncomePeriod{R: money(pre + "r"), RY: money(pre + "ry"), RN: money(pre + "rn")}
			if k := float(pre + "k"); k != nil {
				p.K = *k
			}
			for _, s := range rzListSep.Split(get(pre+"c"), -1) {
				if s == "" {
					continue
				}
				m, err := rzParseMoney(s)
				if err != nil {
					f.Errs[pre+"c"] = err.Error()
				}
				p.C = append(p.C, m)
			}
			inc.Periods = append(inc.Periods, p)
		}
		np = max(np, n+1)
		in.Income = inc
	}
	if f.Use["market"] {
		mk := &ruzhang.MarketApproach{}
		n := rows("valuation.market.datasets", []string{"name", "reference", "q", "quality", "supply_demand", "date", "volume", "other"}, 20)
		for i := 0; i < n; i++ {
			pre := fmt.Sprintf("valuation.market.datasets[%d].", i)
			d := ruzhang.MarketDataset{Name: get(pre + "name"), Reference: get(pre + "reference"), Q: money(pre + "q")}
			d.Quality, d.SupplyDemand, d.Date = float(pre+"quality"), float(pre+"supply_demand"), float(pre+"date")
			d.Volume, d.Other = float(pre+"volume"), float(pre+"other")
			mk.Datasets = append(mk.Datasets, d)
		}
		ns = max(ns, n+1)
		in.Market = mk
	}
	// Keep what was typed in rows beyond those used.
	for k, vs := range form {
		if strings.HasPrefix(k, "valuation.") {
			if _, ok := f.Vals[k]; !ok && len(vs) > 0 {
				f.Vals[k] = vs[0]
			}
		}
	}
	f.Periods, f.Sets = rzRangeN(min(np, 50)), rzRangeN(min(ns, 20))
	if in.Cost == nil && in.Income == nil && in.Market == nil {
		return nil, f
	}
	return in, f
}

// ---- page data ----

type rzOption struct {
	Value, Label string
	Checked      bool
}

type rzCostRow struct {
	Index                                 int
	Category, Description, Amount         string
	Phase, Credit                         string
	Before                                bool
	CategoryErr, AmountErr, PhaseErr, Err string
}

// rzQuestion is the question being asked, with the current answer.
type rzQuestion struct {
	ruzhang.Question
	Cite    rzCite
	Options []rzOption
	Value   string
	Error   string
	Costs   []rzCostRow
	RD      bool // cost rows need a phase
}

type rzAnswer struct {
	ID, Prompt, Value string
}

type rzReason struct {
	Text string
	Cite rzCite
}

// rzPage is the data of the workflow page and the report.
type rzPage struct {
	Title    string
	Visitor  bool
	Base     string // URL prefix of the case's actions
	State    string // visitors: the case as JSON
	CSRF     string
	Saved    *ruzhang.SavedCase
	Case     ruzhang.Case
	Q        *rzQuestion
	Editing  bool
	Errors   []rzFieldMsg // errors not shown at a field
	Answers  []rzAnswer
	Done     int
	Total    int
	Outcome  string
	Label    string
	Reasons  []rzReason
	Missing  []string
	R        *ruzhang.Result
	Facts    []ruzhang.Fact
	Cites    map[ruzhang.Ref]rzCite
	Val      rzValForm
	ValOpen  bool
	Vals     []rzApproach
	AskCase  string // the case JSON the 问一问 box sends
	Complete bool
}

type rzFieldMsg struct {
	Field, Label, Message, EditID string
}

// rzApproach is one valuation approach with the sensitivity headings
// formatted.
type rzApproach struct {
	ruzhang.ApproachResult
	Changes []string
}

func (m *ruzhangModule) page(r *http.Request, c ruzhang.Case, res *ruzhang.Result) *rzPage {
	p := &rzPage{Case: c, CSRF: m.s.CSRFToken(r), Cites: m.citations(), R: res, Facts: ruzhang.Facts(c)}
	p.Val = rzValFormOf(c.Valuation)
	cm := rzCaseMap(c)
	for _, q := range ruzhang.AllQuestions() {
		if v := rzGetPath(cm, q.Field); rzAnswered(v) {
			p.Answers = append(p.Answers, rzAnswer{ID: q.ID, Prompt: q.Prompt, Value: rzDisplayValue(q, v, c)})
		}
	}
	det := ruzhang.Determine(c)
	if res != nil {
		det = res.Determination
		p.Complete = res.Complete
		if v := res.Valuation; v != nil {
			for _, a := range v.Approaches {
				ra := rzApproach{ApproachResult: a}
				if a.Sensitivity != nil {
					for _, ch := range a.Sensitivity.Changes {
						ra.Changes = append(ra.Changes, fmt.Sprintf("%+.0f%%", ch*100))
					}
				}
				p.Vals = append(p.Vals, ra)
			}
		}
	}
	p.Outcome, p.Label = det.Outcome, det.Label
	for _, x := range det.Reasons {
		p.Reasons = append(p.Reasons, rzReason{Text: x.Text, Cite: p.Cites[x.Ref]})
	}
	for _, x := range det.Missing {
		p.Missing = append(p.Missing, x.Message)
	}
	p.Done = len(p.Answers)
	p.Total = p.Done + len(ruzhang.NextQuestions(c))
	b, _ := json.Marshal(c)
	p.AskCase = string(b)
	return p
}

func rzDisplayValue(q ruzhang.Question, v any, c ruzhang.Case) string {
	label := func(s string) string {
		for _, o := range q.Options {
			if o.Value == s {
				return o.Label
			}
		}
		return s
	}
	switch q.Kind {
	case ruzhang.KindBool:
		b, _ := v.(bool)
		if b != rzInvertedBool[q.ID] {
			return "是"
		}
		return "否"
	case ruzhang.KindChoice:
		s, _ := v.(string)
		return label(s)
	case ruzhang.KindMulti:
		var out []string
		for _, x := range v.([]any) {
			s, _ := x.(string)
			out = append(out, label(s))
		}
		return strings.Join(out, "、")
	case ruzhang.KindCosts:
		var sum ruzhang.Money
		for _, it := range c.Costs {
			sum += it.Amount
		}
		return fmt.Sprintf("%d 项，合计 %s 元", len(c.Costs), sum)
	case ruzhang.KindMoney:
		mon, _ := rzParseMoney(fmt.Sprint(v))
		return mon.String() + " 元"
	case ruzhang.KindList:
		var out []string
		for _, x := range v.([]any) {
			out = append(out, fmt.Sprint(x))
		}
		return strings.Join(out, "、")
	case ruzhang.KindNumber:
		return fmt.Sprint(v) + (map[bool]string{true: " 个月"}[q.ID == "life_months"])
	}
	return fmt.Sprint(v)
}

// question builds the form of q, filled from the case (or from the
// rejected form and its errors).
func (m *ruzhangModule) question(q ruzhang.Question, c ruzhang.Case, form url.Values, errs []ruzhang.FieldError) (*rzQuestion, []ruzhang.FieldError) {
	rq := &rzQuestion{Question: q, Cite: m.citations()[q.Ref]}
	rq.RD = c.Acquisition == ruzhang.AcqDeveloped && !slices.Contains(c.Purposes, ruzhang.PurposeSale)
	cur := rzGetPath(rzCaseMap(c), q.Field)
	var chosen []string
	switch {
	case form != nil && q.Kind != ruzhang.KindCosts:
		rq.Value = form.Get("v")
		chosen = form["v"]
	case q.Kind == ruzhang.KindBool && cur != nil:
		if cur.(bool) != rzInvertedBool[q.ID] {
			rq.Value = "yes"
		} else {
			rq.Value = "no"
		}
	case q.Kind == ruzhang.KindMulti && cur != nil:
		for _, x := range cur.([]any) {
			chosen = append(chosen, fmt.Sprint(x))
		}
	case q.Kind == ruzhang.KindList && cur != nil:
		var parts []string
		for _, x := range cur.([]any) {
			parts = append(parts, fmt.Sprint(x))
		}
		rq.Value = strings.Join(parts, ", ")
	case cur != nil && q.Kind != ruzhang.KindCosts:
		rq.Value = fmt.Sprint(cur)
	}
	if q.Kind == ruzhang.KindChoice && rq.Value != "" {
		chosen = []string{rq.Value}
	}
	for _, o := range q.Options {
		rq.Options = append(rq.Options, rzOption{Value: o.Value, Label: o.Label, Checked: slices.Contains(chosen, o.Value)})
	}
	if q.Kind == ruzhang.KindCosts {
		rq.Costs = rzCostRows(c, form)
	}
	// Place the errors that belong to this question's fields.
	var rest []ruzhang.FieldError
	for _, e := range errs {
		switch {
		case e.Field == q.Field:
			rq.Error = rzJoinMsg(rq.Error, e.Message)
		case q.Kind == ruzhang.KindCosts && strings.HasPrefix(e.Field, "costs["):
			rzPlaceCostError(rq.Costs, e)
		case strings.HasPrefix(e.Field, q.Field+"["):
			rq.Error = rzJoinMsg(rq.Error, e.Message)
		default:
			rest = append(rest, e)
		}
	}
	return rq, rest
}

func rzJoinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "；" + b
}

var rzCostErrField = regexp.MustCompile(`^costs\[(\d+)\]\.?(\w*)`)

func rzPlaceCostError(rows []rzCostRow, e ruzhang.FieldError) {
	mm := rzCostErrField.FindStringSubmatch(e.Field)
	if mm == nil {
		return
	}
	// Errors count non-blank rows; find the n-th one.
	n, _ := strconv.Atoi(mm[1])
	for i := range rows {
		if rows[i].Category == "" && rows[i].Amount == "" && rows[i].Description == "" {
			continue
		}
		if n > 0 {
			n--
			continue
		}
		switch mm[2] {
		case "category":
			rows[i].CategoryErr = rzJoinMsg(rows[i].CategoryErr, e.Message)
		case "amount":
			rows[i].AmountErr = rzJoinMsg(rows[i].AmountErr, e.Message)
		case "phase", "before_conditions":
			rows[i].PhaseErr = rzJoinMsg(rows[i].PhaseErr, e.Message)
		default:
			rows[i].Err = rzJoinMsg(rows[i].Err, e.Message)
		}
		return
	}
}

// rzCostRows is the cost table: the submitted rows, or the case's costs, plus
// blank rows to fill in.
func rzCostRows(c ruzhang.Case, form url.Values) []rzCostRow {
	var rows []rzCostRow
	if form != nil {
		at := func(k string, i int) string {
			if i < len(form[k]) {
				return form[k][i]
			}
			return ""
		}
		before := form["cost_before"]
		for i := 0; i < len(form["cost_category"]) && i < rzMaxCostRows; i++ {
			rows = append(rows, rzCostRow{Category: at("cost_category", i), Description: at("cost_description", i), Amount: at("cost_amount", i),
				Phase: at("cost_phase", i), Credit: at("cost_credit", i), Before: slices.Contains(before, strconv.Itoa(i))})
		}
	} else {
		for _, it := range c.Costs {
			rows = append(rows, rzCostRow{Category: it.Category, Description: it.Description, Amount: rzFmtMoney(it.Amount),
				Phase: it.Phase, Credit: it.Credit, Before: it.BeforeConditions})
		}
	}
	for len(rows) < 3 || rows[len(rows)-1].Category != "" {
		rows = append(rows, rzCostRow{})
		if len(rows) >= rzMaxCostRows {
			break
		}
	}
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

// rzFieldMessages labels errors that are not at a field of the question on
// screen with the question they belong to.
func rzFieldMessages(errs []ruzhang.FieldError) []rzFieldMsg {
	var out []rzFieldMsg
	for _, e := range errs {
		fm := rzFieldMsg{Field: e.Field, Message: e.Message}
		for _, q := range ruzhang.AllQuestions() {
			if e.Field == q.Field || strings.HasPrefix(e.Field, q.Field+"[") || strings.HasPrefix(e.Field, q.Field+".") {
				fm.Label, fm.EditID = q.Prompt, q.ID
				break
			}
		}
		out = append(out, fm)
	}
	return out
}

// ---- rendering ----

func (m *ruzhangModule) render(w http.ResponseWriter, r *http.Request, code int, title, name string, data any) {
	m.s.RenderFragment(w, r, code, title, "ruzhang", m.tmpl, name, data)
}

// showCase renders the workflow page: the question asked (editID, or the
// next one) or, when every question is answered, the results.
func (m *ruzhangModule) showCase(w http.ResponseWriter, r *http.Request, code int, p *rzPage, editID string, form url.Values, errs []ruzhang.FieldError) {
	next := ruzhang.NextQuestions(p.Case)
	q, ok := rzQuestionByID(editID)
	if ok {
		// Re-asking the next question after a wrong answer is not editing.
		p.Editing = len(next) == 0 || next[0].ID != q.ID
	} else if len(next) > 0 {
		q, ok = next[0], true
	}
	if ok {
		p.Q, errs = m.question(q, p.Case, form, errs)
	}
	p.Errors = append(p.Errors, rzFieldMessages(errs)...)
	if p.Visitor {
		b, _ := json.Marshal(p.Case)
		p.State = string(b)
	}
	title := "入表指南"
	if p.Saved != nil {
		title = p.Saved.Title + " · 入表指南"
	}
	m.render(w, r, code, title, "rz-case", p)
}

// ---- landing ----

type rzLanding struct {
	User    *account.User
	CSRF    string
	Cases   []rzListItem
	Deleted bool
	Error   string
	Title   string
	Import  string
}

type rzListItem struct {
	*ruzhang.SavedCase
	Label    string
	Complete bool
}

func (m *ruzhangModule) landing(w http.ResponseWriter, r *http.Request) {
	m.showLanding(w, r, http.StatusOK, "", "", "")
}

func (m *ruzhangModule) showLanding(w http.ResponseWriter, r *http.Request, code int, errMsg, title, imported string) {
	d := rzLanding{User: web.CurrentUser(r), CSRF: m.s.CSRFToken(r), Deleted: r.URL.Query().Get("deleted") == "1", Error: errMsg, Title: title, Import: imported}
	if d.User != nil {
		list, err := m.cases.List(r.Context(), d.User.ID)
		if err != nil {
			m.s.Logger().Error("读取案例失败", "err", err)
		}
		for _, sc := range list {
			det := ruzhang.Determine(sc.Case)
			d.Cases = append(d.Cases, rzListItem{SavedCase: sc, Label: det.Label, Complete: len(ruzhang.NextQuestions(sc.Case)) == 0})
		}
	}
	m.render(w, r, code, "数据资产入表指南", "rz-landing", d)
}

// ---- visitors ----

// rzVisitorCase reads the case a visitor's form carries.
func rzVisitorCase(r *http.Request) (ruzhang.Case, error) {
	var c ruzhang.Case
	s := strings.TrimSpace(r.PostFormValue("state"))
	if s == "" {
		return c, nil
	}
	cs, err := ruzhang.ParseCases([]byte(s))
	if err != nil || len(cs) != 1 {
		return c, errors.New("案例数据无法读取，请重新开始。")
	}
	return cs[0], nil
}

func (m *ruzhangModule) visitorPage(r *http.Request, c ruzhang.Case) *rzPage {
	res, _ := m.evaluate(c)
	p := m.page(r, c, res)
	p.Visitor, p.Base = true, "/ruzhang/try"
	return p
}

func (m *ruzhangModule) tryPage(w http.ResponseWriter, r *http.Request) {
	m.showCase(w, r, http.StatusOK, m.visitorPage(r, ruzhang.Case{}), "", nil, nil)
}

func (m *ruzhangModule) tryAnswer(w http.ResponseWriter, r *http.Request) {
	c, err := rzVisitorCase(r)
	if err != nil {
		m.s.Fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	edit, qid := r.PostFormValue("edit"), r.PostFormValue("q")
	if edit != "" || qid == "" { // 修改 / 取消: show the page again
		m.showCase(w, r, http.StatusOK, m.visitorPage(r, c), edit, nil, nil)
		return
	}
	next, errs := m.answer(c, r)
	if errs != nil {
		m.showCase(w, r, http.StatusUnprocessableEntity, m.visitorPage(r, c), r.PostFormValue("q"), r.PostForm, errs)
		return
	}
	m.showCase(w, r, http.StatusOK, m.visitorPage(r, next), "", nil, nil)
}

func (m *ruzhangModule) tryValuation(w http.ResponseWriter, r *http.Request) {
	c, err := rzVisitorCase(r)
	if err != nil {
		m.s.Fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	next, f, errs := m.valuation(c, r)
	if errs != nil {
		p := m.visitorPage(r, c)
		p.Val, p.ValOpen = f, true
		m.showCase(w, r, http.StatusUnprocessableEntity, p, "", nil, errs)
		return
	}
	m.showCase(w, r, http.StatusOK, m.visitorPage(r, next), "", nil, nil)
}

func (m *ruzhangModule) tryReport(w http.ResponseWriter, r *http.Request) {
	c, err := rzVisitorCase(r)
	if err != nil {
		m.s.Fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	m.report(w, r, nil, c)
}

func (m *ruzhangModule) tryMarkdown(w http.ResponseWriter, r *http.Request) {
	c, err := rzVisitorCase(r)
	if err != nil {
		m.s.Fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	m.markdown(w, r, c.Name, c)
}

// answer applies the posted answer and validates the whole case; errors
// mean nothing changes.
func (m *ruzhangModule) answer(c ruzhang.Case, r *http.Request) (ruzhang.Case, []ruzhang.FieldError) {
	q, ok := rzQuestionByID(r.PostFormValue("q"))
	if !ok {
		return c, []ruzhang.FieldError{{Message: "未知的问题，请刷新页面后重试。"}}
	}
	next, errs := rzApplyAnswer(c, q, r.PostForm)
	if errs != nil {
		return c, errs
	}
	if _, errs := m.evaluate(next); errs != nil {
		return c, errs
	}
	return next, nil
}

func (m *ruzhangModule) valuation(c ruzhang.Case, r *http.Request) (ruzhang.Case, rzValForm, []ruzhang.FieldError) {
	in, f := rzParseValuation(r.PostForm)
	var errs []ruzhang.FieldError
	for k, msg := range f.Errs {
		errs = append(errs, ruzhang.FieldError{Field: k, Message: msg})
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b ruzhang.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return c, f, errs
	}
	next := c
	next.Valuation = in
	if _, verrs := m.evaluate(next); verrs != nil {
		for _, e := range verrs {
			if strings.HasPrefix(e.Field, "valuation") {
				f.Errs[e.Field] = rzJoinMsg(f.Errs[e.Field], e.Message)
			}
		}
		return c, f, verrs
	}
	return next, f, nil
}

// ---- members ----

func (m *ruzhangModule) load(w http.ResponseWriter, r *http.Request) *ruzhang.SavedCase {
	u := web.CurrentUser(r)
	sc, err := m.cases.Get(r.Context(), u.ID, r.PathValue("id"))
	if errors.Is(err, ruzhang.ErrCaseNotFound) {
		m.s.Fail(w, r, http.StatusNotFound, "案例不存在或不属于当前账号。")
		return nil
	}
	if err != nil {
		m.s.Logger().Error("读取案例失败", "err", err)
		m.s.Fail(w, r, http.StatusInternalServerError, "读取案例失败。")
		return nil
	}
	return sc
}

func (m *ruzhangModule) memberPage(r *http.Request, sc *ruzhang.SavedCase) *rzPage {
	res, _ := m.evaluate(sc.Case)
	p := m.page(r, sc.Case, res)
	p.Saved, p.Base = sc, "/ruzhang/cases/"+url.PathEscape(sc.ID)
	return p
}

func (m *ruzhangModule) create(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	title := r.PostFormValue("title")
	var c ruzhang.Case
	if s := strings.TrimSpace(r.PostFormValue("state")); s != "" {
		cs, err := ruzhang.ParseCases([]byte(s))
		if err != nil || len(cs) != 1 {
			msg := "导入的案例 JSON 无法读取"
			if err != nil {
				msg += "：" + err.Error()
			}
			m.showLanding(w, r, http.StatusUnprocessableEntity, msg, title, s)
			return
		}
		c = cs[0]
	} else {
		c.Name = strings.TrimSpace(title)
	}
	if utf8.RuneCountInString(c.Name) > rzMaxTextAnswer {
		m.showLanding(w, r, http.StatusUnprocessableEntity, "数据资源名称过长。", title, "")
		return
	}
	if _, errs := m.evaluate(c); errs != nil {
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		m.showLanding(w, r, http.StatusUnprocessableEntity, "案例数据有误："+strings.Join(msgs, "；"), title, r.PostFormValue("state"))
		return
	}
	sc, err := m.cases.Create(r.Context(), u.ID, title, c)
	if err != nil {
		m.showLanding(w, r, http.StatusUnprocessableEntity, err.Error(), title, "")
		return
	}
	http.Redirect(w, r, "/ruzhang/cases/"+url.PathEscape(sc.ID), http.StatusSeeOther)
}

func (m *ruzhangModule) casePage(w http.ResponseWriter, r *http.Request) {
	sc := m.load(w, r)
	if sc == nil {
		return
	}
	m.showCase(w, r, http.StatusOK, m.memberPage(r, sc), r.URL.Query().Get("q"), nil, nil)
}

func (m *ruzhangModule) caseAnswer(w http.ResponseWriter, r *http.Request) {
	sc := m.load(w, r)
	if sc == nil {
		return
	}
	next, errs := m.answer(sc.Case, r)
	if errs != nil {
		m.showCase(w, r, http.StatusUnprocessableEntity, m.memberPage(r, sc), r.PostFormValue("q"), r.PostForm, errs)
		return
	}
	m.save(w, r, sc, next, "")
}

func (m *ruzhangModule) caseValuation(w http.ResponseWriter, r *http.Request) {
	sc := m.load(w, r)
	if sc == nil {
		return
	}
	next, f, errs := m.valuation(sc.Case, r)
	if errs != nil {
		p := m.memberPage(r, sc)
		p.Val, p.ValOpen = f, true
		m.showCase(w, r, http.StatusUnprocessableEntity, p, "", nil, errs)
		return
	}
	m.save(w, r, sc, next, "#rz-valuation")
}

func (m *ruzhangModule) save(w http.ResponseWriter, r *http.Request, sc *ruzhang.SavedCase, c ruzhang.Case, anchor string) {
	title := sc.Title
	if sc.Title == sc.Case.Name && c.Name != "" {
		title = c.Name // the title follows the resource's name until renamed
	}
	if _, err := m.cases.Update(r.Context(), sc.UserID, sc.ID, title, c); err != nil {
		m.s.Logger().Error("保存案例失败", "err", err)
		m.s.Fail(w, r, http.StatusInternalServerError, "保存案例失败，请重试。")
		return
	}
	http.Redirect(w, r, "/ruzhang/cases/"+url.PathEscape(sc.ID)+anchor, http.StatusSeeOther)
}

func (m *ruzhangModule) caseDelete(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	if err := m.cases.Delete(r.Context(), u.ID, r.PathValue("id")); err != nil {
		m.s.Fail(w, r, http.StatusNotFound, "案例不存在或不属于当前账号。")
		return
	}
	http.Redirect(w, r, "/ruzhang?deleted=1", http.StatusSeeOther)
}

func (m *ruzhangModule) caseReport(w http.ResponseWriter, r *http.Request) {
	if sc := m.load(w, r); sc != nil {
		m.report(w, r, sc, sc.Case)
	}
}

func (m *ruzhangModule) caseMarkdown(w http.ResponseWriter, r *http.Request) {
	if sc := m.load(w, r); sc != nil {
		m.markdown(w, r, sc.Title, sc.Case)
	}
}

func (m *ruzhangModule) caseJSON(w http.ResponseWriter, r *http.Request) {
	sc := m.load(w, r)
	if sc == nil {
		return
	}
	w.Header().Set("Content-Disposition", rzAttachment(sc.Title, ".json"))
	w.Header().Set("Cache-Control", "private, no-store")
	web.WriteJSON(w, http.StatusOK, sc.Case)
}

func (m *ruzhangModule) report(w http.ResponseWriter, r *http.Request, sc *ruzhang.SavedCase, c ruzhang.Case) {
	res, errs := m.evaluate(c)
	if errs != nil {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, "案例数据有误，无法生成报告："+(&ruzhang.ValidationError{Errors: errs}).Error())
		return
	}
	p := m.page(r, c, res)
	p.Saved = sc
	if sc == nil {
		p.Visitor, p.Base = true, "/ruzhang/try"
		b, _ := json.Marshal(c)
		p.State = string(b)
	} else {
		p.Base = "/ruzhang/cases/" + url.PathEscape(sc.ID)
	}
	name := c.Name
	if name == "" {
		name = "未命名数据资源"
	}
	p.Title = name
	m.render(w, r, http.StatusOK, "入表报告："+name, "rz-report", p)
}

func (m *ruzhangModule) markdown(w http.ResponseWriter, r *http.Request, title string, c ruzhang.Case) {
	res, errs := m.evaluate(c)
	if errs != nil {
		m.s.Fail(w, r, http.StatusUnprocessableEntity, "案例数据有误，无法生成报告："+(&ruzhang.ValidationError{Errors: errs}).Error())
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", rzAttachment("入表报告-"+title, ".md"))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write([]byte(ruzhang.Markdown(res)))
}

// rzAttachment is a Content-Disposition header with an ASCII fallback and
// the UTF-8 file name (RFC 6266).
func rzAttachment(title, ext string) string {
	if title == "" {
		title = "ruzhang"
	}
	title = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, title)
	return mime.FormatMediaType("attachment", map[string]string{"filename": title + ext})
}

// ---- JSON API ----

// jsonWrite checks what every JSON write needs: a JSON body, and the CSRF
// token when the request carries a session cookie.
func (m *ruzhangModule) jsonWrite(w http.ResponseWriter, r *http.Request) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		web.WriteJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "请求体须为 JSON（Content-Type: application/json）"})
		return false
	}
	if web.CurrentUser(r) != nil && !m.s.ValidCSRF(r) {
		web.WriteJSON(w, http.StatusForbidden, map[string]string{"error": "CSRF 校验失败，请刷新页面后重试。"})
		return false
	}
	return true
}

func rzReadCase(w http.ResponseWriter, r *http.Request, raw []byte) (ruzhang.Case, bool) {
	cs, err := ruzhang.ParseCases(raw)
	if err == nil && len(cs) != 1 {
		err = errors.New("请求体须为一个案例对象")
	}
	if err != nil {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return ruzhang.Case{}, false
	}
	return cs[0], true
}

func rzReadBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		web.WriteJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "请求体过大或无法读取"})
		return nil, false
	}
	return buf.Bytes(), true
}

func rzWriteFieldErrors(w http.ResponseWriter, errs []ruzhang.FieldError) {
	web.WriteJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": (&ruzhang.ValidationError{Errors: errs}).Error(), "errors": errs})
}

func (m *ruzhangModule) apiEvaluate(w http.ResponseWriter, r *http.Request) {
	if !m.jsonWrite(w, r) {
		return
	}
	raw, ok := rzReadBody(w, r)
	if !ok {
		return
	}
	c, ok := rzReadCase(w, r, raw)
	if !ok {
		return
	}
	res, errs := m.evaluate(c)
	if errs != nil {
		rzWriteFieldErrors(w, errs)
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}

// rzApiQuestion is a question with the provision id of its ref.
type rzApiQuestion struct {
	ruzhang.Question
	ProvisionID string `json:"provision_id,omitempty"`
}

func (m *ruzhangModule) apiQuestions(w http.ResponseWriter, r *http.Request) {
	if !m.jsonWrite(w, r) {
		return
	}
	raw, ok := rzReadBody(w, r)
	if !ok {
		return
	}
	c, ok := rzReadCase(w, r, raw)
	if !ok {
		return
	}
	if errs := ruzhang.Validate(c); len(errs) > 0 {
		rzWriteFieldErrors(w, errs)
		return
	}
	cites := m.citations()
	qs := []rzApiQuestion{}
	for _, q := range ruzhang.NextQuestions(c) {
		qs = append(qs, rzApiQuestion{Question: q, ProvisionID: strings.TrimPrefix(cites[q.Ref].Href, "/provisions/")})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"questions": qs, "determination": ruzhang.Determine(c)})
}

// rzAskRequest is the body of POST /api/v1/ruzhang/ask.
type rzAskRequest struct {
	Question string        `json:"question"`
	Case     *ruzhang.Case `json:"case,omitempty"`
}

// rzAskContextRunes bounds the case context added to a question: the answerer
// retrieves on the whole text, and a long context drowns the question.
const rzAskContextRunes = 300

// caseContext is the case background the answerer gets with a question:
// the determination line of ruzhang.Summary and how the resource was
// obtained and is held. Measured on the library: adding the figures and
// journal entries as well steered retrieval to the disclosure tables
// whatever was asked.
func (m *ruzhangModule) caseContext(c *ruzhang.Case) string {
	if c == nil {
		return ""
	}
	res, errs := m.evaluate(*c)
	if errs != nil {
		return ""
	}
	first, _, _ := strings.Cut(ruzhang.Summary(res), "\n")
	keep := []string{strings.TrimSpace(first)}
	for _, f := range ruzhang.Facts(*c) {
		if f.Label == "取得方式" || f.Label == "持有目的" {
			keep = append(keep, f.Label+"："+f.Value)
		}
	}
	return trimRunes(strings.Join(keep, "；"), rzAskContextRunes)
}

func (m *ruzhangModule) apiAsk(w http.ResponseWriter, r *http.Request) {
	if !m.jsonWrite(w, r) {
		return
	}
	var req rzAskRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "请求体不是有效的 JSON：应为 {\"question\": \"…\", \"case\": {…}}"})
		return
	}
	req.Question = strings.TrimSpace(req.Question)
	if req.Question == "" {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "问题不能为空。"})
		return
	}
	if utf8.RuneCountInString(req.Question) > web.MaxQuestion-rzAskContextRunes-20 {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("问题过长（最多 %d 个字）。", web.MaxQuestion-rzAskContextRunes-20)})
		return
	}
	ctxText := m.caseContext(req.Case)
	q := req.Question
	if ctxText != "" {
		q += "\n（案例背景：" + ctxText + "）"
	}
	var final any
	var failure string
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	// Not stored in the user's 智能问答 history: the question belongs to
	// the case.
	err := m.s.Ask(ctx, q, func(event string, data any) error {
		switch event {
		case "done":
			final = data
		case "error":
			failure, _ = data.(map[string]string)["error"]
		}
		return nil
	})
	if final == nil {
		if err != nil && !errors.Is(err, answer.ErrEmptyQuestion) {
			m.s.Logger().Error("入表指南问答失败", "err", err)
		}
		if failure == "" {
			failure = "问答暂时不可用，请稍后再试。"
		}
		web.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": failure})
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"answer": final, "context": ctxText})
}

// rzApiCase is a stored case as the API returns it.
type rzApiCase struct {
	*ruzhang.SavedCase
	Result *ruzhang.Result      `json:"result,omitempty"`
	Errors []ruzhang.FieldError `json:"errors,omitempty"`
}

func (m *ruzhangModule) apiList(w http.ResponseWriter, r *http.Request) {
	list, err := m.cases.List(r.Context(), web.CurrentUser(r).ID)
	if err != nil {
		web.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "读取案例失败"})
		return
	}
	type item struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Outcome   string `json:"outcome"`
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
	}
	out := []item{}
	for _, sc := range list {
		out = append(out, item{sc.ID, sc.Title, ruzhang.Determine(sc.Case).Outcome, sc.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), sc.UpdatedAt.Format("2006-01-02T15:04:05Z07:00")})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	web.WriteJSON(w, http.StatusOK, map[string]any{"cases": out})
}

// rzApiCaseBody is the body of POST /api/v1/ruzhang/cases[/{id}].
type rzApiCaseBody struct {
	Title string          `json:"title"`
	Case  json.RawMessage `json:"case"`
}

func (m *ruzhangModule) readCaseBody(w http.ResponseWriter, r *http.Request) (string, ruzhang.Case, bool) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		web.WriteJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "请求体须为 JSON（Content-Type: application/json）"})
		return "", ruzhang.Case{}, false
	}
	var body rzApiCaseBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || len(body.Case) == 0 {
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "请求体应为 {\"title\": \"…\", \"case\": {…}}"})
		return "", ruzhang.Case{}, false
	}
	c, ok := rzReadCase(w, r, body.Case)
	if !ok {
		return "", ruzhang.Case{}, false
	}
	if _, errs := m.evaluate(c); errs != nil {
		rzWriteFieldErrors(w, errs)
		return "", ruzhang.Case{}, false
	}
	return body.Title, c, true
}

func (m *ruzhangModule) apiCreate(w http.ResponseWriter, r *http.Request) {
	title, c, ok := m.readCaseBody(w, r)
	if !ok {
		return
	}
	sc, err := m.cases.Create(r.Context(), web.CurrentUser(r).ID, title, c)
	if err != nil {
		web.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		return
	}
	res, _ := m.evaluate(sc.Case)
	web.WriteJSON(w, http.StatusCreated, rzApiCase{SavedCase: sc, Result: res})
}

func (m *ruzhangModule) apiGet(w http.ResponseWriter, r *http.Request) {
	sc, err := m.cases.Get(r.Context(), web.CurrentUser(r).ID, r.PathValue("id"))
	if err != nil {
		web.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "案例不存在"})
		return
	}
	out := rzApiCase{SavedCase: sc}
	out.Result, out.Errors = m.evaluate(sc.Case)
	w.Header().Set("Cache-Control", "private, no-store")
	web.WriteJSON(w, http.StatusOK, out)
}

func (m *ruzhangModule) apiUpdate(w http.ResponseWriter, r *http.Request) {
	u := web.CurrentUser(r)
	old, err := m.cases.Get(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		web.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "案例不存在"})
		return
	}
	title, c, ok := m.readCaseBody(w, r)
	if !ok {
		return
	}
	if title == "" {
		title = old.Title
	}
	sc, err := m.cases.Update(r.Context(), u.ID, old.ID, title, c)
	if err != nil {
		web.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		return
	}
	res, _ := m.evaluate(sc.Case)
	web.WriteJSON(w, http.StatusOK, rzApiCase{SavedCase: sc, Result: res})
}

func (m *ruzhangModule) apiDelete(w http.ResponseWriter, r *http.Request) {
	if err := m.cases.Delete(r.Context(), web.CurrentUser(r).ID, r.PathValue("id")); err != nil {
		web.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "案例不存在"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// rzVField is one input of the valuation form.
type rzVField struct {
	ID, Name, Label, Kind, Value, Err string
	Options                           []ruzhang.Option
}

var rzNonIdent = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// F is the input for field path name (kind "num", "date" or "text").
func (f rzValForm) F(name, label, kind string) rzVField {
	return rzVField{ID: "rzv-" + strings.Trim(rzNonIdent.ReplaceAllString(name, "-"), "-"), Name: name, Label: label, Kind: kind,
		Value: f.Vals[name], Err: f.Errs[name]}
}

// Choice is a select; each option is "value:label".
func (f rzValForm) Choice(name, label string, opts ...string) rzVField {
	v := f.F(name, label, "choice")
	for _, o := range opts {
		val, lab, _ := strings.Cut(o, ":")
		v.Options = append(v.Options, ruzhang.Option{Value: val, Label: lab})
	}
	return v
}

// Err is the error message of a field path that has no input of its own.
func (f rzValForm) Err(name string) string { return f.Errs[name] }

// rzEdit is the "修改" control of an answered question.
type rzEdit struct {
	Visitor  bool
	ID, Href string
}

// Edit links to re-answering question id.
func (p *rzPage) Edit(id string) rzEdit {
	return rzEdit{Visitor: p.Visitor, ID: id, Href: p.Base + "?q=" + url.QueryEscape(id) + "#rz-q"}
}
