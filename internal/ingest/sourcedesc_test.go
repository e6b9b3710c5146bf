package ingest

import (
	"testing"

	"datalex/internal/library"
)

func TestDescribeSource(t *testing.T) {
	for _, tc := range []struct {
		v    *library.Version
		want string
	}{
		{&library.Version{Part: "第二部分 国家政策", Subsection: "（一）法律", Sources: []library.Source{{File: "001_7f2e25d6ce76f700.txt", FirstLine: 10, LastLine: 20}}},
			"《数据资产新赛道全国法规政策汇编（2024版）》 › 第二部分 国家政策 › （一）法律"},
		{&library.Version{Part: "B.法律法规篇", Tags: []string{"宝典目录:B.法律法规篇 3.", "宝典页码:p.97"}, Sources: []library.Source{{File: "003_0c77de8fbd85633f.txt", FirstLine: 4, LastLine: 4}}},
			"全球数据资产理事会《数据资产政策宝典（2024版）》 › B.法律法规篇 · 第 97 页"},
		{&library.Version{Part: "民法商法", Sources: []library.Source{{File: "民法商法/公司法(2018-10-26).md"}}},
			"LawRefBook 法律库 › 民法商法/公司法(2018-10-26)"},
		{&library.Version{Sources: []library.Source{{File: "uploads/某某办法.docx", FirstLine: 1, LastLine: 9}}}, "导入文件 某某办法.docx"},
		// A text found in two compilations names both; the 宝典's page goes
		// with the 宝典, not with the compilation whose copy was kept.
		{&library.Version{Part: "三、法规政策性文件", Tags: []string{"宝典页码:p.937"}, Sources: []library.Source{{File: "001_7f2e25d6ce76f700.txt"}, {File: "003_0c77de8fbd85633f.txt"}}},
			"《数据资产新赛道全国法规政策汇编（2024版）》 › 三、法规政策性文件；全球数据资产理事会《数据资产政策宝典（2024版）》 · 第 937 页"},
	} {
		if got := DescribeSource(tc.v); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
