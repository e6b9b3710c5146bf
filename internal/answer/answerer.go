package answer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"datalex/internal/library"
)

// Answerer names, as reported in Answer.Answerer.
const (
	Extractive = "extractive"
	Model      = "model"
)

// Config assembles an Answerer.
type Config struct {
	// Retrieve is the search engine's provision retrieval. Required for
	// anything beyond questions that cite an article.
	Retrieve RetrieveFunc
	// Catalog resolves documents and articles the question names and gives
	// term statistics for weighting. Optional but strongly advised.
	Catalog *library.Catalog
	// Model, when set, answers with an OpenAI-compatible chat model; the
	// extractive answer remains the fallback.
	Model *ModelConfig
	// Dense, when set, adds embedding retrieval fused with the lexical one.
	Dense *Dense
	// History, when set, keeps conversations per user.
	History *History
	// MinCoverage is the probability (scopeModel) that the library answers
	// the question below which the answer is a refusal. Zero means
	// DefaultMinCoverage.
	MinCoverage float64
}

// DefaultMinCoverage is the retrieval strength below which the library is
// taken not to cover a question.
const DefaultMinCoverage = 0.5

// Answerer answers questions. It is safe for concurrent use.
type Answerer struct {
	retrieveFn  RetrieveFunc
	lib         *libIndex
	lx          *lexicon
	model       *modelClient
	dense       *Dense
	history     *History
	minCoverage float64
	scope       scopeModel
	cite        citeModel
	// localWeight scales local rules for a question that names no place
	// (rerank); defaultLocalWeight unless a fit tries others.
	localWeight float64
	// fusionK and rerankW are the rank-fusion constant and the reranking
	// weights (defaultFusionK, defaultRerankW unless a fit tries others).
	fusionK float64
	rerankW rerankWeights
}

// New builds an Answerer; deriving term statistics from the catalog takes
// a moment, so build it once.
func New(cfg Config) *Answerer {
	a := &Answerer{
		retrieveFn:  cfg.Retrieve,
		lib:         newLibIndex(cfg.Catalog),
		lx:          defaultLexicon,
		dense:       cfg.Dense,
		history:     cfg.History,
		minCoverage: cfg.MinCoverage,
		scope:       defaultScope,
		cite:        defaultCite,
		localWeight: defaultLocalWeight,
		fusionK:     defaultFusionK,
		rerankW:     defaultRerankW,
	}
	if a.minCoverage == 0 {
		a.minCoverage = DefaultMinCoverage
	}
	if cfg.Model != nil && cfg.Model.BaseURL != "" && cfg.Model.Model != "" {
		a.model = newModelClient(*cfg.Model)
	}
	return a
}

// HasModel reports whether a model endpoint is configured.
func (a *Answerer) HasModel() bool { return a.model != nil }

// History returns the conversation store, or nil.
func (a *Answerer) History() *History { return a.history }

// Request is one question.
type Request struct {
	Question string `json:"question"`
	// Answerer selects "extractive" or "model"; empty uses the model when
	// one is configured.
	Answerer string `json:"answerer,omitempty"`
	// UserID and ConversationID keep the question in a stored conversation
	// (both needed; History must be configured). An empty ConversationID
	// with a UserID starts a new conversation.
	UserID         string `json:"-"`
	ConversationID string `json:"conversation_id,omitempty"`
	// Previous carries a follow-up's context without stored history.
	Previous *Context `json:"previous,omitempty"`
}

// Citation is one provision an answer cites as [N].
type Citation struct {
	N           int    `json:"n"`
	ProvisionID string `json:"provision_id"`
	VersionID   string `json:"version_id"`
	WorkID      string `json:"work_id"`
	Document    string `json:"document"`
	Label       string `json:"label"`
	Citation    string `json:"citation"` // 数据安全法 第二十一条
	Source      string `json:"source"`
	Line        int    `json:"line"`
	Offset      int    `json:"offset,omitempty"`
	Quote       string `json:"quote"`
	Status      string `json:"status,omitempty"` // 时效性 of the cited document
	// SupersededBy names the provision that now governs this point when a
	// later document prevails over, repeals or amends the cited one.
	SupersededBy string `json:"superseded_by,omitempty"`
	// Supersedes names the earlier provision this one replaced on the same
	// point (the converse of SupersededBy), when the retrieval met it: the
	// answer then says what the old rule was and that it no longer applies.
	Supersedes string   `json:"supersedes,omitempty"`
	Warnings   []string `json:"warnings,omitempty"` // 征求意见稿, 已被替代, 节选 …
	// Region is the cited document's 地域 when it is a local rule.
	Region string `json:"region,omitempty"`
	// LocalExample marks a local rule cited for a question that names no
	// place: it governs only where it was made, so the answer offers it as
	// an example, not as the rule.
	LocalExample bool `json:"local_example,omitempty"`
}

// Answer is a grounded answer.
type Answer struct {
	Question string `json:"question"`
	// Conclusion is the direct answer (需要/不需要/可以/不可以 where the
	// question asks it) with the governing provision's sentence; empty on
	// a refusal.
	Conclusion string     `json:"conclusion"`
	Text       string     `json:"answer"`
	Refused    bool       `json:"refused"`
	Answerer   string     `json:"answerer"` // extractive | model
	Cites      []Citation `json:"citations"`
	// Missing names the parts of the question (a sub-question, a compared
	// document) no cited provision answers: the answer covers the rest.
	Missing []string `json:"missing,omitempty"`
	// Closest lists the nearest provisions when the answer is a refusal.
	Closest []Citation `json:"closest,omitempty"`
	// Notice explains a fallback (model unavailable …) or removed content.
	Notice string `json:"notice,omitempty"`
	// Removed holds sentences the grounding check took out.
	Removed   []string  `json:"removed,omitempty"`
	Grounding Grounding `json:"grounding"`
	// Strength is the share of the question's weighted points the best
	// provision covers (0–1): how well the library covers the question.
	Strength       float64 `json:"strength"`
	ConversationID string  `json:"conversation_id,omitempty"`
	Context        Context `json:"context"` // pass back as Request.Previous for a follow-up
	Elapsed        string  `json:"elapsed"`
}

// Event is one step of a streamed answer. The sequence is: "sources" once
// (the provisions retrieved, numbered as the answer will cite them), then
// "delta" events with answer text as it is produced, possibly a "notice"
// (a fallback: the client must discard the deltas shown so far), and
// finally exactly one "answer" carrying the grounded Answer, whose Text
// replaces the streamed text — or one "error".
type Event struct {
	Type    string     `json:"type"` // sources | delta | notice | answer | error
	Text    string     `json:"text,omitempty"`
	Sources []Citation `json:"sources,omitempty"`
	Answer  *Answer    `json:"answer,omitempty"`
}

// Event types.
const (
	EventSources = "sources"
	EventDelta   = "delta"
	EventNotice  = "notice"
	EventAnswer  = "answer"
	EventError   = "error"
)

// ErrEmptyQuestion is returned for a blank question.
var ErrEmptyQuestion = errors.New("问题为空")

// maxQuestionRunes bounds what is analysed and sent on.
const maxQuestionRunes = 500

// Ask answers one question.
func (a *Answerer) Ask(ctx context.Context, req Request) (*Answer, error) {
	return a.run(ctx, req, nil)
}

// AskStream answers one question, reporting progress through emit (see
// Event). An error from emit (the client went away) stops the answer.
func (a *Answerer) AskStream(ctx context.Context, req Request, emit func(Event) error) error {
	ans, err := a.run(ctx, req, emit)
	if err != nil {
		if errors.Is(err, errEmitFailed) {
			return err
		}
		_ = emit(Event{Type: EventError, Text: err.Error()})
		return err
	}
	return emit(Event{Type: EventAnswer, Answer: ans})
}

var errEmitFailed = errors.New("客户端已断开")

func (a *Answerer) run(ctx context.Context, req Request, emit func(Event) error) (*Answer, error) {
	start := time.Now()
	text := strings.TrimSpace(req.Question)
	if text == "" {
		return nil, ErrEmptyQuestion
	}
	if runeLen(text) > maxQuestionRunes {
		text = string([]rune(text)[:maxQuestionRunes])
	}
	send := func(e Event) error {
		if emit == nil {
			return nil
		}
		if err := emit(e); err != nil {
			return errEmitFailed
		}
		return nil
	}

	prev := req.Previous
	if prev == nil && a.history != nil && req.UserID != "" && req.ConversationID != "" {
		c, err := a.history.LastContext(ctx, req.UserID, req.ConversationID)
		if err != nil {
			return nil, err
		}
		prev = c
	}
	q := a.understand(text, prev)
	r, err := a.retrieve(ctx, q)
	if err != nil {
		return nil, err
	}

	var ans *Answer
	useModel := a.model != nil && req.Answerer != Extractive
	if req.Answerer == Model && a.model == nil {
		return nil, errors.New("未配置大模型服务 (DATALEX_LLM_BASE_URL / DATALEX_LLM_MODEL)")
	}
	decided := a.decided(q)
	switch {
	case decided != nil && !useModel:
		ans = decided
	case a.weak(r):
		ans = a.refusal(r)
	case useModel:
		ans, err = a.modelAnswer(ctx, r, send)
		if errors.Is(err, errEmitFailed) || ctx.Err() != nil {
			return nil, errors.Join(err, ctx.Err())
		}
		if err != nil {
			notice := "大模型服务暂不可用（" + err.Error() + "），以下为内置摘录式回答。"
			if err := send(Event{Type: EventNotice, Text: notice}); err != nil {
				return nil, err
			}
			ans = a.extractive(r)
			ans.Notice = notice
		}
	default:
		ans = a.extractive(r)
	}
	if !ans.Refused && ans.Answerer == Extractive {
		if err := send(Event{Type: EventSources, Sources: ans.Cites}); err != nil {
			return nil, err
		}
		for _, line := range strings.SplitAfter(ans.Text, "\n") {
			if err := send(Event{Type: EventDelta, Text: line}); err != nil {
				return nil, err
			}
		}
	}
	ans.Question = text
	ans.Context = q.Context()
	if len(r.candidates) > 0 {
		ans.Strength = math.Round(r.candidates[0].coverage*1000) / 1000
	}
	ans.Elapsed = time.Since(start).Round(time.Millisecond).String()
	if a.history != nil && req.UserID != "" {
		id, err := a.history.Record(ctx, req.UserID, req.ConversationID, ans)
		if err != nil {
			return nil, err
		}
		ans.ConversationID = id
	}
	return ans, nil
}

// weak reports whether retrieval found nothing that answers the question.
// The library's coverage is judged from the evidence: how much of the
// question the leading provisions cover, whether a sentence carries what
// the question type asks for (a fine, a period, a count), and whether the
// question names a subject the library holds texts on (scopeModel, fitted
// on labelled questions); plus what no provision can hold: a foreign law
// the library lacks, an entity's own figures, a rule newer than the
// library.
func (a *Answerer) weak(r *retrieval) bool {
	if len(r.candidates) == 0 {
		return true
	}
	top := r.candidates[0]
	if a.beyondLibrary(r) {
		return true
	}
	if top.cited {
		return false // the question names the article: quote it
	}
	if len(r.q.Groups) == 0 {
		return true
	}
	if r.q.Carried != nil && top.coverage >= a.minCoverage {
		return false // a follow-up leans on the previous question's points
	}
	if definesAll(r.q, top.Text) || statesAll(top) {
		return false
	}
	p := a.scope.prob(scopeFeaturesOf(r, a.lib).vector())
	if p >= a.minCoverage {
		return false
	}
	// A question of several parts is answered when the library covers one
	// of them and the whole is at least half-way to being covered: the
	// answer then says which parts it lacks (pick).
	if p < a.minCoverage/2 {
		return true
	}
	for _, part := range r.q.Parts {
		if a.partCovered(r, part) {
			return false
		}
	}
	return true
}

// beyondLibrary reports what no provision can hold, whatever the
// retrieval: a foreign law the library lacks, an entity's own figures, a
// rule newer than the library. The scope model decides only the rest
// (TestFitScope fits it on the questions these checks leave).
func (a *Answerer) beyondLibrary(r *retrieval) bool {
	if r.q.ForeignLaw != "" && !foreignHeld(r) {
		return true // the library holds no text of that jurisdiction
	}
	if r.q.OwnFigures {
		return true // an entity's own figures are in its books, not in law
	}
	return a.newerThanLibrary(r.q)
}

// partCovered reports whether the scope model judges the retrieved
// candidates, reranked for one part of the question alone, to answer it.
func (a *Answerer) partCovered(r *retrieval, part string) bool {
	pq := analyze(part, a.lx, a.lib.names, nil)
	a.lib.weigh(pq.Groups)
	if len(pq.Groups) == 0 {
		return false
	}
	pq.InDomain = pq.InDomain || len(a.lib.titleTerms(pq)) > 0
	cands := make([]*candidate, len(r.candidates))
	for i, c := range r.candidates {
		cands[i] = &candidate{Passage: c.Passage, rrf: c.rrf, cited: c.cited}
	}
	a.rerank(pq, cands, a.lib.versionsNamed(r.q.Documents))
	f := scopeFeaturesOf(&retrieval{q: pq, candidates: cands}, a.lib)
	// A part is short, so its few points are easily met by chance: the
	// best provision must cover every one of them as well.
	return f.covered == f.groups && a.scope.prob(f.vector()) >= a.minCoverage
}

// foreignHeld reports whether a retrieved document's title names the
// foreign jurisdiction the question asks about (an imported translation).
func foreignHeld(r *retrieval) bool {
	m := reForeignLaw.FindStringSubmatch(r.q.ForeignLaw)
	place := r.q.ForeignLaw
	if len(m) > 1 && m[1] != "" {
		place = m[1]
	}
	for _, c := range r.candidates {
		if strings.Contains(c.Document, place) {
			return true
		}
	}
	return false
}

// offTopicCoverage is the share of a question's points below which the
// closest provision shows the question is about something else.
const offTopicCoverage = 0.3

// refusal says the library does not cover the question and lists the
// closest provisions, without answering.
func (a *Answerer) refusal(r *retrieval) *Answer {
	ans := &Answer{Refused: true, Answerer: Extractive, Cites: []Citation{}}
	var b strings.Builder
	b.WriteString("库内未找到能够回答该问题的条文，无法给出有依据的回答。")
	if r.q.ForeignLaw != "" {
		b.WriteString("问题涉及境外法律（" + r.q.ForeignLaw + "），本库只收录中国的法律政策，未收录该法律。")
	} else if r.q.OwnFigures {
		b.WriteString("问题询问的是特定单位自身的财务或经营数据，本库只收录法律政策与会计规定，不含任何单位的数据。")
	} else if a.newerThanLibrary(r.q) {
		b.WriteString(fmt.Sprintf("问题问的是%d年以后的规定，本库收录的文件截至%d年，未收录该规定。", a.lib.latestYear, a.lib.latestYear))
	} else if !r.q.InDomain && (len(r.candidates) == 0 || r.candidates[0].coverage < offTopicCoverage) {
		b.WriteString("问题的主题不在本库收录的文件范围内。")
	} else if len(r.candidates) > 0 {
		// The closest provisions share some of the question's points: the
		// subject is the library's, the answer is not in it.
		b.WriteString("最接近的条文只涉及问题的部分要点，不足以据以作答。")
	}
	for i, c := range r.candidates {
		if i == 3 {
			break
		}
		ans.Closest = append(ans.Closest, citationOf(i+1, c.Passage, bestSentence(c.Text, r.q.Groups)))
	}
	if len(ans.Closest) > 0 {
		b.WriteString("\n最接近的条文（仅供参考，未必相关）：")
		for _, c := range ans.Closest {
			b.WriteString("\n- " + c.Citation)
		}
	}
	ans.Text = b.String()
	ans.Grounding = Grounding{}
	return ans
}

func citationOf(n int, p Passage, quote string) Citation {
	c := Citation{
		N: n, ProvisionID: p.ProvisionID, VersionID: p.VersionID, WorkID: p.WorkID,
		Document: p.Document, Label: p.Label, Citation: p.Citation, Source: p.Source,
		Line: p.Line, Offset: p.Offset, Quote: quote, Status: p.validityOrStatus(), SupersededBy: p.SupersededBy, Warnings: p.Warnings(),
	}
	if r := strings.TrimSpace(p.Region); r != "" && r != "全国" {
		c.Region = r
	}
	return c
}

// answerCitation is citationOf for a provision an answer rests on: a local
// rule cited for a question that names no place (nor the document: named,
// the candidate's flag) is marked a local example, with a warning the
// reader sees beside it.
func answerCitation(n int, p Passage, quote string, q *Question, named bool) Citation {
	c := citationOf(n, p, quote)
	if c.Region != "" && !named && !placeNamed(q.Text, p) {
		c.LocalExample = true
		if names := placeNamesIn(p.Document); len(names) == 2 {
			c.Region = names[1] // the city a provincial filing holds (温州市 under 浙江)
		}
		c.Warnings = append(c.Warnings, localExampleWarning(c.Region))
	}
	return c
}

// localExampleWarning is the reader's note on a local rule offered as an
// example. One sentence: the grounding check reads each sentence of a note
// line on its own and keeps only the one that starts with the note mark.
func localExampleWarning(region string) string {
	return region + "地方规定，仅在当地适用，问题未指明地区，作为地方示例"
}

// understand reads a question against the library: its points weighed by
// the library's term specificity, whether it names a subject the library
// holds texts on, and the term it asks the meaning of.
func (a *Answerer) understand(text string, prev *Context) *Question {
	q := analyze(text, a.lx, a.lib.names, prev)
	a.lib.weigh(q.Groups)
	q.InDomain = q.InDomain || len(a.lib.titleTerms(q)) > 0
	q.Term = a.lib.askedTerm(q)
	q.termEnumerated = len(a.lib.enumerated[q.Term]) > 0
	return q
}
