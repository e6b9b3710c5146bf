package ruzhang

import (
	"context"
	"datalex/internal/web/webtest"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
)

// TestBrowserLedger: a member creates a ledger, pastes the golden
// three-year case, and reads the roll-forward and the audit trail.
func TestBrowserLedger(t *testing.T) {
	env := newLedgerEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	if _, err := env.Acc.Create(context.Background(), "kuaiji_zhang", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../ruzhang/testdata/ledger/purchased_three_years.json")
	if err != nil {
		t.Fatal(err)
	}
	b.LoginAs("kuaiji_zhang", "member password", "/ruzhang/ledger")
	b.WaitFor("ledger list", `document.querySelector("#org-name") !== null`)
	b.Do("create ledger", chromedp.SetValue(chromedp.CSS("#org-name"), "示例科技有限公司"), chromedp.Click(chromedp.CSS("#create-org")))
	b.WaitFor("ledger page", `document.querySelector("#case-json") !== null && document.querySelector("h1").innerText.includes("示例科技")`)
	b.Do("paste case", chromedp.SetValue(chromedp.CSS("#case-json"), string(golden)))
	b.Shot("ledger-01-new-asset")
	b.Eval(`document.querySelector("#save-asset").click(), ""`)
	b.WaitFor("asset page", `document.querySelector("#roll") !== null`)
	b.WaitFor("figures", `document.querySelector("#roll").innerText.includes("84,000.00") && document.querySelector("#roll").innerText.includes("300,000.00")`)
	b.Shot("ledger-02-roll-forward")
	b.Do("back to ledger", chromedp.Navigate(b.Location()[:len(b.Location())-len("/assets/")-16]))
	b.WaitFor("audit trail", `document.body.innerText.includes("新增资产") && document.body.innerText.includes("kuaiji_zhang")`)
}
