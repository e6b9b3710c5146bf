package selfcheck

import (
	"context"
	"datalex/internal/web/webtest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"datalex/internal/account"
)

// TestBrowserSelfcheckWizards: a member uploads a catalogue, reads the
// classification (人脸特征 is 敏感个人信息, 个人信息保护法 第二十八条第一款),
// files it under an organisation and finds it in the records (see
// browser_test.go for the conventions), then walks the PIA and incident
// wizards to their results.
func TestBrowserSelfcheckWizards(t *testing.T) {
	env := newSelfcheckEnv(t)
	b := webtest.NewBrowser(t, env.TS.URL)
	if _, err := env.Acc.Create(context.Background(), "hegui_li", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalogue.csv")
	if err := os.WriteFile(file, []byte("数据项,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录\n人脸特征,是,是,否,否\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.LoginAs("hegui_li", "member password", "/selfcheck")
	b.WaitFor("landing", `document.querySelector("#go-classify") !== null`)
	b.Do("open classify", chromedp.Click(chromedp.CSS("#go-classify")))
	b.WaitFor("classify form", `document.querySelector("#classify-form") !== null`)
	b.Do("upload", chromedp.SetUploadFiles(chromedp.CSS("#catalogue"), []string{file}), chromedp.Click(chromedp.CSS("#classify")))
	b.WaitFor("classified", `document.querySelector("#class-table") && document.querySelector("#class-table").innerText.includes("敏感个人信息") && document.querySelector("#citations").innerText.includes("第二十八条第一款")`)
	b.Shot("selfcheck-classify-result")
	b.Do("file it", chromedp.SetValue(chromedp.CSS("#save-org"), "示例科技有限公司"), chromedp.Click(chromedp.CSS("#save-record")))
	b.WaitFor("records", `document.querySelector("#records") && document.querySelector("#records").innerText.includes("示例科技有限公司") && document.querySelector("#records").innerText.includes("依据未变")`)
	b.Shot("selfcheck-records")

	// PIA: sensitive personal information → required (第五十五条), kept three years.
	b.Do("open pia", chromedp.Navigate(b.Base+"/selfcheck"))
	b.WaitFor("landing again", `document.querySelector("#go-pia") !== null`)
	b.Do("to pia", chromedp.Click(chromedp.CSS("#go-pia")))
	b.WaitFor("pia form", `document.querySelector("#pia-form") !== null`)
	b.Do("fill pia", chromedp.SetValue(chromedp.CSS("#activity"), "门禁人脸识别"), chromedp.Click(chromedp.CSS("#t-sensitive")),
		chromedp.SetValue(chromedp.CSS("#a-purpose"), "为安全管理所必需"), chromedp.Click(chromedp.CSS("#assess")))
	b.WaitFor("pia record", `document.querySelector("#required") && document.querySelector("#required").dataset.required === "true" && document.querySelector("#keep-until").innerText.length === 10`)
	b.Shot("selfcheck-pia-record")

	// Incident: 工业和信息化领域, 较大 → report to 地方行业监管部门 at once (预案 4.2).
	b.Do("open incident", chromedp.Navigate(b.Base+"/selfcheck/incident"))
	b.WaitFor("incident form", `document.querySelector("#incident-form") !== null`)
	b.Do("fill incident", chromedp.Click(chromedp.CSS("#inc-data")), chromedp.Click(chromedp.CSS("#inc-miit")), chromedp.SetValue(chromedp.CSS("#grade"), "较大"), chromedp.Click(chromedp.CSS("#duties")))
	b.WaitFor("duties", `document.querySelector("#duty-table") && document.querySelector("#duty-table").innerText.includes("地方行业监管部门")`)
	b.Shot("selfcheck-incident-duties")
}
