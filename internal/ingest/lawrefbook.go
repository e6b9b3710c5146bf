package ingest

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"datalex/internal/library"
)

// LawRefBook is the public LawRefBook/Laws collection: a tree of Markdown
// files, one per law version, under category folders (宪法, 民法商法, 行政法规,
// 地方性法规/上海 …). A file reads
//
//	# 中华人民共和国某某法
//	2021年6月10日第十三届全国人民代表大会常务委员会第二十九次会议通过
//	<!-- INFO END -->
//	## 第一章 总则
//	第一条 ……
//
// Older versions are named "<title>(<YYYY-MM-DD>).md"; the current one may be
// "<title>.md". The 民法典 is split into one file per 编 under a 民法典/
// folder and is read as one version.

// lrbCategoryLevel maps LawRefBook's top-level folders to 效力级别. The
// law folders follow the NPC's seven legal departments.
var lrbCategoryLevel = map[string]string{
	"宪法":        library.LevelLaw,
	"宪法相关法":     library.LevelLaw,
	"民法典":       library.LevelLaw,
	"民法商法":      library.LevelLaw,
	"行政法":       library.LevelLaw,
	"经济法":       library.LevelLaw,
	"社会法":       library.LevelLaw,
	"刑法":        library.LevelLaw,
	"诉讼与非诉讼程序法": library.LevelLaw,
	"法律":        library.LevelLaw,
	"行政法规":      library.LevelAdminRegs,
	"部门规章":      library.LevelDeptRules,
	"司法解释":      library.LevelJudicial,
	"地方性法规":     library.LevelLocalRegs,
	"地方政府规章":    library.LevelLocalRules,
	"规范性文件":     library.LevelNormative,
	"党内法规":      library.LevelPartyRegs,
}

const lrbInfoEnd = "<!-- INFO END -->"

var (
	lrbDatedName = regexp.MustCompile(`^(.+?)[(（](\d{4})-(\d{2})-(\d{2})[)）]$`)
	lrbHistory   = regexp.MustCompile(`(通过|修正|修订|公布|发布|施行|批准|颁布|制定|废止)`)
	lrbIssuer    = regexp.MustCompile(`全国人民代表大会常务委员会|全国人民代表大会|国务院|最高人民法院|最高人民检察院|中央军事委员会|[\p{Han}]{2,12}?人民代表大会常务委员会|[\p{Han}]{2,12}?人民政府`)
	lrbSession   = regexp.MustCompile(`第[零〇一二三四五六七八九十百\d]+[届次]`)
	lrbLeadWords = regexp.MustCompile(`^(?:根据|依据|经|由|在|于|和|及)+`)
	lrbPartNo    = regexp.MustCompile(`第([零〇一二三四五六七八九十百\d]+)编`)
	// lrbFirstArticle is an article heading at the start of a line.
	lrbFirstArticle = regexp.MustCompile(`^第([零〇一二三四五六七八九十百千\d]+)条`)
	lrbLeadNo       = regexp.MustCompile(`^(\d+)`)
)

// lrbDoc is one parsed LawRefBook file (or the merged 民法典 files).
type lrbDoc struct {
	Title     string
	FileDate  string // from "(YYYY-MM-DD)" in the file name
	Info      []Line // history lines before <!-- INFO END -->
	Body      []Line
	Sources   []library.Source
	Category  string
	Subfolder string
}

// ParseLawRefBook reads every law version under root in fsys. Versions of one
// law share the same Title (the importer groups works by title); each gets
// its date as VersionLabel, the newest is 现行有效 and older ones 已被替代.
// Files that cannot be read as a law are skipped with a warning; a tree
// without any law is an error.
func ParseLawRefBook(fsys fs.FS, root string) (*Parsed, error) {
	if root == "" {
		root = "."
	}
	// Parsed.File names the collection; each version's Sources name its own
	// files relative to root.
	out := &Parsed{File: path.Base(root)}
	if root == "." {
		out.File = "lawrefbook"
	}
	var docs []*lrbDoc
	codeDirs := map[string][]string{} // 民法典 folder -> its files
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s：无法读取（%v），已跳过", p, err))
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") || strings.HasPrefix(name, ".") {
			return nil
		}
		if dir := path.Dir(p); path.Base(dir) == "民法典" {
			codeDirs[dir] = append(codeDirs[dir], p)
			return nil
		}
		doc, err := lrbReadFile(fsys, root, p)
		if err != nil {
			out.Warnings = append(out.Warnings, err.Error()+"，已跳过")
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("无法读取目录 %s：%w", root, err)
	}
	for dir, files := range codeDirs {
		doc, err := lrbReadCode(fsys, root, dir, files)
		if err != nil {
			out.Warnings = append(out.Warnings, err.Error()+"，已跳过")
			continue
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w：%s 中没有 LawRefBook 格式的法律文件（# 标题 + <!-- INFO END -->）", ErrEmpty, root)
	}
	out.Versions = lrbVersions(docs)
	for _, v := range out.Versions {
		if !ufHasStructure(v.Provisions) {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s：未识别出条文结构", v.Sources[0].File))
		}
	}
	return out, nil
}

// lrbReadFile reads and parses one Markdown file.
func lrbReadFile(fsys fs.FS, root, p string) (*lrbDoc, error) {
	data, err := lrbReadLimited(fsys, p)
	if err != nil {
		return nil, err
	}
	rel := lrbRel(root, p)
	doc, err := parseLawRefBookFile(rel, data)
	if err != nil {
		return nil, err
	}
	doc.Category, doc.Subfolder = lrbCategory(rel)
	return doc, nil
}

func lrbReadLimited(fsys fs.FS, p string) ([]byte, error) {
	if st, err := fs.Stat(fsys, p); err == nil && st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s：%w", p, ErrTooLarge)
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("%s：无法读取（%v）", p, err)
	}
	return data, nil
}

func lrbRel(root, p string) string {
	if root == "." {
		return p
	}
	return strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
}

// lrbCategory finds the category folder (the first known one on the path,
// so a tree nested under DLC/… still maps) and the folder below it.
func lrbCategory(rel string) (category, sub string) {
	parts := strings.Split(path.Dir(rel), "/")
	for i, part := range parts {
		if _, ok := lrbCategoryLevel[part]; ok {
			if i+1 < len(parts) {
				sub = parts[i+1]
			}
			return part, sub
		}
	}
	if parts[0] != "." {
		category = parts[0]
		if len(parts) > 1 {
			sub = parts[1]
		}
	}
	return category, sub
}

// parseLawRefBookFile parses one LawRefBook Markdown file; rel is the name
// recorded in Sources. It never panics on arbitrary input.
func parseLawRefBookFile(rel string, data []byte) (*lrbDoc, error) {
	text, err := DecodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", rel, err)
	}
	base := strings.TrimSuffix(path.Base(rel), ".md")
	doc := &lrbDoc{}
	if m := lrbDatedName.FindStringSubmatch(base); m != nil {
		doc.FileDate = m[2] + "-" + m[3] + "-" + m[4]
		base = m[1]
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	raw := strings.Split(text, "\n")
	hasEnd := strings.Contains(text, lrbInfoEnd)
	inInfo := true
	first, last := 0, 0
	for i, r := range raw {
		no := i + 1
		t := strings.TrimFunc(r, encIsBlank)
		if t == "" {
			continue
		}
		if first == 0 {
			first = no
		}
		last = no
		if t == lrbInfoEnd || strings.HasPrefix(t, lrbInfoEnd) {
			inInfo = false
			continue
		}
		if doc.Title == "" && strings.HasPrefix(t, "# ") {
			doc.Title = ufCleanLine(ufMarkdownInline(t[2:]))
			continue
		}
		line, ok := lrbLine(t, no)
		if !ok {
			continue
		}
		// Without the marker, history lines are the dated lines before the
		// first heading or article.
		if inInfo && !hasEnd && (strings.HasPrefix(t, "#") || ufStructuralStart.MatchString(line.Text) || !lrbHistory.MatchString(t)) {
			inInfo = false
		}
		if inInfo {
			doc.Info = append(doc.Info, line)
		} else {
			doc.Body = append(doc.Body, line)
		}
	}
	if doc.Title == "" {
		doc.Title = base
	}
	if len(doc.Body) == 0 {
		return nil, fmt.Errorf("%s：%w：没有正文", rel, ErrEmpty)
	}
	doc.Sources = []library.Source{{File: rel, FirstLine: first, LastLine: last}}
	return doc, nil
}

// lrbLine turns one Markdown line into a cleaned Line: heading marks,
// emphasis and links go, pipe tables become Table rows, HTML comments and
// rules are dropped.
func lrbLine(t string, no int) (Line, bool) {
	if strings.HasPrefix(t, "<!--") || ufMdRule.MatchString(t) || ufMdTableSep.MatchString(t) {
		return Line{}, false
	}
	table := false
	if strings.HasPrefix(t, "|") {
		table = true
		cells := strings.Split(strings.Trim(t, "|"), "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(ufMarkdownInline(cells[k]))
		}
		t = strings.Join(cells, " | ")
	} else {
		t = ufMdHeading.ReplaceAllString(t, "")
		t = ufMarkdownInline(ufMdQuote.ReplaceAllString(t, ""))
	}
	t = ufCleanLine(t)
	if t == "" {
		return Line{}, false
	}
	return Line{Text: t, No: no, Table: table}, true
}

// lrbReadCode merges the 编 files of the 民法典 folder into one document, in
// 编 order (from "第X编" in the file name or first heading, else a leading
// number in the name, else name order).
func lrbReadCode(fsys fs.FS, root, dir string, files []string) (*lrbDoc, error) {
	type part struct {
		ord int
		doc *lrbDoc
	}
	var parts []part
	for _, p := range files {
		doc, err := lrbReadFile(fsys, root, p)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part{lrbPartOrder(path.Base(p), doc), doc})
	}
	sort.SliceStable(parts, func(i, j int) bool {
		if parts[i].ord != parts[j].ord {
			return parts[i].ord < parts[j].ord
		}
		return parts[i].doc.Sources[0].File < parts[j].doc.Sources[0].File
	})
	merged := &lrbDoc{Title: "中华人民共和国民法典"}
	for _, pt := range parts {
		if strings.Contains(pt.doc.Title, "民法典") && !strings.Contains(pt.doc.Title, "编") {
			merged.Title = pt.doc.Title
		}
		if merged.FileDate == "" {
			merged.FileDate = pt.doc.FileDate
		}
		merged.Info = append(merged.Info, pt.doc.Info...)
		merged.Body = append(merged.Body, pt.doc.Body...)
		merged.Sources = append(merged.Sources, pt.doc.Sources...)
		merged.Category, merged.Subfolder = pt.doc.Category, ""
	}
	if merged.Category == "民法典" || merged.Category == "" {
		merged.Category = "民法典"
	}
	return merged, nil
}

// lrbIssuers names the bodies in a history line ("2023年12月29日第十四届全国
// 人民代表大会常务委员会第七次会议修正" → 全国人民代表大会常务委员会). Dates and
// session numbers are removed first so they do not stick to the name.
func lrbIssuers(line string) []string {
	s := ufDateRe.ReplaceAllString(line, " ")
	s = lrbSession.ReplaceAllString(s, "")
	s = strings.NewReplacer("《", " ", "》", " ", "，", " ", "、", " ").Replace(s)
	var out []string
	for _, m := range lrbIssuer.FindAllString(s, -1) {
		m = lrbLeadWords.ReplaceAllString(m, "")
		if m != "" && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func lrbPartOrder(name string, doc *lrbDoc) int {
	// A code numbers its articles continuously across its 编, so the first
	// article of each file orders the files whatever they are named (the
	// real tree names them 总则.md, 物权编.md … with no 第X编).
	for _, l := range doc.Body {
		if m := lrbFirstArticle.FindStringSubmatch(l.Text); m != nil {
			if n := ChineseNumber(m[1]); n > 0 {
				return n
			}
		}
	}
	if m := lrbPartNo.FindStringSubmatch(name); m != nil {
		return ChineseNumber(m[1])
	}
	if m := lrbLeadNo.FindStringSubmatch(name); m != nil {
		n := 0
		fmt.Sscan(m[1], &n)
		return n
	}
	for _, l := range doc.Body[:min(len(doc.Body), 3)] {
		if m := lrbPartNo.FindStringSubmatch(l.Text); m != nil {
			return ChineseNumber(m[1])
		}
	}
	return 1 << 20
}

// lrbVersions builds versions and sets, per title, VersionLabel and status:
// the newest version is in force, older ones superseded.
func lrbVersions(docs []*lrbDoc) []*library.Version {
	var vs []*library.Version
	byTitle := map[string][]*library.Version{}
	var order []string
	for _, d := range docs {
		v := lrbVersion(d)
		key := library.ShortName(v.Title)
		if _, ok := byTitle[key]; !ok {
			order = append(order, key)
		}
		byTitle[key] = append(byTitle[key], v)
	}
	sort.Strings(order)
	for _, key := range order {
		group := byTitle[key]
		// Oldest first; an undated file is the current text ("<title>.md").
		sort.SliceStable(group, func(i, j int) bool { return lrbDateKey(group[i]) < lrbDateKey(group[j]) })
		for i, v := range group {
			if v.Status == "" {
				note := library.Provenance{File: v.Sources[0].File, Note: "LawRefBook 中的最新版本"}
				v.Status = library.StatusInForce
				if i < len(group)-1 {
					v.Status = library.StatusSuperseded
					note.Note = "LawRefBook 中有更新的版本"
				}
				v.Provenance["status"] = note
			}
			v.Seq = len(vs)
			vs = append(vs, v)
		}
	}
	return vs
}

func lrbDateKey(v *library.Version) string {
	if v.VersionLabel == "" || v.VersionLabel == "现行版本" {
		return "9999"
	}
	return v.VersionLabel
}

// lrbVersion turns one document into a version with its metadata.
func lrbVersion(d *lrbDoc) *library.Version {
	src := d.Sources[0].File
	v := &library.Version{
		Kind:       library.KindRegulation,
		Title:      d.Title,
		Sources:    d.Sources,
		Part:       d.Category,
		Subsection: d.Subfolder,
		Level:      lrbCategoryLevel[d.Category],
		Provenance: map[string]library.Provenance{
			"title": {File: src, Line: d.Sources[0].FirstLine},
		},
	}
	if short := library.ShortName(d.Title); short != d.Title {
		v.Aliases = []string{short}
	}
	if v.Level != "" {
		v.Provenance["level"] = library.Provenance{File: src, Note: "由 LawRefBook 分类目录 " + d.Category + " 推断"}
	}
	switch {
	case v.Level == library.LevelLaw || v.Level == library.LevelAdminRegs || v.Level == library.LevelDeptRules || v.Level == library.LevelJudicial:
		v.Region = "全国"
	case NormalizeRegion(d.Subfolder) != "":
		v.Region = NormalizeRegion(d.Subfolder)
	default:
		v.Region, v.City = RegionFromTitle(d.Title)
	}
	if v.Region != "" {
		v.Provenance["region"] = library.Provenance{File: src, Note: "由分类目录或标题推断"}
	}
	if s := DetectStatus(d.Title); s != "" {
		v.Status = s
		v.Provenance["status"] = library.Provenance{File: src, Note: "由标题推断"}
	}

	// This version's date: the file-name date, else the latest history date.
	var latest string
	var latestLine Line
	for _, l := range d.Info {
		if len(l.Text) > 2000 {
			continue
		}
		for _, m := range ufDateRe.FindAllString(l.Text, -1) {
			if dt := ParseChineseDate(m); dt != "" && dt >= latest {
				latest, latestLine = dt, l
			}
		}
		if v.DocNumber == "" {
			if m := ufDocNumber(l.Text); m != "" {
				v.DocNumber = m
				v.Provenance["doc_number"] = library.Provenance{File: src, Line: l.No}
			}
		}
	}
	switch {
	case d.FileDate != "":
		v.VersionLabel = d.FileDate
		v.IssueDate = d.FileDate
		v.Provenance["issue_date"] = library.Provenance{File: src, Note: "文件名中的日期"}
	case latest != "":
		v.VersionLabel = latest
		v.IssueDate = latest
		v.Provenance["issue_date"] = library.Provenance{File: src, Line: latestLine.No}
	default:
		v.VersionLabel = "现行版本"
	}
	if latest != "" {
		for _, name := range lrbIssuers(latestLine.Text) {
			if !slices.Contains(v.Issuers, name) {
				v.Issuers = append(v.Issuers, name)
			}
		}
		if len(v.Issuers) > 0 {
			v.Provenance["issuers"] = library.Provenance{File: src, Line: latestLine.No}
		}
	}
	for _, l := range d.Body {
		if len(l.Text) > 2000 || !strings.Contains(l.Text, "起") {
			continue
		}
		if dt := ExtractEffectiveDate(l.Text, v.IssueDate); dt != "" {
			v.EffectiveDate = dt
			v.Provenance["effective_date"] = library.Provenance{File: src, Line: l.No}
		}
	}
	v.Provisions = Structure(v.Title, d.Body, StyleAuto) // 司法解释 and some 规章 use 一、 outlines
	v.Citations = ufCitations(v.Title, v.Provisions)
	return v
}
