package news

import (
	"testing"
)

func TestNCSummaryRepeatsBody(t *testing.T) {
	for _, tc := range []struct {
		sum, body string
		want      bool
	}{
		{"近日，广东省通信管理局发布关于下架3款侵害用户权益 APP 的通报。全文如下：依据…", "近日，广东省通信管理局发布关于下架3款侵害用户权益 APP 的通报。全文如下:\n\n依据", true},
		{"分类分级保护制度相关规定陆续出台。", "", false},
		{"要点摘要", "正文另起一段，与摘要不同。", false},
		{"短", "短文", true},
		{"", "正文", false},
	} {
		if got := summaryRepeatsBody(tc.sum, tc.body); got != tc.want {
			t.Errorf("summaryRepeatsBody(%q, %q) = %v", tc.sum, tc.body, got)
		}
	}
}
