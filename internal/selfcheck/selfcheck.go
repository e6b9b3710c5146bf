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
	"sort"
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

// Collector gathers the citations a decision uses, each once, in the order
// first used. Tools build their decisions with it so no provision is listed
// twice and every step's provision appears in the result's citations.
type Collector struct {
	table map[string]Citation
	seen  map[string]bool
	List  []Citation
}

// NewCollector collects from a tool's citation table (keyed by rule id).
func NewCollector(table map[string]Citation) *Collector {
	return &Collector{table: table, seen: map[string]bool{}, List: []Citation{}}
}

// Cite records and returns the citation with that key. An unknown key is a
// defect in the tool's code, caught by its tests, so it panics.
func (c *Collector) Cite(key string) Citation {
	ct, ok := c.table[key]
	if !ok {
		panic("selfcheck: unknown citation " + key)
	}
	id := ct.Document + "\x00" + ct.Label + "\x00" + ct.Quote
	if !c.seen[id] {
		c.seen[id] = true
		c.List = append(c.List, ct)
	}
	return ct
}

// Sorted returns the table's citations ordered by key (for verification).
func Sorted(table map[string]Citation) []Citation {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Citation, 0, len(keys))
	for _, k := range keys {
		out = append(out, table[k])
	}
	return out
}
