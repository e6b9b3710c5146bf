package search

import (
	_ "embed"
	"strings"

	"datalex/internal/textseg"
)

//go:embed aliases.txt
var aliasData string

//go:embed stopwords.txt
var stopwordData string

// rule is one expansion: when any of From occurs in the (folded) query, the
// words of To are added to it with Weight.
type rule struct {
	From   []string
	To     []string
	Weight float32
	Doc    bool // a document short name: also used to resolve citations
}

// Expansion weights: added words count less than the user's own.
const (
	docAliasWeight = 1.0
	synonymWeight  = 0.6
	laypersonWeigh = 0.5
)

// aliasTable holds the parsed rules and the document short names.
type aliasTable struct {
	rules []rule
	docs  map[string]string // folded short name → folded full name
}

func parseAliases(data string) *aliasTable {
	t := &aliasTable{docs: make(map[string]string)}
	section := ""
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			continue
		}
		lhs, rhs, arrow := strings.Cut(line, "=>")
		from := splitWords(lhs)
		switch {
		case section == "doc" && arrow:
			to := splitWords(rhs)
			if len(to) != 1 {
				continue
			}
			for _, f := range from {
				t.docs[f] = to[0]
			}
			t.rules = append(t.rules, rule{From: from, To: to, Weight: docAliasWeight, Doc: true})
		case section == "syn" && !arrow:
			// Every member expands to all the others.
			for i, f := range from {
				var to []string
				for j, g := range from {
					if i != j {
						to = append(to, g)
					}
				}
				t.rules = append(t.rules, rule{From: []string{f}, To: to, Weight: synonymWeight})
			}
		case section == "lay" && arrow:
			t.rules = append(t.rules, rule{From: from, To: splitWords(rhs), Weight: laypersonWeigh})
		}
	}
	return t
}

func splitWords(s string) []string {
	var out []string
	for _, w := range strings.Split(s, "|") {
		w = textseg.Fold(strings.TrimSpace(w))
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// expansion is a word added to a query by a rule, tied to the part of the
// query it came from.
type expansion struct {
	Word   string
	From   string
	Weight float32
}

// expand returns the expansions triggered by folded query text; words
// already in the query are not added again.
func (t *aliasTable) expand(folded string) []expansion {
	var out []expansion
	seen := make(map[string]bool)
	for _, r := range t.rules {
		for _, f := range r.From {
			if !strings.Contains(folded, f) {
				continue
			}
			for _, w := range r.To {
				if seen[w] || strings.Contains(folded, w) {
					continue
				}
				seen[w] = true
				out = append(out, expansion{Word: w, From: f, Weight: r.Weight})
			}
			break
		}
	}
	return out
}

// resolveDoc maps a document short name to its full name, if listed.
func (t *aliasTable) resolveDoc(folded string) (string, bool) {
	full, ok := t.docs[folded]
	return full, ok
}

func parseStopwords(data string) map[string]bool {
	m := make(map[string]bool)
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			m[textseg.Fold(w)] = true
		}
	}
	return m
}

var (
	defaultAliases = parseAliases(aliasData)
	stopwords      = parseStopwords(stopwordData)
)
