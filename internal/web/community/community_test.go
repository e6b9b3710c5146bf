package community_test

import (
	"bytes"
	"context"
	communityweb "datalex/internal/web/community"
	"datalex/internal/web/webtest"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/community"
	"datalex/internal/news"
)

func TestNCQuestionAnswerAccept(t *testing.T) {
	env := webtest.NewContentEnv(t)
	asker, answerer := env.Client(t), env.Client(t)
	asker.Login("asker", account.RoleMember)
	answerer.Login("answerer", account.RoleMember)
	tp := asker.PostThread("提问", "重要数据出境要评估吗？", "见 [[数据安全法第三十一条]] 和 [[不存在的法第一条]]。", "数据出境")
	_, body := asker.Get(tp)
	if !strings.Contains(body, `href="/provisions/vdsl.c1.a31"`) || !strings.Contains(body, "[[不存在的法第一条]]") {
		t.Errorf("citation not linked:\n%s", body)
	}
	code, _, resp := answerer.PostCSRF(tp+"/replies", url.Values{"body": {"需要，依 [[数据安全法第二十一条]] 分类分级后申报。"}})
	if code != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "#reply-") {
		t.Fatalf("reply: %d", code)
	}
	// The asker is notified (they follow their own thread).
	_, me := asker.Get("/me")
	if !strings.Contains(me, "1 条未读") || !strings.Contains(me, "answerer") {
		t.Errorf("asker not notified")
	}
	p, err := env.Com.Page(context.Background(), webtest.ThreadID(t, tp), "", false)
	if err != nil || len(p.Replies) != 1 {
		t.Fatal(err)
	}
	rid := fmt.Sprint(p.Replies[0].ID)
	// Only the asker may accept.
	code, body, _ = answerer.PostCSRF(tp+"/accept", url.Values{"reply": {rid}})
	if code != http.StatusForbidden || !strings.Contains(body, "只有提问者可以采纳答案") {
		t.Errorf("answerer accepts: %d", code)
	}
	if _, b := answerer.Get(tp); strings.Contains(b, "采纳为答案") {
		t.Error("accept button shown to the answerer")
	}
	if code, _, _ := asker.PostCSRF(tp+"/accept", url.Values{"reply": {rid}}); code != http.StatusSeeOther {
		t.Errorf("asker accepts: %d", code)
	}
	_, body = env.Client(t).Get(tp)
	if !strings.Contains(body, "✓ 已采纳的回答") || !strings.Contains(body, "已解决") {
		t.Error("accepted answer not marked")
	}
	_, me = answerer.Get("/me")
	if !strings.Contains(me, "采纳") {
		t.Error("answerer not notified of acceptance")
	}
	// Votes: not on one's own post; a like counts once.
	code, body, _ = asker.PostCSRF(tp+"/vote", url.Values{"target": {"thread"}, "target_id": {fmt.Sprint(webtest.ThreadID(t, tp))}, "value": {"1"}})
	if code != http.StatusForbidden || !strings.Contains(body, "不能给自己的内容投票") {
		t.Errorf("own vote: %d", code)
	}
	for i := 0; i < 2; i++ {
		if code, _, _ := answerer.PostCSRF(tp+"/vote", url.Values{"target": {"thread"}, "target_id": {fmt.Sprint(webtest.ThreadID(t, tp))}, "value": {"1"}}); code != http.StatusSeeOther {
			t.Errorf("vote: %d", code)
		}
	}
	if th, _ := env.Com.Thread(context.Background(), webtest.ThreadID(t, tp)); th.Score != 1 {
		t.Errorf("score %d after two likes by one member", th.Score)
	}
	// A vote aimed at another thread's reply through this thread is refused.
	other := answerer.PostThread("经验分享", "另一个主题", "内容", "")
	if code, _, _ := asker.PostCSRF(other+"/vote", url.Values{"target": {"reply"}, "target_id": {rid}, "value": {"1"}}); code != http.StatusNotFound {
		t.Errorf("cross-thread vote: %d", code)
	}
	// The document page's hook lists the discussion under the provision.
	req := httptest.NewRequest("GET", "/documents/vdsl", nil)
	rel := string(env.Srv.RelatedForDocument(req, env.Srv.Catalog().Version("vdsl")))
	if !strings.Contains(rel, "重要数据出境要评估吗？") || !strings.Contains(rel, "第三十一条") || !strings.Contains(rel, "第二十一条") {
		t.Errorf("related discussions:\n%s", rel)
	}
}

func TestNCRateLimitAndValidation(t *testing.T) {
	env := webtest.NewContentEnv(t)
	env.Com.Limits.PostsPerWindow = 2
	c := env.Client(t)
	c.Login("fast_poster", account.RoleMember)
	code, body, _ := c.PostCSRF("/community/threads", url.Values{"kind": {"提问"}, "title": {""}, "body": {"内容"}})
	if code != 422 || !strings.Contains(body, `class="nc-err"`) {
		t.Errorf("empty title: %d", code)
	}
	tp := c.PostThread("提问", "第一个", "内容", "")
	c.PostCSRF(tp+"/replies", url.Values{"body": {"补充"}})
	code, body, _ = c.PostCSRF("/community/threads", url.Values{"kind": {"提问"}, "title": {"第三个"}, "body": {"内容保留"}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "发帖过于频繁，请稍后再试") || !strings.Contains(body, "内容保留") {
		t.Errorf("rate limit on thread: %d", code)
	}
	code, body, _ = c.PostCSRF(tp+"/replies", url.Values{"body": {"又一条回复"}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, `id="reply-error">发帖过于频繁`) || !strings.Contains(body, "又一条回复</textarea>") {
		t.Errorf("rate limit on reply: %d", code)
	}
}

func TestNCAttachments(t *testing.T) {
	env := webtest.NewContentEnv(t)
	c := env.Client(t)
	c.Login("doc_author", account.RoleMember)
	code, body := c.PostFile("/community/threads", map[string]string{"kind": "知识文档", "title": "数据分类分级实务笔记", "body": "附笔记。", "tags": "分类分级"},
		"笔记.md", []byte("# 数据分类分级实务\n\n核心数据、重要数据与一般数据的识别方法。\n"))
	if code != http.StatusSeeOther {
		t.Fatalf("thread with attachment: %d %s", code, body)
	}
	ths, _, _ := env.Com.ThreadList(context.Background(), community.ThreadQuery{})
	tp := ths[0].Path()
	_, body = c.Get(tp)
	m := regexp.MustCompile(`href="(/community/attachments/\d+/[^"]+)" download>笔记.md`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("attachment not listed:\n%s", body)
	}
	req, _ := http.NewRequest("GET", env.TS.URL+m[1], nil)
	code, data, resp := env.Client(t).Do(req)
	if code != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(data, "核心数据") {
		t.Errorf("download: %d %v", code, resp.Header)
	}
	if code, _ := c.Get(m[1] + "x"); code != 404 {
		t.Errorf("wrong stored name: %d", code)
	}
	// Refusals, each with its message.
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"run.exe", []byte("MZ\x90\x00"), "仅支持上传 .pdf、.docx、.txt、.md 格式的知识文档"},
		{"fake.pdf", []byte("<html><script>alert(1)</script></html>"), "附件内容与扩展名不符"},
		{"fake.docx", []byte("not a zip at all"), "附件未上传"},
		{"empty.txt", nil, "附件未上传"},
	} {
		code, body := c.PostFile(tp+"/attachments", nil, tc.name, tc.data)
		if code < 400 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want message %q", tc.name, code, tc.want)
		}
	}
	// Too large: refused with a clear message, not a reset — by the
	// request limit (413) or by the attachment limit (422), whichever the
	// server configuration reaches first.
	env.Com.Limits.MaxAttachBytes = 1 << 20
	code, body = c.PostFile(tp+"/attachments", nil, "big.txt", bytes.Repeat([]byte("数据"), 256<<10))
	if code < 400 || !strings.Contains(body, "提交的内容过大") && !strings.Contains(body, "附件过大（上限 1 MB）") {
		t.Errorf("oversized: %d", code)
	}
	// Only the author, and only on 知识文档 threads.
	other := env.Client(t)
	other.Login("not_author", account.RoleMember)
	if code, body := other.PostFile(tp+"/attachments", nil, "a.txt", []byte("文字")); code != 403 || !strings.Contains(body, "只能修改自己发布的内容") {
		t.Errorf("foreign attach: %d", code)
	}
	q := c.PostThread("提问", "普通提问", "内容", "")
	if code, body := c.PostFile(q+"/attachments", nil, "a.txt", []byte("文字")); code != 422 || !strings.Contains(body, "只有“知识文档”类主题可以上传附件") {
		t.Errorf("attach to a question: %d", code)
	}
	// The document's text is searchable as community content.
	_, js := c.Get("/api/v1/search/community?q=" + url.QueryEscape("重要数据"))
	if !strings.Contains(js, `"type":"attachment"`) || !strings.Contains(js, `"non_authoritative":true`) {
		t.Errorf("attachment not searchable: %s", js)
	}
}

func TestNCModeration(t *testing.T) {
	env := webtest.NewContentEnv(t)
	author, reporter, mod := env.Client(t), env.Client(t), env.Client(t)
	author.Login("mod_author", account.RoleMember)
	reporter.Login("mod_reporter", account.RoleMember)
	mod.Login("mod_editor", account.RoleEditor)
	tp := author.PostThread("经验分享", "可疑广告帖", "加微信", "")
	id := fmt.Sprint(webtest.ThreadID(t, tp))
	code, body, _ := reporter.PostCSRF(tp+"/report", url.Values{"target": {"thread"}, "target_id": {id}, "reason": {""}})
	if code != 422 || !strings.Contains(body, "请说明举报理由") {
		t.Errorf("empty report: %d", code)
	}
	if code, _, _ := reporter.PostCSRF(tp+"/report", url.Values{"target": {"thread"}, "target_id": {id}, "reason": {"广告"}}); code != http.StatusSeeOther {
		t.Errorf("report: %d", code)
	}
	if _, b := mod.Get("/community/reports"); !strings.Contains(b, "广告") || !strings.Contains(b, "mod_reporter") {
		t.Error("report not in the queue")
	}
	if code, _, _ := mod.PostCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"hide"}, "reason": {"广告"}}); code != http.StatusSeeOther {
		t.Errorf("hide: %d", code)
	}
	if code, _ := env.Client(t).Get(tp); code != 404 {
		t.Errorf("hidden thread visible to guests: %d", code)
	}
	if _, b := env.Client(t).Get("/community"); strings.Contains(b, "可疑广告帖") {
		t.Error("hidden thread listed")
	}
	_, b := mod.Get(tp)
	if !strings.Contains(b, "已隐藏（仅版主可见）") || !strings.Contains(b, "hide：广告") {
		t.Error("moderator view lacks state or audit trail")
	}
	mod.PostCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"unhide"}})
	mod.PostCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"lock"}, "reason": {"冷静"}})
	code, body, _ = reporter.PostCSRF(tp+"/replies", url.Values{"body": {"还能回复吗"}})
	if code != http.StatusConflict || !strings.Contains(body, "该主题已锁定") {
		t.Errorf("reply to a locked thread: %d", code)
	}
	if code, _, _ := mod.PostCSRF(tp+"/moderate", url.Values{"target": {"thread"}, "target_id": {id}, "action": {"explode"}}); code != 422 {
		t.Errorf("unknown action: %d", code)
	}
}

func TestNCSearch(t *testing.T) {
	env := webtest.NewContentEnv(t)
	c := env.Client(t)
	c.Login("searcher", account.RoleMember)
	ctx := context.Background()
	news.Create(ctx, env.St.DB(), &news.Item{Category: news.CategoryHot, Title: "数据出境新规解读", Summary: "安全评估申报要点"})
	c.PostThread("提问", "跨境传输要做安全评估吗", "我们公司有数据出境业务。", "数据出境")
	var res communityweb.NCResults
	_, js := c.Get("/api/v1/search/news?q=" + url.QueryEscape("数据出境"))
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Type != "news" || !res.Hits[0].NonAuthoritative || !strings.Contains(res.Label, "非权威") {
		t.Errorf("news search: %s", js)
	}
	_, js = c.Get("/api/v1/search/community?q=" + url.QueryEscape("数据出境"))
	res = communityweb.NCResults{}
	json.Unmarshal([]byte(js), &res)
	if res.Total != 1 || res.Hits[0].Type != "thread" || !strings.Contains(res.Hits[0].Snippet, "数据出境") {
		t.Errorf("community search: %s", js)
	}
	// Both words must match.
	_, js = c.Get("/api/v1/search/community?q=" + url.QueryEscape("数据出境 区块链"))
	if !strings.Contains(js, `"total":0`) {
		t.Errorf("AND semantics: %s", js)
	}
	_, page := c.Get("/search/community?q=" + url.QueryEscape("数据出境"))
	if !strings.Contains(page, "非权威") || !strings.Contains(page, "<mark>数据出境</mark>") || !strings.Contains(page, "跨境传输要做安全评估吗") {
		t.Error("search page")
	}
	_, page = c.Get("/search/community?type=news&q=" + url.QueryEscape("数据出境"))
	if strings.Contains(page, "跨境传输要做安全评估吗") || !strings.Contains(page, "数据出境新规解读") {
		t.Error("type filter")
	}
	// The section for the main search page.
	sec := string(env.Srv.NonAuthoritativeSection(httptest.NewRequest("GET", "/search", nil), "安全评估"))
	if !strings.Contains(sec, "非权威") || !strings.Contains(sec, "数据出境新规解读") || !strings.Contains(sec, "/search/community?q=") {
		t.Errorf("section:\n%s", sec)
	}
	if env.Srv.NonAuthoritativeSection(httptest.NewRequest("GET", "/search", nil), "完全无关的词汇组合") != "" {
		t.Error("section shown without results")
	}
}

// The document and search pages embed this module's sections once the lead
// has added RelatedForDocument and NonAuthoritativeSection to them; until
// then this test skips.
func TestNCSectionsOnLibraryPages(t *testing.T) {
	env := webtest.NewContentEnv(t)
	c := env.Client(t)
	c.Login("hook_member", account.RoleMember)
	if _, b := c.Get("/documents/vdsl"); !strings.Contains(b, "相关资讯、会议与讨论") {
		t.Skip("document page does not call RelatedForDocument yet")
	}
	c.PostThread("经验分享", "分类分级制度落地笔记", "按 [[数据安全法第二十一条]] 梳理目录。", "分类分级")
	_, b := c.Get("/documents/vdsl")
	if !strings.Contains(b, "分类分级制度落地笔记") || !strings.Contains(b, "引用第二十一条") || !strings.Contains(b, "关注本文件的更新") {
		t.Error("document page lacks the citing discussion or the follow button")
	}
	code, _, resp := c.PostCSRF("/follow", url.Values{"kind": {"work"}, "value": {"wdsl"}, "next": {"/documents/vdsl"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/documents/vdsl") {
		t.Errorf("follow from the document page: %d %s", code, resp.Header.Get("Location"))
	}
	if _, b := c.Get("/documents/vdsl"); !strings.Contains(b, "已关注本文件") {
		t.Error("follow state not shown")
	}
	if _, b := c.Get("/search?q=" + url.QueryEscape("分类分级")); !strings.Contains(b, "资讯与社区讨论") || !strings.Contains(b, "分类分级制度落地笔记") || !strings.Contains(b, "非权威") {
		t.Error("search page lacks the non-authoritative section")
	}
}

// The document page's related box for the largest document (1,100
// articles): batched citation lookups keep it within the page budget.
func BenchmarkNCRelatedForDocument(b *testing.B) {
	env := webtest.NewContentEnv(b)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		env.Com.Limits.PostsPerWindow = 1000
		if _, err := env.Com.CreateThread(ctx, community.NewThread{Kind: community.KindExperience, Title: fmt.Sprintf("讨论%d", i),
			Body: fmt.Sprintf("见 [[大型测试条例第%d条]]。", i*50+1), AuthorID: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	v := env.Srv.Catalog().Version("vbig")
	req := httptest.NewRequest("GET", "/documents/vbig", nil)
	if out := env.Srv.RelatedForDocument(req, v); !strings.Contains(string(out), "讨论19") {
		b.Fatalf("related box lacks the citing threads:\n%s", out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env.Srv.RelatedForDocument(req, v)
	}
}

func TestNCEditThread(t *testing.T) {
	env := webtest.NewContentEnv(t)
	author, other := env.Client(t), env.Client(t)
	author.Login("edit_author", account.RoleMember)
	other.Login("edit_other", account.RoleMember)
	tp := author.PostThread("经验分享", "原标题", "原内容", "旧标签")
	if _, b := author.Get(tp); !strings.Contains(b, `href="`+tp+`/edit"`) {
		t.Error("no edit link for the author")
	}
	if _, b := other.Get(tp); strings.Contains(b, tp+"/edit") {
		t.Error("edit link shown to another member")
	}
	_, form := author.Get(tp + "/edit")
	if !strings.Contains(form, `value="原标题"`) || !strings.Contains(form, "原内容</textarea>") || strings.Contains(form, `name="kind"`) {
		t.Error("edit form not prefilled")
	}
	code, body, _ := author.PostCSRF(tp+"/edit", url.Values{"title": {""}, "body": {"x"}})
	if code != 422 || !strings.Contains(body, `class="nc-err"`) {
		t.Errorf("empty title: %d", code)
	}
	if code, _, _ := other.PostCSRF(tp+"/edit", url.Values{"title": {"篡改"}, "body": {"x"}}); code != http.StatusForbidden {
		t.Errorf("foreign edit: %d", code)
	}
	if code, _, _ := author.PostCSRF(tp+"/edit", url.Values{"title": {"新标题"}, "body": {"见 [[数据安全法第一条]]"}, "tags": {"新标签"}}); code != http.StatusSeeOther {
		t.Errorf("edit: %d", code)
	}
	_, b := other.Get(tp)
	if !strings.Contains(b, "新标题") || !strings.Contains(b, `href="/provisions/vdsl.c1.a1"`) || !strings.Contains(b, "新标签") || strings.Contains(b, "旧标签") {
		t.Error("edit not shown")
	}
}
