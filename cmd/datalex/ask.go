package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/search"
	"datalex/internal/store"
)

// qaEnv is the loaded library with its search index and answerer.
type qaEnv struct {
	st  *store.Store
	cat *library.Catalog
	ix  *search.Index
	ans *answer.Answerer
}

// openQA loads the library and builds the answerer: the search index for
// retrieval, the model endpoint and the embeddings endpoint when the
// environment configures them.
func openQA(ctx context.Context, dataDir string, useModel bool) (*qaEnv, error) {
	st, versions, err := openExistingLibrary(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	cat := library.NewCatalog(versions)
	ix := search.NewIndex(versions)
	cfg := answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat, History: answer.NewHistory(st.DB())}
	if useModel {
		mc, err := answer.ModelConfigFromEnv()
		if err != nil {
			st.Close()
			return nil, err
		}
		cfg.Model = mc
	}
	if e := answer.EmbedderFromEnv(); e != nil {
		d, err := answer.LoadDense(dataDir, e)
		if err != nil {
			slog.Warn("向量检索未启用（可运行 datalex ask --build-vectors）", "err", err)
		} else {
			cfg.Dense = d
		}
	}
	return &qaEnv{st: st, cat: cat, ix: ix, ans: answer.New(cfg)}, nil
}

// askJSON is the line format of `datalex ask --json`.
type askJSON struct {
	Conclusion string            `json:"conclusion"`
	Answer     string            `json:"answer"`
	Refused    bool              `json:"refused"`
	Citations  []answer.Citation `json:"citations"`
	Answerer   string            `json:"answerer"`
	Closest    []answer.Citation `json:"closest,omitempty"`
	Missing    []string          `json:"missing,omitempty"`
	Notice     string            `json:"notice,omitempty"`
	Question   string            `json:"question,omitempty"`
	Error      string            `json:"error,omitempty"`
}

func runAsk(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	asJSON := fs.Bool("json", false, "输出 JSON")
	asMD := fs.Bool("markdown", false, "以 Markdown 输出回答与引用")
	batch := fs.String("batch", "", "批量问答：每行一个问题的文件 (- 为标准输入)，每个问题输出一行 JSON")
	which := fs.String("answerer", "", "extractive (内置摘录式) 或 model (大模型)；默认配置了大模型时用大模型")
	buildVectors := fs.Bool("build-vectors", false, "为全部条文计算向量 (需配置 DATALEX_EMBED_BASE_URL / DATALEX_EMBED_MODEL)")
	user := fs.String("user", "cli", "会话所属用户 (与 --conversation 同用)")
	conv := fs.String("conversation", "", "在已有会话中追问 (会话 id；用 new 开始新会话)")
	export := fs.String("export", "", "以 Markdown 导出会话 (会话 id)")
	words, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *which != "" && *which != answer.Extractive && *which != answer.Model {
		return fmt.Errorf("--answerer 只能是 extractive 或 model")
	}
	question := strings.TrimSpace(strings.Join(words, " "))
	if question == "" && *batch == "" && !*buildVectors && *export == "" {
		return errors.New(`用法: datalex ask [--json] [--data DIR] [--answerer extractive|model] "问题"  或  datalex ask --batch FILE --json`)
	}
	env, err := openQA(ctx, *dataDir, *which != answer.Extractive)
	if err != nil {
		return err
	}
	defer env.st.Close()

	if *buildVectors {
		e := answer.EmbedderFromEnv()
		if e == nil {
			return errors.New("未配置向量服务 (DATALEX_EMBED_BASE_URL / DATALEX_EMBED_MODEL)")
		}
		n, err := answer.BuildVectors(ctx, e, env.cat, *dataDir, 64)
		fmt.Fprintf(os.Stderr, "新增 %d 条向量 → %s\n", n, answer.VectorPath(*dataDir, e.Model()))
		return err
	}
	if *export != "" {
		c, msgs, err := env.ans.History().Conversation(ctx, *user, *export)
		if err != nil {
			return err
		}
		fmt.Print(answer.ConversationMarkdown(c, msgs))
		return nil
	}
	if *batch != "" {
		return askBatch(ctx, env.ans, *batch, *which, os.Stdout)
	}
	req := answer.Request{Question: question, Answerer: *which}
	if *conv != "" {
		req.UserID = *user
		if *conv != "new" {
			req.ConversationID = *conv
		}
	}
	if !*asJSON && !*asMD {
		return askInteractive(ctx, env.ans, req)
	}
	ans, err := env.ans.Ask(ctx, req)
	if err != nil {
		return err
	}
	if ans.ConversationID != "" {
		fmt.Fprintln(os.Stderr, "会话: "+ans.ConversationID)
	}
	if *asMD {
		fmt.Print(ans.Markdown())
		return nil
	}
	return json.NewEncoder(os.Stdout).Encode(toAskJSON(ans))
}

func toAskJSON(ans *answer.Answer) askJSON {
	return askJSON{Conclusion: ans.Conclusion, Answer: ans.Text, Refused: ans.Refused, Citations: ans.Cites, Answerer: ans.Answerer,
		Closest: ans.Closest, Missing: ans.Missing, Notice: ans.Notice}
}

// askInteractive streams the answer to the terminal, then lists sources.
func askInteractive(ctx context.Context, a *answer.Answerer, req answer.Request) error {
	streamed := false
	which := req.Answerer
	return a.AskStream(ctx, req, func(e answer.Event) error {
		switch e.Type {
		case answer.EventDelta:
			// Model tokens are shown as they come; the grounded text
			// replaces them below when checks changed anything.
			if a.HasModel() && which != answer.Extractive {
				fmt.Print(e.Text)
				streamed = true
			}
		case answer.EventNotice:
			if streamed {
				fmt.Println()
			}
			fmt.Fprintln(os.Stderr, "提示："+e.Text)
			streamed = false
		case answer.EventAnswer:
			printAnswer(e.Answer, streamed)
			if e.Answer.ConversationID != "" {
				fmt.Fprintln(os.Stderr, "会话: "+e.Answer.ConversationID+"（追问请加 --conversation "+e.Answer.ConversationID+"）")
			}
		}
		return nil
	})
}

func printAnswer(ans *answer.Answer, streamed bool) {
	if streamed {
		fmt.Println()
		if ans.Grounding.Removed > 0 || ans.Refused {
			fmt.Println("\n—— 核验后的回答 ——")
			fmt.Println(ans.Text)
		}
	} else {
		fmt.Println(ans.Text)
	}
	if ans.Notice != "" && ans.Grounding.Removed > 0 {
		fmt.Fprintln(os.Stderr, "提示："+ans.Notice)
	}
	if len(ans.Cites) > 0 {
		fmt.Println("\n来源：")
		for _, c := range ans.Cites {
			fmt.Printf("[%d] %s  (%s:%d)", c.N, c.Citation, c.Source, c.Line)
			if len(c.Warnings) > 0 {
				fmt.Print("  ⚠ " + strings.Join(c.Warnings, "、"))
			}
			fmt.Println()
		}
	}
	fmt.Printf("\n（%s · %s）\n", map[string]string{answer.Extractive: "内置摘录式回答", answer.Model: "大模型回答"}[ans.Answerer], ans.Elapsed)
}

// askBatch answers one question per line, one JSON line each; a failing
// question yields a line with "error" rather than stopping the batch.
func askBatch(ctx context.Context, a *answer.Answerer, file, which string, w io.Writer) error {
	var r io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	enc := json.NewEncoder(w)
	for sc.Scan() {
		q := strings.TrimSpace(sc.Text())
		if q == "" {
			continue
		}
		ans, err := a.Ask(ctx, answer.Request{Question: q, Answerer: which})
		out := askJSON{Question: q, Citations: []answer.Citation{}}
		if err != nil {
			out.Error = err.Error()
		} else {
			out = toAskJSON(ans)
			out.Question = q
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return sc.Err()
}
