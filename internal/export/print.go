package export

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/print.html
var templatesFS embed.FS

var printTmpl = template.Must(template.New("print.html").Funcs(template.FuncMap{
	"lines": func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	},
}).ParseFS(templatesFS, "templates/print.html"))

// Action is a link shown on screen above a print view (not printed).
type Action struct{ Label, URL string }

// printView is the template's data.
type printView struct {
	*Doc
	Actions []Action
}

// WriteHTML writes d as a self-contained printable HTML page (styles
// inline, no scripts, nothing loaded from elsewhere): the browser's print
// view and the page Chromium prints to PDF.
func WriteHTML(w io.Writer, d *Doc, actions []Action) error {
	var b bytes.Buffer
	if err := printTmpl.Execute(&b, printView{Doc: d, Actions: actions}); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
