package web_test

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"datalex/internal/web"
)

// facetTemplate is the markup the page templates used before the facet
// boxes were rendered in Go; renderFacets must produce the same HTML.
const facetTemplate = `{{range .}}{{$f := .}}{{if .Values}}
  <section class="facet-box">
    <h2>{{.Name}}</h2>
    <ul class="facet{{if gt (len .Values) 12}} long{{end}}">
    {{range .Values}}
      <li{{if .Selected}} class="on"{{end}}><a href="{{.URL}}" data-facet="{{$f.Key}}"{{if .Selected}} aria-current="true"{{end}}>{{.Value}}</a><span class="n">{{.Count}}</span></li>
    {{end}}
    </ul>
  </section>
  {{end}}{{end}}`

func TestRenderFacetsMatchesTemplate(t *testing.T) {
	var many []web.FacetValue
	for _, v := range strings.Fields("北京 上海 广东 浙江 江苏 山东 河南 四川 湖北 湖南 福建 安徽 天津") {
		many = append(many, web.FacetValue{Value: v, Count: 3})
	}
	facets := []web.Facet{
		{Key: "level", Name: "效力级别", Values: []web.FacetValue{{Value: "法律", Count: 12, Selected: true}, {Value: "部门规章", Count: 3}}},
		{Key: "region", Name: "地域", Values: many},
		{Key: "tag", Name: "主题<&>", Values: []web.FacetValue{{Value: `<script>alert("x")</script>`, Count: 1}, {Value: "a&b='c'", Count: 2, Selected: true}, {Value: "C++ 1+1", Count: 1}}},
		{Key: "sector", Name: "行业"}, // no values: no box
	}
	base, _ := url.ParseQuery("q=数据 出境&level=法律&tag=a%26b%3D%27c%27&page=2")
	web.SetFacetLinks(base, facets)
	tpl := template.Must(template.New("f").Parse(facetTemplate))
	var want strings.Builder
	if err := tpl.Execute(&want, facets); err != nil {
		t.Fatal(err)
	}
	got := string(web.RenderFacets(facets))
	if norm(got) != norm(want.String()) {
		t.Errorf("renderFacets differs from the template:\n got %s\nwant %s", norm(got), norm(want.String()))
	}
	if strings.Contains(got, "<script>") || strings.Contains(got, "page=") {
		t.Errorf("unescaped value or page kept in links: %s", got)
	}
}

var between = regexp.MustCompile(`>\s+<`)

// norm drops the whitespace between tags (the template's indentation).
func norm(s string) string { return between.ReplaceAllString(strings.TrimSpace(s), "><") }
