package validity

import (
	"testing"
	"time"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
)

func annotated(t *testing.T, asOf string) map[string]*library.Version {
	t.Helper()
	day, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		t.Fatal(err)
	}
	vs := checktest.BundledVersions(t)
	Annotate(vs, day)
	byTitle := map[string]*library.Version{}
	for _, v := range vs {
		if _, dup := byTitle[v.Title]; !dup {
			byTitle[v.Title] = v
		}
	}
	return byTitle
}

// TestKnownDocuments checks documents whose status, nature, level and
// relations can be read off their texts in the bundled seeds. Each row says
// where the fact comes from.
func TestKnownDocuments(t *testing.T) {
	byTitle := annotated(t, "2026-12-04")
	tests := []struct {
		title, validity, nature, level, expiry, docNumber, region string
	}{
		// Laws: no evidence of repeal in the library → in force.
		{"中华人民共和国数据安全法", library.ValidityInForce, library.NatureFormal, library.LevelLaw, "", "", "全国"},
		{"中华人民共和国网络安全法", library.ValidityInForce, library.NatureFormal, library.LevelLaw, "", "", "全国"},
		{"中华人民共和国个人信息保护法", library.ValidityInForce, library.NatureFormal, library.LevelLaw, "", "", "全国"},
		// 令号 in the text → 部门规章.
		{"数据出境安全评估办法", library.ValidityInForce, library.NatureFormal, library.LevelDeptRules, "", "国家互联网信息办公室令第11号", "全国"},
		// 令号 read from 促进和规范数据跨境流动规定 第十三条, which cites it.
		{"个人信息出境标准合同办法", library.ValidityInForce, library.NatureFormal, library.LevelDeptRules, "", "国家互联网信息办公室令第13号", "全国"},
		// Validity periods stated in the closing articles, lapsed by 2026-12-04.
		{"天津市数据交易管理暂行办法", library.ValidityLapsed, library.NatureInterim, "", "2024-01-24", "", "天津"},
		{"德阳市数据要素管理暂行办法", library.ValidityLapsed, library.NatureInterim, "", "2024-10-07", "", "四川"},
		{"深圳市数据交易管理暂行办法", library.ValidityLapsed, library.NatureInterim, "", "2026-02-28", "", "广东"},
		// Trial text that is in force: the "final" grouped with it is a copy,
		// not a newer text (same effective date).
		{"工业和信息化领域数据安全管理办法（试行）", library.ValidityInForce, library.NatureTrial, "", "", "", "全国"},
		// Drafts are not in force.
		{"北京市公共数据专区授权运营管理办法（征）", library.ValidityNotYet, library.NatureComment, "", "", "", "北京"},
		{"江西省数据应用条例（草案）", library.ValidityNotYet, library.NatureBill, "", "", "", "江西"},
		// Repealed: 资产评估基本准则 (2017) states the 2004 text is repealed.
		{"资产评估职业道德准则—基本准则", library.ValidityRepealed, library.NatureFormal, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			v := byTitle[tt.title]
			if v == nil {
				t.Fatalf("not in the bundled library")
			}
			if v.Validity != tt.validity || v.ValidityReason == "" {
				t.Errorf("validity = %s (%s), want %s", v.Validity, v.ValidityReason, tt.validity)
			}
			if v.Nature != tt.nature {
				t.Errorf("nature = %s, want %s", v.Nature, tt.nature)
			}
			if tt.level != "" && v.Level != tt.level {
				t.Errorf("level = %s, want %s", v.Level, tt.level)
			}
			if v.ExpiryDate != tt.expiry {
				t.Errorf("expiry = %q, want %q", v.ExpiryDate, tt.expiry)
			}
			if tt.docNumber != "" && v.DocNumber != tt.docNumber {
				t.Errorf("doc number = %q, want %q", v.DocNumber, tt.docNumber)
			}
			if tt.region != "" && v.Region != tt.region {
				t.Errorf("region = %q, want %q", v.Region, tt.region)
			}
		})
	}
}

// TestEveryDocumentHasLevelAndStatus is the acceptance rule: no version
// without 效力级别 and 时效性 (未知 only with a reason).
func TestEveryDocumentHasLevelAndStatus(t *testing.T) {
	for _, v := range annotated(t, "2026-12-04") {
		if v.Level == "" {
			t.Errorf("%s: no 效力级别", v.Title)
		}
		if v.Validity == "" || v.ValidityReason == "" {
			t.Errorf("%s: 时效性 %q without reason", v.Title, v.Validity)
		}
		if v.Region == "" && v.Kind == library.KindRegulation && v.Level == library.LevelLaw {
			t.Errorf("%s: national law without region", v.Title)
		}
	}
}

// TestRelations: relations stated in the texts, resolved to works.
func TestRelations(t *testing.T) {
	byTitle := annotated(t, "2026-12-04")
	tests := []struct{ from, typ, to, provision string }{
		// 第十三条: earlier rules that differ yield to this one.
		{"促进和规范数据跨境流动规定", library.RelPrevails, "数据出境安全评估办法", "第十三条"},
		{"促进和规范数据跨境流动规定", library.RelPrevails, "个人信息出境标准合同办法", "第十三条"},
		{"促进和规范数据跨境流动规定", library.RelBasis, "中华人民共和国个人信息保护法", "第一条"},
		{"资产评估基本准则", library.RelRepeals, "资产评估职业道德准则—基本准则", ""},
		{"北京市公共数据专区授权运营管理办法（征）", library.RelDraftOf, "北京市公共数据专区授权运营管理办法（试行）", ""},
	}
	for _, tt := range tests {
		v := byTitle[tt.from]
		if v == nil {
			t.Fatalf("%s not in library", tt.from)
		}
		found := false
		for _, r := range v.Relations {
			if r.Type == tt.typ && r.Target == tt.to && r.TargetWork != "" {
				found = true
				if tt.provision != "" {
					var label string
					for _, p := range v.Provisions {
						if p.ID == r.Provision {
							label = p.Label
						}
					}
					if label != tt.provision {
						t.Errorf("%s %s %s: stated in %q, want %s", tt.from, tt.typ, tt.to, label, tt.provision)
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s relation to %s in %+v", tt.from, tt.typ, tt.to, v.Relations)
		}
	}
}

// TestAsOf: status depends on the date asked about.
func TestAsOf(t *testing.T) {
	for _, tt := range []struct{ asOf, want string }{
		{"2021-06-01", library.ValidityNotYet},  // before 施行 2022-01-25
		{"2023-06-01", library.ValidityInForce}, // within the period
		{"2024-01-24", library.ValidityInForce}, // last day
		{"2024-01-25", library.ValidityLapsed},
	} {
		v := annotated(t, tt.asOf)["天津市数据交易管理暂行办法"]
		if v.Validity != tt.want {
			t.Errorf("as of %s: %s (%s), want %s", tt.asOf, v.Validity, v.ValidityReason, tt.want)
		}
	}
}

func TestExpiryForms(t *testing.T) {
	mk := func(eff, text string) *library.Version {
		return &library.Version{Kind: library.KindRegulation, EffectiveDate: eff,
			Provisions: []*library.Provision{{Label: "第一条", Text: "第一条 为了……制定本办法。"}, {Label: "第二十条", Text: text}}}
	}
	for _, tt := range []struct{ eff, text, want string }{
		{"2023-03-01", "第二十条 本办法自2023年3月1日起施行，有效期至2025年12月31日。", "2025-12-31"},
		{"2023-03-01", "第二十条 本办法自2023年3月1日起施行，有效期3年。", "2026-02-28"},
		{"2022-10-08", "第二十条 本办法自印发之日起施行，有效期两年。", "2024-10-07"},
		{"2023-01-01", "第二十条 本细则有效期至2025年底。", "2025-12-31"},
		{"2023-01-01", "第二十条 数据出境安全评估结果有效期为2年。", ""}, // not the document's own period
		{"2023-01-01", "第二十条 本办法自发布之日起施行。", ""},
	} {
		if got := expiry(mk(tt.eff, tt.text)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStandardCodeSkipsCitedStandards(t *testing.T) {
	for _, tt := range []struct {
		title string
		texts []string
		want  string
	}{
		{"证券期货业数据分类分级指引", []string{"前言", "2规范性引用文件\n下列文件对于本文件的应用是必不可少的。\nGB/T10113—2003 分类与编码通用术语"}, ""},
		{"信息安全技术 数据安全风险评估方法（GB/T 45577-2025）", nil, "GB/T 45577-2025"},
		{"某标准", []string{"JR/T 0158—2018 证券期货业数据分类分级指引", "2 规范性引用文件 GB/T 22240-2008"}, "JR/T 0158-2018"},
	} {
		v := &library.Version{Title: tt.title}
		for _, x := range tt.texts {
			v.Provisions = append(v.Provisions, &library.Provision{Text: x})
		}
		if got := standardCode(v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.title, got, tt.want)
		}
	}
}

// TestLevelIgnoresEditionNumber: an edition number after the title's last
// word (…分级指南2.0（试行）) does not hide the kind of text.
func TestLevelIgnoresEditionNumber(t *testing.T) {
	for _, tt := range []struct{ title, region, want string }{
		{"重庆市公共数据分类分级指南2.0(试行)", "重庆", library.LevelLocalStd},
		{"某市数据交换规范 V1.1", "某市", library.LevelLocalStd},
	} {
		v := &library.Version{Kind: library.KindRegulation, Title: tt.title, Region: tt.region}
		fillLevel(v)
		if v.Level != tt.want {
			t.Errorf("%s: level %q, want %q", tt.title, v.Level, tt.want)
		}
	}
}
