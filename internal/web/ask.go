package web

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/library"
)

// AskRequest is one question with the conversation before it.
type AskRequest struct {
	Question string    `json:"question"`
	History  []AskTurn `json:"history,omitempty"`
	UserID   string    `json:"-"` // "" for visitors
}

// AskTurn is an earlier question and its answer.
type AskTurn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// AskFunc answers a question, reporting progress through emit:
//
//	emit("delta", map[string]string{"text": "…"})   // answer text as it is produced (optional)
//	emit("done", answer)                            // the final answer object, as `datalex ask --json` prints it
//
// The final object must have "answer", "refused", "citations" (each with
// "n", "provision_id", "document", "label", "quote") and "answerer". The
// chat page renders [n] markers as chips linking to /provisions/{provision_id}.
// emit returns an error once the client has gone away.
type AskFunc func(ctx context.Context, req AskRequest, emit func(event string, data any) error) error

// askCitation and askAnswer describe the answer object for the built-in
// fallback; real answerers may send richer objects.
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
	Answer    string        `json:"answer"`
	Refused   bool          `json:"refused"`
	Citations []askCitation `json:"citations"`
	Answerer  string        `json:"answerer"`
}

func (s *Server) askPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "ask", &view{Title: "智能问答", Active: "ask", D: s.cfg.Ask != nil})
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
	if len(req.History) > 10 {
		req.History = req.History[len(req.History)-10:]
	}
	if u := currentUser(r); u != nil {
		req.UserID = u.ID
	}
	ask := s.cfg.Ask
	if ask == nil {
		ask = s.fallbackAsk
	}
	stream := r.URL.Query().Get("stream") == "1" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
	if !stream {
		var final any
		err := ask(r.Context(), req, func(event string, data any) error {
			if event == "done" {
				final = data
			}
			return nil
		})
		if err != nil || final == nil {
			s.log.Error("问答失败", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "问答暂时不可用，请稍后再试。"})
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
		return r.Context().Err()
	}
	if err := ask(r.Context(), req, emit); err != nil && r.Context().Err() == nil {
		s.log.Error("问答失败", "err", err)
		emit("error", map[string]string{"error": "问答暂时不可用，请稍后再试。"})
	}
}

// fallbackAsk is used until an answerer is configured: it does not compose
// an answer, it lists the provisions sharing the most two-character terms
// with the question, and says so.
func (s *Server) fallbackAsk(ctx context.Context, req AskRequest, emit func(string, any) error) error {
	snap := s.library()
	grams := bigrams(req.Question)
	type scored struct {
		v     *library.Version
		p     *library.Provision
		score int
	}
	var best []scored
	for _, v := range snap.cat.Versions {
		if v.Kind != library.KindRegulation {
			continue
		}
		for _, p := range v.Provisions {
			n := 0
			for _, g := range grams {
				if strings.Contains(p.Text, g) {
					n++
				}
			}
			if n >= 3 {
				best = append(best, scored{v, p, n})
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].score > best[j].score })
	ans := askAnswer{Answerer: "search-only", Citations: []askCitation{}}
	for i, b := range best {
		if i == 5 {
			break
		}
		c := askCitation{N: i + 1, ProvisionID: b.p.ID, Document: b.v.Title, Label: b.p.Label, Quote: trimTitle(b.p.Text, 160), Status: b.v.Status}
		if len(b.v.Sources) > 0 {
			c.Source, c.Line = b.v.Sources[0].File, b.p.Line
		}
		ans.Citations = append(ans.Citations, c)
	}
	if len(ans.Citations) == 0 {
		ans.Refused = true
		ans.Answer = "问答引擎尚未启用，资料库中也没有找到与问题明显相关的条文。请换一种说法，或到“合规查询”中检索。"
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

// bigrams lists the distinct two-character Han sequences of s.
func bigrams(s string) []string {
	var out []string
	seen := map[string]bool{}
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		if unicode.Is(unicode.Han, rs[i]) && unicode.Is(unicode.Han, rs[i+1]) {
			g := string(rs[i : i+2])
			if !seen[g] && !stopBigram[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

var stopBigram = map[string]bool{"我们": true, "公司": true, "需要": true, "什么": true, "是否": true, "怎么": true, "如何": true, "可以": true, "哪些": true}
