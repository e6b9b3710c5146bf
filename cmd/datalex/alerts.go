package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"datalex/internal/community"
	"datalex/internal/library"
	"datalex/internal/search"
	workspaceweb "datalex/internal/web/workspace"
	"datalex/internal/workspace"
)

// mailFlags are the SMTP settings shared by serve and alerts run
// (environment: DATALEX_SMTP_ADDR, DATALEX_SMTP_FROM, DATALEX_SMTP_USERNAME,
// DATALEX_SMTP_PASSWORD, DATALEX_BASE_URL).
type mailFlags struct {
	addr, from, username, password, baseURL *string
}

func addMailFlags(fs *flag.FlagSet) mailFlags {
	return mailFlags{
		addr:     fs.String("smtp-addr", "", "发信 SMTP 服务器 HOST:PORT（检索订阅的邮件提醒；为空则只在站内提醒）"),
		from:     fs.String("smtp-from", "", "发件人地址，如 datalex@example.com"),
		username: fs.String("smtp-username", "", "SMTP 用户名（PLAIN 认证；非本机服务器须为 TLS 连接）"),
		password: fs.String("smtp-password", "", "SMTP 密码（建议用环境变量 DATALEX_SMTP_PASSWORD）"),
		baseURL:  fs.String("base-url", "", "站点对外地址，用于邮件中的链接，如 https://datalex.example.com"),
	}
}

// mailer returns the send function, or nil when no server is configured.
func (f mailFlags) mailer() (func(to, subject, body string) error, error) {
	if *f.addr == "" {
		return nil, nil
	}
	if *f.from == "" {
		return nil, errors.New("设置了 --smtp-addr 时必须同时设置 --smtp-from（发件人地址）")
	}
	m := &community.Mailer{Addr: *f.addr, From: *f.from, Username: *f.username, Password: *f.password, BaseURL: *f.baseURL}
	return m.Send, nil
}

// runAlerts is `datalex alerts run`: check every saved search against the
// library now, notify owners in-app and by e-mail, print what was sent.
func runAlerts(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return errors.New("用法: datalex alerts run [--data 目录] [--json] [--smtp-addr HOST:PORT --smtp-from 地址] [--base-url URL]")
	}
	fs := flag.NewFlagSet("alerts run", flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	asJSON := fs.Bool("json", false, "输出 JSON")
	mf := addMailFlags(fs)
	if _, err := parseArgs(fs, args[1:]); err != nil {
		return err
	}
	if err := applySettings(fs, ""); err != nil {
		return err
	}
	mail, err := mf.mailer()
	if err != nil {
		return err
	}
	st, versions, err := openExistingLibrary(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	ws := workspace.New(st.DB())
	al := &workspace.Alerts{WS: ws, Notify: workspaceweb.InAppNotify(community.New(st.DB())), Mail: mail, BaseURL: *mf.baseURL,
		Log: slog.Default()}
	found, err := al.Run(ctx, workspace.IndexMatcher(search.NewIndex(versions), library.NewCatalog(versions)))
	if err != nil {
		return err
	}
	return printAlerts(found, *asJSON)
}

func printAlerts(found []*workspace.Alert, asJSON bool) error {
	if asJSON {
		type row struct {
			Search  string             `json:"search"`
			User    string             `json:"user"`
			New     []workspace.Match  `json:"new"`
			Changed []workspace.Change `json:"changed"`
			Emailed bool               `json:"emailed"`
		}
		out := []row{}
		for _, a := range found {
			out = append(out, row{a.Search.ID, a.UserID, a.New, a.Changed, a.Emailed})
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(found) == 0 {
		fmt.Println("没有新的检索订阅提醒。")
		return nil
	}
	for _, a := range found {
		mailed := ""
		if a.Emailed {
			mailed = "（已发邮件）"
		}
		fmt.Printf("%s%s\n", a.Message(), mailed)
		for _, m := range a.New {
			fmt.Printf("  新文件 %s %s（%s）\n", m.VersionID, m.Title, m.Status)
		}
		for _, c := range a.Changed {
			fmt.Printf("  时效性 %s %s：%s → %s\n", c.VersionID, c.Title, c.OldStatus, c.Status)
		}
	}
	return nil
}
