package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"datalex/internal/account"
)

// runUser manages accounts from the command line: create (the first admin
// in particular), list and set-role.
func runUser(ctx context.Context, args []string) error {
	usage := errors.New("用法: datalex user create [--admin | --role ROLE] --username U [--password-stdin]\n" +
		"       datalex user list\n       datalex user set-role --username U --role member|editor|admin")
	if len(args) == 0 {
		return usage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	dataDir := dataDirFlag(fs)
	username := fs.String("username", "", "用户名")
	role := fs.String("role", "", "角色：member（会员）、editor（编辑）、admin（管理员）")
	admin := fs.Bool("admin", false, "创建管理员（等同 --role admin）")
	pwStdin := fs.Bool("password-stdin", false, "从标准输入读取密码（一行）；否则生成随机密码并打印一次")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	acc := account.New(st.DB())

	switch sub {
	case "create":
		r := *role
		if *admin {
			r = account.RoleAdmin
		}
		if r == "" {
			r = account.RoleMember
		}
		if *username == "" {
			return errors.New("缺少 --username")
		}
		pw, generated := "", false
		if *pwStdin {
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("读取密码: %w", err)
			}
			pw = strings.TrimRight(line, "\r\n")
		} else {
			b := make([]byte, 15)
			rand.Read(b)
			pw, generated = base64.RawURLEncoding.EncodeToString(b), true
		}
		u, err := acc.Create(ctx, *username, pw, r)
		if err != nil {
			return err
		}
		if err := acc.Audit(ctx, nil, "cli", "user.create", u.Username, "角色 "+account.RoleName(u.Role)); err != nil {
			return err
		}
		fmt.Printf("已创建用户 %s（%s）\n", u.Username, account.RoleName(u.Role))
		if generated {
			fmt.Printf("初始密码：%s\n请登录后在“我的账号”中修改。\n", pw)
		}
		return nil
	case "list":
		users, err := acc.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "用户名\t角色\t注册时间\t锁定至")
		for _, u := range users {
			locked := ""
			if !u.LockedUntil.IsZero() {
				locked = u.LockedUntil.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, account.RoleName(u.Role), u.CreatedAt.Format("2006-01-02 15:04"), locked)
		}
		return tw.Flush()
	case "set-role":
		if *username == "" && len(pos) > 0 {
			*username = pos[0]
		}
		if *role == "" && len(pos) > 1 {
			*role = pos[1]
		}
		if *username == "" || *role == "" {
			return usage
		}
		if err := acc.SetRole(ctx, "cli", *username, *role); err != nil {
			return err
		}
		fmt.Printf("%s 的角色已改为 %s\n", *username, account.RoleName(*role))
		return nil
	}
	return usage
}
