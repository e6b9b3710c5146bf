package web

import (
	"html"
	"strconv"
	"strings"
)

// tableCells splits a table provision's text into rows of cells. Importers
// write a row per line with its cells joined by " | " (Markdown, .docx,
// LawRefBook) or by tabs (seed 002). Tables that PDF extraction flattened to
// one fragment per line (most seed 001 tables) have no cell boundaries left
// and come back as rows of one cell.
func tableCells(text string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var cells []string
		switch {
		case strings.Contains(l, " | "):
			cells = strings.Split(l, " | ")
		case strings.Contains(l, "\t"):
			cells = strings.Split(l, "\t")
		default:
			cells = []string{l}
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	return rows
}

// renderTable writes a table provision as an HTML table: the first row is
// the header when the table has columns and that row has no number in its
// first cell; shorter rows span the remaining columns. A flattened table
// says so, rather than pretending its fragments are rows.
func renderTable(b *strings.Builder, label, text string) {
	esc := html.EscapeString
	rows := tableCells(text)
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols <= 1 {
		b.WriteString(`<div class="table-wrap"><table class="doc-table flat"><caption>` + esc(label) +
			`（原文表格的行列在 PDF 提取中丢失，以下按原顺序逐段列出）</caption><tbody>`)
		for _, r := range rows {
			b.WriteString("<tr><td>" + esc(strings.Join(r, "")) + "</td></tr>")
		}
		b.WriteString("</tbody></table></div>")
		return
	}
	b.WriteString(`<div class="table-wrap"><table class="doc-table">`)
	if label != "" {
		b.WriteString("<caption>" + esc(label) + "</caption>")
	}
	row := func(r []string, tag string) {
		b.WriteString("<tr>")
		for i, c := range r {
			span := ""
			if i == len(r)-1 && len(r) < cols {
				span = ` colspan="` + strconv.Itoa(cols-len(r)+1) + `"`
			}
			b.WriteString("<" + tag + span + ">" + esc(c) + "</" + tag + ">")
		}
		b.WriteString("</tr>")
	}
	body := rows
	if len(rows) > 1 && len(rows[0]) == cols && !startsWithDigit(rows[0][0]) {
		b.WriteString("<thead>")
		row(rows[0], "th")
		b.WriteString("</thead>")
		body = rows[1:]
	}
	b.WriteString("<tbody>")
	for _, r := range body {
		row(r, "td")
	}
	b.WriteString("</tbody></table></div>")
}

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}
