package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSelfcheck walks each 合规自查 wizard from the landing page to its
// result page as a visitor (see browser_test.go for the conventions).
func TestBrowserSelfcheck(t *testing.T) {
	env := newSelfcheckEnv(t)
	b := newBrowser(t, env.ts.URL)

	// 数据出境: a non-CII processor with exactly 1,000,000 individuals →
	// security assessment (规定 第七条第（二）项 "100万人以上").
	b.do("open self-check", chromedp.Navigate(b.base+"/selfcheck"))
	b.waitFor("landing", `document.querySelector("#go-crossborder") !== null`)
	b.do("open crossborder", chromedp.Click(chromedp.CSS("#go-crossborder")))
	b.waitFor("crossborder form", `document.querySelector("#crossborder-form") !== null`)
	b.do("fill facts", chromedp.SetValue(chromedp.CSS("#personal_info"), "1000000"), chromedp.SetValue(chromedp.CSS("#sensitive_personal_info"), "0"))
	b.shot("selfcheck-01-crossborder-form")
	b.do("decide", chromedp.Click(chromedp.CSS("#decide")))
	b.waitFor("crossborder result", `document.querySelector("#route") && document.querySelector("#route").dataset.route === "security_assessment"`)
	b.waitFor("cited 第七条 and validity", `document.querySelector("#citations").innerText.includes("第七条第（二）项") && document.querySelector("#validity").innerText.includes("3 年")`)
	b.shot("selfcheck-02-crossborder-result")

	// Same facts but a 第五条第（二）项 HR transfer → exempt.
	b.do("back to form", chromedp.Navigate(b.base+"/selfcheck/crossborder"))
	b.waitFor("form again", `document.querySelector("#crossborder-form") !== null`)
	b.do("HR scenario", chromedp.SetValue(chromedp.CSS("#personal_info"), "1000000"), chromedp.Click(chromedp.CSS(`input[value="hr_management"]`)), chromedp.Click(chromedp.CSS("#decide")))
	b.waitFor("exempt", `document.querySelector("#route") && document.querySelector("#route").dataset.route === "exempt" && document.body.innerText.includes("第五条第（二）项")`)

	// PIA: sensitive personal information → required (第五十五条第（一）项), kept three years.
	b.do("open pia", chromedp.Navigate(b.base+"/selfcheck/pia"))
	b.waitFor("pia form", `document.querySelector("#pia-form") !== null`)
	b.do("fill pia", chromedp.SetValue(chromedp.CSS("#activity"), "门禁人脸识别"), chromedp.Click(chromedp.CSS("#t-sensitive")),
		chromedp.SetValue(chromedp.CSS("#a-lawfulness"), "为安全管理所必需"))
	b.do("assess", chromedp.Click(chromedp.CSS("#assess")))
	b.waitFor("pia record", `document.querySelector("#required") && document.querySelector("#required").dataset.required === "true" && document.querySelector("#keep-until").innerText.length === 10`)
	b.shot("selfcheck-03-pia-record")

	// Incident: 工业和信息化领域, 较大 → report immediately (预案 4.2).
	b.do("open incident", chromedp.Navigate(b.base+"/selfcheck/incident"))
	b.waitFor("incident form", `document.querySelector("#incident-form") !== null`)
	b.do("fill incident", chromedp.Click(chromedp.CSS("#sector-miit")), chromedp.SetValue(chromedp.CSS("#grade"), "较大"), chromedp.Click(chromedp.CSS("#duties")))
	b.waitFor("duties", `document.querySelector("#duty-table") && document.querySelector("#duty-table").innerText.includes("地方行业监管部门") && document.querySelector("#duty-table").innerText.includes("4.2")`)
	b.shot("selfcheck-04-incident-duties")

	// 分类分级: upload a catalogue; 人脸特征 is 敏感个人信息 (个人信息保护法 第二十八条第一款).
	file := filepath.Join(t.TempDir(), "catalogue.csv")
	if err := os.WriteFile(file, []byte("数据项,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录\n人脸特征,是,是,否,否\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("open classify", chromedp.Navigate(b.base+"/selfcheck/classify"))
	b.waitFor("classify form", `document.querySelector("#classify-form") !== null`)
	b.do("upload", chromedp.SetUploadFiles(chromedp.CSS("#catalogue"), []string{file}), chromedp.Click(chromedp.CSS("#classify")))
	b.waitFor("classified", `document.querySelector("#class-table") && document.querySelector("#class-table").innerText.includes("敏感个人信息") && document.querySelector("#citations").innerText.includes("第二十八条第一款")`)
	b.shot("selfcheck-05-classify-result")
}
