package selfcheck

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"datalex/internal/account"
	"datalex/internal/importer"
	"datalex/internal/library"
	"datalex/internal/selfcheck"
)

// TestSelfcheckClassifyUpload: a catalogue is classified with citations,
// exported as CSV and XLSX, and a wrong file type is refused.
func TestSelfcheckClassifyUpload(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	csv := "数据项,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录\n人脸特征,是,是,否,否\n=cmd|' /C calc'!A0,否,,否,是\n"
	code, body := c.PostFile("/selfcheck/classify", nil, "目录.csv", []byte(csv))
	if code != http.StatusOK || !strings.Contains(body, "敏感个人信息") || !strings.Contains(body, "重要数据 1 项") || !strings.Contains(body, "第二十一条第三款") {
		t.Fatalf("classify: %d %s", code, body)
	}
	if code, body := c.PostFile("/selfcheck/classify", nil, "目录.exe", []byte("MZ")); code != http.StatusUnprocessableEntity || !strings.Contains(body, ".csv 或 .xlsx") {
		t.Errorf("wrong type: %d", code)
	}
	items := `[{"row":2,"name":"=1+1","personal_info":"否","sensitive":"","core_impact":"否","listed_important":"是"}]`
	code, out, _ := c.PostCSRF("/selfcheck/classify/export", url.Values{"items": {items}, "format": {"csv"}})
	if code != http.StatusOK || !strings.Contains(out, "'=1+1") || !strings.Contains(out, "重要数据") {
		t.Fatalf("csv export: %d %s", code, out)
	}
	code, out, resp := c.PostCSRF("/selfcheck/classify/export", url.Values{"items": {items}, "format": {"xlsx"}})
	if code != http.StatusOK || !strings.HasPrefix(out, "PK") || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx export: %d", code)
	}
	if code, _, _ := c.PostCSRF("/selfcheck/classify/export", url.Values{"items": {"[]"}}); code != http.StatusBadRequest {
		t.Errorf("empty export: %d", code)
	}
	if code, _, _ := c.Post("/selfcheck/classify/export", url.Values{"items": {items}}); code != http.StatusForbidden {
		t.Errorf("export without CSRF: %d", code)
	}
}

// TestSelfcheckRecords: a member files a check under an organisation; the
// result is recomputed on the server, listed, and flagged for review when a
// provision it cited changes status in the library.
func TestSelfcheckRecords(t *testing.T) {
	bundled, err := selfcheck.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	current := bundled
	selfcheckLibraryOverride = func() *selfcheck.Library { return current }
	t.Cleanup(func() { selfcheckLibraryOverride = nil })
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	input := `{"cii_operator":false,"important_data":false,"personal_info":100000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`
	if code, _, _ := c.PostCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {input}}); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("visitor saved a record: %d", code)
	}
	c.Login("hegui", account.RoleMember)
	if code, _, _ := c.PostCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {`{"personal_info":-1}`}}); code != http.StatusUnprocessableEntity {
		t.Errorf("bad input saved: %d", code)
	}
	if code, body, _ := c.PostCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"示例公司"}, "input": {input}}); code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", code, body)
	}
	code, body := c.Get("/selfcheck/records")
	if code != http.StatusOK || !strings.Contains(body, "示例公司") || !strings.Contains(body, "依据未变") {
		t.Fatalf("records: %d %s", code, body)
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
	if _, body := c.Get("/selfcheck/records"); !strings.Contains(body, "需复核") || !strings.Contains(body, "已废止") {
		t.Errorf("repeal not flagged")
	}
}

// TestSelfcheckCrossborderSave: a member's crossborder result page carries
// the filing form with the facts; a visitor's does not.
func TestSelfcheckCrossborderSave(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	q := "/selfcheck/crossborder?submitted=1&personal_info=100000&sensitive_personal_info=0&scenario=none"
	if _, body := c.Get(q); strings.Contains(body, `id="save-form"`) {
		t.Error("visitor offered the filing form")
	}
	c.Login("hegui2", account.RoleMember)
	_, body := c.Get(q)
	if !strings.Contains(body, `id="save-form"`) || !strings.Contains(body, "&#34;personal_info&#34;:100000") {
		t.Fatalf("no filing form: %s", body)
	}
	input := `{"cii_operator":false,"important_data":false,"personal_info":100000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`
	if code, _, _ := c.PostCSRF("/selfcheck/records", url.Values{"tool": {"crossborder"}, "org": {"甲公司"}, "input": {input}}); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	if _, body := c.Get("/selfcheck/records"); !strings.Contains(body, "甲公司") || !strings.Contains(body, "crossborder") {
		t.Error("record not listed")
	}
}

// TestSelfcheckPIAAndIncidentForms: 个人信息保护法 第五十五条（一） makes the
// assessment required; 工信预案 4.2 gives a 较大 incident an immediate report;
// bad input is shown again; forms without the CSRF token are refused.
func TestSelfcheckPIAAndIncidentForms(t *testing.T) {
	env := newSelfcheckEnv(t)
	c := env.Client(t)
	for _, p := range []string{"/selfcheck/pia", "/selfcheck/incident"} {
		if code, body := c.Get(p); code != http.StatusOK || !strings.Contains(body, `name="csrf"`) {
			t.Fatalf("GET %s: %d", p, code)
		}
	}
	code, body, _ := c.PostCSRF("/selfcheck/pia", url.Values{"activity": {"门禁人脸识别"}, "activity_code": {"sensitive"}, "purpose_and_method": {"<b>必要</b>"}})
	if code != http.StatusOK || !strings.Contains(body, `data-required="true"`) || !strings.Contains(body, "&lt;b&gt;必要") || !strings.Contains(body, "第五十五条") {
		t.Fatalf("pia: %d %s", code, body)
	}
	if code, _, _ := c.PostCSRF("/selfcheck/pia", url.Values{"activity": {"x"}, "activity_code": {"astrology"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown activity code: %d", code)
	}
	code, body, _ = c.PostCSRF("/selfcheck/incident", url.Values{"data_security_incident": {"on"}, "miit_sector": {"on"}, "grade": {"较大"}})
	if code != http.StatusOK || !strings.Contains(body, "地方行业监管部门") || !strings.Contains(body, "4.2") {
		t.Fatalf("incident: %d %s", code, body)
	}
	if code, _, _ := c.PostCSRF("/selfcheck/incident", url.Values{"grade": {"严重"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown grade: %d", code)
	}
	if code, _, _ := c.Post("/selfcheck/incident", url.Values{"grade": {"一般"}}); code != http.StatusForbidden {
		t.Errorf("without CSRF: %d", code)
	}
}

// TestSelfcheckToolAPI: POST /api/v1/selfcheck/{pia,incident,classify}.
func TestSelfcheckToolAPI(t *testing.T) {
	env := newSelfcheckEnv(t)
	post := func(tool, body string) (int, string) {
		resp, err := http.Post(env.TS.URL+"/api/v1/selfcheck/"+tool, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, body := post("incident", `{"data_security_incident":true,"miit_sector":true,"grade":"重大"}`); code != http.StatusOK || !strings.Contains(body, "5.1") {
		t.Errorf("incident: %d %s", code, body)
	}
	if code, body := post("classify", `[{"row":2,"name":"人脸","personal_info":"是","sensitive":"是","core_impact":"否","listed_important":"否"}]`); code != http.StatusOK || !strings.Contains(body, "敏感个人信息") {
		t.Errorf("classify: %d %s", code, body)
	}
	if code, _ := post("pia", `{"activity":"x","activities":["astrology"]}`); code != http.StatusBadRequest {
		t.Errorf("bad pia: %d", code)
	}
	if code, _ := post("horoscope", `{}`); code != http.StatusNotFound {
		t.Errorf("unknown tool: %d", code)
	}
}
