package ingest

import (
	"reflect"
	"testing"

	"datalex/internal/library"
)

func TestParseChineseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2021年6月10日": "2021-06-10",
		"（2021 年 6 月 10 日第十三届…通过）": "2021-06-10",
		"2024.11.08":       "2024-11-08",
		"数据条例（2023-12-31）": "2023-12-31",
		"二〇二三年十月一日":        "2023-10-01",
		"二○二二年十二月二十三日":     "2022-12-23",
		"2023年12月":         "",
		"2023年13月1日":       "",
		"第 6 号":            "",
		"":                 "",
	} {
		if got := ParseChineseDate(in); got != want {
			t.Errorf("ParseChineseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectStatus(t *testing.T) {
	for in, want := range map[string]string{
		"北京市公共数据专区授权运营管理办法（征）":          library.StatusDraft,
		"工业和信息化领域数据安全事件应急预案（试行）（征求意见稿）": library.StatusDraft,
		"数据安全法（草案）":        library.StatusBill,
		"工业数据分类分级指南（试行）":   library.StatusTrial,
		"企业数据资源相关会计处理暂行规定": library.StatusInterim,
		"中华人民共和国数据安全法":     "",
	} {
		if got := DetectStatus(in); got != want {
			t.Errorf("DetectStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectLevel(t *testing.T) {
	cases := []struct {
		title   string
		issuers []string
		region  string
		want    string
	}{
		{"中华人民共和国数据安全法", nil, "全国", library.LevelLaw},
		{"中华人民共和国个人信息保护法", []string{"全国人民代表大会常务委员会"}, "全国", library.LevelLaw},
		{"关键信息基础设施安全保护条例", []string{"国务院"}, "全国", library.LevelAdminRegs},
		{"数据出境安全评估办法", []string{"国家互联网信息办公室"}, "全国", library.LevelDeptRules},
		{"上海市数据条例", []string{"上海市人民代表大会常务委员会"}, "上海", library.LevelLocalRegs},
		{"深圳经济特区数据条例", nil, "广东", library.LevelLocalRegs},
		{"北京市公共数据管理办法", []string{"北京市人民政府"}, "北京", library.LevelLocalRules},
		{"北京市公共数据专区授权运营管理办法（试行）", []string{"北京市经济和信息化局"}, "北京", library.LevelNormative},
		{"信息安全技术 个人信息安全规范 GB/T 35273-2020", nil, "全国", library.LevelNationalStd},
		{"金融数据安全 数据安全分级指南 JR/T 0197-2020", nil, "全国", library.LevelSectorStd},
		{"DLT2549-2022电力数据脱敏实施规范", nil, "", library.LevelSectorStd},
		{"关于加强数据资产管理的指导意见", []string{"财政部"}, "全国", library.LevelNormative},
		{"中共中央 国务院关于构建数据基础制度更好发挥数据要素作用的意见", []string{"中共中央", "国务院"}, "全国", library.LevelPolicy},
		{"中国共产党机构编制工作条例", []string{"中共中央"}, "全国", library.LevelPartyRegs},
		{"中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要", nil, "全国", library.LevelPlanningGuide},
		{"数据资产评估指导意见", nil, "", library.LevelPolicy},
		{"某某技术要求", nil, "", ""},
	}
	for _, c := range cases {
		if got := DetectLevel(c.title, c.issuers, c.region); got != c.want {
			t.Errorf("DetectLevel(%q, %v, %q) = %q, want %q", c.title, c.issuers, c.region, got, c.want)
		}
	}
}

func TestExtractDocNumber(t *testing.T) {
	for in, want := range map[string]string{
		"财资〔2023〕141 号":           "财资〔2023〕141号",
		"财会[2023] 11号":            "财会〔2023〕11号",
		"国办发﹝2022﹞14号":            "国办发〔2022〕14号",
		"工信部网安［2022］166 号":        "工信部网安〔2022〕166号",
		"（京经信发(2023)53号）":         "京经信发〔2023〕53号",
		"关于印发…的通知财资〔2023〕141号":    "财资〔2023〕141号",
		"国家互联网信息办公室令第 11 号":       "国家互联网信息办公室令第11号",
		"中华人民共和国主席令〔十三届〕第九十七号":    "中华人民共和国主席令〔十三届〕第九十七号",
		"本办法自 2022 年 9 月 1 日起施行。": "",
	} {
		if got := ExtractDocNumber(in); got != want {
			t.Errorf("ExtractDocNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLevelFromDocNumber(t *testing.T) {
	for in, want := range map[string]string{
		"工业和信息化部令第11号":         library.LevelDeptRules,
		"国家互联网信息办公室令第11号":      library.LevelDeptRules,
		"山东省人民政府令第344号":        library.LevelLocalRules,
		"中华人民共和国主席令〔十三届〕第九十七号": "",
		"财资〔2023〕141号":         "",
	} {
		if got := LevelFromDocNumber(in); got != want {
			t.Errorf("LevelFromDocNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtractIssuers(t *testing.T) {
	cases := []struct {
		title string
		lines []string
		want  []string
	}{
		{"财政部关于印发《企业数据资源相关会计处理暂行规定》的通知", []string{"财会〔2023〕11号", "财 政 部", "2023年8月1日"}, []string{"财政部"}},
		{"工业和信息化部等十六部门关于促进数据安全产业发展的指导意见", nil, []string{"工业和信息化部"}},
		{"中共中央 国务院关于构建数据基础制度更好发挥数据要素作用的意见", nil, []string{"中共中央", "国务院"}},
		{"中华人民共和国数据安全法", []string{"（2021年6月10日第十三届全国人民代表大会常务委员会第二十九次会议通过）"}, []string{"全国人民代表大会常务委员会"}},
		{"重庆市数据条例", []string{"（2022 年 3 月 30 日重庆市第五届人民代表大会常务委员会第三十三次会议通过）"}, []string{"重庆市人民代表大会常务委员会"}},
		{"数据出境安全评估办法", []string{"国家互联网信息办公室令第 11 号"}, []string{"国家互联网信息办公室"}},
		{"数据资产评估指导意见", []string{"为规范数据资产评估行为，保护资产评估当事人合法权益。"}, nil},
		{"中国人民银行金融消费者权益保护实施办法", nil, []string{"中国人民银行"}},
		{"山西省大数据发展应用促进条例", []string{"（2020年5月15日已由山西省第十三届人民代表大会常务委员会第十八次会议通过）"}, []string{"山西省人民代表大会常务委员会"}},
	}
	for _, c := range cases {
		if got := ExtractIssuers(c.title, c.lines); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ExtractIssuers(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestExtractEffectiveDate(t *testing.T) {
	for _, c := range []struct{ text, issue, want string }{
		{"本规定自 2024 年 1 月 1 日起施行。", "2023-08-01", "2024-01-01"},
		{"本办法自发布之日起施行。", "2022-07-07", "2022-07-07"},
		{"本意见自印发之日起实施。", "", ""},
		{"没有施行条款。", "2022-07-07", ""},
	} {
		if got := ExtractEffectiveDate(c.text, c.issue); got != c.want {
			t.Errorf("ExtractEffectiveDate(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestExtractCitedTitles(t *testing.T) {
	text := "根据《中华人民共和国数据安全法》《个人信息保护法》和《〈企业会计准则第 6 号——无形资产〉应用指南》，依照《数据安全法》及本办法《数据出境安全评估办法》制定。《未闭合"
	got := ExtractCitedTitles(text, "数据出境安全评估办法")
	want := []string{"中华人民共和国数据安全法", "个人信息保护法", "〈企业会计准则第6号——无形资产〉应用指南"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRegion(t *testing.T) {
	for in, want := range map[string]string{"北京市": "北京", "内蒙古自治区": "内蒙古", "新疆": "新疆", "全国": "全国", "国家": "全国", "火星": ""} {
		if got := NormalizeRegion(in); got != want {
			t.Errorf("NormalizeRegion(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][2]string{
		"北京市公共数据专区授权运营管理办法":  {"北京", ""},
		"深圳经济特区数据条例":         {"广东", "深圳"},
		"中国（上海）自由贸易试验区临港新片区": {"上海", ""},
		"广西壮族自治区数据条例":        {"广西", ""},
		"中华人民共和国数据安全法":       {"", ""},
	} {
		r, c := RegionFromTitle(in)
		if r != want[0] || c != want[1] {
			t.Errorf("RegionFromTitle(%q) = %q,%q want %q", in, r, c, want)
		}
	}
}

// Fixtures are lines of seed 001 (line numbers in the comments).
func TestSplitIssuerNames(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"财 政 部", []string{"财政部"}},             // 13551, letter-spaced signature
		{"国家数据局财政部", []string{"国家数据局", "财政部"}}, // 10265, two names on one line
		{"中共中央国务院", []string{"中共中央", "国务院"}},   // 10274
		{"人力资源社会保障部中共中央组织部中央网信办国家发展改革委", []string{"人力资源和社会保障部", "中共中央组织部", "中央网络安全和信息化委员会办公室", "国家发展和改革委员会"}}, // 9729
		{"北京市知识产权局、北京市经济和信息化局、北京市人民检察院", []string{"北京市知识产权局", "北京市经济和信息化局", "北京市人民检察院"}},                      // 28942
		{"中华人民共和国工业和信息化部", []string{"工业和信息化部"}},            // 182035
		{"湖南省第十四届人民代表大会常务委员会", []string{"湖南省人民代表大会常务委员会"}}, // 54802
		{"国家互联网信息办公室秘书局", []string{"国家互联网信息办公室秘书局"}},       // 22011: one body, not two
		{"省统计局数据管理中心", []string{"省统计局数据管理中心"}},             // 82440: a unit of the bureau
		{"山东省市场监督管理局（省知识产权局）", []string{"山东省市场监督管理局"}},     // 69791: the bracket is the same body
		{"中共甘肃省委甘肃省人民政府", []string{"中共甘肃省委", "甘肃省人民政府"}},   // 116697
		{"国资委", []string{"国务院国有资产监督管理委员会"}},                // 8534, alias table
		{"原国家工商行政管理总局", nil},                               // a former body
		{"为贯彻落实中共中央 国务院", nil},                             // 59642: running text
		{"北京市企业数据知识产权工作指引北京市知识产权局", nil},                   // title glued to a name
		{"市大数据主管部门", nil},                                  // 28935: a generic reference
		{"国家互联网信息办公室主任庄荣文", nil},                           // 178657: a signer, not a body
	}
	for _, c := range cases {
		if got := SplitIssuers(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitIssuers(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeIssuer(t *testing.T) {
	for in, want := range map[string]string{
		"国家网信办":             "国家互联网信息办公室",
		"中国银保监会办公厅":         "中国银行保险监督管理委员会办公厅",
		"中华人民共和国国家发展和改革委员会": "国家发展和改革委员会",
		"财 政 部":             "财政部",
		"能源局":               "能源局", // not expanded: the alias table only holds unambiguous forms
	} {
		if got := NormalizeIssuer(in); got != want {
			t.Errorf("NormalizeIssuer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTopicTags(t *testing.T) {
	cases := []struct {
		title, opening string
		want           []string
	}{
		{"数据出境安全评估办法", "", []string{"数据出境"}},
		{"企业数据资源相关会计处理暂行规定", "", []string{"数据资产入表", "会计"}},
		{"资产评估执业准则—无形资产", "", []string{"资产评估"}},
		{"哈尔滨市公共数据开放管理办法", "由市大数据中心负责。市大数据中心应当", []string{"公共数据"}}, // 大数据中心 is a body, not 算力
		{"某某办法", "数据安全一次", nil},                                    // one mention in the text is not a topic
		{"某某办法", "数据安全……数据安全", []string{"数据安全"}},
	}
	for _, c := range cases {
		got, _ := TopicTags(c.title, c.opening)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("TopicTags(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

// FuzzSplitIssuers: whatever the input, every name returned reads as an
// issuer, and splitting terminates.
func FuzzSplitIssuers(f *testing.F) {
	for _, s := range []string{"财 政 部", "国家数据局财政部", "人力资源社会保障部中共中央组织部中央网信办国家发展改革委教育部科技部工业和信息化部财政部国家数据局",
		"山东省市场监督管理局（省知识产权局）", "为贯彻落实中共中央 国务院", "部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部部", "（（（）", "\xff\xfe局"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range SplitIssuers(s) {
			if !IsIssuerName(n) {
				t.Errorf("SplitIssuers(%q) returned %q", s, n)
			}
		}
	})
}
