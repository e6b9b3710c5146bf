package community

import (
	"context"
	"fmt"
	"strings"

	"datalex/internal/library"
)

// PlatformUsername is the account the platform's own starter threads are
// posted under; its name says they are the platform's, not a member's.
const PlatformUsername = "DataLex平台示例"

// faq is a common question of the field and the provisions that answer
// it, as [[…]] references. The thread's text is the provisions' own
// wording taken from the library at seeding time: nothing is paraphrased.
type faq struct {
	Question string
	Refs     []string
	Tags     []string
}

var faqs = []faq{
	{"数据处理者应当如何落实数据分类分级保护？", []string{"数据安全法第二十一条", "网络数据安全管理条例第五条"}, []string{"数据分类分级"}},
	{"哪些个人信息出境情形可以免予申报数据出境安全评估？", []string{"促进和规范数据跨境流动规定第五条"}, []string{"数据出境"}},
	{"重要数据的处理者需要定期开展风险评估吗？", []string{"数据安全法第三十条"}, []string{"重要数据", "风险评估"}},
	{"处理个人信息前应当告知个人哪些事项？", []string{"个人信息保护法第十七条"}, []string{"个人信息保护"}},
	{"发生数据安全事件时，数据处理者应当怎么做？", []string{"数据安全法第二十九条"}, []string{"数据安全事件"}},
}

// faqIntro labels every starter thread as the platform's.
const faqIntro = "【平台示例 · 常见问题】本帖由 DataLex 平台根据资料库中的条文原文整理，不是会员提问，也不构成法律意见；条文以资料库中的正式文本为准。欢迎在下方补充实务经验或指出不足。"

// SeedFAQ posts the platform's 常见问题 starter threads (kind 经验分享)
// as authorID, the platform account (PlatformUsername). A question is
// posted only when every provision it cites is in cat, quoting their
// text; questions already posted by that account are skipped. It returns
// how many threads it created.
func (s *Service) SeedFAQ(ctx context.Context, authorID string, cat *library.Catalog) (int, error) {
	resolve := CatalogResolver(cat)
	n := 0
	for _, q := range faqs {
		title := "常见问题：" + q.Question
		var have int
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM threads WHERE author_id = ? AND title = ?`, authorID, title).Scan(&have); err != nil {
			return n, err
		}
		if have > 0 {
			continue
		}
		body, ok := faqBody(q, resolve, cat)
		if !ok {
			continue
		}
		if _, err := s.CreateThread(ctx, NewThread{Kind: KindExperience, Title: title, Body: body,
			Tags: append([]string{"平台示例", "常见问题"}, q.Tags...), AuthorID: authorID}); err != nil {
			return n, fmt.Errorf("常见问题「%s」: %w", q.Question, err)
		}
		n++
	}
	return n, nil
}

// faqBody quotes every provision of q; false when one is not in the
// library.
func faqBody(q faq, resolve CitationResolver, cat *library.Catalog) (string, bool) {
	parts := []string{faqIntro, "相关条文："}
	for _, ref := range q.Refs {
		id, _, ok := resolve(ref)
		if !ok {
			return "", false
		}
		_, p := cat.Provision(id)
		if p == nil {
			return "", false
		}
		text := strings.Join(strings.Fields(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.Text), p.Label))), " ")
		parts = append(parts, "[["+ref+"]]："+text)
	}
	return strings.Join(parts, "\n\n"), true
}
