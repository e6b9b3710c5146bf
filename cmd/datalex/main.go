// Command datalex is the one binary of the DataLex platform: it serves the
// web UI and API, imports documents, and runs search, answers, evaluation and
// benchmarks from the command line.
package main

import (
	"context"
	"datalex/internal/store"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "启动平台 (Web 与 API)", runServe},
		{"import", "导入文档 (默认导入内置语料)", runImport},
		{"corpus", "语料库: stats | check | list | show", runCorpus},
		{"search", "检索法规条文", runSearch},
		{"alerts", "检索订阅: run（立即检查全部订阅并发送提醒）", runAlerts},
		{"ask", "智能问答", runAsk},
		{"eval", "评测检索与问答", runEval},
		{"bench", "性能基准", runBench},
		{"ruzhang", "数据资产入表: 批量计算案例", runRuzhang},
		{"check", "合规自查: crossborder | pia | incident | classify | records", runCheck},
		{"user", "用户管理", runUser},
		{"backup", "在线备份数据库", runBackup},
		{"restore", "从备份恢复数据库", runRestore},
		{"mcp", "MCP 服务 (stdio)", runMCP},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	name := os.Args[1]
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, os.Args[2:])
			if errors.Is(err, flag.ErrHelp) {
				os.Exit(0)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "datalex "+name+": "+err.Error())
				os.Exit(1)
			}
			return
		}
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage()
		return
	}
	fmt.Fprintf(os.Stderr, "未知命令 %q\n", name)
	usage()
	os.Exit(2)
}

func usage() {
	fmt.Fprintln(os.Stderr, "用法: datalex <命令> [参数]\n\n命令:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(os.Stderr, "\n每个命令都接受 --data DIR (默认 ./data，或环境变量 DATALEX_DATA)，")
	fmt.Fprintln(os.Stderr, "以及 --database postgres://… (或环境变量 DATALEX_DATABASE_URL) 以使用 PostgreSQL。")
}

// dataDirFlag registers the --data flag shared by every command, and with
// it --database (the store: empty for SQLite in --data, or a postgres://
// URL). One command runs per process, so the setting lives in a package
// variable that openStore reads.
func dataDirFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("DATALEX_DATA")
	if def == "" {
		def = "./data"
	}
	fs.StringVar(&databaseURL, "database", os.Getenv("DATALEX_DATABASE_URL"),
		"数据库：留空为 --data 目录中的 SQLite；或 postgres://用户:密码@主机/库（建议用环境变量 DATALEX_DATABASE_URL，以免密码出现在进程列表）")
	return fs.String("data", def, "数据目录 (SQLite 数据库；使用 PostgreSQL 时只存放本节点的缓存)")
}

// databaseURL is the --database setting of the running command.
var databaseURL string

// openStore opens the store the command's --database and --data name.
func openStore(ctx context.Context, dataDir string) (*store.Store, error) {
	return store.OpenDatabase(ctx, databaseURL, dataDir)
}

var errNotYet = errors.New("尚未实现")

// parseArgs parses flags that may come before or after positional
// arguments (datalex corpus show ID --json; datalex search 数据出境 --json)
// and returns the positional ones. The standard flag package stops at the
// first positional argument, which silently turned later flags into
// arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
