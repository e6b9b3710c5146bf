package ingest

import "testing"

func TestOfficialLinks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string
		line  int
	}{
		{"labelled reading link", []string{"国家标准全文公开系统在线阅读：https://openstd.samr.gov.cn/bzgk/gb/"}, []string{"https://openstd.samr.gov.cn/bzgk/gb/"}, 100},
		{"attachments on their own lines", []string{"附件 1", "", "http://www.sasac.gov.cn/n2588035/c29931975/part/29932006.docx", "", "http://www.sasac.gov.cn/n2588035/c29931975/part/29932007.docx"},
			[]string{"http://www.sasac.gov.cn/n2588035/c29931975/part/29932006.docx", "http://www.sasac.gov.cn/n2588035/c29931975/part/29932007.docx"}, 102},
		{"reference list mixing sites", []string{"http://www.caict.ac.en/kxyj/qwfb/bps/201806/t20180604", "http://www.npc.gov.cn/npc/c30834/202106/7c8af12f51334a73b56d7838f88a788a.shtml"}, nil, 0},
		{"link inside a sentence", []string{"通过全市统一平台“上海市公共数据开放平台（https://data.sh.gov.cn）”完成受理和答复"}, nil, 0},
		{"not government", []string{"https://baike.baidu.com/item/x", "https://gov.cn.evil.example/", "javascript:alert(1)"}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := OfficialLinks(tc.lines, 100)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %v", got, tc.want)
			}
			for i, w := range tc.want {
				if got[i].Note != w {
					t.Errorf("link %d = %q, want %q", i, got[i].Note, w)
				}
			}
			if len(got) > 0 && got[0].Line != tc.line {
				t.Errorf("line %d, want %d", got[0].Line, tc.line)
			}
		})
	}
}
