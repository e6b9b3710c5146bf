package search

import (
	"fmt"
	"strings"
	"sync"

	"datalex/internal/library"
)

// fixture builds a small library: two statutes with chapters and articles,
// an outline-style policy, a draft and a final text of one work, a
// catalogue record and a news item.
func fixture() []*library.Version {
	art := func(v *library.Version, parent, label, text string, line int) *library.Provision {
		p := &library.Provision{ID: fmt.Sprintf("%s.%d", v.ID, len(v.Provisions)), ParentID: parent, Kind: library.ProvArticle,
			Label: label, Text: label + " " + text, Line: line, LineEnd: line + 1, Citation: library.CitationFor(v.Title, label)}
		if parent == "" {
			p.Path = label
		} else {
			p.Path = v.Provision(parent).Label + " › " + label
		}
		v.Provisions = append(v.Provisions, p)
		return p
	}
	node := func(v *library.Version, parent, kind, label, text string, line int) *library.Provision {
		p := &library.Provision{ID: fmt.Sprintf("%s.%d", v.ID, len(v.Provisions)), ParentID: parent, Kind: kind,
			Label: label, Text: text, Line: line, LineEnd: line, Path: label, Citation: library.CitationFor(v.Title, label)}
		v.Provisions = append(v.Provisions, p)
		return p
	}
	src := func(file string, a, b int) []library.Source {
		return []library.Source{{File: file, FirstLine: a, LastLine: b}}
	}

	dsl := &library.Version{ID: "dsl", WorkID: "w-dsl", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法",
		Level: library.LevelLaw, Status: library.StatusInForce, IssueDate: "2021-06-10", Region: "全国",
		Issuers: []string{"全国人民代表大会常务委员会"}, Sources: src("001.txt", 100, 200), Tags: []string{"数据安全"}}
	c3 := node(dsl, "", library.ProvChapter, "第三章", "第三章 数据安全制度", 110)
	art(dsl, c3.ID, "第二十一条", "国家建立数据分类分级保护制度。关系国家安全、国民经济命脉、重要民生、重大公共利益等数据属于国家核心数据，实行更加严格的管理制度。", 111)
	c4 := node(dsl, "", library.ProvChapter, "第四章", "第四章 数据安全保护义务", 120)
	art(dsl, c4.ID, "第二十九条", "开展数据处理活动应当加强风险监测，发现数据安全缺陷、漏洞等风险时，应当立即采取补救措施；发生数据安全事件时，应当立即采取处置措施。", 121)
	art(dsl, c4.ID, "第三十六条", "非经中华人民共和国主管机关批准，境内的组织、个人不得向外国司法或者执法机构提供存储于中华人民共和国境内的数据。", 130)

	pipl := &library.Version{ID: "pipl", WorkID: "w-pipl", Kind: library.KindRegulation, Title: "中华人民共和国个人信息保护法",
		Level: library.LevelLaw, Status: library.StatusInForce, IssueDate: "2021-08-20", Region: "全国",
		Issuers: []string{"全国人民代表大会常务委员会"}, Sources: src("001.txt", 300, 400)}
	c2 := node(pipl, "", library.ProvChapter, "第二章", "第二章 个人信息处理规则", 301)
	art(pipl, c2.ID, "第三十一条", "个人信息处理者处理不满十四周岁未成年人个人信息的，应当取得未成年人的父母或者其他监护人的同意。", 310)
	c3p := node(pipl, "", library.ProvChapter, "第三章", "第三章 个人信息跨境提供的规则", 320)
	a38 := art(pipl, c3p.ID, "第三十八条", "个人信息处理者因业务等需要，确需向中华人民共和国境外提供个人信息的，应当具备下列条件之一：", 321)
	item := node(pipl, a38.ID, library.ProvItem, "（一）", "（一）依照本法第四十条的规定通过国家网信部门组织的安全评估；", 322)
	item.Kind = library.ProvItem
	node(pipl, a38.ID, library.ProvItem, "（二）", "（二）按照国家网信部门的规定经专业机构进行个人信息保护认证；", 323)

	acct := &library.Version{ID: "acct", WorkID: "w-acct", Kind: library.KindRegulation, Title: "企业数据资源相关会计处理暂行规定",
		Level: library.LevelNormative, Status: library.StatusInForce, IssueDate: "2023-08-01", Region: "全国",
		Issuers: []string{"财政部"}, Sources: src("001.txt", 500, 600), Tags: []string{"入表"}}
	o2 := node(acct, "", library.ProvOutline, "二、", "二、关于数据资源会计处理适用的准则", 510)
	o := node(acct, o2.ID, library.ProvOutline, "二、（一）", "（一）企业使用的数据资源，符合无形资产准则规定的定义和确认条件的，应当确认为无形资产，即数据资源入表。", 511)
	o.Path = "二、 › （一）"

	draft := &library.Version{ID: "bj-draft", WorkID: "w-bj", Kind: library.KindRegulation, Title: "北京市公共数据专区授权运营管理办法（征求意见稿）",
		Status: library.StatusDraft, IssueDate: "2023-05-01", Region: "北京", Level: library.LevelLocalRules, Sources: src("001.txt", 700, 720)}
	art(draft, "", "第十四条", "公共数据专区运营单位应当对不同级别的公共数据分级共享，有条件共享的数据经审核后共享。", 701)
	final := &library.Version{ID: "bj", WorkID: "w-bj", Kind: library.KindRegulation, Title: "北京市公共数据专区授权运营管理办法（试行）",
		Status: library.StatusTrial, IssueDate: "2023-12-05", Region: "北京", Level: library.LevelLocalRules, Sources: src("001.txt", 800, 820)}
	art(final, "", "第二十三条", "公共数据专区运营单位应当对不同级别的公共数据分级共享，有条件共享的数据经审核后共享。", 801)

	cat := &library.Version{ID: "cat", WorkID: "w-cat", Kind: library.KindCatalogue, Title: "数据出境安全评估申报指南（第一版）",
		Status: library.StatusInForce, IssueDate: "2022-08-31", Region: "全国", Flags: []string{library.FlagNoText}, Sources: src("003.txt", 4, 4)}

	news := &library.Version{ID: "news", WorkID: "w-news", Kind: library.KindNews, Title: "某平台因违法向境外提供个人信息被罚",
		IssueDate: "2024-11-01", Sources: src("002.txt", 950, 960)}
	art(news, "", "", "某平台向境外提供个人信息，未通过安全评估，被处以罚款。", 951)

	// A single-line source with offsets (like seed 003).
	rule := &library.Version{ID: "xborder", WorkID: "w-xborder", Kind: library.KindRegulation, Title: "促进和规范数据跨境流动规定",
		Status: library.StatusInForce, IssueDate: "2024-03-22", Region: "全国", Level: library.LevelDeptRules,
		Sources: []library.Source{{File: "003.txt", FirstLine: 4, LastLine: 4, Offset: 44000, OffsetEnd: 46000}}}
	p7 := art(rule, "", "第七条", "数据处理者向境外提供数据，符合下列条件之一的，应当通过所在地省级网信部门向国家网信部门申报数据出境安全评估。", 4)
	p7.LineEnd, p7.Offset, p7.OffsetEnd = 4, 44133, 44337

	return []*library.Version{dsl, pipl, acct, draft, final, cat, news, rule}
}

var (
	fixtureOnce  sync.Once
	fixtureIndex *Index
)

func testIndex() *Index {
	fixtureOnce.Do(func() { fixtureIndex = NewIndex(fixture()) })
	return fixtureIndex
}

func snippetText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}
