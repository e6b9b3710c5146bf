package web

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
)

// TestBrowserLedger: a member creates a ledger, pastes the golden
// three-year case, and reads the roll-forward and the audit trail.
func TestBrowserLedger(t *testing.T) {
	env := newLedgerEnv(t)
	b := newBrowser(t, env.ts.URL)
	if _, err := env.acc.Create(context.Background(), "kuaiji_zhang", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../ruzhang/testdata/ledger/purchased_three_years.json")
	if err != nil {
		t.Fatal(err)
	}
	b.loginAs("kuaiji_zhang", "member password", "/ruzhang/ledger")
	b.waitFor("ledger list", `document.querySelector("#org-name") !== null`)
	b.do("create ledger", chromedp.SetValue(chromedp.CSS("#org-name"), "示例科技有限公司"), chromedp.Click(chromedp.CSS("#create-org")))
	b.waitFor("ledger page", `document.querySelector("#case-json") !== null && document.querySelector("h1").innerText.includes("示例科技")`)
	b.do("paste case", chromedp.SetValue(chromedp.CSS("#case-json"), string(golden)))
	b.shot("ledger-01-new-asset")
	b.eval(`document.querySelector("#save-asset").click(), ""`)
	b.waitFor("asset page", `document.querySelector("#roll") !== null`)
	b.waitFor("figures", `document.querySelector("#roll").innerText.includes("84,000.00") && document.querySelector("#roll").innerText.includes("300,000.00")`)
	b.shot("ledger-02-roll-forward")
	b.do("back to ledger", chromedp.Navigate(b.location()[:len(b.location())-len("/assets/")-16]))
	b.waitFor("audit trail", `document.body.innerText.includes("新增资产") && document.body.innerText.includes("kuaiji_zhang")`)
}
