package markup

import (
	"strings"
	"testing"

	"datalex/internal/news/markup/xsstest"
)

func TestRender(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**粗体** 与 *斜体*", "<p><strong>粗体</strong> 与 <em>斜体</em></p>\n"},
		{"[外链](https://example.com)", `<p><a href="https://example.com" rel="nofollow ugc">外链</a></p>` + "\n"},
		{"[内链](/provisions/v1.a21)", `<p><a href="/provisions/v1.a21">内链</a></p>` + "\n"},
		{"[协议相对](//evil.example/x)", `<p><a href="//evil.example/x" rel="nofollow ugc">协议相对</a></p>` + "\n"},
		{"https://example.com/auto", `<p><a href="https://example.com/auto" rel="nofollow ugc">https://example.com/auto</a></p>` + "\n"},
		{"<b>原始 HTML</b>", "<p>原始 HTML</p>\n"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
	}
	for _, tt := range tests {
		if got := Render(tt.in); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderXSS(t *testing.T) {
	for _, p := range xsstest.Payloads {
		if err := xsstest.Inert(Render(p)); err != nil {
			t.Errorf("Render(%q): %v", p, err)
		}
		if err := xsstest.Inert(Sanitize(p)); err != nil {
			t.Errorf("Sanitize(%q): %v", p, err)
		}
	}
}

func TestText(t *testing.T) {
	got := Text("# 标题\n\n第一段 **粗** &amp; <script>x</script>\n\n- 甲\n- 乙")
	for _, want := range []string{"标题", "第一段 粗 &", "甲\n\n乙"} {
		if !strings.Contains(got, want) {
			t.Errorf("Text = %q, lacks %q", got, want)
		}
	}
	if strings.ContainsAny(got, "<>") {
		t.Errorf("Text kept markup: %q", got)
	}
}

func TestEscapeText(t *testing.T) {
	label := `数据安全法 第二十一条](javascript:alert(1)) *x* <b>`
	got := Render("[" + EscapeText(label) + "](/provisions/x)")
	if !strings.Contains(got, `<a href="/provisions/x">`) || strings.Count(got, "<a ") != 1 || strings.Contains(got, "<em>") {
		t.Fatalf("escaped label broke out: %s", got)
	}
}

// FuzzRender checks that no input makes Render emit executable HTML.
func FuzzRender(f *testing.F) {
	for _, p := range xsstest.Payloads {
		f.Add(p)
	}
	f.Add("[a](<javascript:alert(1)>)")
	f.Add("<a href='jav&#x61;script:alert(1)'>x</a>")
	f.Fuzz(func(t *testing.T, s string) {
		if err := xsstest.Inert(Render(s)); err != nil {
			t.Fatalf("%v for %q", err, s)
		}
	})
}
