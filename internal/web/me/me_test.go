package me_test

import (
	"context"
	"datalex/internal/web/webtest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/news"
)

func TestNCFollowFeedAndToken(t *testing.T) {
	env := webtest.NewContentEnv(t)
	reader, writer := env.Client(t), env.Client(t)
	reader.Login("reader", account.RoleMember)
	writer.Login("writer", account.RoleMember)
	code, _, resp := reader.PostCSRF("/follow", url.Values{"kind": {"tag"}, "value": {"数据出境"}, "next": {"//evil.example/x"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/me") {
		t.Errorf("follow: %d → %s", code, resp.Header.Get("Location"))
	}
	reader.PostCSRF("/follow", url.Values{"kind": {"work"}, "value": {"wdsl"}})
	if code, _, _ := reader.PostCSRF("/follow", url.Values{"kind": {"planet"}, "value": {"x"}}); code != 422 {
		t.Errorf("bad follow kind: %d", code)
	}
	writer.PostThread("经验分享", "出境评估申报经验", "分享。", "数据出境")
	news.Create(context.Background(), env.St.DB(), &news.Item{Category: news.CategoryRegulation, Title: "数据安全法相关资讯", RelatedWorks: []string{"wdsl"}})
	_, me := reader.Get("/me")
	for _, want := range []string{"主题标签", `href="/community?tag=` + url.QueryEscape("数据出境") + `"`, "中华人民共和国数据安全法", "出境评估申报经验", "关注的标签「数据出境」", "数据安全法相关资讯"} {
		if !strings.Contains(me, want) {
			t.Errorf("/me lacks %q", want)
		}
	}
	// The personal feed: session or token, never anyone else.
	anon := env.Client(t)
	if code, _ := anon.Get("/me/feed.atom"); code != 401 {
		t.Errorf("anonymous personal feed: %d", code)
	}
	code, page, _ := reader.PostCSRF("/me/feed-token", nil)
	m := regexp.MustCompile(`value="(http[^"]+/me/feed\.atom\?token=([^"]+))"`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("token: %d", code)
	}
	tok, _ := url.QueryUnescape(m[2])
	req, _ := http.NewRequest("GET", env.TS.URL+"/me/feed.atom?token="+url.QueryEscape(tok), nil)
	code, feed, resp := anon.Do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") || !strings.Contains(feed, "出境评估申报经验") {
		t.Errorf("token feed: %d %s", code, resp.Header.Get("Content-Type"))
	}
	if code, _ := anon.Get("/me/feed.atom?token=wrong"); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	// The token works only for the feed, not as a login.
	if code, _ := anon.Get("/me?token=" + url.QueryEscape(tok)); code != http.StatusSeeOther {
		t.Errorf("token used as login: %d", code)
	}
	// A new token revokes the old one; the page no longer shows any.
	reader.PostCSRF("/me/feed-token", nil)
	if code, _ := anon.Get("/me/feed.atom?token=" + url.QueryEscape(tok)); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
	if _, me := reader.Get("/me"); strings.Contains(me, "token=") || !strings.Contains(me, "重新生成订阅地址") {
		t.Error("token shown again on /me")
	}
	var stored string
	env.St.DB().QueryRow(`SELECT token_hash FROM feed_tokens`).Scan(&stored)
	if stored == "" || strings.Contains(stored, tok) {
		t.Error("token stored in clear")
	}
	// Notifications are marked read.
	tp := reader.PostThread("提问", "读者的问题", "问。", "")
	writer.PostCSRF(tp+"/replies", url.Values{"body": {"答。"}})
	if _, me := reader.Get("/me"); !strings.Contains(me, "1 条未读") {
		t.Error("no unread notification")
	}
	reader.PostCSRF("/me/notifications/read", nil)
	if _, me := reader.Get("/me"); strings.Contains(me, "条未读") {
		t.Error("notifications not marked read")
	}
}
