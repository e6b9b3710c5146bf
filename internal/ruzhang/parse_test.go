package ruzhang

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestParseCases(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		n     int
		errIn string
	}{
		{"object", `{"name":"a","costs":[{"category":"purchase_price","amount":"1,000.50"}]}`, 1, ""},
		{"array", `[{"name":"a"},{"name":"b"}]`, 2, ""},
		{"jsonl", "{\"name\":\"a\"}\n\n{\"name\":\"b\"}\n{\"name\":\"c\"}\n", 3, ""},
		{"bom", "\xef\xbb\xbf{\"name\":\"a\"}", 1, ""},
		{"unknown field", `{"name":"a","purpose":"internal_use"}`, 0, "unknown field"},
		{"three decimals", `{"costs":[{"category":"taxes","amount":1.005}]}`, 0, "最多两位小数"},
		{"empty", "  ", 0, "为空"},
		{"empty array", "[]", 0, "为空"},
		{"second jsonl line broken", "{\"name\":\"a\"}\n{\"name\":", 0, "第 2 个案例"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := ParseCases([]byte(tt.in))
			if tt.errIn != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errIn) {
					t.Fatalf("err = %v, want %q", err, tt.errIn)
				}
				return
			}
			if err != nil || len(cs) != tt.n {
				t.Fatalf("got %d cases, err %v", len(cs), err)
			}
		})
	}
	cs, _ := ParseCases([]byte(`{"costs":[{"category":"purchase_price","amount":"1,000.50"}]}`))
	if cs[0].Costs[0].Amount != 100050 {
		t.Errorf("amount %d cents", cs[0].Costs[0].Amount)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		in   string
		want Money
		str  string
	}{
		{"0", 0, "0.00"}, {"0.1", 10, "0.10"}, {"1234567.89", 123456789, "1,234,567.89"},
		{"-5.5", -550, "-5.50"}, {`"12,345"`, 1234500, "12,345.00"}, {"100", 10000, "100.00"},
	}
	for _, tt := range tests {
		var m Money
		if err := json.Unmarshal([]byte(tt.in), &m); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if m != tt.want || m.String() != tt.str {
			t.Errorf("%s → %d %q, want %d %q", tt.in, m, m, tt.want, tt.str)
		}
		b, _ := json.Marshal(m)
		var back Money
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Errorf("round trip %s → %s → %d (%v)", tt.in, b, back, err)
		}
	}
	for _, bad := range []string{"1e5", "1.", ".5", "1.234", `"abc"`, "true", "12345678901234567"} {
		var m Money
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("%s accepted as %s", bad, m)
		}
	}
	if got := ratio(Yuan(100), 1, 3); got != 3333 {
		t.Errorf("ratio 100/3 = %d", got)
	}
	if got := ratio(Yuan(-100), 2, 3); got != -6667 {
		t.Errorf("ratio -200/3 = %d", got)
	}
}

// FuzzEvaluate feeds arbitrary JSON through parsing, validation and the
// engine: nothing may panic, and any complete result must balance.
func FuzzEvaluate(f *testing.F) {
	for _, name := range []string{"purchased_internal", "held_for_sale_nrv", "rd_project", "fails_recognition", "valuation"} {
		data, err := readCaseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"acquisition":"developed","purposes":["internal_use"],"controlled":true,"identifiable":true,"probable_benefit":true,"cost_reliable":true,"development":{"tech_feasible":true,"intention":true,"benefit_way":true,"resources":true,"reliable_measure":true,"completed":true},"costs":[{"category":"labor","phase":"development","amount":1}],"available_date":"2024-12-31","intangible":{"indefinite_life":false,"life_months":600,"method":"units","expected_units":[0,0,1]},"period_start":"2024-01-01","period_end":"2024-12-31"}`))
	f.Add([]byte(`[{"costs":[{"category":"taxes","amount":-0.01}]},{"valuation":{"income":{"variant":"share","discount_rate":0.999999,"periods":[{"r":99999999999999,"k":1}]}}}]`))
	f.Add([]byte(`{"intangible":{"life_months":-1,"residual":"-0"},"inventory":{"prior_allowance":1e3}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseCases(data)
		if err != nil {
			return
		}
		for _, c := range cs {
			r, err := Evaluate(c)
			if err != nil {
				continue
			}
			_ = Markdown(r)
			if m := r.Measurement; m != nil {
				for _, e := range m.Entries {
					if !e.Balanced() {
						t.Fatalf("unbalanced entry %s", e.Text())
					}
				}
				if a := m.Amortisation; a != nil && len(a.Rows) > 0 && a.Rows[len(a.Rows)-1].Accumulated != a.Amortisable {
					t.Fatalf("schedule sums to %s, want %s", a.Rows[len(a.Rows)-1].Accumulated, a.Amortisable)
				}
			}
		}
	})
}

func TestEvaluateBatch(t *testing.T) {
	data, err := os.ReadFile("testdata/batch.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ParseCases(data)
	if err != nil || len(cs) != 4 {
		t.Fatalf("%d cases, %v", len(cs), err)
	}
	items, failed := EvaluateBatch(cs, false)
	if failed != 1 || items[2].Result != nil || len(items[2].Errors) < 3 || items[3].Result.Complete {
		t.Errorf("lenient batch: failed %d, item 3 %+v", failed, items[2])
	}
	_, failed = EvaluateBatch(cs, true)
	if failed != 2 {
		t.Errorf("strict batch: failed %d, want 2", failed)
	}
	// Aggregated disclosure across the batch: 外购 1,116,000 + 自行开发 440,000.
	var ms []Movements
	for _, it := range items {
		if it.Result != nil && it.Result.Movements != nil {
			ms = append(ms, *it.Result.Movements)
		}
	}
	tb := DisclosureTables(ms)[0]
	wantMoney(t, "合计 期末账面价值", tableValue(t, tb, "1.期末账面价值", 0), "1,296,666.68")
}
