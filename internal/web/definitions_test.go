package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/answer"
	"datalex/internal/library"
	"datalex/internal/search"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
)

// A query asking what a term means shows the provisions defining it above
// the hits (术语定义), with links to them; other queries show none.
func TestSearchShowsDefinitions(t *testing.T) {
	def := &library.Version{ID: "vpg", WorkID: "wpg", Kind: library.KindRegulation, Title: "数据出境安全评估办法",
		Status: library.StatusInForce, Level: library.LevelDeptRules, Region: "全国", IssueDate: "2022-07-07", Seq: 9}
	def.Provisions = []*library.Provision{{ID: "vpg.a19", Kind: library.ProvArticle, Label: "第十九条", Path: "第十九条", Line: 1, LineEnd: 1,
		Text:     "第十九条 本办法所称重要数据，是指一旦遭到篡改、破坏、泄露或者非法获取、非法利用等，可能危害国家安全的数据。",
		Citation: library.CitationFor(def.Title, "第十九条")}}
	env := webtest.NewEnv(t, append(webtest.Versions(), def), func(c *web.Config) {
		c.NewAnswerer = func(cat *library.Catalog, ix *search.Index) *answer.Answerer {
			return answer.New(answer.Config{Retrieve: answer.FromSearch(ix, cat), Catalog: cat})
		}
	}, nil)
	c := env.Client(t)
	code, body := c.Get("/search?q=" + url.QueryEscape("什么是重要数据？"))
	if code != 200 {
		t.Fatalf("search: %d", code)
	}
	for _, want := range []string{"术语定义：重要数据", "本办法所称重要数据，是指一旦遭到篡改", "数据出境安全评估办法 第十九条"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if _, body := c.Get("/search?q=" + url.QueryEscape("重要数据 出境")); strings.Contains(body, "术语定义") {
		t.Error("a query not asking a meaning shows definitions")
	}
	// The JSON API carries the same definitions, in both its forms.
	for _, full := range []string{"", "&full=1"} {
		code, body := c.Get("/api/v1/search?q=" + url.QueryEscape("什么是重要数据？") + full)
		if code != 200 {
			t.Fatalf("api%s: %d", full, code)
		}
		var got struct {
			Term        string `json:"term"`
			Definitions []struct {
				Document string `json:"document"`
				Label    string `json:"label"`
				Quote    string `json:"quote"`
			} `json:"definitions"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("api%s: %v", full, err)
		}
		if got.Term != "重要数据" || len(got.Definitions) != 1 || got.Definitions[0].Label != "第十九条" || !strings.Contains(got.Definitions[0].Quote, "是指") {
			t.Errorf("api%s: term %q definitions %+v", full, got.Term, got.Definitions)
		}
		if !strings.Contains(body, `"provision_id"`) {
			t.Errorf("api%s lost its hits: %.200s", full, body)
		}
	}
	if _, body := c.Get("/api/v1/search?q=" + url.QueryEscape("重要数据 出境")); strings.Contains(body, `"definitions"`) {
		t.Error("api: a query not asking a meaning carries definitions")
	}
}
