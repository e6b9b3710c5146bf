package mcpserver

import (
	"testing"
	"time"

	"datalex/internal/library"
	"datalex/internal/validity"
)

// TestDocumentValidityFields checks that get_document, list_documents and
// search_provisions carry corpus list's fields: status is the 时效性 with
// its reason, and the nature and relations are there.
func TestDocumentValidityFields(t *testing.T) {
	cat := testCatalog()
	validity.Annotate(cat.Versions, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cs := connectCatalog(t, cat)

	var d DocumentOut
	call(t, cs, "get_document", map[string]any{"id": "v-draft"}, &d)
	if d.Document.Status != library.ValidityNotYet || d.Document.StatusReason == "" || d.Document.Nature != library.NatureComment {
		t.Errorf("draft: %+v", d.Document)
	}
	call(t, cs, "get_document", map[string]any{"id": "v-dsl"}, &d)
	if d.Document.Status != library.ValidityInForce || d.Document.Level != library.LevelLaw || d.Document.Nature != library.NatureFormal {
		t.Errorf("law: %+v", d.Document)
	}
	var l ListDocumentsOut
	call(t, cs, "list_documents", map[string]any{"status": library.ValidityNotYet}, &l)
	if l.Total != 1 || l.Documents[0].DocumentID != "v-draft" {
		t.Errorf("list by 时效性: %+v", l)
	}
	var s SearchOut
	call(t, cs, "search_provisions", map[string]any{"query": "外国司法"}, &s)
	if len(s.Hits) != 1 || s.Hits[0].Status != library.ValidityInForce || s.Hits[0].DocumentMeta == nil || s.Hits[0].DocumentMeta.Nature != library.NatureFormal {
		t.Errorf("search hit: %+v", s.Hits)
	}
}
