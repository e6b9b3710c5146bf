package ruzhang

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// The printable ledger report: every asset, every period's roll-forward,
// journal, 变动表 and disclosures with their provisions, then the audit
// trail. Print it from the browser (A4 landscape styles included).
const ledgerHTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:12px;margin:2em}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #999;padding:2px 6px}
th{background:#ddebf7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.warn{color:#8a5a00}.err{color:#a00}h2{page-break-before:always}h2:first-of-type{page-break-before:auto}
@page{size:A4 landscape;margin:12mm}
</style></head><body>
<h1>{{.Title}}</h1>
<p>生成时间：{{.Generated}}。{{.Convention}}</p>
{{range .Results}}
<h2>{{.Case.Name}}</h2>
<p><strong>{{.Determination.Label}}</strong></p>
<ol>{{range .Determination.Reasons}}<li>{{.Text}}（{{.Ref.Citation}}）</li>{{end}}</ol>
{{with .Checks}}<h3>检查结果</h3><ul>{{range .}}<li class="{{if eq .Level "error"}}err{{else}}warn{{end}}">{{.Message}}（{{.Citation}}）</li>{{end}}</ul>{{end}}
{{with .Periods}}
<h3>逐期结转</h3>
<table><tr><th>期间</th><th>分类</th><th>期初账面价值</th><th>本期增加</th><th>本期摊销</th><th>本期减值</th><th>本期处置</th><th>期末账面价值</th></tr>
{{range .}}<tr><td>{{.Start}} 至 {{.End}}</td><td>{{.Classification}}</td><td class="n">{{.OpeningCarrying}}</td><td class="n">{{.Additions}}</td><td class="n">{{.Amortization}}</td><td class="n">{{.Impairment}}</td><td class="n">{{.Disposals}}</td><td class="n">{{.ClosingCarrying}}</td></tr>{{end}}
</table>
{{range .}}
<h4>{{.Start}} 至 {{.End}}</h4>
{{with .Events}}<p>本期事项：</p><ul>{{range .}}<li>{{.Date}} {{.Label}}：{{.Text}}（{{.Ref.Citation}}）</li>{{end}}</ul>{{end}}
<table><tr><th>分录</th><th>日期</th><th>摘要</th><th>账套</th><th>科目</th><th>借方</th><th>贷方</th><th>依据</th></tr>
{{range .Entries}}<tr><td>{{.Entry}}</td><td>{{.Date}}</td><td>{{.Title}}</td><td>{{.Book}}</td><td>{{.Account}}</td><td class="n">{{if .Debit}}{{.Debit}}{{end}}</td><td class="n">{{if .Credit}}{{.Credit}}{{end}}</td><td>{{.Ref.Citation}}</td></tr>{{end}}
</table>
{{range .Tables}}<p>{{.Title}}（{{.Ref.Citation}}）</p>
<table><tr><th>项目</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{indent .Indent}}{{.Label}}</td>{{range .Values}}<td class="n">{{.}}</td>{{end}}</tr>{{end}}</table>{{end}}
<table><tr><th>披露事项</th><th>内容</th><th>依据</th></tr>
{{range .Disclosures}}<tr><td>{{.Topic}}</td><td>{{.Text}}</td><td>{{.Ref.Citation}}</td></tr>{{end}}</table>
{{end}}
{{end}}
{{end}}
{{with .Audit}}<h2>审计轨迹</h2>
<table><tr><th>时间（UTC）</th><th>用户</th><th>操作</th><th>资产</th><th>内容</th></tr>
{{range .}}<tr><td>{{.At.UTC.Format "2006-01-02 15:04:05"}}</td><td>{{.User}}</td><td>{{.Action}}</td><td>{{.Asset}}</td><td>{{.Detail}}</td></tr>{{end}}</table>{{end}}
</body></html>`

var ledgerTmpl = template.Must(template.New("ledger").Funcs(template.FuncMap{"indent": indent}).Parse(ledgerHTML))

// WriteLedgerHTML writes the printable ledger report.
func WriteLedgerHTML(w io.Writer, title string, rs []*Result, audit []AuditRecord) error {
	return ledgerTmpl.Execute(w, map[string]any{
		"Title": title, "Results": rs, "Audit": audit, "Convention": amortisationConvention,
		"Generated": time.Now().UTC().Format("2006-01-02 15:04 UTC"),
	})
}

// ledgerMarkdown is the Markdown section of the checks and the period
// roll-forward (report.go adds it when present).
func ledgerMarkdown(r *Result) string {
	var b strings.Builder
	if len(r.Checks) > 0 {
		b.WriteString("\n## 检查结果\n\n")
		for _, c := range r.Checks {
			level := "提示"
			if c.Level == CheckError {
				level = "错误"
			}
			fmt.Fprintf(&b, "- 【%s】%s（%s）\n", level, c.Message, c.Citation)
		}
	}
	if len(r.Periods) == 0 {
		return b.String()
	}
	b.WriteString("\n## 逐期结转\n\n")
	mdHeader(&b, "期间", "分类", "期初账面价值", "本期增加", "本期摊销", "本期减值", "本期处置", "期末账面价值")
	for _, p := range r.Periods {
		mdRow(&b, p.Start+" 至 "+p.End, p.Classification, p.OpeningCarrying.String(), p.Additions.String(), p.Amortization.String(),
			p.Impairment.String(), p.Disposals.String(), p.ClosingCarrying.String())
	}
	for _, p := range r.Periods {
		fmt.Fprintf(&b, "\n### %s 至 %s\n\n", p.Start, p.End)
		for _, e := range p.Events {
			fmt.Fprintf(&b, "- %s %s：%s（%s）\n", e.Date, e.Label, e.Text, e.Ref.Citation())
		}
		if len(p.Entries) > 0 {
			b.WriteString("\n")
			mdHeader(&b, "分录", "日期", "摘要", "科目", "借方", "贷方", "依据")
			for _, l := range p.Entries {
				dr, cr := "", ""
				if l.Debit != 0 {
					dr = l.Debit.String()
				}
				if l.Credit != 0 {
					cr = l.Credit.String()
				}
				acct := l.Account
				if l.Book != "" {
					acct = l.Book + "：" + acct
				}
				mdRow(&b, fmt.Sprint(l.Entry), l.Date, l.Title, acct, dr, cr, l.Ref.Citation())
			}
		}
		if len(p.Tables) > 0 {
			b.WriteString("\n")
			b.WriteString(TablesMarkdown(p.Tables))
		}
		b.WriteString("\n")
		for _, d := range p.Disclosures {
			fmt.Fprintf(&b, "- **%s**：%s（%s）\n", d.Topic, d.Text, d.Ref.Citation())
		}
	}
	return b.String()
}
