// Package validity works out, for every version of the library, what a
// lawyer asks first: is it in force (时效性, as of a date, with the reason),
// what kind of text it is (正式/试行/暂行/征求意见稿/草案), its 效力级别, its
// own period of validity, its standard code, and how it relates to the other
// documents (依据, 废止, 修改, 冲突时以本规定为准, draft → final).
//
// Everything here is derived from the texts and the rest of the library, so
// it is computed when the library is loaded (store.LoadLibrary) rather than
// stored: a date passing, or a newer document arriving, changes the answer
// without a re-import.
package validity

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"datalex/internal/ingest"
	"datalex/internal/library"
)

// Annotate fills Validity, ValidityReason, Nature, ExpiryDate, StandardCode
// and Relations of every version, and the missing 文号, 效力级别 and region
// where the texts settle them, as of asOf.
func Annotate(versions []*library.Version, asOf time.Time) {
	idx := newTitleIndex(versions)
	for _, v := range versions {
		v.Nature = nature(v)
		v.StandardCode = standardCode(v)
		v.ExpiryDate = ""
		v.Relations = nil
	}
	docNumbersFromCitations(versions, idx)
	for _, v := range versions {
		fillIssueDate(v)
		fillLevel(v)
		fillRegion(v)
		v.ExpiryDate = expiry(v)
		v.Relations = append(v.Relations, mineRelations(v, idx)...)
	}
	addVersionRelations(versions)
	at := asOf.Format("2006-01-02")
	repealedBy := map[string]*library.Version{}
	for _, v := range versions {
		for _, r := range v.Relations {
			if r.Type == library.RelRepeals && r.TargetWork != "" && r.TargetWork != v.WorkID && v.EffectiveDateOr() <= at {
				repealedBy[r.TargetWork] = v
			}
		}
	}
	for _, v := range versions {
		v.Validity, v.ValidityReason = status(v, versions, repealedBy, at)
	}
}

// ---- nature and standard code ----

func nature(v *library.Version) string {
	t := v.Title + " " + v.Status
	switch {
	case strings.Contains(t, "征求意见") || strings.Contains(t, "（征）") || strings.Contains(t, "(征)") || strings.Contains(t, "送审稿"):
		return library.NatureComment
	case strings.Contains(t, "草案"):
		return library.NatureBill
	case strings.Contains(t, "试行"):
		return library.NatureTrial
	case strings.Contains(t, "暂行"):
		return library.NatureInterim
	}
	return library.NatureFormal
}

var reStdCode = regexp.MustCompile(`\b((?:GB|GB/T|GB/Z|JR/T|YD/T|GA/T|SJ/T|DL/T|JT/T|WS/T|DB\d{2}/T|DB\d{2}|T/[A-Z]{2,})\s*\d{1,6}(?:\.\d+)?\s*[-—–]\s*\d{4})\b`)

func standardCode(v *library.Version) string {
	texts := []string{v.Title, v.DocNumber}
	for i, p := range v.Provisions {
		if i >= 3 {
			break
		}
		// Codes in 规范性引用文件 are the standards this one cites, not its own.
		if strings.Contains(p.Text, "引用文件") {
			continue
		}
		texts = append(texts, p.Text)
	}
	for _, text := range texts {
		for _, t := range strings.Split(text, "\n") {
			// "本文件按照 GB/T 1.1-2020《…》的规定起草": the drafting rules
			// every standard follows, not this one's code.
			if strings.Contains(t, "起草") {
				continue
			}
			if m := reStdCode.FindStringSubmatch(t); m != nil {
				code := strings.Join(strings.Fields(m[1]), " ")
				return reCodeDash.ReplaceAllString(code, "-")
			}
		}
	}
	return ""
}

var reCodeDash = regexp.MustCompile(`\s*[-—–]\s*`)

var reEdition = regexp.MustCompile(`\s*(?:[VvＶ]|版本)?\s*\d+(?:\.\d+)+\s*(?:版)?$`)

// ---- 效力级别 and region ----

func fillLevel(v *library.Version) {
	if v.Level != "" {
		return
	}
	set := func(level, why string) {
		v.Level = level
		if v.Provenance == nil {
			v.Provenance = map[string]library.Provenance{}
		}
		v.Provenance["level"] = library.Provenance{Note: why}
	}
	switch {
	case v.Kind == library.KindNews:
		set(library.LevelNewsItem, "新闻资讯")
		return
	case v.Kind == library.KindNote:
		set(library.LevelCommentary, "学习笔记、解读")
		return
	}
	if l := ingest.LevelFromDocNumber(v.DocNumber); l != "" {
		set(l, "由文号 "+v.DocNumber+" 推断")
		return
	}
	if l := ingest.DetectLevel(v.Title, v.Issuers, v.Region); l != "" {
		set(l, "由标题形式、发布机关和地域推断")
		return
	}
	if v.StandardCode != "" {
		switch {
		case strings.HasPrefix(v.StandardCode, "GB"):
			set(library.LevelNationalStd, "由标准编号 "+v.StandardCode+" 推断")
		case strings.HasPrefix(v.StandardCode, "DB"):
			set(library.LevelLocalStd, "由标准编号 "+v.StandardCode+" 推断")
		case strings.HasPrefix(v.StandardCode, "T/"):
			set(library.LevelGroupStd, "由标准编号 "+v.StandardCode+" 推断")
		default:
			set(library.LevelSectorStd, "由标准编号 "+v.StandardCode+" 推断")
		}
		return
	}
	// A trailing edition number (…指南2.0, …规范 V1.1) names the edition,
	// not the kind of text: the title's last word decides the kind.
	base := strings.TrimRight(reEdition.ReplaceAllString(stripBrackets(v.Title), ""), " ")
	// 资产评估执业准则——…报告 / …方法 are professional standards issued as
	// 规范性文件; their last word must not make them a report or a
	// technical standard.
	if strings.Contains(base, "准则") {
		set(library.LevelNormative, "准则类文件，未见令号，按规范性文件处理")
		return
	}
	has := func(sfx ...string) bool {
		for _, s := range sfx {
			if strings.HasSuffix(base, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("白皮书", "报告", "指数", "蓝皮书"):
		set(library.LevelCommentary, "白皮书、报告类文件")
	case has("技术规范", "安全规范", "数据规范", "交换规范", "定义规范", "要求", "导则", "术语", "指标体系", "分级指南", "实施方法", "方法", "标准规范", "标准"):
		// Standards' titles name a technical object; without a code the
		// issuing system (国家/行业/地方/团体) is the best evidence.
		switch {
		case strings.Contains(strings.Join(v.Issuers, ""), "协会") || strings.Contains(v.Title, "协会"):
			set(library.LevelGroupStd, "标准类标题，发布机关为协会")
		case v.Region != "" && v.Region != "全国":
			set(library.LevelLocalStd, "标准类标题，地方发布")
		default:
			set(library.LevelSectorStd, "标准类标题（未见标准编号），按行业标准处理")
		}
	case has("规定", "办法", "细则", "规则", "规范", "指南", "指引", "说明", "方案", "通知", "意见", "计划", "措施", "制度", "预案", "体系建设指南", "合同", "任务", "要点") ||
		strings.Contains(base, "准则") || strings.Contains(base, "关于"):
		set(library.LevelNormative, "未见令号或立法机关，按规范性文件处理")
	default:
		v.Level = library.ValidityUnknown
		if v.Provenance == nil {
			v.Provenance = map[string]library.Provenance{}
		}
		v.Provenance["level"] = library.Provenance{Note: "标题、文号和发布机关均不足以判断效力级别"}
	}
}

func stripBrackets(t string) string {
	t = strings.NewReplacer("(", "（", ")", "）").Replace(t)
	// An unclosed bracket at the end (…办法（征) is a damaged note.
	if i := strings.LastIndex(t, "（"); i > 0 && !strings.Contains(t[i:], "）") {
		t = t[:i]
	}
	for {
		t = strings.TrimSpace(t)
		cut := false
		for _, pair := range [][2]string{{"（", "）"}, {"(", ")"}} {
			if strings.HasSuffix(t, pair[1]) {
				if i := strings.LastIndex(t, pair[0]); i > 0 {
					t, cut = t[:i], true
				}
			}
		}
		if !cut {
			return t
		}
	}
}

func fillRegion(v *library.Version) {
	if v.Region != "" {
		return
	}
	if r, _ := ingest.RegionFromTitle(v.Title); r != "" {
		v.Region = r
		return
	}
	// National sections of the compilations and national issuers.
	national := strings.Contains(v.Part, "国家") || strings.Contains(v.Part, "核心") || strings.Contains(v.Part, "行业") ||
		strings.Contains(v.Subsection, "国家")
	for _, is := range v.Issuers {
		if strings.HasPrefix(is, "国务院") || strings.HasPrefix(is, "国家") || strings.HasPrefix(is, "中国") || strings.HasSuffix(is, "部") || strings.HasPrefix(is, "全国") {
			national = true
		}
	}
	if v.Level == library.LevelLaw || v.Level == library.LevelAdminRegs || v.Level == library.LevelDeptRules || v.Level == library.LevelNationalStd || v.Level == library.LevelSectorStd {
		national = true
	}
	if national {
		v.Region = "全国"
	}
}

// ---- expiry ----

var (
	reValidUntil = regexp.MustCompile(`有效期(?:至|到|截至|截止到|截止至)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*(?:底|末)|\d{4}\s*年\s*\d{1,2}\s*月(?:底|末)?)`)
	reValidYears = regexp.MustCompile(`(?:有效期|试行期)(?:限)?(?:为|暂定为|暂定)?\s*([0-9一二两三四五六七八九十]+)\s*年`)
)

var cnNum = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

func parseSmallNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := cnNum[s]; ok {
		return n
	}
	if strings.HasPrefix(s, "十") {
		return 10 + cnNum[strings.TrimPrefix(s, "十")]
	}
	return 0
}

// expiry reads a validity period stated in the text's closing provisions
// (有效期至2025年12月31日; 有效期3年, counted from the effective date, else
// the issue date; 试行期两年). Only the last provisions are read: an
// earlier "有效期" is usually about something else (a licence, an
// assessment result).
func expiry(v *library.Version) string {
	ps := v.Provisions
	from := 0
	if len(ps) > 6 {
		from = len(ps) - 6
	}
	for i := len(ps) - 1; i >= from; i-- {
		t := ps[i].Text
		if !strings.Contains(t, "有效期") && !strings.Contains(t, "试行期") {
			continue
		}
		if strings.Contains(t, "评估结果") || strings.Contains(t, "证书") || strings.Contains(t, "许可") {
			continue
		}
		if m := reValidUntil.FindStringSubmatch(t); m != nil {
			s := strings.Join(strings.Fields(m[1]), "")
			if d := ingest.ParseChineseDate(s); d != "" {
				return d
			}
			if y, err := strconv.Atoi(s[:4]); err == nil {
				rest := s[4:]
				switch {
				case strings.Contains(rest, "月"):
					mo := parseSmallNumber(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(rest, "年"), "底"), "末"), "月"))
					if mo >= 1 && mo <= 12 {
						return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
					}
				default: // 2025年底
					return fmt.Sprintf("%d-12-31", y)
				}
			}
		}
		if m := reValidYears.FindStringSubmatch(t); m != nil {
			n := parseSmallNumber(m[1])
			start := v.EffectiveDateOr()
			if n <= 0 || n > 30 || start == "" {
				continue
			}
			st, err := time.Parse("2006-01-02", start)
			if err != nil {
				continue
			}
			return st.AddDate(n, 0, -1).Format("2006-01-02")
		}
	}
	return ""
}

// ---- status ----

func status(v *library.Version, all []*library.Version, repealedBy map[string]*library.Version, at string) (string, string) {
	switch v.Kind {
	case library.KindNews, library.KindNote:
		return library.ValidityUnknown, "新闻或解读，不适用时效性"
	}
	if v.Nature == library.NatureComment || v.Nature == library.NatureBill {
		return library.ValidityNotYet, "征求意见稿或草案，尚未正式发布施行"
	}
	// A repeal names a title; a version of that title dated after the
	// repealing text is a newer text of the same name, not the one repealed.
	if by := repealedBy[v.WorkID]; by != nil && by != v && (versionStart(v) == "" || versionStart(v) < versionStart(by)) {
		return library.ValidityRepealed, "已被《" + by.Title + "》废止"
	}
	if newer := newerAdopted(v, all); newer != nil {
		date := versionStart(newer)
		if date == "" {
			return library.ValidityAmended, "已有新版本《" + newer.Title + "》"
		}
		if date <= at {
			how := " 起施行"
			if newer.EffectiveDate == "" || newer.EffectiveDate < date {
				how = " 修正或修订"
			}
			return library.ValidityAmended, "已被 " + date + how + "的新版本《" + newer.Title + "》修改或替代"
		}
	}
	if v.ExpiryDate != "" && v.ExpiryDate < at {
		return library.ValidityLapsed, "有效期至" + v.ExpiryDate + "，已届满"
	}
	if d := v.EffectiveDateOr(); d != "" && d > at {
		return library.ValidityNotYet, "自" + d + "起施行"
	}
	if v.Kind == library.KindCatalogue {
		return library.ValidityInForce, "目录记录（全文未收录）；资料库中未见废止、修改或失效的依据"
	}
	if v.ExpiryDate != "" {
		return library.ValidityInForce, "有效期至" + v.ExpiryDate
	}
	return library.ValidityInForce, "资料库中未见废止、修改或失效的依据（截至 " + at + "）"
}

// newerAdopted returns a later adopted (non-draft) version of the same work
// whose text differs, or nil. Copies of one text were merged at import, so a
// second version of a work is a different text.
func newerAdopted(v *library.Version, all []*library.Version) *library.Version {
	var best *library.Version
	for _, o := range all {
		if o == v || o.WorkID != v.WorkID || o.Kind != library.KindRegulation {
			continue
		}
		if o.Nature == library.NatureComment || o.Nature == library.NatureBill {
			continue
		}
		od, vd := versionStart(o), versionStart(v)
		if od == "" || vd == "" || od <= vd {
			continue
		}
		if best == nil || od > versionStart(best) {
			best = o
		}
	}
	return best
}

// versionStart is the date from which a version's text applies. An
// amended law keeps its original closing article ("本法自2008年8月1日起施
// 行") in every later text, so a stated effective date before the version's
// own issue date is the original enactment's, and the version applies from
// its issue (revision) date instead.
func versionStart(v *library.Version) string {
	if v.EffectiveDate != "" && (v.IssueDate == "" || v.EffectiveDate >= v.IssueDate) {
		return v.EffectiveDate
	}
	return v.IssueDate
}

// ---- relations ----

// titleIndex finds library works by the title keys of their versions.
type titleIndex struct {
	byKey map[string]*library.Version // title key → preferred version
	keys  []string                    // longest first, for substring scans
}

func newTitleIndex(versions []*library.Version) *titleIndex {
	ix := &titleIndex{byKey: map[string]*library.Version{}}
	for _, v := range versions {
		if v.Kind != library.KindRegulation && v.Kind != library.KindCatalogue {
			continue
		}
		k := library.TitleKey(v.Title)
		if len([]rune(k)) < 5 {
			continue
		}
		if old, ok := ix.byKey[k]; !ok || v.IssueDate > old.IssueDate {
			ix.byKey[k] = v
		}
	}
	for k := range ix.byKey {
		ix.keys = append(ix.keys, k)
	}
	sort.Slice(ix.keys, func(i, j int) bool {
		return len(ix.keys[i]) > len(ix.keys[j]) || len(ix.keys[i]) == len(ix.keys[j]) && ix.keys[i] < ix.keys[j]
	})
	return ix
}

func (ix *titleIndex) lookup(title string) *library.Version { return ix.byKey[library.TitleKey(title)] }

// mentioned returns the library works whose titles appear in text, written
// with or without 《》 (促进和规范数据跨境流动规定 第十三条 names 数据出境安全评估办法
// without them), longest titles first and not overlapping.
func (ix *titleIndex) mentioned(text string) []*library.Version {
	norm := library.TitleKey(text)
	var out []*library.Version
	used := make([]bool, len(norm))
	for _, k := range ix.keys {
		for from := 0; ; {
			i := strings.Index(norm[from:], k)
			if i < 0 {
				break
			}
			i += from
			free := true
			for j := i; j < i+len(k); j++ {
				free = free && !used[j]
			}
			if free {
				for j := i; j < i+len(k); j++ {
					used[j] = true
				}
				out = append(out, ix.byKey[k])
				break
			}
			from = i + len(k)
		}
	}
	return out
}

var (
	reSelf        = `本(?:规定|办法|条例|法|细则|规则|决定|意见|通知|方案|准则|指引|标准|预案)`
	rePrevails    = regexp.MustCompile(`([^。；]*?)与` + reSelf + `(?:规定)?不一致的[，,]\s*(?:适用|按照|依照|以)` + reSelf)
	reRepeals     = regexp.MustCompile(`([^。；]*?)同时(?:废止|停止执行)`)
	reBasis       = regexp.MustCompile(`(?:根据|依据)([^。；]*?)(?:等(?:有关)?(?:法律|法规|规定|文件)[^。；]*?)?[，,]?\s*(?:结合[^。；]*?)?[，,]?\s*制定` + reSelf)
	reAmends      = regexp.MustCompile(`对《([^》]+)》(?:作|做)(?:如下|以下)修改`)
	reBracketed   = regexp.MustCompile(`《[^》]*》`)
	reInnerTitle  = regexp.MustCompile(`〈[^〉]*〉|<[^>]*>`)
	reSelfReplace = regexp.MustCompile(`(?:原|此前)?(?:《[^》]+》)[^。；]{0,30}?(?:不再执行|自行失效)`)
)

// innerTitles replaces a 《…》 title by the titles nested in it: repealing
// 《关于印发〈资产评估准则——基本准则〉和〈资产评估职业道德准则——基本准则〉
// 的通知》 repeals the texts it issued.
func innerTitles(bracketed string) string {
	// Only a notice that issues texts stands for them; 〈民事诉讼法〉 in
	// 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》 is not repealed
	// with that interpretation.
	if !strings.Contains(bracketed, "印发") && !strings.Contains(bracketed, "发布") {
		return "　"
	}
	inner := reInnerTitle.FindAllString(bracketed, -1)
	return "　" + strings.Join(inner, "　") + "　"
}

// mineRelations reads the relations a version's text states.
func mineRelations(v *library.Version, ix *titleIndex) []library.Relation {
	if v.Kind != library.KindRegulation {
		return nil
	}
	own := library.TitleKey(v.Title)
	var out []library.Relation
	seen := map[string]bool{}
	add := func(typ string, target *library.Version, name string, p *library.Provision, evidence string) {
		r := library.Relation{Type: typ, Target: name, Provision: p.ID, Evidence: strings.TrimSpace(evidence)}
		if target != nil {
			if target.WorkID == v.WorkID || library.TitleKey(target.Title) == own {
				return
			}
			r.TargetWork, r.TargetVersion, r.Target = target.WorkID, target.ID, target.Title
		}
		k := typ + "\x00" + r.Target
		if seen[k] {
			return
		}
		seen[k] = true
		if rs := []rune(r.Evidence); len(rs) > 200 {
			r.Evidence = string(rs[:200]) + "…"
		}
		out = append(out, r)
	}
	targets := func(clause string) []struct {
		v    *library.Version
		name string
	} {
		var ts []struct {
			v    *library.Version
			name string
		}
		named := map[string]bool{}
		for _, t := range ingest.ExtractCitedTitles(clause, v.Title) {
			named[library.TitleKey(t)] = true
			ts = append(ts, struct {
				v    *library.Version
				name string
			}{ix.lookup(t), t})
		}
		// A title written without 《》 counts only outside the bracketed
		// titles: 保守国家秘密法 inside 《中华人民共和国保守国家秘密法实施办法》
		// is not a mention of the law.
		for _, w := range ix.mentioned(reBracketed.ReplaceAllStringFunc(clause, innerTitles)) {
			if !named[library.TitleKey(w.Title)] {
				ts = append(ts, struct {
					v    *library.Version
					name string
				}{w, w.Title})
			}
		}
		return ts
	}
	for i, p := range v.Provisions {
		if p.Kind != library.ProvArticle && p.Kind != library.ProvPreamble && p.Depth > 1 {
			continue
		}
		t := p.Text
		for _, m := range rePrevails.FindAllStringSubmatch(t, -1) {
			for _, tg := range targets(m[1]) {
				add(library.RelPrevails, tg.v, tg.name, p, m[0])
			}
		}
		for _, m := range reRepeals.FindAllStringSubmatch(t, -1) {
			for _, tg := range targets(m[1]) {
				add(library.RelRepeals, tg.v, tg.name, p, m[0])
			}
		}
		for _, m := range reAmends.FindAllStringSubmatch(t, -1) {
			add(library.RelAmends, ix.lookup(m[1]), m[1], p, m[0])
		}
		if i < 3 {
			if m := reBasis.FindStringSubmatch(t); m != nil {
				for _, tg := range targets(m[1]) {
					add(library.RelBasis, tg.v, tg.name, p, m[0])
				}
			}
		}
		_ = reSelfReplace
	}
	return out
}

// addVersionRelations links the versions of each work: a draft to the
// adopted text that followed it, and each adopted text to its successor.
func addVersionRelations(versions []*library.Version) {
	byWork := map[string][]*library.Version{}
	for _, v := range versions {
		if v.Kind == library.KindRegulation || v.Kind == library.KindCatalogue {
			byWork[v.WorkID] = append(byWork[v.WorkID], v)
		}
	}
	for _, vs := range byWork {
		if len(vs) < 2 {
			continue
		}
		sort.SliceStable(vs, func(i, j int) bool { return versionStart(vs[i]) < versionStart(vs[j]) })
		for i, v := range vs {
			for _, o := range vs[i+1:] {
				typ := library.RelVersionOf
				if v.Nature == library.NatureComment || v.Nature == library.NatureBill {
					if o.Nature == library.NatureComment || o.Nature == library.NatureBill {
						continue
					}
					typ = library.RelDraftOf
				}
				v.Relations = append(v.Relations, library.Relation{Type: typ, Target: o.Title, TargetWork: o.WorkID, TargetVersion: o.ID,
					Evidence: "同一作品的" + o.VersionLabel + "版本"})
				break
			}
		}
	}
}

// docNumbersFromCitations fills a missing 文号 from another document that
// cites this one with its order number: "数据出境安全评估办法（国家互联网信息办公室
// 令第11号）". Only 令号 are taken: they identify the text exactly.
var reCitedOrder = regexp.MustCompile(`([^，。；、（）《》]{4,40}?)》?\s*[（(]\s*([\p{Han}]{2,20}令(?:第)?[0-9一二三四五六七八九十百]+号)\s*[)）]`)

func docNumbersFromCitations(versions []*library.Version, ix *titleIndex) {
	for _, src := range versions {
		if src.Kind != library.KindRegulation {
			continue
		}
		for _, p := range src.Provisions {
			if !strings.Contains(p.Text, "令") {
				continue
			}
			for _, m := range reCitedOrder.FindAllStringSubmatch(p.Text, -1) {
				name := strings.TrimLeft(m[1], "《")
				var target *library.Version
				for _, w := range ix.mentioned(name) {
					if strings.HasSuffix(library.TitleKey(name), library.TitleKey(w.Title)) {
						target = w
						break
					}
				}
				if target == nil || target == src || target.DocNumber != "" {
					continue
				}
				for _, v := range versions {
					if v.WorkID == target.WorkID && v.DocNumber == "" && v.Nature != library.NatureComment {
						v.DocNumber = m[2]
						if v.Provenance == nil {
							v.Provenance = map[string]library.Provenance{}
						}
						v.Provenance["doc_number"] = library.Provenance{Note: "引自《" + src.Title + "》" + p.Label}
					}
				}
			}
		}
	}
}

// reAdopted reads the adoption line laws carry under their title:
// "（2016年11月7日第十二届全国人民代表大会常务委员会第二十四次会议通过）".
var reAdopted = regexp.MustCompile(`(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^。；）)]{0,60}?(?:会议|常务会议)(?:审议)?通过`)

func fillIssueDate(v *library.Version) {
	if v.IssueDate != "" || v.Kind != library.KindRegulation {
		return
	}
	for i, p := range v.Provisions {
		if i >= 3 {
			break
		}
		if m := reAdopted.FindStringSubmatch(p.Text); m != nil {
			if d := ingest.ParseChineseDate(strings.Join(strings.Fields(m[1]), "")); d != "" {
				v.IssueDate = d
				if v.Provenance == nil {
					v.Provenance = map[string]library.Provenance{}
				}
				v.Provenance["issue_date"] = library.Provenance{Note: "通过日期，见" + p.Label}
				return
			}
		}
	}
}
