package ruzhang

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLedgerStore(t *testing.T) {
	cs := openCaseStore(t, "u1", "u2")
	ls := NewLedgerStore(cs.db)
	ctx := context.Background()
	if _, err := ls.CreateOrg(ctx, "u1", "u1", "  ", ""); err == nil {
		t.Error("empty org name accepted")
	}
	if _, err := ls.CreateOrg(ctx, "u1", "u1", "某单位", "ngo"); err == nil {
		t.Error("unknown org type accepted")
	}
	org, err := ls.CreateOrg(ctx, "u1", "u1", "示例科技有限公司", OrgEnterprise)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "ledger", "purchased_three_years.json"))
	cases, _ := ParseCases(data)
	a, err := ls.PutAsset(ctx, "u1", "u1", org.ID, "", cases[0])
	if err != nil {
		t.Fatal(err)
	}
	// A government case does not go into an enterprise ledger; an invalid
	// edit leaves the stored asset as it was.
	gdata, _ := os.ReadFile(filepath.Join("testdata", "ledger", "government.json"))
	gcases, _ := ParseCases(gdata)
	if _, err := ls.PutAsset(ctx, "u1", "u1", org.ID, "", gcases[0]); err == nil {
		t.Error("government case stored in an enterprise ledger")
	}
	bad := cases[0]
	bad.Rights = &Rights{Evidence: []string{"x"}, LicenseEnd: "2025-01-31"}
	var verr *ValidationError
	if _, err := ls.PutAsset(ctx, "u1", "u1", org.ID, a.ID, bad); !errors.As(err, &verr) {
		t.Errorf("invalid edit: %v", err)
	}
	noEvidence := cases[0]
	noEvidence.Rights = nil
	if _, err := ls.PutAsset(ctx, "u1", "u1", org.ID, "", noEvidence); !errors.As(err, &verr) || !strings.Contains(err.Error(), "权属证明") {
		t.Errorf("asset without evidence of control filed: %v", err)
	}
	// Another user can neither read nor write.
	if _, err := ls.Assets(ctx, "u2", org.ID); !errors.Is(err, ErrLedgerNotFound) {
		t.Errorf("u2 read: %v", err)
	}
	if _, err := ls.PutAsset(ctx, "u2", "u2", org.ID, a.ID, cases[0]); !errors.Is(err, ErrLedgerNotFound) {
		t.Errorf("u2 write: %v", err)
	}
	edited := cases[0]
	edited.Description = "补充说明"
	if _, err := ls.PutAsset(ctx, "u1", "u1", org.ID, a.ID, edited); err != nil {
		t.Fatal(err)
	}
	assets, err := ls.Assets(ctx, "u1", org.ID)
	if err != nil || len(assets) != 1 || assets[0].Case.Description != "补充说明" || assets[0].Case.Rights.LicenseEnd != "2029-12-31" {
		t.Fatalf("assets %+v %v", assets, err)
	}
	rs, _, err := ls.Evaluate(ctx, "u1", org.ID)
	if err != nil || len(rs) != 1 || rs[0].Periods[2].ClosingCarrying != Yuan(300000) {
		t.Fatalf("evaluate %v", err)
	}
	if err := ls.DeleteAsset(ctx, "u1", "u1", org.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	trail, err := ls.Audit(ctx, "u1", org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range trail {
		actions = append(actions, r.Action)
	}
	if got := strings.Join(actions, ","); got != "创建台账,新增资产,修改资产,删除资产" {
		t.Errorf("audit trail %s", got)
	}
	if !strings.Contains(trail[2].Detail, "description") {
		t.Errorf("edit audit detail %q", trail[2].Detail)
	}
}

// FuzzLedger: any case JSON either fails with an error or yields periods
// whose roll adds up; it never panics.
func FuzzLedger(f *testing.F) {
	for _, name := range []string{"purchased_three_years.json", "government.json", "service_contract.json", "free_public_data.json"} {
		data, _ := os.ReadFile(filepath.Join("testdata", "ledger", name))
		f.Add(data)
	}
	f.Add([]byte(`{"periods":[{"start":"2024-01-01","end":"2024-12-31"}],"events":[{"date":"2024-05-01","type":"sale"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseCases(data)
		if err != nil || len(cs) == 0 || len(cs) > 3 {
			return
		}
		for _, c := range cs {
			r, err := Evaluate(c)
			if err != nil {
				continue
			}
			for i, p := range r.Periods {
				if roll := p.OpeningCarrying + p.Additions - p.Amortization - p.Impairment - p.Disposals; roll != p.ClosingCarrying {
					t.Fatalf("period %d roll %s ≠ closing %s", i, roll, p.ClosingCarrying)
				}
				if i > 0 && p.OpeningCarrying != r.Periods[i-1].ClosingCarrying {
					t.Fatalf("period %d opening ≠ last closing", i)
				}
			}
		}
	})
}
