package library

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

var (
	// Bracketed status or edition notes that do not change which work a
	// title names: （试行）, （征求意见稿）, （征）, （2024—2026年）, （2024年版）.
	keyStatusParen = regexp.MustCompile(`[（(][^（）()]*?(试行|暂行|征求意见稿|征|草案|送审稿|修改稿|修订|修正|年版|\d{4}\s*[-—–－~至]?\s*\d{4}\s*年?)[^（）()]*?[）)]`)
	keyYearRange   = regexp.MustCompile(`(\d{4})\s*[-—–－~至]?\s*(\d{4})\s*年?`)
	keyDrop        = strings.NewReplacer("《", "", "》", "", "“", "", "”", "", "\"", "", "'", "", "‘", "", "’", "",
		"×", "", "·", "", "•", "", "、", "", "，", "", ",", "", "：", "", ":", "", "—", "", "-", "", "_", "")
)

// TitleKey normalises a document title to the key that identifies its work:
// NFKC, no whitespace or quotes, no 中华人民共和国 prefix, no status notes such
// as （试行） or （征求意见稿）, and issuer prefixes before 关于 removed so that
// 「国务院关于…」 and 「关于…」 meet.
func TitleKey(title string) string {
	t := norm.NFKC.String(title)
	t = strings.Join(strings.Fields(t), "")
	t = keyStatusParen.ReplaceAllString(t, "")
	t = keyYearRange.ReplaceAllString(t, "$1$2")
	t = keyDrop.Replace(t)
	t = strings.TrimPrefix(t, "中华人民共和国")
	if i := strings.Index(t, "关于"); i > 0 && i <= 90 {
		t = t[i:]
	}
	// Trailing status words written without brackets (…管理办法试行).
	for _, s := range []string{"征求意见稿", "草案", "试行", "暂行"} {
		if strings.HasSuffix(t, s) && len(t) > len(s)+6 {
			t = strings.TrimSuffix(t, s)
		}
	}
	return strings.ToLower(t)
}
