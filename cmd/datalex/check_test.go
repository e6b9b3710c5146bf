package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// captureStdout runs f with os.Stdout redirected.
func captureStdout(t *testing.T, f func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	ferr := f()
	w.Close()
	os.Stdout = old
	return <-done, ferr
}

// TestCheckCrossborderCLI: the interface of `datalex check crossborder
// --case FILE --json` (route, obligations, citations with document/label/
// quote, notes) and its errors naming the field.
func TestCheckCrossborderCLI(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 规定 第七条第（二）项: "100万人以上" includes 1,000,000.
	ok := write("ok.json", `{"cii_operator":false,"important_data":false,"personal_info":1000000,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`)
	out, err := captureStdout(t, func() error { return runCheck(context.Background(), []string{"crossborder", "--case", ok, "--json"}) })
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Route       string   `json:"route"`
		Obligations []string `json:"obligations"`
		Citations   []struct {
			Document, Label, Quote string
		} `json:"citations"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Route != "security_assessment" || len(res.Obligations) == 0 || len(res.Citations) == 0 || res.Notes == nil {
		t.Fatalf("%+v", res)
	}
	for _, c := range res.Citations {
		if c.Document == "" || c.Label == "" || c.Quote == "" {
			t.Errorf("incomplete citation %+v", c)
		}
	}
	for body, field := range map[string]string{
		`{"cii_operator":false,"important_data":false,"personal_info":-1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false}`:      "personal_info",
		`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"cruise","ftz_outside_negative_list":false}`:     "scenario",
		`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none"}`:                                         "ftz_outside_negative_list",
		`{"cii_operator":false,"important_data":false,"personal_info":1,"sensitive_personal_info":0,"scenario":"none","ftz_outside_negative_list":false,"x":1}`: "x",
	} {
		p := write("bad.json", body)
		_, err := captureStdout(t, func() error { return runCheck(context.Background(), []string{"crossborder", "--case", p, "--json"}) })
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v should name %s", body, err, field)
		}
	}
}
