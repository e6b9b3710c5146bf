package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"datalex/internal/answer"
)

// AskRequest is the body of POST /api/v1/ask.
type AskRequest struct {
	Question string `json:"question"`
	// ConversationID continues a stored conversation (logged-in users).
	ConversationID string `json:"conversation_id,omitempty"`
	// Previous is the "context" of the previous answer, for follow-ups
	// without stored history.
	Previous *answer.Context `json:"previous,omitempty"`
	// Answerer picks "extractive" or "model"; empty uses the model when
	// one is configured.
	Answerer string `json:"answerer,omitempty"`
}

// askFunc answers a request, reporting events through emit (SSE event
// name and JSON data). The last event is "done" (the answer object) or
// "error".
type askFunc func(ctx context.Context, req AskRequest, userID string, emit func(event string, data any) error) error

// answererAsk adapts the answerer's event stream: sources, delta, notice,
// then done (the answer object, as `datalex ask --json` prints it).
func answererAsk(a *answer.Answerer) askFunc {
	return func(ctx context.Context, req AskRequest, userID string, emit func(string, any) error) error {
		areq := answer.Request{Question: req.Question, Answerer: req.Answerer, UserID: userID, ConversationID: req.ConversationID, Previous: req.Previous}
		if userID == "" {
			areq.ConversationID = ""
		}
		return a.AskStream(ctx, areq, func(e answer.Event) error {
			switch e.Type {
			case answer.EventSources:
				return emit("sources", e.Sources)
			case answer.EventDelta, answer.EventNotice:
				return emit(e.Type, map[string]string{"text": e.Text})
			case answer.EventAnswer:
				return emit("done", e.Answer)
			case answer.EventError:
				return emit("error", map[string]string{"error": e.Text})
			}
			return nil
		})
	}
}

// askCitation and askAnswer are the answer object of the search-only
// fallback, shaped like answer.Answer.
type askCitation struct {
	N           int    `json:"n"`
	ProvisionID string `json:"provision_id"`
	Document    string `json:"document"`
	Label       string `json:"label"`
	Source      string `json:"source,omitempty"`
	Line        int    `json:"line,omitempty"`
	Quote       string `json:"quote"`
	Status      string `json:"status,omitempty"`
}

type askAnswer struct {
	Question   string        `json:"question"`
	Conclusion string        `json:"conclusion"` // always empty: the fallback only lists provisions
	Answer     string        `json:"answer"`
	Refused    bool          `json:"refused"`
	Citations  []askCitation `json:"citations"`
	Answerer   string        `json:"answerer"`
}

type askData struct {
	Enabled       bool
	Conversations []answer.Conversation
	Current       *answer.Conversation
	Messages      []answer.Message
}

func (s *Server) askPage(w http.ResponseWriter, r *http.Request) {
	snap := s.library()
	d := askData{Enabled: snap.answer != nil}
	if u := currentUser(r); u != nil && snap.answer != nil && snap.answer.History() != nil {
		h := snap.answer.History()
		d.Conversations, _ = h.Conversations(r.Context(), u.ID, 30)
		if id := r.URL.Query().Get("c"); id != "" {
			c, msgs, err := h.Conversation(r.Context(), u.ID, id)
			if err == nil {
				d.Current, d.Messages = c, msgs
			}
		}
	}
	s.render(w, r, http.StatusOK, "ask", &view{Title: "智能问答", Active: "ask", D: d})
}

const maxQuestion = 1000

// apiAsk answers POST /api/v1/ask. With "Accept: text/event-stream" (or
// ?stream=1) the events are streamed as Server-Sent Events; otherwise the
// final answer object is returned as JSON.
func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) {
	// Browsers logged in here must prove the request comes from our page;
	// cookie-less API clients have no ambient authority to abuse, and the
	// JSON content type forces a CORS preflight on cross-site callers.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "请求体须为 JSON（Content-Type: application/json）"})
		return
	}
	if currentUser(r) != nil && !s.validCSRF(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "CSRF 校验失败，请刷新页面后重试。"})
		return
	}
	var req AskRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "请求体不是有效的 JSON：应为 {\"question\": \"…\"}"})
		return
	}
	req.Question = strings.TrimSpace(req.Question)
	if req.Question == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "问题不能为空。"})
		return
	}
	if utf8.RuneCountInString(req.Question) > maxQuestion {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("问题过长（最多 %d 个字）。", maxQuestion)})
		return
	}
	userID := ""
	if u := currentUser(r); u != nil {
		userID = u.ID
	}
	snap := s.library()
	ask := s.fallbackAsk
	if snap.answer != nil {
		ask = answererAsk(snap.answer)
	}
	release, err := s.askGate.enter(r.Context())
	if err != nil {
		return // the client went away while waiting
	}
	defer release()
	inner := ask
	ask = func(ctx context.Context, req AskRequest, userID string, emit func(string, any) error) error {
		return inner(ctx, req, userID, func(event string, data any) error {
			release() // retrieval is done: the rest waits on the client or the model
			return emit(event, data)
		})
	}
	stream := r.URL.Query().Get("stream") == "1" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
	if !stream {
		var final any
		var failure string
		err := ask(r.Context(), req, userID, func(event string, data any) error {
			switch event {
			case "done":
				final = data
			case "error":
				failure, _ = data.(map[string]string)["error"]
			}
			return nil
		})
		if final == nil {
			if err != nil {
				s.log.Error("问答失败", "err", err)
			}
			if errors.Is(err, answer.ErrEmptyQuestion) {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "问题不能为空。"})
				return
			}
			if failure == "" {
				failure = "问答暂时不可用，请稍后再试。"
			}
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": failure})
			return
		}
		writeJSON(w, http.StatusOK, final)
		return
	}
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	sentFinal := false
	emit := func(event string, data any) error {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		if flusher != nil {
			flusher.Flush()
		}
		if event == "done" || event == "error" {
			sentFinal = true
		}
		return r.Context().Err()
	}
	if err := ask(r.Context(), req, userID, emit); err != nil && r.Context().Err() == nil {
		s.log.Error("问答失败", "err", err)
		if !sentFinal {
			emit("error", map[string]string{"error": "问答暂时不可用，请稍后再试。"})
		}
	}
}

// fallbackAsk is used when no answerer is configured: it does not compose
// an answer, it lists the provisions the search engine ranks highest for
// the question, and says so.
func (s *Server) fallbackAsk(ctx context.Context, req AskRequest, _ string, emit func(string, any) error) error {
	snap := s.library()
	ans := askAnswer{Question: req.Question, Answerer: "search-only", Citations: []askCitation{}}
	res, err := snap.search(ctx, SearchRequest{Query: req.Question, Page: 1, PerPage: 5, Values: url.Values{}})
	if err != nil && !isQueryError(err) {
		return err
	}
	if res != nil {
		for i, h := range res.Provisions {
			v, p := snap.cat.Provision(h.ProvisionID)
			if p == nil {
				continue
			}
			c := askCitation{N: i + 1, ProvisionID: p.ID, Document: v.Title, Label: p.Label, Quote: trimTitle(p.Text, 160), Status: v.Status, Line: p.Line}
			c.Source = v.SourceFile(p)
			ans.Citations = append(ans.Citations, c)
		}
	}
	if len(ans.Citations) == 0 {
		ans.Refused = true
		ans.Answer = "问答引擎尚未启用，资料库中也没有找到与问题相关的条文。请换一种说法，或到“合规查询”中检索。"
	} else {
		var b strings.Builder
		b.WriteString("问答引擎尚未启用，以下是资料库中与问题最相关的条文，请阅读原文判断：")
		for _, c := range ans.Citations {
			fmt.Fprintf(&b, "\n%s %s [%d]", c.Document, c.Label, c.N)
		}
		ans.Answer = b.String()
	}
	if err := emit("delta", map[string]string{"text": ans.Answer}); err != nil {
		return err
	}
	return emit("done", ans)
}
