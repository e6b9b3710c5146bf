package ingest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
)

// Metadata extraction shared by the seed parsers. Every function returns ""
// (or nil) when the text does not say: unknown stays unknown.

var (
	reMetaDateCN  = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	reMetaDateISO = regexp.MustCompile(`(\d{4})\s*[.\-/－—]\s*(\d{1,2})\s*[.\-/－—]\s*(\d{1,2})`)
	reMetaDateHan = regexp.MustCompile(`([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)
)

// ParseChineseDate returns the first full date in s as YYYY-MM-DD:
// 2021年6月10日, 2024 年 1 月 1 日, 2024.11.08, （2023-12-31）, 二〇二三年十月一日.
// A date without a day, or an impossible date, gives "".
func ParseChineseDate(s string) string {
	type cand struct {
		pos     int
		y, m, d int
	}
	var best *cand
	consider := func(pos, y, m, d int) {
		if y < 1949 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		if best == nil || pos < best.pos {
			best = &cand{pos, y, m, d}
		}
	}
	for _, re := range []*regexp.Regexp{reMetaDateCN, reMetaDateISO} {
		if loc := re.FindStringSubmatchIndex(s); loc != nil {
			y, _ := strconv.Atoi(s[loc[2]:loc[3]])
			m, _ := strconv.Atoi(s[loc[4]:loc[5]])
			d, _ := strconv.Atoi(s[loc[6]:loc[7]])
			consider(loc[0], y, m, d)
		}
	}
	if loc := reMetaDateHan.FindStringSubmatchIndex(s); loc != nil {
		ys := strings.NewReplacer("〇", "零", "○", "零", "Ｏ", "零").Replace(s[loc[2]:loc[3]])
		consider(loc[0], ChineseNumber(ys), ChineseNumber(s[loc[4]:loc[5]]), ChineseNumber(s[loc[6]:loc[7]]))
	}
	if best == nil {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", best.y, best.m, best.d)
}

// DetectStatus reads the validity status a title states: 征求意见稿 (also
// （征）), 草案 (also 送审稿/修改稿), 试行, 暂行. A draft of a trial text
// (（试行）（征）) is a draft. Nothing stated gives "".
func DetectStatus(title string) string {
	t := strings.ReplaceAll(title, " ", "")
	switch {
	case strings.Contains(t, "征求意见"), strings.Contains(t, "（征）"), strings.Contains(t, "(征)"), strings.Contains(t, "（征"):
		return library.StatusDraft
	case strings.Contains(t, "草案"), strings.Contains(t, "送审稿"), strings.Contains(t, "修改稿"):
		return library.StatusBill
	case strings.Contains(t, "试行"):
		return library.StatusTrial
	case strings.Contains(t, "暂行"):
		return library.StatusInterim
	}
	return ""
}

var (
	reMetaStdNational = regexp.MustCompile(`\bGB\s*/?\s*[TZ]?\s*\d`)
	reMetaStdSector   = regexp.MustCompile(`\b(JR|YD|DL|CJJ|CJ|GA|WS|JT|SJ|JGJ|NY|SB|SF|HG|MH|QX)\s*/?\s*[TZ]\s*\d`)
	reMetaStdLocal    = regexp.MustCompile(`\bDB\s*\d{2}\s*/\s*[TZ]?\s*\d`)
	reMetaStdGroup    = regexp.MustCompile(`\bT\s*/\s*[A-Z]{2,}\s*\d`)
	reMetaMinistry    = regexp.MustCompile(`(部|委员会|委|局|署|总局|办公室|办公厅|人民银行|银保监会|证监会|金融监管总局)$`)
)

// DetectLevel guesses the 效力级别 from the title, the issuing bodies and the
// region (全国 or a province; "" unknown). The rules follow how Chinese
// legislation is named; anything they do not settle gives "".
func DetectLevel(title string, issuers []string, region string) string {
	t := strings.TrimSpace(strings.Trim(title, "《》"))
	iss := strings.Join(issuers, " ")
	local := region != "" && region != "全国"
	base := metaStripBrackets(t)
	switch {
	case reMetaStdNational.MatchString(t):
		return library.LevelNationalStd
	case reMetaStdSector.MatchString(t):
		return library.LevelSectorStd
	case reMetaStdLocal.MatchString(t):
		return library.LevelLocalStd
	case reMetaStdGroup.MatchString(t):
		return library.LevelGroupStd
	case strings.HasPrefix(t, "最高人民法院") || strings.HasPrefix(t, "最高人民检察院") ||
		strings.Contains(iss, "最高人民法院") || strings.Contains(iss, "最高人民检察院"):
		if strings.Contains(t, "解释") || strings.HasSuffix(base, "规定") {
			return library.LevelJudicial
		}
	}
	if strings.HasPrefix(t, "中华人民共和国") && strings.HasSuffix(base, "法") {
		return library.LevelLaw
	}
	if strings.HasPrefix(t, "全国人民代表大会常务委员会关于") && strings.HasSuffix(base, "决定") {
		return library.LevelLaw
	}
	party := strings.HasPrefix(t, "中共") || strings.HasPrefix(iss, "中共")
	if party && !strings.Contains(iss, "国务院") && !strings.Contains(t, "国务院") {
		for _, s := range []string{"条例", "准则", "规则", "规定"} {
			if strings.HasSuffix(base, s) {
				return library.LevelPartyRegs
			}
		}
	}
	if strings.HasSuffix(base, "纲要") {
		return library.LevelPlanningGuide
	}
	if party {
		return library.LevelPolicy
	}
	if strings.HasSuffix(base, "条例") {
		switch {
		case local || strings.Contains(iss, "人民代表大会"):
			if region == "" && !strings.Contains(iss, "人民代表大会") {
				return ""
			}
			return library.LevelLocalRegs
		case region == "全国" || strings.Contains(iss, "国务院"):
			return library.LevelAdminRegs
		}
		return ""
	}
	rules := false
	for _, s := range []string{"办法", "规定", "细则", "规则"} {
		if strings.HasSuffix(base, s) {
			rules = true
		}
	}
	if rules {
		switch {
		case local && strings.Contains(iss, "人民政府") && !strings.Contains(iss, "办公厅") && !strings.Contains(iss, "办公室"):
			return library.LevelLocalRules
		case local:
			return library.LevelNormative
		case region == "全国" && metaAnyMinistry(issuers):
			return library.LevelDeptRules
		case region == "全国" && strings.Contains(iss, "国务院"):
			return library.LevelAdminRegs
		}
		return ""
	}
	for _, s := range []string{"意见", "通知", "方案", "规划", "计划", "措施", "指引", "决定", "要点", "若干政策", "行动"} {
		if strings.Contains(base, s) {
			if iss != "" || region != "" {
				return library.LevelNormative
			}
			return library.LevelPolicy
		}
	}
	return ""
}

func metaAnyMinistry(issuers []string) bool {
	for _, s := range issuers {
		if reMetaMinistry.MatchString(s) && !strings.Contains(s, "人民代表大会") {
			return true
		}
	}
	return false
}

// metaStripBrackets removes trailing brackets such as （试行）（征） and
// （2023年修订） so that the base name's suffix (法, 条例, 办法) shows.
func metaStripBrackets(t string) string {
	for {
		t = strings.TrimSpace(t)
		var cut bool
		for _, pair := range [][2]string{{"（", "）"}, {"(", ")"}} {
			if strings.HasSuffix(t, pair[1]) {
				if i := strings.LastIndex(t, pair[0]); i > 0 {
					t = t[:i]
					cut = true
				}
			}
		}
		if !cut {
			return t
		}
	}
}

var (
	reMetaDocNo  = regexp.MustCompile(`(\p{Han}{1,14})\s*[〔﹝\[［【(（]\s*(\d{4})\s*[〕﹞\]］】)）]\s*(?:第\s*)?(\d{1,4})\s*号`)
	reMetaLingNo = regexp.MustCompile(`(\p{Han}{2,30}?令)\s*(?:[〔﹝\[［(（]\s*(\d{4}|[^〕﹞\]］)）]{2,6})\s*[〕﹞\]］)）])?\s*第\s*([\d` + cnDigits + `]+)\s*号`)
)

// metaDocNoStops end the words that can precede a 文号 prefix in running text
// (…的通知财资〔2023〕141号 → 财资).
var metaDocNoStops = []string{"的通知", "的意见", "印发", "通知", "意见", "办法", "规定", "文件", "简称", "根据", "依据", "按照", "和", "及"}

// ExtractDocNumber returns the first document number in text, normalised:
// 文号 with 〔〕 brackets and no spaces (财资〔2023〕141号, from 财资[2023]141 号,
// 财资﹝2023﹞141号 …) or a 令号 (国家互联网信息办公室令第11号).
func ExtractDocNumber(text string) string {
	if !strings.Contains(text, "号") {
		return ""
	}
	var best string
	bestPos := -1
	if loc := reMetaDocNo.FindStringSubmatchIndex(text); loc != nil {
		prefix := text[loc[2]:loc[3]]
		for _, s := range metaDocNoStops {
			if i := strings.LastIndex(prefix, s); i >= 0 {
				prefix = prefix[i+len(s):]
			}
		}
		if rs := []rune(prefix); len(rs) > 8 {
			prefix = string(rs[len(rs)-8:])
		}
		if prefix != "" {
			best = prefix + "〔" + text[loc[4]:loc[5]] + "〕" + text[loc[6]:loc[7]] + "号"
			bestPos = loc[0]
		}
	}
	if loc := reMetaLingNo.FindStringSubmatchIndex(text); loc != nil && (bestPos < 0 || loc[0] <= bestPos) {
		name := text[loc[2]:loc[3]]
		for _, s := range []string{"公布", "发布", "颁布", "以", "为"} {
			if i := strings.LastIndex(name, s); i >= 0 {
				name = name[i+len(s):]
			}
		}
		name = metaAfterDate(text, loc[2], name)
		if utf8.RuneCountInString(name) >= 2 && name != "令" {
			no := name
			if loc[4] >= 0 {
				no += "〔" + text[loc[4]:loc[5]] + "〕"
			}
			best = no + "第" + text[loc[6]:loc[7]] + "号"
		}
	}
	return best
}

// metaAfterDate drops the 日 that ends a date from a name found right after
// it (…8 月 18 日中国人民银行令 → 中国人民银行令); at is the name's offset.
func metaAfterDate(text string, at int, name string) string {
	if !strings.HasPrefix(name, "日") || at == 0 {
		return name
	}
	if c := text[at-1]; c == ' ' || c >= '0' && c <= '9' {
		return strings.TrimPrefix(name, "日")
	}
	return name
}

// LevelFromDocNumber reads the 效力级别 a 令 number implies: a ministry's
// order (工业和信息化部令第11号) issues 部门规章, a people's government's order
// 地方政府规章; anything else gives "".
func LevelFromDocNumber(docNo string) string {
	i := strings.Index(docNo, "令")
	if i <= 0 {
		return ""
	}
	name := docNo[:i]
	switch {
	case strings.HasSuffix(name, "国务院"), strings.HasSuffix(name, "主席"):
		return ""
	case strings.Contains(name, "人民政府"), strings.HasPrefix(name, "省政府"), strings.HasPrefix(name, "市政府"):
		return library.LevelLocalRules
	case reMetaMinistry.MatchString(name):
		return library.LevelDeptRules
	}
	return ""
}

// metaNationalBodies are issuers that national documents name at the start
// of their title without 关于 (中国人民银行金融消费者权益保护实施办法).
var metaNationalBodies = []string{
	"中国人民银行", "中国银保监会", "中国银行保险监督管理委员会", "中国证监会", "中国证券监督管理委员会",
	"国家金融监督管理总局", "国家互联网信息办公室", "工业和信息化部", "国家发展改革委", "财政部", "公安部",
	"国家数据局", "国家能源局", "国家市场监督管理总局", "国务院办公厅", "国务院",
}

var (
	reMetaIssuerTitle = regexp.MustCompile(`^((?:\p{Han}{0,30}?(?:部|委员会|委|局|署|总局|办公厅|办公室|人民政府|人民银行|中心|银保监会|证监会|法院|检察院|中共中央|国务院)[、 ]*)+?)(?:等\s*[\d一二三四五六七八九十]+\s*(?:个)?部门)?(?:关于|联合|印发)`)
	reMetaIssuerLine  = regexp.MustCompile(`^\p{Han}{2,24}(?:部|委员会|委|局|署|总局|办公厅|办公室|人民政府|人民银行|中心|法院|检察院|常务委员会|银保监会|证监会)$`)
	reMetaIssuerNPC   = regexp.MustCompile(`(\p{Han}{0,12}?(?:省|市|自治区|州|县))?第[` + cnDigits + `]+届(全国)?人民代表大会(常务委员会)?`)
	reMetaIssuerSplit = regexp.MustCompile(`[、\s]+`)
)

// ExtractIssuers returns the issuing bodies stated in a document's title
// or formal title (财政部关于…, 工业和信息化部等十六部门关于…, 中共中央 国务院
// 关于…) and in its header or signature lines (财 政 部, 国家数据局, a
// promulgation note …全国人民代表大会常务委员会…通过, a 令 number).
// Order of first appearance, without duplicates.
func ExtractIssuers(title string, lines []string) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || utf8.RuneCountInString(s) < 2 {
			return
		}
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	fromTitle := func(t string) {
		t = strings.Trim(strings.TrimSpace(t), "《》")
		if m := reMetaIssuerTitle.FindStringSubmatch(t); m != nil {
			for _, s := range reMetaIssuerSplit.Split(m[1], -1) {
				add(s)
			}
		}
	}
	fromTitle(title)
	if len(out) == 0 {
		t := strings.Trim(strings.TrimSpace(title), "《》")
		for _, b := range metaNationalBodies {
			if strings.HasPrefix(t, b) {
				add(b)
				break
			}
		}
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(l) > 120 {
			continue // body text, not a title, signature or note
		}
		if strings.Contains(l, "关于") || strings.Contains(l, "联合") || strings.Contains(l, "印发") {
			fromTitle(l)
		}
		compact := strings.ReplaceAll(l, " ", "")
		if reMetaIssuerLine.MatchString(compact) {
			add(compact)
		}
		if m := reMetaIssuerNPC.FindStringSubmatchIndex(l); m != nil && strings.Contains(l, "通过") {
			place := ""
			if m[2] >= 0 {
				place = l[m[2]:m[3]]
				// …30 日重庆市, …15日已由山西省: the date and verbs are not
				// part of the place name
				place = metaAfterDate(l, m[2], place)
				for _, p := range []string{"已由", "由", "经"} {
					place = strings.TrimPrefix(place, p)
				}
			}
			sub := func(a, b int) string {
				if a < 0 {
					return ""
				}
				return l[a:b]
			}
			name := place + sub(m[4], m[5]) + "人民代表大会" + sub(m[6], m[7])
			add(name)
		}
		if !strings.Contains(l, "令") {
			continue
		}
		if dn := ExtractDocNumber(l); strings.Contains(dn, "令") {
			name := dn[:strings.Index(dn, "令")]
			if reMetaMinistry.MatchString(name) || strings.HasSuffix(name, "人民政府") || strings.HasSuffix(name, "国务院") {
				add(name)
			}
		}
	}
	return out
}

var reMetaEffective = regexp.MustCompile(`自\s*([^。；，,]{0,25}?)\s*起\s*(?:施行|实施|试行|执行|生效|开始施行)`)

// ExtractEffectiveDate reads the effective-date clause: 自2024年1月1日起施行
// gives that date; 自发布之日起施行 / 自印发之日起实施 / 自颁布之日起 gives issueDate (which
// may itself be ""). No clause gives "".
func ExtractEffectiveDate(text, issueDate string) string {
	for _, m := range reMetaEffective.FindAllStringSubmatch(text, -1) {
		inner := m[1]
		if d := ParseChineseDate(inner); d != "" {
			return d
		}
		if strings.Contains(inner, "之日") && (strings.Contains(inner, "发布") || strings.Contains(inner, "印发") || strings.Contains(inner, "公布") || strings.Contains(inner, "颁布")) {
			return issueDate
		}
	}
	return ""
}

// ExtractCitedTitles returns the titles mentioned in 《…》 in text, in order
// of first appearance, without duplicates, without 《》 and without the
// titles given in own (the document's own title and aliases). Nested marks
// (《〈企业会计准则第6号〉应用指南》) are kept inside the outer title.
func ExtractCitedTitles(text string, own ...string) []string {
	skip := map[string]bool{}
	for _, o := range own {
		skip[stTitleKey(o)] = true
	}
	var out []string
	seen := map[string]bool{}
	eachBookTitle(text, func(t string, _ int) {
		key := stTitleKey(t)
		if skip[key] || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, t)
	})
	return out
}

// eachBookTitle calls fn with every title in 《…》 in text (whitespace
// removed, 2–60 characters) and the byte offset just past its 》. An
// unbalanced mark restarts the scan at the inner 《, so nested marks
// (《〈…〉应用指南》) stay inside the outer title.
func eachBookTitle(text string, fn func(title string, end int)) {
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "《")
		if j < 0 {
			return
		}
		start := i + j + len("《")
		k := strings.Index(text[start:], "》")
		if k < 0 {
			return
		}
		inner := text[start : start+k]
		i = start + k + len("》")
		if strings.Contains(inner, "《") || strings.Contains(inner, "\n") {
			i = start + strings.LastIndex(inner, "《")
			continue
		}
		t := strings.Join(strings.Fields(inner), "")
		if n := utf8.RuneCountInString(t); n < 2 || n > 60 {
			continue
		}
		fn(t, i)
	}
}

// stTitleKey normalises a title for comparison: no 《》, spaces or
// 中华人民共和国 prefix, ASCII brackets as full-width.
func stTitleKey(t string) string {
	t = library.ShortName(t)
	t = strings.Join(strings.Fields(t), "")
	return strings.NewReplacer("(", "（", ")", "）").Replace(t)
}

// metaProvinces maps full and short province-level names to the short form used
// in Version.Region.
var metaProvinces = []struct{ short, full string }{
	{"北京", "北京市"}, {"天津", "天津市"}, {"上海", "上海市"}, {"重庆", "重庆市"},
	{"河北", "河北省"}, {"山西", "山西省"}, {"辽宁", "辽宁省"}, {"吉林", "吉林省"}, {"黑龙江", "黑龙江省"},
	{"江苏", "江苏省"}, {"浙江", "浙江省"}, {"安徽", "安徽省"}, {"福建", "福建省"}, {"江西", "江西省"},
	{"山东", "山东省"}, {"河南", "河南省"}, {"湖北", "湖北省"}, {"湖南", "湖南省"}, {"广东", "广东省"},
	{"海南", "海南省"}, {"四川", "四川省"}, {"贵州", "贵州省"}, {"云南", "云南省"}, {"陕西", "陕西省"},
	{"甘肃", "甘肃省"}, {"青海", "青海省"}, {"台湾", "台湾省"},
	{"内蒙古", "内蒙古自治区"}, {"广西", "广西壮族自治区"}, {"西藏", "西藏自治区"},
	{"宁夏", "宁夏回族自治区"}, {"新疆", "新疆维吾尔自治区"},
	{"香港", "香港特别行政区"}, {"澳门", "澳门特别行政区"},
}

// metaCityProvince maps cities, prefectures and districts that appear in the
// corpus (and other large cities) to their province.
var metaCityProvince = map[string]string{
	"深圳": "广东", "广州": "广东", "珠海": "广东", "佛山": "广东", "东莞": "广东", "汕头": "广东",
	"厦门": "福建", "福州": "福建", "泉州": "福建",
	"大理": "云南", "昆明": "云南",
	"长沙": "湖南", "常德": "湖南", "株洲": "湖南",
	"苏州": "江苏", "南京": "江苏", "无锡": "江苏", "姜堰": "江苏", "泰州": "江苏",
	"杭州": "浙江", "宁波": "浙江", "温州": "浙江",
	"马鞍山": "安徽", "宿州": "安徽", "合肥": "安徽",
	"青浦": "上海", "浦东": "上海",
	"青岛": "山东", "烟台": "山东", "威海": "山东", "济南": "山东",
	"陵水": "海南", "海口": "海南", "三亚": "海南",
	"长春": "吉林", "成都": "四川", "遂宁": "四川", "德阳": "四川",
	"辽阳": "辽宁", "沈阳": "辽宁", "大连": "辽宁",
	"贵阳": "贵州", "安顺": "贵州", "贵安": "贵州",
	"太原": "山西", "哈尔滨": "黑龙江", "南昌": "江西", "赣州": "江西",
	"武汉": "湖北", "郑州": "河南", "西安": "陕西", "石家庄": "河北",
	"南宁": "广西", "兰州": "甘肃", "银川": "宁夏", "西宁": "青海",
	"乌鲁木齐": "新疆", "拉萨": "西藏", "呼和浩特": "内蒙古",
}

// NormalizeRegion returns the short province name (北京, 内蒙古, 新疆 …) for a
// province's full or short name, "全国" for national markers (全国, 国家,
// 中华人民共和国), and "" for anything else.
func NormalizeRegion(s string) string {
	s = strings.TrimSpace(s)
	switch s {
	case "全国", "国家", "中央", "中华人民共和国", "national":
		return "全国"
	}
	for _, p := range metaProvinces {
		if s == p.short || s == p.full {
			return p.short
		}
	}
	return ""
}

// RegionFromTitle finds the province (and city, if any) a title names at its
// start: 北京市… → 北京; 深圳经济特区… → 广东, 深圳; 中国（上海）自由贸易
// 试验区… → 上海. National titles (中华人民共和国…, 国家…) and titles that
// name no place give "", "": the caller decides what a missing place means.
func RegionFromTitle(title string) (region, city string) {
	t := strings.Trim(strings.TrimSpace(title), "《》")
	t = strings.TrimPrefix(t, "中共")
	t = strings.TrimPrefix(t, "中国（")
	t = strings.TrimPrefix(t, "中国(")
	head := t
	if rs := []rune(t); len(rs) > 12 {
		head = string(rs[:12])
	}
	for _, p := range metaProvinces {
		if strings.HasPrefix(head, p.full) || strings.HasPrefix(head, p.short) {
			return p.short, ""
		}
	}
	for c, p := range metaCityProvince {
		if strings.HasPrefix(head, c) {
			return p, c
		}
	}
	return "", ""
}

var reMetaCitedArticle = regexp.MustCompile(`^第[` + cnDigits + `]+条`)

// ExtractCitations lists the documents a provision tree mentions (《…》),
// with the provision that mentions them and the article cited right after
// the title (《数据安全法》第二十一条). Articles are searched as a whole, their
// 款/项 not again; titles in own are skipped.
func ExtractCitations(ps []*library.Provision, own ...string) []library.Citation {
	skip := map[string]bool{}
	for _, o := range own {
		skip[stTitleKey(o)] = true
	}
	inArticle := map[string]bool{}
	var out []library.Citation
	seen := map[string]bool{}
	for _, p := range ps {
		if p.Kind == library.ProvArticle {
			inArticle[p.ID] = true
		}
		if (p.Kind == library.ProvParagraph || p.Kind == library.ProvItem) && inArticle[p.ParentID] {
			continue
		}
		text := p.Text
		eachBookTitle(text, func(t string, end int) {
			if skip[stTitleKey(t)] {
				return
			}
			art := reMetaCitedArticle.FindString(text[end:])
			key := p.ID + "\x1f" + t + "\x1f" + art
			if seen[key] {
				return
			}
			seen[key] = true
			out = append(out, library.Citation{ProvisionID: p.ID, CitedTitle: t, Article: art})
		})
	}
	return out
}

// issuerAliases maps the short or older forms of issuing bodies found in the
// corpus to one name, so that the same body is one facet value. Kept small
// and explicit: only forms seen in the seeds, only unambiguous ones.
var issuerAliases = map[string]string{
	"国家网信办":     "国家互联网信息办公室",
	"中央网信办":     "中央网络安全和信息化委员会办公室",
	"国家发展改革委":   "国家发展和改革委员会",
	"国家发改委":     "国家发展和改革委员会",
	"发展改革委":     "国家发展和改革委员会",
	"工信部":       "工业和信息化部",
	"人力资源社会保障部": "人力资源和社会保障部",
	"住房城乡建设部":   "住房和城乡建设部",
	"中国银保监会":    "中国银行保险监督管理委员会",
	"银保监会":      "中国银行保险监督管理委员会",
	"中国银监会":     "中国银行业监督管理委员会",
	"中国证监会":     "中国证券监督管理委员会",
	"证监会":       "中国证券监督管理委员会",
	"市场监管总局":    "国家市场监督管理总局",
	"国资委":       "国务院国有资产监督管理委员会",
	"国家卫生健康委":   "国家卫生健康委员会",
	"国家中医药局":    "国家中医药管理局",
	"国家疾控局":     "国家疾病预防控制局",
	"国家金融监管总局":  "国家金融监督管理总局",
	"人民银行":      "中国人民银行",
}

// issuerKnown are bodies whose names are recognised inside a run of names
// written without separators (国家发展改革委国家数据局财政部自然资源部).
var issuerKnown = []string{
	"中共中央", "国务院", "全国人民代表大会常务委员会", "全国人民代表大会",
	"国务院办公厅", "中共中央办公厅", "中共中央组织部", "中央网信办", "国家网信办", "国家互联网信息办公室",
	"国家发展改革委", "国家发展和改革委员会", "国家数据局", "工业和信息化部", "教育部", "科技部", "公安部",
	"财政部", "自然资源部", "人力资源社会保障部", "人力资源和社会保障部", "住房和城乡建设部", "住房城乡建设部",
	"交通运输部", "农业农村部", "商务部", "国家卫生健康委", "国家卫生健康委员会", "中国人民银行", "国资委",
	"国务院国有资产监督管理委员会", "国家税务总局", "国家市场监督管理总局", "市场监管总局", "国家统计局",
	"国家知识产权局", "国家能源局", "国家中医药局", "国家疾控局", "中国银保监会", "中国银行保险监督管理委员会",
	"中国证监会", "中国证券监督管理委员会", "国家金融监督管理总局", "最高人民法院", "最高人民检察院",
}

var (
	// reIssuerName is what an issuing body's name ends with.
	reIssuerName    = regexp.MustCompile(`^\p{Han}{1,24}?(部|委员会|委|局|署|总局|办公厅|办公室|网信办|政务办|人民政府|人民银行|银保监会|证监会|国务院|中共中央|省委|市委|区委|州委|人民代表大会|常务委员会|法院|检察院|数据中心|管理中心|交易所|协会)$`)
	reIssuerNPCTerm = regexp.MustCompile(`第[` + cnDigits + `]+届`)
	reIssuerSplit   = regexp.MustCompile(`[、，,；;\s]+`)
	reIssuerAside   = regexp.MustCompile(`[（(][^（）()]{1,20}[）)]`)
)

// NormalizeIssuer returns the canonical name of an issuing body: spaces
// removed (财 政 部), the 中华人民共和国 prefix of ministries dropped, the
// term of a people's congress dropped (湖南省第十四届人民代表大会常务委员会 →
// 湖南省人民代表大会常务委员会), and the short forms of issuerAliases
// expanded, also before 办公厅/办公室 (中国银保监会办公厅).
func NormalizeIssuer(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.Trim(s, "（）()《》“”\"'：:")
	if rest := strings.TrimPrefix(s, "中华人民共和国"); rest != s && reIssuerName.MatchString(rest) {
		s = rest
	}
	if strings.Contains(s, "人民代表大会") {
		s = reIssuerNPCTerm.ReplaceAllString(s, "")
	}
	if a, ok := issuerAliases[s]; ok {
		return a
	}
	for _, suf := range []string{"办公厅", "办公室", "秘书局"} {
		if base, ok := strings.CutSuffix(s, suf); ok {
			if a, ok := issuerAliases[base]; ok {
				return a + suf
			}
		}
	}
	return s
}

// IsIssuerName reports whether s (normalised) reads as the name of an issuing
// body rather than a phrase: it ends like one (部, 委员会, 局, 人民政府 …), is
// not a former body (原…) and not a generic reference (有关部门, 主管部门).
func IsIssuerName(s string) bool {
	if utf8.RuneCountInString(s) < 2 || utf8.RuneCountInString(s) > 30 {
		return false
	}
	for _, bad := range []string{"原", "本", "各", "有关", "相关", "其他", "常务委员会", "委员会", "秘书局", "办公厅", "办公室"} {
		if strings.HasPrefix(s, bad) {
			return false
		}
	}
	for _, bad := range []string{"主管部门", "有关部门", "联席会议", "管理机构", "的", "为", "关于", "印发", "贯彻", "落实",
		"办法", "方案", "通知", "意见", "规定", "条例", "规划", "指引", "指南", "计划", "措施"} {
		if strings.Contains(s, bad) {
			return false
		}
	}
	if s == "国务院" || s == "中共中央" {
		return true
	}
	return reIssuerName.MatchString(s)
}

// SplitIssuers splits a list of issuing bodies as printed — separated by 、,
// spaces, or not at all (国家数据局财政部) — into normalised names. It
// returns nil unless every part is an issuer name: a phrase that merely
// ends like one is not split into garbage.
func SplitIssuers(s string) []string {
	var out []string
	// 山东省市场监督管理局（省知识产权局）: the bracket names the same body
	s = reIssuerAside.ReplaceAllString(s, "")
	for _, chunk := range reIssuerSplit.Split(strings.TrimSpace(s), -1) {
		if chunk == "" {
			continue
		}
		names := splitRun(chunk)
		if names == nil {
			// letter-spaced: 财 政 部
			if compact := strings.Join(strings.Fields(s), ""); compact != s && strings.ContainsAny(s, " \u3000") {
				return SplitIssuers(compact)
			}
			return nil
		}
		for _, n := range names {
			n = NormalizeIssuer(n)
			if !slicesContains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// issuerLastRunes are the characters an issuer's name can end with (see
// reIssuerName and the aliases: 国资委, 中央网信办, 中国人民银行).
const issuerLastRunes = "部会委局署厅室办府行院央所心"

func init() {
	// longest first: 国务院办公厅 before 国务院, 中共中央组织部 before 中共中央
	sort.SliceStable(issuerKnown, func(i, j int) bool { return len(issuerKnown[i]) > len(issuerKnown[j]) })
}

// splitRun splits a run of names written without separators. Known bodies are
// tried first, then any prefix that reads as a name; the rest must split too.
func splitRun(s string) []string {
	if s == "" {
		return []string{}
	}
	if utf8.RuneCountInString(s) > 80 || strings.ContainsAny(s, "，。；：:,;") {
		return nil
	}
	if r, _ := utf8.DecodeLastRuneInString(s); !strings.ContainsRune(issuerLastRunes, r) {
		return nil
	}
	for _, k := range issuerKnown {
		if strings.HasPrefix(s, k) {
			if rest := splitRun(s[len(k):]); rest != nil {
				return append([]string{k}, rest...)
			}
		}
	}
	// shortest name first, so that 国家数据局财政部 is two names; the next
	// name must stand on its own (a known body, or one that starts with a
	// place), so that 统计局数据管理中心 stays one body
	for i := range s {
		if i == 0 {
			continue
		}
		head := s[:i]
		if r, _ := utf8.DecodeLastRuneInString(head); !strings.ContainsRune(issuerLastRunes, r) {
			continue // cheap test before the regular expressions
		}
		if !IsIssuerName(NormalizeIssuer(head)) || !issuerStandsAlone(s[i:]) {
			continue
		}
		if rest := splitRun(s[i:]); rest != nil {
			return append([]string{head}, rest...)
		}
	}
	if IsIssuerName(NormalizeIssuer(s)) {
		return []string{s}
	}
	return nil
}

// issuerStandsAlone: s starts with a known body, a national marker or a
// place name.
func issuerStandsAlone(s string) bool {
	for _, k := range issuerKnown {
		if strings.HasPrefix(s, k) {
			return true
		}
	}
	for _, p := range []string{"国家", "中国", "中共", "中华人民共和国", "全国", "国务院"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	r, _ := RegionFromTitle(s)
	return r != ""
}

func slicesContains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// topicTable lists the topic tags (主题) and the words that signal them. A
// tag applies when one of its words is in the title, or occurs at least
// twice in the opening text. Kept as data so it can be reviewed at a glance.
var topicTable = []struct {
	tag   string
	words []string
}{
	{"数据出境", []string{"数据出境", "个人信息出境", "数据跨境", "跨境数据"}},
	{"个人信息保护", []string{"个人信息", "个人金融信息", "个人信用信息"}},
	{"数据安全", []string{"数据安全"}},
	{"网络安全", []string{"网络安全", "信息安全", "等级保护"}},
	{"公共数据", []string{"公共数据", "政务数据"}},
	{"数据交易", []string{"数据交易", "流通交易", "数据流通", "数据商", "数据经纪"}},
	{"数据资产入表", []string{"入表", "数据资源相关会计", "数据资源会计"}},
	{"会计", []string{"会计准则", "会计处理"}},
	{"数据资产评估", []string{"数据资产评估", "数据资产价值评估"}},
	{"资产评估", []string{"资产评估"}},
	{"数据资产管理", []string{"数据资产管理", "数据资产登记"}},
	{"数据知识产权", []string{"数据知识产权"}},
	{"数字政府", []string{"数字政府", "政务服务", "政务大数据"}},
	{"数据分类分级", []string{"分类分级", "分级分类", "数据分级", "安全分级"}},
	{"算法", []string{"算法", "深度合成"}},
	{"人工智能", []string{"人工智能"}},
	{"数字经济", []string{"数字经济"}},
	{"数据要素", []string{"数据要素"}},
	{"数据治理", []string{"数据治理"}},
	{"算力", []string{"算力"}},
	{"数据产权", []string{"数据产权", "确权"}},
}

// TopicTags returns the topic tags of a document from its title and its
// opening text, in table order, each with the word that triggered it.
func TopicTags(title, opening string) (tags, why []string) {
	for _, row := range topicTable {
		for _, w := range row.words {
			if strings.Contains(title, w) {
				tags, why = append(tags, row.tag), append(why, row.tag+"←标题:"+w)
				break
			}
			if strings.Count(opening, w) >= 2 {
				tags, why = append(tags, row.tag), append(why, row.tag+"←正文:"+w)
				break
			}
		}
	}
	return tags, why
}
