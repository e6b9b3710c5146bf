package search

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"datalex/internal/store"
)

// TestDumpResults writes the full results (hits with exact scores,
// documents, facets, totals) of every question in DATALEX_DUMP_QUERIES
// over the library in DATALEX_DUMP_DATA to DATALEX_DUMP_OUT, at k 10 and
// 100. It is the identity check for speed work on the search path: two
// builds whose dumps differ in a byte rank differently. Skipped unless
// the environment names all three.
//
//	DATALEX_DUMP_DATA=DIR DATALEX_DUMP_QUERIES=dev.jsonl DATALEX_DUMP_OUT=/tmp/a.jsonl \
//	  go test ./internal/search -run TestDumpResults
func TestDumpResults(t *testing.T) {
	dir, file, out := os.Getenv("DATALEX_DUMP_DATA"), os.Getenv("DATALEX_DUMP_QUERIES"), os.Getenv("DATALEX_DUMP_OUT")
	if dir == "" || file == "" || out == "" {
		t.Skip("DATALEX_DUMP_DATA, DATALEX_DUMP_QUERIES and DATALEX_DUMP_OUT not set")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := st.LoadLibrary(ctx)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(versions)
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		var rec struct{ Query, Question string }
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		for _, k := range []int{10, 100} {
			q, err := ParseQuery(rec.Query + rec.Question)
			if err != nil {
				continue
			}
			q.K = k
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			res.TookMS = 0
			if err := enc.Encode(res); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	t.Logf("%d searches dumped", n)
}
