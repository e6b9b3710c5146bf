package community_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/events"
	"datalex/internal/news"
	"datalex/internal/web/webtest"
)

// The related box reads news, events, citing threads and the follow state
// in one statement (related.go); each list must come out filtered and
// ordered as the separate queries it replaces did. Runs on PostgreSQL too
// with DATALEX_TEST_POSTGRES.
func TestNCRelatedBox(t *testing.T) {
	env := webtest.NewContentEnv(t)
	ctx := context.Background()
	db := env.St.DB()
	env.Com.Limits.PostsPerWindow = 1000
	for _, n := range []struct{ title, date string }{
		{"资讯二〇二一年一月", "2021-01"}, {"资讯无日期", ""}, {"资讯二〇二三", "2023-05-06"},
		{"资讯二〇二〇", "2020-01-01"}, {"资讯二〇二二", "2022"}, {"资讯二〇二四", "2024-02-02"}, {"资讯二〇一九", "2019"},
	} {
		if _, err := news.Create(ctx, db, &news.Item{Category: news.CategoryIndustry, Title: n.title, PublishedDate: n.date, RelatedWorks: []string{"wdsl"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := news.Create(ctx, db, &news.Item{Category: news.CategoryIndustry, Title: "别的文件的资讯", PublishedDate: "2025-01-01", RelatedWorks: []string{"wother"}}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		title, start string
		works        []string
	}{
		{"会议三月", "2030-03-01", []string{"wdsl"}}, {"会议一月", "2029-01-01", []string{"x", "wdsl"}},
		{"前缀相同的会议", "2028-01-01", []string{"wdsl2"}}, {"无关会议", "2027-01-01", nil},
	} {
		if _, err := events.Create(ctx, db, &events.Event{Title: e.title, StartDate: e.start, City: "北京", Organiser: "某协会", RelatedWorks: e.works}); err != nil {
			t.Fatal(err)
		}
	}
	thread := func(title, body string) *community.Thread {
		th, err := env.Com.CreateThread(ctx, community.NewThread{Kind: community.KindExperience, Title: title, Body: body, AuthorID: "author"})
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	thread("讨论甲", "见 [[数据安全法第二十一条]]。")
	thread("讨论乙", "见 [[数据安全法第三十一条]] 与 [[数据安全法第二十一条]]。")
	hidden := thread("被隐藏的讨论", "见 [[数据安全法第二十一条]]。")
	if err := env.Com.SetHidden(ctx, "moderator", "thread", hidden.ID, true, "测试"); err != nil {
		t.Fatal(err)
	}
	viaHiddenReply := thread("回复被隐藏的讨论", "没有引用。")
	r, err := env.Com.AddReply(ctx, viaHiddenReply.ID, "author", "见 [[数据安全法第三十一条]]。")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Com.SetHidden(ctx, "moderator", "reply", r.ID, true, "测试"); err != nil {
		t.Fatal(err)
	}
	latest := thread("讨论丙", "没有引用。")
	if _, err := env.Com.AddReply(ctx, latest.ID, "author", "见 [[数据安全法第三十一条]]。"); err != nil {
		t.Fatal(err)
	}
	thread("引用别的文件的讨论", "见 [[大型测试条例第1条]]。")

	anon := string(env.Srv.RelatedForDocument(httptest.NewRequest("GET", "/documents/vdsl", nil), env.Srv.Catalog().Version("vdsl")))
	for _, c := range []struct {
		name   string
		order  []string // must appear, in this order
		absent []string
	}{
		{"news newest first, five", []string{"资讯无日期", "资讯二〇二四", "资讯二〇二三", "资讯二〇二二", "资讯二〇二一年一月"},
			[]string{"资讯二〇二〇", "资讯二〇一九", "别的文件的资讯"}},
		{"events by start date", []string{"相关会议", "会议一月", "会议三月"}, []string{"前缀相同的会议", "无关会议"}},
		{"threads by latest activity", []string{"相关讨论", "讨论丙", "讨论乙", "讨论甲"},
			[]string{"被隐藏的讨论", "回复被隐藏的讨论", "引用别的文件的讨论"}},
		{"labels and replies", []string{"讨论丙</a> <span class=\"meta\">经验分享 · 1 回复 · 引用第三十一条"}, nil},
		{"anonymous: no follow button", nil, []string{"关注本文件"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			at := 0
			for _, s := range c.order {
				i := strings.Index(anon[at:], s)
				if i < 0 {
					t.Fatalf("%q missing or out of order:\n%s", s, anon)
				}
				at += i + len(s)
			}
			for _, s := range c.absent {
				if strings.Contains(anon, s) {
					t.Errorf("%q listed:\n%s", s, anon)
				}
			}
		})
	}
	if !strings.Contains(anon, "引用第三十一条、第二十一条") && !strings.Contains(anon, "引用第二十一条、第三十一条") {
		t.Errorf("讨论乙 lacks its two labels:\n%s", anon)
	}

	// A member sees the follow button, and its state after following.
	c := env.Client(t)
	c.Login("reader", account.RoleMember)
	if _, body := c.Get("/documents/vdsl"); !strings.Contains(body, "关注本文件的更新") || !strings.Contains(body, "讨论丙") {
		t.Errorf("member's box before following:\n%s", body)
	}
	c.PostCSRF("/follow", url.Values{"kind": {"work"}, "value": {"wdsl"}, "next": {"/documents/vdsl"}})
	if _, body := c.Get("/documents/vdsl"); !strings.Contains(body, "已关注本文件 · 取消") || !strings.Contains(body, "会议一月") {
		t.Errorf("member's box after following:\n%s", body)
	}
}
