package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/selfcheck"
)

func newSelfcheckEnv(t *testing.T) *testEnv {
	t.Helper()
	env := newRuzhangEnv(t)
	lib, err := selfcheck.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if err := MountSelfcheck(env.srv, SelfcheckDeps{Library: func() *selfcheck.Library { return lib }}); err != nil {
		t.Fatal(err)
	}
	return env
}

// TestSelfcheckForms: each wizard answers a visitor's form with its cited
// result, refuses bad input with a message, and refuses a form without the
// CSRF token.
func TestSelfcheckForms(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.client(t)
	for _, p := range []string{"/selfcheck", "/selfcheck/crossborder", "/selfcheck/pia", "/selfcheck/incident"} {
		if code, body := c.get(p); code != http.StatusOK || !strings.Contains(body, "csrf") && p != "/selfcheck" {
			t.Fatalf("GET %s: %d", p, code)
		}
	}
	// 规定 第八条: exactly 100000 individuals → standard contract.
	code, body, _ := c.postCSRF("/selfcheck/crossborder", url.Values{"personal_info": {"100000"}, "sensitive_personal_info": {"0"}, "scenario": {"none"}})
	if code != http.StatusOK || !strings.Contains(body, `data-route="standard_contract_or_certification"`) || !strings.Contains(body, "第八条") {
		t.Fatalf("crossborder: %d %s", code, body)
	}
	// 规定 第七条第（二）项: exactly 10000 sensitive → security assessment, with the 3-year validity of 第九条.
	code, body, _ = c.postCSRF("/selfcheck/crossborder", url.Values{"personal_info": {"0"}, "sensitive_personal_info": {"10000"}, "scenario": {"none"}})
	if code != http.StatusOK || !strings.Contains(body, `data-route="security_assessment"`) || !strings.Contains(body, "有效期 3 年") {
		t.Fatalf("crossborder assessment: %d", code)
	}
	if code, body, _ := c.postCSRF("/selfcheck/crossborder", url.Values{"personal_info": {"-3"}, "scenario": {"none"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "个人信息人数") {
		t.Errorf("negative count: %d", code)
	}
	if code, _, _ := c.postCSRF("/selfcheck/crossborder", url.Values{"scenario": {"tourism"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown scenario: %d", code)
	}
	if code, _, _ := c.post("/selfcheck/crossborder", url.Values{"scenario": {"none"}}); code != http.StatusForbidden {
		t.Errorf("without CSRF: %d, want 403", code)
	}
	// 个人信息保护法 第五十五条第（一）项 and 第五十六条第二款.
	code, body, _ = c.postCSRF("/selfcheck/pia", url.Values{"activity": {"门禁人脸识别"}, "trigger": {"sensitive"}, "answer_lawfulness": {"<b>必要</b>"}})
	if code != http.StatusOK || !strings.Contains(body, `data-required="true"`) || !strings.Contains(body, "&lt;b&gt;必要") {
		t.Fatalf("pia: %d", code)
	}
	// 工业和信息化领域数据安全事件应急预案 4.2 / 5.1 for a 重大 incident.
	code, body, _ = c.postCSRF("/selfcheck/incident", url.Values{"sector": {"miit"}, "grade": {"重大"}, "personal_info": {"on"}})
	if code != http.StatusOK || !strings.Contains(body, "5个工作日内") || !strings.Contains(body, "第五十七条") {
		t.Fatalf("incident: %d", code)
	}
	if code, _, _ := c.postCSRF("/selfcheck/incident", url.Values{"sector": {"bank"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown sector: %d", code)
	}
}

// scPostFile posts a multipart form with a file (own helper: the module
// tests' helpers may move with their modules).
func scPostFile(t *testing.T, c *client, path, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf())
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.env.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := c.do(req)
	return code, body
}

// TestSelfcheckClassifyUpload: a catalogue is classified with citations,
// exported as CSV and XLSX, and a wrong file type is refused.
func TestSelfcheckClassifyUpload(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.client(t)
	csv := "数据项,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录\n人脸特征,是,是,否,否\n=cmd|' /C calc'!A0,否,,否,是\n"
	code, body := scPostFile(t, c, "/selfcheck/classify", "目录.csv", []byte(csv))
	if code != http.StatusOK || !strings.Contains(body, "敏感个人信息") || !strings.Contains(body, "重要数据 1 项") || !strings.Contains(body, "第二十一条第三款") {
		t.Fatalf("classify: %d %s", code, body)
	}
	if code, body := scPostFile(t, c, "/selfcheck/classify", "目录.exe", []byte("MZ")); code != http.StatusUnprocessableEntity || !strings.Contains(body, ".csv 或 .xlsx") {
		t.Errorf("wrong type: %d", code)
	}
	items := `[{"row":2,"name":"=1+1","personal_info":"否","sensitive":"","core_impact":"否","listed_important":"是"}]`
	code, out, resp := c.postCSRF("/selfcheck/classify/export", url.Values{"items": {items}, "format": {"csv"}})
	if code != http.StatusOK || !strings.Contains(out, "'=1+1") || !strings.Contains(out, "重要数据") {
		t.Fatalf("csv export: %d %s", code, out)
	}
	code, out, resp = c.postCSRF("/selfcheck/classify/export", url.Values{"items": {items}, "format": {"xlsx"}})
	if code != http.StatusOK || !strings.HasPrefix(out, "PK") || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx export: %d", code)
	}
	if code, _, _ := c.postCSRF("/selfcheck/classify/export", url.Values{"items": {"[]"}}); code != http.StatusBadRequest {
		t.Errorf("empty export: %d", code)
	}
}

// TestSelfcheckRecords: a member files a check under an organisation; the
// record is recomputed on the server, listed, and flagged for review when a
// provision it cited changes status in the library.
func TestSelfcheckRecords(t *testing.T) {
	env := newRuzhangEnv(t)
	bundled, err := selfcheck.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	current := bundled
	if err := MountSelfcheck(env.srv, SelfcheckDeps{Library: func() *selfcheck.Library { return current }}); err != nil {
		t.Fatal(err)
	}
	c := env.client(t)
	input := `{"cii_operator":false,"important_data":false,"personal_info":100000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`
	if code, _, _ := c.postCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {input}}); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("visitor saved a record: %d", code)
	}
	c.login("hegui", account.RoleMember)
	if code, _, _ := c.postCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {`{"personal_info":-1}`}}); code != http.StatusUnprocessableEntity {
		t.Errorf("bad input saved: %d", code)
	}
	if code, body, _ := c.postCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {input}}); code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", code, body)
	}
	code, body := c.get("/selfcheck/records")
	if code != http.StatusOK || !strings.Contains(body, "示例公司") || !strings.Contains(body, "依据未变") {
		t.Fatalf("records: %d", code)
	}
	// 促进和规范数据跨境流动规定 is marked repealed in a later library: flagged.
	var versions []*library.Version
	files, _ := importer.BundledFiles()
	parsed, _ := importer.ParseBundled(files)
	for _, w := range importer.Assemble(nil, parsed) {
		for _, v := range w.Versions {
			if library.TitleKey(v.Title) == library.TitleKey("促进和规范数据跨境流动规定") {
				v.Validity = library.ValidityRepealed
			}
			versions = append(versions, v)
		}
	}
	current = selfcheck.NewLibrary(versions)
	if _, body := c.get("/selfcheck/records"); !strings.Contains(body, "需复核") || !strings.Contains(body, "已废止") {
		t.Errorf("repeal not flagged")
	}
}

// TestSelfcheckAPI: POST /api/v1/selfcheck/crossborder answers the same
// route as the CLI and refuses bad input naming the field.
func TestSelfcheckAPI(t *testing.T) {
	env := newSelfcheckEnv(t)
	post := func(tool, body string) (int, string) {
		resp, err := http.Post(env.ts.URL+"/api/v1/selfcheck/"+tool, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// 规定 第五条第（四）项: 99,999 individuals, non-CII → exempt.
	code, body := post("crossborder", `{"cii_operator":false,"important_data":false,"personal_info":99999,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`)
	if code != http.StatusOK || !strings.Contains(body, `"route":"exempt"`) || !strings.Contains(body, "第五条第（四）项") {
		t.Fatalf("%d %s", code, body)
	}
	if code, body := post("crossborder", `{"cii_operator":false}`); code != http.StatusBadRequest || !strings.Contains(body, "important_data") {
		t.Errorf("missing field: %d %s", code, body)
	}
	if code, _ := post("incident", `{"sector":"miit","grade":"重大"}`); code != http.StatusOK {
		t.Errorf("incident: %d", code)
	}
	if code, _ := post("horoscope", `{}`); code != http.StatusNotFound {
		t.Errorf("unknown tool: %d", code)
	}
}
