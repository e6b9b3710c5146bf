package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"datalex/internal/answer"
	"datalex/internal/mcpserver"
)

// runMCP serves the library to AI assistants over MCP on stdin/stdout.
// Logs go to stderr: stdout belongs to the protocol.
func runMCP(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("mcp", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	useModel := fs.Bool("model", false, "ask 工具使用已配置的大模型 (默认内置摘录式回答)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	env, err := openQA(ctx, *dataDir, *useModel)
	if err != nil {
		return err
	}
	defer env.st.Close()
	return mcpserver.RunStdio(ctx, mcpDeps(env))
}

// mcpDeps is what the MCP server needs; the web server mounts
// mcpserver.HTTPHandler(mcpDeps(env)) at /mcp.
func mcpDeps(env *qaEnv) mcpserver.Deps {
	return mcpserver.Deps{Catalog: env.cat, Search: answer.FromSearch(env.ix, env.cat), Answerer: env.ans}
}
