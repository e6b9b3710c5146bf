package ruzhang

import (
	"strings"
	"unicode"

	"datalex/internal/library"
)

// Ref names the provision a rule comes from: the document title and the
// provision label as the library labels it (二、4 / 三、（一） / 第九条).
type Ref struct {
	Doc   string `json:"doc"`
	Label string `json:"label"`
}

// Citation is the human citation, e.g. 《企业数据资源相关会计处理暂行规定》 二、4.
func (r Ref) Citation() string { return library.CitationFor(r.Doc, r.Label) }

// The documents the engine applies. Titles follow the texts in the library
// (seed 001 §二-2, §二-3, §三-6, §三-7).
const (
	docInterim   = "企业数据资源相关会计处理暂行规定"
	docValuation = "数据资产评估指导意见"
	docCAS6      = "企业会计准则第6号——无形资产"
	docCAS1      = "企业会计准则第1号——存货"
	docDAGuide   = "关于加强数据资产管理的指导意见"
	docGovNotice = "关于加强行政事业单位数据资产管理的通知"
)

// Every provision the engine relies on. Keep this list in sync with the
// rules: AllRefs feeds the test that checks each one exists in the library.
var (
	refScope          = Ref{docInterim, "一、"}
	refStandards      = Ref{docInterim, "二、"}
	refIntangible     = Ref{docInterim, "二、1"}
	refIntangibleCost = Ref{docInterim, "二、2"}
	refService        = Ref{docInterim, "二、3"}
	refInventory      = Ref{docInterim, "二、4"}
	refInventoryCost  = Ref{docInterim, "二、5"}
	refInventorySale  = Ref{docInterim, "二、6"}
	refBalanceSheet   = Ref{docInterim, "三、（一）"}
	refDisclosure     = Ref{docInterim, "三、（二）"}
	refDiscIntTable   = Ref{docInterim, "三、（二）1（1）"}
	refDiscIntLife    = Ref{docInterim, "三、（二）1（2）"}
	refDiscIntRD      = Ref{docInterim, "三、（二）1（6）"}
	refDiscIntImpair  = Ref{docInterim, "三、（二）1（7）"}
	refDiscInvTable   = Ref{docInterim, "三、（二）2（1）"}
	refDiscInvMethod  = Ref{docInterim, "三、（二）2（2）"}
	refDiscInvNRV     = Ref{docInterim, "三、（二）2（3）"}
	refDiscOther      = Ref{docInterim, "三、（二）3"}
	refTransition     = Ref{docInterim, "四、"}
	refSaleNotAsset   = Ref{docInterim, "二、7"}
	refDiscIntChange  = Ref{docInterim, "三、（二）1（3）"}
	refDiscIntSingle  = Ref{docInterim, "三、（二）1（4）"}
	refDiscIntPledged = Ref{docInterim, "三、（二）1（5）"}
	refDiscInvSingle  = Ref{docInterim, "三、（二）2（4）"}

	refCAS6Definition  = Ref{docCAS6, "第三条"}
	refCAS6Recognition = Ref{docCAS6, "第四条"}
	refCAS6Expense     = Ref{docCAS6, "第六条"}
	refCAS6RAndD       = Ref{docCAS6, "第七条"}
	refCAS6Research    = Ref{docCAS6, "第八条"}
	refCAS6Development = Ref{docCAS6, "第九条"}
	refCAS6Purchased   = Ref{docCAS6, "第十二条"}
	refCAS6Developed   = Ref{docCAS6, "第十三条"}
	refCAS6Contributed = Ref{docCAS6, "第十四条"}
	refCAS6Life        = Ref{docCAS6, "第十六条"}
	refCAS6Amortise    = Ref{docCAS6, "第十七条"}
	refCAS6Residual    = Ref{docCAS6, "第十八条"}
	refCAS6Indefinite  = Ref{docCAS6, "第十九条"}
	refCAS6Impairment  = Ref{docCAS6, "第二十条"}
	refCAS6Review      = Ref{docCAS6, "第二十一条"}
	refCAS6Sale        = Ref{docCAS6, "第二十二条"}
	refCAS6WriteOff    = Ref{docCAS6, "第二十三条"}

	refCAS1Definition  = Ref{docCAS1, "第三条"}
	refCAS1Recognition = Ref{docCAS1, "第四条"}
	refCAS1PurchCost   = Ref{docCAS1, "第六条"}
	refCAS1ConvCost    = Ref{docCAS1, "第七条"}
	refCAS1Excluded    = Ref{docCAS1, "第九条"}
	refCAS1Contributed = Ref{docCAS1, "第十一条"}
	refCAS1NRV         = Ref{docCAS1, "第十五条"}
	refCAS1Reversal    = Ref{docCAS1, "第十九条"}
	refCAS1CostFlow    = Ref{docCAS1, "第十四条"}
	refCAS1Damage      = Ref{docCAS1, "第二十一条"}

	// 行政事业单位 and public data assets.
	refGovDefinition   = Ref{docGovNotice, "一、（一）"}
	refGovConfig       = Ref{docGovNotice, "二、（三）"}
	refGovUse          = Ref{docGovNotice, "二、（四）"}
	refGovDisposal     = Ref{docGovNotice, "二、（六）"}
	refGovIncome       = Ref{docGovNotice, "二、（七）"}
	refGovRegistration = Ref{docGovNotice, "二、（八）"}
	refGovReport       = Ref{docGovNotice, "三、（十一）"}
	refGuideCompliance = Ref{docDAGuide, "二、（四）"}
	refGuideRights     = Ref{docDAGuide, "二、（五）"}
	refGuideCard       = Ref{docDAGuide, "二、（六）"}
	refGuideDisclosure = Ref{docDAGuide, "二、（十四）"}

	refValMethods  = Ref{docValuation, "第十九条"}
	refValIncome   = Ref{docValuation, "第二十一条"}
	refValCost     = Ref{docValuation, "第二十二条"}
	refValMarket   = Ref{docValuation, "第二十三条"}
	refValMultiple = Ref{docValuation, "第二十四条"}
	// Formula models of 附3 (the library labels annex outlines "附3 一、（一）").
	refModelDirect      = Ref{docValuation, "附3 一、（一）"}
	refModelShare       = Ref{docValuation, "附3 一、（二）"}
	refModelExcess      = Ref{docValuation, "附3 一、（三）"}
	refModelIncremental = Ref{docValuation, "附3 一、（四）"}
	refModelCost        = Ref{docValuation, "附3 二、"}
	refModelMarket      = Ref{docValuation, "附3 三、（一）"}
	refModelMarketCoef  = Ref{docValuation, "附3 三、（二）"}
)

// AllRefs returns every provision the engine can cite, in a stable order.
func AllRefs() []Ref {
	return []Ref{
		refScope, refStandards, refIntangible, refIntangibleCost, refService,
		refInventory, refInventoryCost, refInventorySale, refBalanceSheet,
		refDisclosure, refDiscIntTable, refDiscIntLife, refDiscIntRD, refDiscIntImpair,
		refDiscInvTable, refDiscInvMethod, refDiscInvNRV, refDiscOther, refTransition,
		refCAS6Definition, refCAS6Recognition, refCAS6Expense, refCAS6RAndD,
		refCAS6Research, refCAS6Development, refCAS6Purchased, refCAS6Developed,
		refCAS6Contributed, refCAS6Life, refCAS6Amortise, refCAS6Residual,
		refCAS6Indefinite, refCAS6Impairment,
		refCAS1Definition, refCAS1Recognition, refCAS1PurchCost, refCAS1ConvCost,
		refCAS1Excluded, refCAS1Contributed, refCAS1NRV, refCAS1Reversal,
		refValMethods, refValIncome, refValCost, refValMarket, refValMultiple,
		refModelDirect, refModelShare, refModelExcess, refModelIncremental,
		refModelCost, refModelMarket, refModelMarketCoef,
		refSaleNotAsset, refDiscIntChange, refDiscIntSingle, refDiscIntPledged, refDiscInvSingle,
		refCAS6Review, refCAS6Sale, refCAS6WriteOff, refCAS1CostFlow, refCAS1Damage,
		refGovDefinition, refGovConfig, refGovUse, refGovDisposal, refGovIncome, refGovRegistration, refGovReport,
		refGuideCompliance, refGuideRights, refGuideCard, refGuideDisclosure,
	}
}

// Resolve finds the library provision of each ref by normalised document
// title (or alias) and normalised label. It returns ref → provision id and
// the refs it could not find. When a work has several versions the first
// matching version in the given order wins.
func Resolve(refs []Ref, versions []*library.Version) (map[Ref]string, []Ref) {
	found := make(map[Ref]string, len(refs))
	var missing []Ref
	for _, r := range refs {
		if _, ok := found[r]; ok {
			continue
		}
		if id := resolveOne(r, versions); id != "" {
			found[r] = id
		} else {
			missing = append(missing, r)
		}
	}
	return found, missing
}

func resolveOne(r Ref, versions []*library.Version) string {
	doc, label := normTitle(r.Doc), normLabel(r.Label)
	for _, v := range versions {
		if !versionMatches(v, doc) {
			continue
		}
		for _, p := range v.Provisions {
			if normLabel(p.Label) == label {
				return p.ID
			}
		}
	}
	return ""
}

func versionMatches(v *library.Version, doc string) bool {
	if normTitle(v.Title) == doc {
		return true
	}
	for _, a := range v.Aliases {
		if normTitle(a) == doc {
			return true
		}
	}
	return false
}

// normTitle drops what differs between copies of one title: spaces, book
// marks, the 中华人民共和国 prefix and the length of dashes (—, ——, －).
func normTitle(s string) string {
	s = strings.TrimPrefix(strings.Trim(s, "《》 "), "中华人民共和国")
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '《', r == '》':
			return -1
		case r == '—' || r == '–' || r == '－' || r == '-' || r == '―':
			return -1
		}
		return r
	}, s)
}

// normLabel lets 二、4 match 二、4． or 二4, and （一） match (一).
func normLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '、', r == '．', r == '.', r == '›', r == '>':
			return -1
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		}
		return r
	}, s)
}
