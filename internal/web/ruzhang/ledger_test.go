package ruzhang

import (
	"bytes"
	"datalex/internal/web"
	"datalex/internal/web/webtest"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"datalex/internal/account"
)

func newLedgerEnv(t *testing.T) *webtest.Env {
	t.Helper()
	return webtest.NewRuzhangEnv(t, func(srv *web.Server) error { return MountLedger(srv, LedgerDeps{}) })
}

// TestLedgerWorkflow: a member creates a ledger, adds the golden purchased
// asset through the API, sees the roll-forward, exports the workbook and
// the report, and finds every change in the audit trail; another member
// sees none of it, and a bad case changes nothing.
func TestLedgerWorkflow(t *testing.T) {
	env := newLedgerEnv(t)
	c := env.Client(t)
	if code, _ := c.Get("/ruzhang/ledger"); code != http.StatusSeeOther {
		t.Fatalf("visitor: %d, want redirect to login", code)
	}
	c.Login("kuaiji", account.RoleMember)
	code, body, resp := c.PostCSRF("/ruzhang/ledger", url.Values{"name": {"示例科技有限公司"}, "org_type": {"enterprise"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create org: %d %s", code, body)
	}
	orgPath := resp.Header.Get("Location")
	orgID := strings.TrimPrefix(orgPath, "/ruzhang/ledger/")

	golden, err := os.ReadFile("../../ruzhang/testdata/ledger/purchased_three_years.json")
	if err != nil {
		t.Fatal(err)
	}
	csrf := c.CSRF()
	code, body = c.SendJSON("POST", "/api/v1/ledger/orgs/"+orgID+"/assets", string(golden), csrf)
	if code != http.StatusCreated {
		t.Fatalf("add asset: %d %s", code, body)
	}
	var added struct {
		ID     string
		Result struct {
			Periods []struct {
				ClosingCarrying float64 `json:"closing_carrying_amount"`
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &added); err != nil || len(added.Result.Periods) != 3 || added.Result.Periods[2].ClosingCarrying != 300000 {
		t.Fatalf("added %+v %v", added, err)
	}

	// A case that fails a check (life beyond the licence) is refused and
	// nothing is stored.
	bad := strings.Replace(string(golden), `"license_end": "2029-12-31"`, `"license_end": "2026-12-31"`, 1)
	code, body = c.SendJSON("POST", "/api/v1/ledger/orgs/"+orgID+"/assets", bad, csrf)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "授权") {
		t.Fatalf("bad case: %d %s", code, body)
	}
	// Without the CSRF token nothing is accepted.
	if code, _ = c.SendJSON("POST", "/api/v1/ledger/orgs/"+orgID+"/assets", string(golden), ""); code != http.StatusForbidden {
		t.Errorf("no CSRF: %d", code)
	}

	code, body = c.Get(orgPath)
	if code != http.StatusOK || !strings.Contains(body, "区域消费者画像数据集") || !strings.Contains(body, "300,000.00") || !strings.Contains(body, "新增资产") {
		t.Fatalf("org page: %d", code)
	}
	if strings.Count(body, "/assets/"+added.ID+"\"") != 1 {
		t.Errorf("asset listed %d times", strings.Count(body, "/assets/"+added.ID+"\""))
	}
	code, body = c.Get(orgPath + "/assets/" + added.ID)
	if code != http.StatusOK || !strings.Contains(body, "84,000.00") || !strings.Contains(body, "三、（二）1（5）") {
		t.Fatalf("asset page: %d", code)
	}

	req, _ := http.NewRequest("GET", env.TS.URL+orgPath+"/export.xlsx", nil)
	code, xb, xresp := c.Do(req)
	if code != http.StatusOK || !strings.Contains(xresp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %s", code, xresp.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("期间汇总", excelize.Options{RawCellValue: true})
	if len(rows) != 5 || strings.TrimSuffix(rows[4][9], ".00") != "300000" {
		t.Errorf("summary sheet rows %v", rows)
	}
	audit, _ := f.GetRows("审计轨迹")
	if len(audit) != 3 { // header, 创建台账, 新增资产
		t.Errorf("audit sheet %v", audit)
	}
	if code, body = c.Get(orgPath + "/report"); code != http.StatusOK || !strings.Contains(body, "逐期结转") {
		t.Errorf("report: %d", code)
	}

	// Edit through the form, then check the audit trail names the change.
	edited := strings.Replace(string(golden), `"pledgee": "某银行"`, `"pledgee": "另一银行"`, 1)
	code, body, _ = c.PostCSRF(orgPath+"/assets", url.Values{"asset_id": {added.ID}, "case": {edited}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", code, body)
	}
	code, body = c.Get("/api/v1/ledger/orgs/" + orgID + "/audit")
	if code != http.StatusOK || !strings.Contains(body, "修改资产") || !strings.Contains(body, "events") || !strings.Contains(body, "kuaiji") {
		t.Errorf("audit: %d %s", code, body)
	}

	// Another member sees nothing.
	o := env.Client(t)
	o.Login("other", account.RoleMember)
	if code, _ := o.Get(orgPath); code != http.StatusNotFound {
		t.Errorf("other member org page: %d", code)
	}
	if code, _ := o.Get("/api/v1/ledger/orgs/" + orgID); code != http.StatusNotFound {
		t.Errorf("other member API: %d", code)
	}
	if code, _ := o.SendJSON("DELETE", "/api/v1/ledger/orgs/"+orgID+"/assets/"+added.ID, "", o.CSRF()); code != http.StatusNotFound {
		t.Errorf("other member delete: %d", code)
	}
	if code, _ := c.SendJSON("DELETE", "/api/v1/ledger/orgs/"+orgID+"/assets/"+added.ID, "", c.CSRF()); code != http.StatusNoContent {
		t.Errorf("owner delete: %d", code)
	}
}
