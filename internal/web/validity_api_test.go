package web_test

import (
	"encoding/json"
	"testing"

	"datalex/internal/web/webtest"
)

// TestAPIDocumentValidityFields checks that the document JSON carries the
// fields of `corpus list --json`: status is the 时效性, with its reason.
func TestAPIDocumentValidityFields(t *testing.T) {
	c := webtest.NewEnv(t, webtest.Versions(), nil, nil).Client(t)
	code, body := c.Get("/api/v1/documents/vdsl")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{"status": "现行有效", "nature": "正式", "level": "法律", "region": "全国",
		"doc_number": "主席令第八十四号", "issue_date": "2021-06-10", "effective_date": "2021-09-01", "expiry_date": nil, "standard_code": nil} {
		if doc[key] != want {
			t.Errorf("%s = %v, want %v", key, doc[key], want)
		}
	}
	for _, key := range []string{"status_reason", "relations", "issuers", "provisions", "other_versions", "cited_by"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("document JSON lacks %q", key)
		}
	}
	if ps, ok := doc["provisions"].([]any); !ok || len(ps) != 4 {
		t.Errorf("provisions = %v", doc["provisions"])
	}
}

func TestAPIDiff(t *testing.T) {
	c := webtest.NewEnv(t, webtest.Versions(), nil, nil).Client(t)
	code, body := c.Get("/api/v1/documents/wbj/diff")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var d struct {
		Old, New struct {
			VersionID string `json:"version_id"`
		}
		Stats map[string]int
		Rows  []struct {
			Op       string
			Old, New *struct{ Label string }
		}
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Old.VersionID != "vbjd" || d.New.VersionID != "vbjf" {
		t.Errorf("compared %s → %s", d.Old.VersionID, d.New.VersionID)
	}
	if d.Stats["same"] != 1 || d.Stats["changed"] != 1 || d.Stats["added"] != 1 || d.Stats["removed"] != 1 || len(d.Rows) != 4 {
		t.Errorf("stats %v, %d rows", d.Stats, len(d.Rows))
	}
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/api/v1/documents/vdsl/diff", 400},               // one version only
		{"/api/v1/documents/wbj/diff?a=vdsl", 400},         // not a version of this work
		{"/api/v1/documents/nothing/diff", 404},            // unknown
		{"/api/v1/documents/vbjd/diff?a=vbjf&b=vbjd", 200}, // reversed on request
	} {
		if code, body := c.Get(tc.path); code != tc.code {
			t.Errorf("GET %s: %d, want %d (%s)", tc.path, code, tc.code, body)
		}
	}
}
