package ruzhang

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"datalex/internal/store/storetest"
)

func openCaseStore(t *testing.T, users ...string) *CaseStore {
	t.Helper()
	st := storetest.Open(t)
	for _, u := range users {
		if _, err := st.DB().Exec(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'member', '2024-01-01T00:00:00Z')`, u, u); err != nil {
			t.Fatal(err)
		}
	}
	return NewCaseStore(st.DB())
}

// TestCaseStoreRoundTrip saves a half-answered case (nil pointers must stay
// nil) and a complete one, and reads them back unchanged.
func TestCaseStoreRoundTrip(t *testing.T) {
	cs := openCaseStore(t, "u1", "u2")
	ctx := context.Background()
	life, res := 36, Money(0)
	full := Case{Name: "外购消费者画像数据集", Acquisition: AcqPurchase, Purposes: []string{PurposeInternal},
		Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
		Costs:         []CostItem{{Category: "purchase_price", Amount: Yuan(360000)}, {Category: "cleaning", Amount: Yuan(12345.67)}},
		AvailableDate: "2024-03-01", Intangible: &IntangibleInputs{IndefiniteLife: boolp(false), LifeMonths: &life, Method: MethodStraightLine, Residual: &res},
		PeriodStart: "2024-01-01", PeriodEnd: "2024-12-31"}
	half := Case{Name: "半成品", Acquisition: AcqDeveloped}

	for _, c := range []Case{full, half} {
		sc, err := cs.Create(ctx, "u1", "", c)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Title != c.Name {
			t.Errorf("title defaults to the name: got %q", sc.Title)
		}
		got, err := cs.Get(ctx, "u1", sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.ID = sc.ID
		if !reflect.DeepEqual(got.Case, c) {
			t.Errorf("round trip changed the case:\n got %+v\nwant %+v", got.Case, c)
		}
		if got.Case.Controlled == nil != (c.Controlled == nil) {
			t.Error("unanswered question became answered")
		}
	}

	list, err := cs.List(ctx, "u1")
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %v, %d cases", err, len(list))
	}
	if list[0].Title != "半成品" {
		t.Errorf("most recent first: got %q", list[0].Title)
	}
	// Update moves a case to the top.
	if _, err := cs.Update(ctx, "u1", list[1].ID, "改名后的案例", list[1].Case); err != nil {
		t.Fatal(err)
	}
	list, _ = cs.List(ctx, "u1")
	if list[0].Title != "改名后的案例" {
		t.Errorf("after update: first is %q", list[0].Title)
	}
}

// TestCaseStoreOwnership: another user can neither read, change, list nor
// delete a case, and gets the same error as for a missing one.
func TestCaseStoreOwnership(t *testing.T) {
	cs := openCaseStore(t, "u1", "u2")
	ctx := context.Background()
	sc, err := cs.Create(ctx, "u1", "我的案例", Case{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Get(ctx, "u2", sc.ID); !errors.Is(err, ErrCaseNotFound) {
		t.Errorf("get by other user: %v", err)
	}
	if _, err := cs.Update(ctx, "u2", sc.ID, "偷改", Case{}); !errors.Is(err, ErrCaseNotFound) {
		t.Errorf("update by other user: %v", err)
	}
	if err := cs.Delete(ctx, "u2", sc.ID); !errors.Is(err, ErrCaseNotFound) {
		t.Errorf("delete by other user: %v", err)
	}
	if l, _ := cs.List(ctx, "u2"); len(l) != 0 {
		t.Errorf("other user lists %d cases", len(l))
	}
	if err := cs.Delete(ctx, "u1", sc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Get(ctx, "u1", sc.ID); !errors.Is(err, ErrCaseNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestCleanTitle(t *testing.T) {
	for _, tc := range []struct {
		in, name, want string
		err            bool
	}{
		{"  数据  集 ", "", "数据 集", false},
		{"", "资源名", "资源名", false},
		{"", "", "未命名数据资源", false},
		{strings.Repeat("长", MaxTitle+1), "", "", true},
	} {
		got, err := CleanTitle(tc.in, Case{Name: tc.name})
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("CleanTitle(%q, %q) = %q, %v", tc.in, tc.name, got, err)
		}
	}
}

// TestCaseQuota: a member cannot save more than MaxCasesPerUser cases;
// the error says so, and another member is unaffected.
func TestCaseQuota(t *testing.T) {
	cs := openCaseStore(t, "u1", "u2")
	ctx := context.Background()
	// Fill the quota directly: saving 500 cases through Create would only
	// test the same code 500 times.
	for i := 0; i < MaxCasesPerUser; i++ {
		if _, err := cs.db.Exec(`INSERT INTO ruzhang_cases (id, user_id, title, case_json, created_at, updated_at) VALUES (?, 'u1', 't', '{}', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`, fmt.Sprint("c", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := cs.Create(ctx, "u1", "", Case{Name: "再一个", Acquisition: AcqPurchase})
	if !errors.Is(err, ErrQuota) || !strings.Contains(err.Error(), "500") {
		t.Fatalf("over quota: %v", err)
	}
	if _, err := cs.Create(ctx, "u2", "", Case{Name: "别人的", Acquisition: AcqPurchase}); err != nil {
		t.Fatalf("other member: %v", err)
	}
}
