// Package xsstest holds XSS payloads and an HTML checker shared by the tests
// of the packages that render user content (news, events, community).
package xsstest

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// Payloads are Markdown/HTML inputs that try to run script.
var Payloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`[点我](javascript:alert(1))`,
	`[点我](JaVaScRiPt:alert(1))`,
	`[点我](java&#x09;script:alert(1))`,
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<svg onload=alert(1)>`,
	"```\n</code><script>alert(1)</script>\n```",
	`![x](x" onerror="alert(1))`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`<<script>script>alert(1)<</script>/script>`,
	`<form action="https://evil.example"><input name=p></form>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`[[数据安全法第二十一条]]<script>alert(1)</script>`,
}

// Inert returns an error describing the first executable construct in h:
// a dangerous element, an event-handler or style attribute, or a URL
// attribute with a scheme other than http, https, mailto or a relative path.
func Inert(h string) error {
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "base", "link", "meta":
				return fmt.Errorf("element <%s> survived", tok.Data)
			}
			for _, a := range tok.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" || k == "formaction" {
					return fmt.Errorf("attribute %s survived on <%s>", a.Key, tok.Data)
				}
				if k == "href" || k == "src" || k == "action" || k == "xlink:href" {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if i := strings.IndexByte(v, ':'); i >= 0 && !strings.ContainsAny(v[:i], "/?#") {
						switch v[:i] {
						case "http", "https", "mailto":
						default:
							return fmt.Errorf("URL %q survived", a.Val)
						}
					}
				}
			}
		}
	}
}
