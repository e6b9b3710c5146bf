package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"datalex/internal/embed"
	"datalex/internal/embed/embedtest"
	"datalex/internal/library"
	"datalex/internal/store"
)

// TestEvalEmbed: `datalex eval --embed` runs against the configured
// endpoint, refuses to run without one, and still scores every question
// when the endpoint is down.
func TestEvalEmbed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveImport(ctx, nil, []*library.Work{
		alertDoc("va", "数据出境安全评估办法", "数据处理者向境外提供数据，应当申报数据出境安全评估。"),
		alertDoc("vb", "促进和规范数据跨境流动规定", "数据处理者向境外提供个人信息，可以免予申报。"),
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	queries := filepath.Join(dir, "q.jsonl")
	line := `{"id":"E1","question":"向境外提供数据要申报吗","gold":[{"doc":"数据出境安全评估办法","article":"第一条"}]}` + "\n"
	if err := os.WriteFile(queries, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--data", dir, "--queries", queries, "--rank", "engine", "--embed", "--embed-timeout", "300ms"}

	t.Setenv(embed.EnvBaseURL, "")
	t.Setenv(embed.EnvModel, "")
	if err := runEval(ctx, args); err == nil || !strings.Contains(err.Error(), embed.EnvBaseURL) {
		t.Errorf("--embed without an endpoint: %v", err)
	}
	srv := embedtest.New(t)
	t.Setenv(embed.EnvBaseURL, srv.BaseURL())
	t.Setenv(embed.EnvModel, "bigram-64")
	if err := runEval(ctx, args); err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 1 {
		t.Errorf("%d embedding requests for one question", srv.Requests())
	}
	if err := runEval(ctx, append(args, "--embed-fusion", "max")); err == nil {
		t.Error("unknown fusion accepted")
	}
	srv.Close()
	if err := runEval(ctx, args); err != nil {
		t.Errorf("endpoint down: %v", err)
	}
}
