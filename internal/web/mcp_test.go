package web_test

import (
	"context"
	"datalex/internal/web/webtest"
	"net/http/httptest"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPOverHTTP lists and calls the library tools through /mcp with the
// SDK's own client, as an AI assistant would.
func TestMCPOverHTTP(t *testing.T) {
	env := webtest.NewEnv(t, webtest.Versions(), nil, nil)
	ts := httptest.NewServer(env.Srv)
	defer ts.Close()
	ctx := context.Background()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, nil)
	sess, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: ts.URL + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	tools, err := sess.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tl := range tools.Tools {
		names[tl.Name] = true
	}
	for _, want := range []string{"search_provisions", "get_provision", "get_document", "list_documents", "ask"} {
		if !names[want] {
			t.Errorf("tool %s missing (have %v)", want, names)
		}
	}
	res, err := sess.CallTool(ctx, &mcp.CallToolParams{Name: "list_documents", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || len(res.Content) == 0 {
		t.Fatalf("list_documents failed: %+v", res)
	}
}
