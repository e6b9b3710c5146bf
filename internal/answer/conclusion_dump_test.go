package answer

import (
	"context"
	"fmt"
	"testing"
)

// TestDumpConclusions prints, for every question in DATALEX_QA_FILES, its
// id, text and the answer's conclusion (tab-separated) over the library in
// DATALEX_QA_DATA: the yes/no leads (需要/不需要/可以/不可以) are read by
// hand, because no evaluation file carries them as facts.
//
//	DATALEX_QA_DATA=DIR DATALEX_QA_FILES=a.jsonl,b.jsonl go test ./internal/answer -run TestDumpConclusions -v
func TestDumpConclusions(t *testing.T) {
	items := qaFilesFromEnv(t)
	cat, retrieve := openEvalLibrary(t)
	a := New(Config{Catalog: cat, Retrieve: retrieve})
	for _, it := range items {
		ans, err := a.Ask(context.Background(), Request{Question: it.Question})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s\t%s\t%s\n", it.ID, it.Question, ans.Conclusion)
	}
}
