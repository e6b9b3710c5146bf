package search

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// Label patterns a citation query can end with (on folded text).
var citationLabel = []*regexp.Regexp{
	// 第二十一条, 第38条, 第二十一条之一, optionally 第一款/第二项 after it.
	regexp.MustCompile(`(第[0-9零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?)(?:\s*第[0-9一二三四五六七八九十]+[款项])*\s*$`),
	// 二(一)3, 二、(一), 三(二), (五)
	regexp.MustCompile(`((?:[一二三四五六七八九十]+\s*、?\s*)?\([一二三四五六七八九十]+\)\s*(?:[0-9]+\.?)?)\s*$`),
	// 十七、  二、3
	regexp.MustCompile(`([一二三四五六七八九十]+、\s*(?:[0-9]+)?)\s*$`),
	// 5.3.1, 附件1, 附录a
	regexp.MustCompile(`(\b[0-9]+(?:\.[0-9]+)+|附件\s*[0-9一二三四五六七八九十]+|附录\s*[a-z0-9]+)\s*$`),
}

// splitCitation splits "数据安全法第二十一条" into title and label parts.
// ok is false unless both parts are present.
func splitCitation(text string) (title, label string, ok bool) {
	folded := strings.TrimSpace(textseg.Fold(text))
	if !mayEndLabel(folded) {
		return "", "", false
	}
	for _, re := range citationLabel {
		m := re.FindStringSubmatchIndex(folded)
		if m == nil {
			continue
		}
		title = strings.TrimSpace(folded[:m[2]])
		title = strings.TrimSuffix(title, "的")
		label = folded[m[2]:m[3]]
		if titleKey(title) == "" {
			return "", "", false
		}
		if _, alias := defaultAliases.resolveDoc(titleKey(title)); !hasHan(title) && !alias {
			return "", "", false
		}
		return title, label, true
	}
	return "", "", false
}

// mayEndLabel reports whether folded text ends with a character that one
// of citationLabel's patterns can end with: most queries (questions ending
// in ？) are rejected here without running the regular expressions.
func mayEndLabel(folded string) bool {
	r, _ := utf8.DecodeLastRuneInString(folded)
	switch {
	case r >= '0' && r <= '9', r >= 'a' && r <= 'z':
		return true
	}
	return strings.ContainsRune("条款项)、.零〇一二三四五六七八九十", r)
}

func hasHan(s string) bool {
	for _, r := range s {
		if textseg.IsHan(r) {
			return true
		}
	}
	return false
}

// statusRank orders versions for citation lookup: the text in force first.
func statusRank(v *library.Version) int {
	switch v.Status {
	case library.StatusInForce, "":
		return 3
	case library.StatusTrial, library.StatusInterim:
		return 3
	case library.StatusDraft, library.StatusBill:
		return 1
	}
	return 0
}

// resolveCitation finds the provision a citation query names: the title
// part is matched exactly (full title, short name, alias) or else as a part
// of titles (暂行规定 → the best document with that label), the label
// with 第38条 = 第三十八条 and 二（一） = 二、（一）.
func (ix *Index) resolveCitation(text string) (unit int32, title string, ok bool) {
	title, label, ok := splitCitation(text)
	if !ok {
		return -1, "", false
	}
	key := titleKey(title)
	if full, ok := ix.aliases.resolveDoc(key); ok {
		key = titleKey(full)
	}
	lk := labelKey(label)
	best, bestScore := int32(-1), -1
	consider := func(vi int32, exact bool) {
		u, ok := ix.labels[labelRef{vi, lk}]
		if !ok {
			return
		}
		v := ix.versions[vi]
		s := statusRank(v) * 10
		if exact {
			s += 1000
		}
		if v.Kind == library.KindRegulation {
			s += 100
		}
		if v.HasFlag(library.FlagExcerpt) {
			s -= 5
		}
		if strings.HasSuffix(ix.vinfo[vi].titleKey, key) {
			s += 50
		}
		// Shorter titles are closer matches for a partial name.
		s -= min(len([]rune(ix.vinfo[vi].titleKey)), 99) / 10
		if s > bestScore {
			best, bestScore = u, s
		}
	}
	for _, vi := range ix.byTitle[key] {
		consider(vi, true)
	}
	if best < 0 && len([]rune(key)) >= 2 {
		for vi := range ix.versions {
			if strings.Contains(ix.vinfo[vi].titleKey, key) {
				consider(int32(vi), false)
			}
		}
	}
	return best, title, best >= 0
}

// citationMiss explains a citation query whose document was found but not
// the provision, so the user learns the label does not exist there.
func (ix *Index) citationMiss(text string) string {
	title, label, ok := splitCitation(text)
	if !ok {
		return ""
	}
	key := titleKey(title)
	if full, ok := ix.aliases.resolveDoc(key); ok {
		key = titleKey(full)
	}
	vers := ix.byTitle[key]
	if len(vers) == 0 {
		for vi := range ix.versions {
			if strings.Contains(ix.vinfo[vi].titleKey, key) {
				vers = append(vers, int32(vi))
				if len(vers) > 1 {
					break
				}
			}
		}
	}
	if len(vers) == 1 {
		return "《" + ix.versions[vers[0]].Title + "》中没有 " + label + "，以下为普通检索结果"
	}
	return ""
}

// documentsNamed returns the versions whose title, short name or alias is
// exactly the (folded) text, for queries that name a document.
func (ix *Index) documentsNamed(text string) []int32 {
	key := titleKey(text)
	if full, ok := ix.aliases.resolveDoc(key); ok {
		key = titleKey(full)
	}
	return ix.byTitle[key]
}
