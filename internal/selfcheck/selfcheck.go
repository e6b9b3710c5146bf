// Package selfcheck holds what the 合规自查 decision tools share: the
// citation a rule rests on, and the check that every such citation is a real
// provision of the library whose text carries the quoted words.
//
// Each tool (crossborder, pia, …) is its own package: it takes the user's
// facts, applies the rules of the library's provisions and returns a decision
// in which every step names the provision that decides it.
package selfcheck

import (
	"fmt"
	"strings"
	"unicode"

	"datalex/internal/library"
)

// Citation is the provision one step of a decision rests on. Quote is a
// verbatim excerpt of the provision's text (whitespace aside: the seed texts
// carry OCR spacing such as "100万人" written "100 万人").
type Citation struct {
	Document string `json:"document"`
	Label    string `json:"label"`
	Quote    string `json:"quote"`
}

// String renders the citation as people write it: 《文件》第X条.
func (c Citation) String() string { return "《" + c.Document + "》" + c.Label }

// squash drops all whitespace so OCR spacing does not defeat comparisons.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Verify checks a citation against the library: the document must exist
// (matched by title key, so 中华人民共和国 prefixes and quotes do not matter),
// one of its in-library versions must hold a provision with that label, and
// the provision's text must contain the quote. It is run by the tools' tests
// over the bundled library, and by the web layer at start-up, so a rule can
// never cite a provision the user cannot open.
func Verify(versions []*library.Version, c Citation) error {
	key := library.TitleKey(c.Document)
	var found bool
	for _, v := range versions {
		if library.TitleKey(v.Title) != key {
			continue
		}
		found = true
		for _, p := range v.Provisions {
			if p.Label != c.Label {
				continue
			}
			if strings.Contains(squash(p.Text), squash(c.Quote)) {
				return nil
			}
		}
	}
	if !found {
		return fmt.Errorf("《%s》不在资料库中", c.Document)
	}
	return fmt.Errorf("《%s》%s 中找不到引文 %q", c.Document, c.Label, c.Quote)
}
