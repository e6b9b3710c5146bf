package mcpserver

import (
	"strings"
	"testing"

	"datalex/internal/selfcheck/crossborder"
)

// check_crossborder: 规定 第七条第（二）项 "1万人以上敏感个人信息" → assessment;
// bad input is an error naming the field.
func TestCheckCrossborderTool(t *testing.T) {
	cs := connect(t)
	var out crossborder.Result
	res := call(t, cs, "check_crossborder", map[string]any{"cii_operator": false, "important_data": false,
		"personal_info": 0, "sensitive_personal_info": 10000, "scenario": "none", "ftz_outside_negative_list": false}, &out)
	if res.IsError || out.Route != crossborder.RouteAssessment || len(out.Citations) == 0 {
		t.Fatalf("%+v %+v", res, out)
	}
	// The test catalog lacks the 规定, so the tool says so instead of quoting it.
	if !strings.Contains(strings.Join(out.Notes, ""), "资料库中未找到") {
		t.Errorf("missing provisions not reported: %v", out.Notes)
	}
	res = call(t, cs, "check_crossborder", map[string]any{"cii_operator": false, "important_data": false,
		"personal_info": 0, "sensitive_personal_info": 1, "scenario": "tourism", "ftz_outside_negative_list": false}, nil)
	if !res.IsError {
		t.Fatal("unknown scenario accepted")
	}
	if b := res.Content[0].(interface{ MarshalJSON() ([]byte, error) }); b != nil {
		j, _ := b.MarshalJSON()
		if !strings.Contains(string(j), "scenario") {
			t.Errorf("error does not name the field: %s", j)
		}
	}
}
