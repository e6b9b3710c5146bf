package mcpserver

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"datalex/internal/answer"
	"datalex/internal/library"
)

func testCatalog() *library.Catalog {
	v := &library.Version{ID: "v-dsl", WorkID: "w-dsl", Title: "中华人民共和国数据安全法", Kind: library.KindRegulation,
		Status: library.StatusInForce, Level: library.LevelLaw, Region: "全国", IssueDate: "2021-06-10",
		Sources: []library.Source{{File: "001.txt", FirstLine: 1, LastLine: 100}}}
	v.Provisions = []*library.Provision{
		{ID: "p-ch4", Kind: library.ProvChapter, Label: "第四章", Heading: "数据安全保护义务", Text: "第四章 数据安全保护义务", Line: 10, LineEnd: 10},
		{ID: "p-36", ParentID: "p-ch4", Kind: library.ProvArticle, Label: "第三十六条", Citation: "数据安全法 第三十六条", Line: 11, LineEnd: 14,
			Text: "第三十六条 非经中华人民共和国主管机关批准，境内的组织、个人不得向外国司法或者执法机构提供存储于中华人民共和国境内的数据。"},
	}
	d := &library.Version{ID: "v-draft", WorkID: "w-draft", Title: "网络数据安全管理条例（征求意见稿）", Kind: library.KindRegulation,
		Status: library.StatusDraft, Sources: []library.Source{{File: "001.txt", FirstLine: 200, LastLine: 300}}}
	d.Provisions = []*library.Provision{{ID: "d-1", Kind: library.ProvArticle, Label: "第一条", Text: "第一条 为了规范网络数据处理活动，制定本条例。", Line: 201, LineEnd: 201},
		{ID: "d-2", Kind: library.ProvArticle, Label: "第二条", Text: "第二条 本条例所称网络数据，是指通过网络处理和产生的各种电子数据。", Line: 202, LineEnd: 202}}
	return library.NewCatalog([]*library.Version{v, d})
}

func connect(t *testing.T) *mcp.ClientSession {
	t.Helper()
	return connectCatalog(t, testCatalog())
}

func connectCatalog(t *testing.T, cat *library.Catalog) *mcp.ClientSession {
	t.Helper()
	search := func(ctx context.Context, q string, k int) ([]answer.Passage, error) {
		var out []answer.Passage
		for _, v := range cat.Versions {
			for _, p := range v.Provisions {
				rs, n := []rune(q), 0
				for i := 0; i+1 < len(rs); i++ {
					if strings.Contains(p.Text, string(rs[i:i+2])) {
						n++
					}
				}
				if n >= 3 && n*2 >= len(rs)-1 || strings.Contains(p.Text, q) {
					out = append(out, answer.PassageOf(v, p, 1))
				}
			}
		}
		return out, nil
	}
	srv := New(Deps{Catalog: cat, Search: search, Answerer: answer.New(answer.Config{Catalog: cat, Retrieve: search})})
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, out any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if out != nil && !res.IsError {
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return res
}

func TestTools(t *testing.T) {
	cs := connect(t)
	var names []string
	for tool, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tool.Name)
	}
	if got := strings.Join(names, ","); got != "ask,check_crossborder,define_term,get_document,get_provision,list_documents,search_provisions" {
		t.Errorf("tools %s", got)
	}

	var s SearchOut
	call(t, cs, "search_provisions", map[string]any{"query": "外国司法"}, &s)
	if len(s.Hits) != 1 || s.Hits[0].ProvisionID != "p-36" || s.Hits[0].Citation != "数据安全法 第三十六条" {
		t.Errorf("search %+v", s)
	}

	var p ProvisionOut
	call(t, cs, "get_provision", map[string]any{"id": "p-36"}, &p)
	if p.Document.Title != "中华人民共和国数据安全法" || !strings.Contains(p.Text, "不得向外国司法") || p.Line != 11 {
		t.Errorf("provision %+v", p)
	}
	var ch ProvisionOut
	call(t, cs, "get_provision", map[string]any{"id": "p-ch4"}, &ch)
	if len(ch.Children) != 1 || ch.Children[0].ProvisionID != "p-36" {
		t.Errorf("children %+v", ch.Children)
	}
	if res := call(t, cs, "get_provision", map[string]any{"id": "nope"}, nil); !res.IsError {
		t.Errorf("missing provision not an error")
	}

	var d DocumentOut
	call(t, cs, "get_document", map[string]any{"title": "数据安全法", "include_text": true}, &d)
	if d.Document.DocumentID != "v-dsl" || len(d.Outline) != 2 || !strings.Contains(d.Text, "第三十六条") {
		t.Errorf("document %+v", d)
	}

	var l ListDocumentsOut
	call(t, cs, "list_documents", map[string]any{"status": library.StatusDraft}, &l)
	if l.Total != 1 || l.Documents[0].Warnings[0] != "征求意见稿，非正式生效文本" {
		t.Errorf("list %+v", l)
	}

	var a AskOut
	res := call(t, cs, "ask", map[string]any{"question": "境内的组织能向外国司法或者执法机构提供存储于境内的数据吗？"}, &a)
	if a.Refused || len(a.Citations) == 0 || a.Citations[0].ProvisionID != "p-36" {
		t.Errorf("ask %+v", a)
	}
	if !strings.Contains(a.Conclusion, "不可以") || !strings.Contains(a.Conclusion, "第三十六条") {
		t.Errorf("ask conclusion %q (the same field as ask --json and /api/v1/ask)", a.Conclusion)
	}
	if txt := res.Content[0].(*mcp.TextContent).Text; !strings.Contains(txt, "[1] 数据安全法 第三十六条") {
		t.Errorf("ask text %s", txt)
	}
	a = AskOut{}
	call(t, cs, "ask", map[string]any{"question": "红烧肉怎么做才好吃？"}, &a)
	if !a.Refused || a.Conclusion != "" {
		t.Errorf("out-of-scope answered: %+v", a)
	}

	var def DefineOut
	call(t, cs, "define_term", map[string]any{"term": "什么是网络数据？"}, &def)
	if def.Term != "网络数据" || len(def.Definitions) != 1 || def.Definitions[0].ProvisionID != "d-2" ||
		!strings.HasPrefix(def.Definitions[0].Quote, "本条例所称网络数据，是指") || len(def.Definitions[0].Warnings) == 0 {
		t.Errorf("define_term %+v", def)
	}
	def = DefineOut{}
	call(t, cs, "define_term", map[string]any{"term": "红烧肉"}, &def)
	if def.Term != "" || len(def.Definitions) != 0 {
		t.Errorf("define_term of an undefined term %+v", def)
	}
}

func TestHTTPHandler(t *testing.T) {
	cat := testCatalog()
	srv := httptest.NewServer(HTTPHandler(Deps{Catalog: cat}))
	defer srv.Close()
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "v0"}, nil).Connect(ctx, &mcp.StreamableClientTransport{Endpoint: srv.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "list_documents", Arguments: map[string]any{}})
	if err != nil || res.IsError {
		t.Fatalf("%v %+v", err, res)
	}
	b, _ := json.Marshal(res.StructuredContent)
	if !strings.Contains(string(b), `"total":2`) {
		t.Errorf("%s", b)
	}
}
