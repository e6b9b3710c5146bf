package answer

import (
	"fmt"
	"strings"
)

// Markdown renders the answer with its sources for export.
func (ans *Answer) Markdown() string {
	var b strings.Builder
	if ans.Question != "" {
		b.WriteString("## 问：" + ans.Question + "\n\n")
	}
	b.WriteString(ans.Text + "\n")
	if ans.Notice != "" {
		b.WriteString("\n> " + ans.Notice + "\n")
	}
	writeSources(&b, "依据", ans.Cites)
	writeSources(&b, "最接近的条文", ans.Closest)
	return b.String()
}

func writeSources(b *strings.Builder, title string, cs []Citation) {
	if len(cs) == 0 {
		return
	}
	b.WriteString("\n### " + title + "\n\n")
	for _, c := range cs {
		loc := c.Source
		if c.Line > 0 {
			loc = fmt.Sprintf("%s 第 %d 行", c.Source, c.Line)
		}
		fmt.Fprintf(b, "[%d] %s（%s", c.N, c.Citation, loc)
		if len(c.Warnings) > 0 {
			b.WriteString("；" + strings.Join(c.Warnings, "、"))
		}
		if c.SupersededBy != "" {
			b.WriteString("；现行规定见" + c.SupersededBy)
		}
		b.WriteString("）")
		if c.Quote != "" {
			b.WriteString("\n> " + strings.ReplaceAll(c.Quote, "\n", " "))
		}
		b.WriteString("\n\n")
	}
}

// ConversationMarkdown renders a stored conversation for export.
func ConversationMarkdown(c *Conversation, msgs []Message) string {
	var b strings.Builder
	b.WriteString("# " + c.Title + "\n\n")
	b.WriteString("导出自 DataLex 智能问答，" + c.UpdatedAt.Format("2006-01-02 15:04") + " UTC\n")
	for _, m := range msgs {
		if m.Role == "user" {
			b.WriteString("\n## 问：" + m.Content + "\n\n")
			continue
		}
		b.WriteString(m.Content + "\n")
		writeSources(&b, "依据", m.Citations)
	}
	return b.String()
}
