package ruzhang

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

func TestMarkdownGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			got := Markdown(evaluate(t, loadCase(t, name)))
			golden := filepath.Join("testdata", "golden", name+".md")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("Markdown differs from %s; run go test -update and review the diff", golden)
			}
		})
	}
}

func TestMarkdownIncomplete(t *testing.T) {
	md := Markdown(evaluate(t, Case{Name: "a|b", Acquisition: AcqPurchase}))
	for _, want := range []string{"**结论：尚不能确定**", "尚需回答的问题", "`purposes`", `a\|b`} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestHTMLEscapesAndRenders(t *testing.T) {
	c := loadCase(t, "purchased_internal")
	c.Name = `<script>alert("x")</script>`
	c.Costs[0].Description = `<img src=x onerror=alert(1)>`
	r := evaluate(t, c)
	r.Citations[0].ProvisionID = `v1"><script>`
	var b bytes.Buffer
	if err := WriteHTML(&b, []*Result{r, evaluate(t, loadCase(t, "valuation"))}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "<img src=x"} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in HTML", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "<!DOCTYPE html>", "无形资产——数据资源", "1,116,000.00",
		"确认为无形资产的数据资源", "P = C × δ", "其中：数据资源", "《企业数据资源相关会计处理暂行规定》 二、1"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Count(out, "<article") != 2 {
		t.Errorf("want two articles")
	}
	var frag bytes.Buffer
	if err := WriteHTMLFragment(&frag, r); err != nil || strings.Contains(frag.String(), "<html") {
		t.Errorf("fragment: %v", err)
	}
}

// A result survives a JSON round trip, so the web layer can store results
// and aggregate their disclosure tables later.
func TestResultJSONRoundTrip(t *testing.T) {
	r := evaluate(t, loadCase(t, "rd_project"))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(DisclosureTables([]Movements{*back.Movements}), r.Disclosure) {
		t.Error("disclosure tables differ after a round trip")
	}
	again := evaluate(t, back.Case)
	if Markdown(again) != Markdown(r) {
		t.Error("re-evaluating the round-tripped case changes the report")
	}
}
