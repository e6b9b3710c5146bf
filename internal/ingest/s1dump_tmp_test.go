package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestS1DumpTmp(t *testing.T) {
	out := os.Getenv("S1DUMP")
	if out == "" {
		t.Skip()
	}
	f, _ := os.Create(out)
	defer f.Close()
	for _, v := range s1Load(t).Versions {
		pv, _ := json.Marshal(v.Provenance)
		fmt.Fprintf(f, "%d\t%s\tlvl=%s\tst=%s\tdn=%s\tiss=%v\tid=%s\ted=%s\ttags=%v\n\t%s\n", v.Sources[0].FirstLine, v.Title, v.Level, v.Status, v.DocNumber, v.Issuers, v.IssueDate, v.EffectiveDate, v.Tags, pv)
	}
}
