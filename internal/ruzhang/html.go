package ruzhang

import (
	"html/template"
	"io"
	"strings"
)

// htmlFuncs are the helpers the report template uses.
var htmlFuncs = template.FuncMap{
	"facts":  Facts,
	"phase":  func(p string) string { return phaseLabels[p] },
	"pct":    pct,
	"months": monthsText,
	"indent": func(n int) string { return strings.Repeat("　", n) },
	"col":    func(vs []Money, i int) Money { return vs[i] },
	"inc":    func(i int) int { return i + 1 },
}

// reportHTML is the body of one case; it is used both as a fragment inside
// the web UI and inside the standalone print document.
const reportHTML = `{{define "case"}}<article class="ruzhang-report">
<h1>数据资产入表报告：{{if .Case.Name}}{{.Case.Name}}{{else}}未命名数据资源{{end}}</h1>
<section><h2>一、基本情况</h2>
<table class="facts"><tbody>{{range facts .Case}}<tr><th>{{.Label}}</th><td>{{.Value}}</td></tr>{{end}}</tbody></table></section>
<section><h2>二、会计处理判断</h2>
<p class="outcome">结论：<strong>{{.Determination.Label}}</strong></p>
<ol>{{range .Determination.Reasons}}<li>{{.Text}} <cite>{{.Ref.Citation}}</cite></li>{{end}}</ol>
{{if not .Complete}}<p><strong>尚需回答的问题</strong>（回答后才能计算金额、分录和披露）：</p>
<ul>{{range .Questions}}<li>{{.Prompt}} <code>{{.Field}}</code> <cite>{{.Ref.Citation}}</cite></li>{{end}}</ul>{{end}}
</section>
{{with .Measurement}}<section><h2>三、成本构成</h2>
<table><thead><tr><th>支出项目</th><th>说明</th><th>阶段</th><th class="num">金额（元）</th><th>处理</th><th>借方科目</th><th>依据</th></tr></thead>
<tbody>{{range .CostLines}}<tr><td>{{.Label}}</td><td>{{.Description}}</td><td>{{phase .Phase}}</td><td class="num">{{.Amount}}</td><td>{{.Treatment}}</td><td>{{.Account}}</td><td><cite>{{.Ref.Citation}}</cite></td></tr>{{end}}</tbody>
<tfoot><tr><td colspan="3">资本化合计 / 费用化合计 / 进项税额</td><td class="num" colspan="4">{{.Capitalised}} / {{.Expensed}} / {{.DeductibleVAT}}</td></tr></tfoot></table></section>
<section><h2>四、后续计量</h2>
{{if .IndefiniteLife}}<p>使用寿命不确定，不予摊销；每个会计期间复核使用寿命并进行减值测试。</p>{{end}}
{{with .Amortisation}}<p>摊销方法：{{.MethodLabel}}；成本 {{.Cost}} 元，残值 {{.Residual}} 元，应摊销金额 {{.Amortisable}} 元；使用寿命 {{months .LifeMonths}}，自 {{.Start}} 起摊销。本期摊销 {{.PeriodAmount}} 元，期末累计摊销 {{.AccumulatedClosing}} 元。</p>
<table><thead><tr><th>期间</th><th class="num">摊销额（元）</th><th class="num">累计摊销（元）</th><th class="num">期末账面价值（元）</th></tr></thead>
<tbody>{{range .Rows}}<tr><td>{{.Period}}</td><td class="num">{{.Amount}}</td><td class="num">{{.Accumulated}}</td><td class="num">{{.Carrying}}</td></tr>{{end}}</tbody></table>{{end}}
{{with .Impairment}}<p>减值测试：账面价值 {{.Carrying}} 元，可收回金额 {{.Recoverable}} 元，计提减值 {{.Loss}} 元。<cite>{{.Ref.Citation}}</cite></p>{{end}}
{{with .Inventory}}{{template "steps" .Steps}}{{end}}
</section>
<section><h2>五、会计分录</h2>
{{range $i, $e := .Entries}}<figure class="entry"><figcaption>（{{inc $i}}）{{$e.Title}}{{if $e.Date}}（{{$e.Date}}）{{end}} <cite>{{$e.Ref.Citation}}</cite></figcaption><pre>{{$e.Text}}</pre></figure>{{end}}
</section>{{end}}
{{with .Presentation}}<section><h2>六、列示与披露</h2>
<p>资产负债表（{{.Date}}）相关项目 <cite>{{.Ref.Citation}}</cite></p>
<table><thead><tr><th>项目</th><th></th><th class="num">期末账面价值（元）</th></tr></thead>
<tbody>{{range .Lines}}<tr><td>{{.Item}}</td><td>{{.Line}}</td><td class="num">{{.Amount}}</td></tr>{{end}}</tbody></table>{{end}}
{{range .Disclosure}}<h3>{{.Title}} <cite>{{.Ref.Citation}}</cite></h3>
<table class="disclosure"><thead><tr><th>项目</th>{{range .Columns}}<th class="num">{{.}}</th>{{end}}</tr></thead>
<tbody>{{$cols := .Columns}}{{range .Rows}}<tr{{if .Header}} class="group"{{end}}><td>{{indent .Indent}}{{.Label}}</td>{{$row := .}}{{range $i, $c := $cols}}<td class="num">{{if not $row.Header}}{{col $row.Values $i}}{{end}}</td>{{end}}</tr>{{end}}</tbody></table>{{end}}
{{if .Notes}}<ul>{{range .Notes}}<li><strong>{{.Topic}}</strong>：{{.Text}} <cite>{{.Ref.Citation}}</cite></li>{{end}}</ul>{{end}}
{{if .Presentation}}</section>{{end}}
{{with .Valuation}}<section><h2>七、数据资产评估</h2>{{if .BaseDate}}<p>评估基准日：{{.BaseDate}}</p>{{end}}
{{range .Approaches}}<h3>{{.Label}}：{{.Value}} 元 {{range .Refs}}<cite>{{.Citation}}</cite>{{end}}</h3>
{{template "steps" .Steps}}
{{with .Sensitivity}}<table class="sensitivity"><thead><tr><th>输入</th>{{range .Changes}}<th class="num">{{pct .}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><td>{{.Input}}</td>{{range .Values}}<td class="num">{{.}}</td>{{end}}</tr>{{end}}</tbody></table>{{end}}
{{range .Notes}}<p class="note">{{.}}</p>{{end}}{{end}}
<ul>{{range .Notes}}<li>{{.Text}} <cite>{{.Ref.Citation}}</cite></li>{{end}}</ul></section>{{end}}
<section><h2>引用条文</h2><ul class="citations">{{range .Citations}}<li>{{if .ProvisionID}}<a href="/provisions/{{.ProvisionID}}">{{.Citation}}</a>{{else}}{{.Citation}}{{end}}</li>{{end}}</ul></section>
</article>{{end}}
{{define "steps"}}<table class="steps"><thead><tr><th>步骤</th><th>公式</th><th>代入数值</th><th class="num">结果</th></tr></thead>
<tbody>{{range .}}<tr><td>{{.Label}}</td><td>{{.Formula}}</td><td>{{.Substituted}}</td><td class="num">{{.Result}}</td></tr>{{end}}</tbody></table>{{end}}
{{define "document"}}<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>数据资产入表报告</title>
<style>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:60em;color:#111;line-height:1.6}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}
th{background:#f0f0f0;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.group td{font-weight:bold;background:#fafafa}cite{font-style:normal;color:#555;font-size:.9em}
pre{background:#f7f7f7;padding:.5em;font-family:"Noto Sans Mono CJK SC",monospace}
article{page-break-after:always}@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style></head><body>
{{range .}}{{template "case" .}}{{end}}
</body></html>{{end}}`

var reportTmpl = template.Must(template.New("report").Funcs(htmlFuncs).Parse(reportHTML))

// WriteHTMLFragment writes one case's report as an <article> for embedding.
// Citations link to /provisions/{provision id} once ProvisionID is filled.
func WriteHTMLFragment(w io.Writer, r *Result) error {
	return reportTmpl.ExecuteTemplate(w, "case", r)
}

// WriteHTML writes a standalone, print-ready document with one article per
// case.
func WriteHTML(w io.Writer, rs []*Result) error {
	return reportTmpl.ExecuteTemplate(w, "document", rs)
}
