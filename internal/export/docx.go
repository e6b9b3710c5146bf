package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/gomutex/godocx"
)

// WriteDOCX writes d as a Word document: title, document facts, then each
// provision with its citation line (citation · 时效性 · 来源) before its
// text. Headings (章/节) become Word headings so the navigation pane shows
// the structure.
func WriteDOCX(w io.Writer, d *Doc) error {
	doc, err := godocx.NewDocument()
	if err != nil {
		return fmt.Errorf("创建 Word 文档失败：%w", err)
	}
	if _, err := doc.AddHeading(clean(d.Title), 0); err != nil {
		return err
	}
	if d.Subtitle != "" {
		doc.AddParagraph(clean(d.Subtitle)).Style("Subtitle")
	}
	for _, f := range d.Meta {
		p := doc.AddParagraph("")
		p.AddText(f.Label + "：").Bold(true)
		p.AddText(clean(f.Value))
	}
	for _, n := range d.Notes {
		doc.AddParagraph("").AddText(clean(n)).Bold(true)
	}
	for _, it := range d.Items {
		if it.Heading {
			if _, err := doc.AddHeading(clean(firstLine(it.Text)), 1); err != nil {
				return err
			}
			continue
		}
		head := doc.AddParagraph("")
		head.Spacing(240, 60)
		head.AddText(clean(it.Citation)).Bold(true)
		head.AddText(clean(citeLine(it))).Color("595959").Size(9)
		for _, line := range strings.Split(clean(it.Text), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				doc.AddParagraph(line)
			}
		}
	}
	doc.AddParagraph("").AddText(clean(d.Footer())).Color("595959").Size(9)
	return doc.Write(w)
}

// citeLine is the grey line after a provision's citation.
func citeLine(it Item) string {
	var parts []string
	if it.Status != "" {
		parts = append(parts, "时效性："+it.Status)
	}
	if it.Source != "" {
		parts = append(parts, "来源："+it.Source)
	}
	if strings.HasPrefix(it.URL, "http://") || strings.HasPrefix(it.URL, "https://") {
		parts = append(parts, "链接："+it.URL)
	}
	if len(parts) == 0 {
		return ""
	}
	return "　" + strings.Join(parts, " · ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
