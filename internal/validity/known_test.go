package validity

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"datalex/internal/library"
)

// knownDoc is one row of testdata/known.jsonl: facts about a bundled
// document read off the seed texts by hand (How says where), checked
// against what Annotate derives as of 2026-12-04.
type knownDoc struct {
	Title     string `json:"title"`
	Status    string `json:"status"`
	Level     string `json:"level"`
	Nature    string `json:"nature"`
	Expiry    string `json:"expiry"`
	DocNumber string `json:"doc_number"`
	Relations []struct {
		Type   string `json:"type"`
		Target string `json:"target"`
	} `json:"relations"`
	How string `json:"how"`
}

func TestKnownList(t *testing.T) {
	f, err := os.Open("testdata/known.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []knownDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var d knownDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("known.jsonl line %d: %v", len(docs)+1, err)
		}
		if d.Title == "" || d.Status == "" || d.Level == "" || d.How == "" {
			t.Fatalf("known.jsonl line %d lacks title, status, level or how", len(docs)+1)
		}
		docs = append(docs, d)
	}
	if len(docs) < 30 {
		t.Fatalf("known.jsonl has %d documents, want at least 30", len(docs))
	}
	byTitle := annotated(t, "2026-12-04")
	statuses, levels, rels := map[string]int{}, map[string]int{}, 0
	for _, d := range docs {
		v := byTitle[d.Title]
		if v == nil {
			t.Errorf("%s: not in the bundled library", d.Title)
			continue
		}
		statuses[d.Status]++
		levels[d.Level]++
		check := func(field, got, want string) {
			if want != "" && got != want {
				t.Errorf("%s: %s = %q, want %q (%s)", d.Title, field, got, want, d.How)
			}
		}
		check("status", v.Validity, d.Status)
		check("level", v.Level, d.Level)
		check("nature", v.Nature, d.Nature)
		check("expiry", v.ExpiryDate, d.Expiry)
		check("doc_number", v.DocNumber, d.DocNumber)
		for _, want := range d.Relations {
			rels++
			found := false
			for _, r := range v.Relations {
				found = found || r.Type == want.Type && library.TitleKey(r.Target) == library.TitleKey(want.Target)
			}
			if !found {
				t.Errorf("%s: no %s relation to %s (%s)", d.Title, want.Type, want.Target, d.How)
			}
		}
	}
	t.Logf("%d documents, %d relations checked; by status %v; by level %v", len(docs), rels, statuses, levels)
}
