package search

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// TestDumpResults writes the full results (hits with exact scores,
// documents, facets, totals) of every question of a query file at the
// given depths as JSON lines, so two builds can be compared byte for
// byte after a change meant to keep results identical. It runs only
// when the environment names the library, questions and output:
//
//	DATALEX_DUMP_DATA=/path/to/data DATALEX_DUMP_QUERIES=dev.jsonl \
//	  DATALEX_DUMP_OUT=/tmp/a.jsonl go test ./internal/search -run DumpResults
func TestDumpResults(t *testing.T) {
	dir, file, out := os.Getenv("DATALEX_DUMP_DATA"), os.Getenv("DATALEX_DUMP_QUERIES"), os.Getenv("DATALEX_DUMP_OUT")
	if dir == "" || file == "" || out == "" {
		t.Skip("DATALEX_DUMP_DATA, DATALEX_DUMP_QUERIES and DATALEX_DUMP_OUT not set")
	}
	ctx := context.Background()
	ix := NewIndex(libraryFromDir(t, dir))
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(w)
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
			if err := q.SetK(k); err != nil {
				t.Fatal(err)
			}
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			res.TookMS = 0 // wall time, the only field that may differ
			bw.WriteString(strconv.Itoa(n) + " k" + strconv.Itoa(k) + "\n")
			if err := enc.Encode(res); err != nil {
				t.Fatal(err)
			}
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Logf("%d questions dumped to %s", n, out)
}
