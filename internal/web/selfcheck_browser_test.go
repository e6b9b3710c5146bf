package web

import (
	"context"
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
	b := newBrowser(t, env.ts.URL)
	if _, err := env.acc.Create(context.Background(), "hegui_li", "member password", account.RoleMember); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalogue.csv")
	if err := os.WriteFile(file, []byte("数据项,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录\n人脸特征,是,是,否,否\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.loginAs("hegui_li", "member password", "/selfcheck")
	b.waitFor("landing", `document.querySelector("#go-classify") !== null`)
	b.do("open classify", chromedp.Click(chromedp.CSS("#go-classify")))
	b.waitFor("classify form", `document.querySelector("#classify-form") !== null`)
	b.do("upload", chromedp.SetUploadFiles(chromedp.CSS("#catalogue"), []string{file}), chromedp.Click(chromedp.CSS("#classify")))
	b.waitFor("classified", `document.querySelector("#class-table") && document.querySelector("#class-table").innerText.includes("敏感个人信息") && document.querySelector("#citations").innerText.includes("第二十八条第一款")`)
	b.shot("selfcheck-classify-result")
	b.do("file it", chromedp.SetValue(chromedp.CSS("#save-org"), "示例科技有限公司"), chromedp.Click(chromedp.CSS("#save-record")))
	b.waitFor("records", `document.querySelector("#records") && document.querySelector("#records").innerText.includes("示例科技有限公司") && document.querySelector("#records").innerText.includes("依据未变")`)
	b.shot("selfcheck-records")

	// PIA: sensitive personal information → required (第五十五条), kept three years.
	b.do("open pia", chromedp.Navigate(b.base+"/selfcheck"))
	b.waitFor("landing again", `document.querySelector("#go-pia") !== null`)
	b.do("to pia", chromedp.Click(chromedp.CSS("#go-pia")))
	b.waitFor("pia form", `document.querySelector("#pia-form") !== null`)
	b.do("fill pia", chromedp.SetValue(chromedp.CSS("#activity"), "门禁人脸识别"), chromedp.Click(chromedp.CSS("#t-sensitive")),
		chromedp.SetValue(chromedp.CSS("#a-purpose"), "为安全管理所必需"), chromedp.Click(chromedp.CSS("#assess")))
	b.waitFor("pia record", `document.querySelector("#required") && document.querySelector("#required").dataset.required === "true" && document.querySelector("#keep-until").innerText.length === 10`)
	b.shot("selfcheck-pia-record")

	// Incident: 工业和信息化领域, 较大 → report to 地方行业监管部门 at once (预案 4.2).
	b.do("open incident", chromedp.Navigate(b.base+"/selfcheck/incident"))
	b.waitFor("incident form", `document.querySelector("#incident-form") !== null`)
	b.do("fill incident", chromedp.Click(chromedp.CSS("#inc-data")), chromedp.Click(chromedp.CSS("#inc-miit")), chromedp.SetValue(chromedp.CSS("#grade"), "较大"), chromedp.Click(chromedp.CSS("#duties")))
	b.waitFor("duties", `document.querySelector("#duty-table") && document.querySelector("#duty-table").innerText.includes("地方行业监管部门")`)
	b.shot("selfcheck-incident-duties")
}
