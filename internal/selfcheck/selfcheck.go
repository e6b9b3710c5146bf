// Package selfcheck holds what the 合规自查 decision tools share: the
// provisions a rule relies on (Ref) and their lookup in the library, so that
// every step of a decision is cited to a provision that exists and quoted
// verbatim from it.
package selfcheck

import (
	"fmt"
	"strings"

	"datalex/internal/library"
)

// Ref names the provision a rule implements: the document title and the
// provision label as the library labels it, and a short quote that must be a
// verbatim substring of the provision's text.
type Ref struct {
	Doc   string `json:"document"`
	Label string `json:"label"`
	Quote string `json:"quote"`
}

// Citation is a Ref as found in the library.
type Citation struct {
	Document    string `json:"document"`
	Label       string `json:"label"`
	Quote       string `json:"quote"`
	ProvisionID string `json:"provision_id,omitempty"`
	VersionID   string `json:"version_id,omitempty"`
	// Validity is the 时效性 of the cited version when the library knows it.
	Validity string `json:"validity,omitempty"`
	// Missing is set when the library lacks the provision or the quote; the
	// tool then says so rather than citing a text it cannot show.
	Missing bool `json:"missing,omitempty"`
}

// String is the human citation, e.g. 《促进和规范数据跨境流动规定》 第七条第（一）项.
func (c Citation) String() string { return library.CitationFor(c.Document, c.Label) }

// Library finds provisions by document title and label.
type Library struct {
	byKey map[string][]*library.Version
}

// NewLibrary indexes versions by title key (and alias keys).
func NewLibrary(versions []*library.Version) *Library {
	l := &Library{byKey: map[string][]*library.Version{}}
	for _, v := range versions {
		keys := map[string]bool{library.TitleKey(v.Title): true}
		for _, a := range v.Aliases {
			keys[library.TitleKey(a)] = true
		}
		for k := range keys {
			l.byKey[k] = append(l.byKey[k], v)
		}
	}
	return l
}

func normLabel(s string) string { return strings.Join(strings.Fields(s), "") }

// Find returns the provision a ref names whose text holds the quote, trying
// every version of the document (a work may have drafts and final texts; the
// first version whose provision holds the quote wins).
func (l *Library) Find(r Ref) (*library.Version, *library.Provision) {
	if l == nil {
		return nil, nil
	}
	label := normLabel(r.Label)
	for _, v := range l.byKey[library.TitleKey(r.Doc)] {
		for _, p := range v.Provisions {
			if normLabel(p.Label) == label && strings.Contains(p.Text, r.Quote) {
				return v, p
			}
		}
	}
	return nil, nil
}

// Cite resolves a ref into a citation, marking it Missing when the library
// does not hold the provision or the quote.
func (l *Library) Cite(r Ref) Citation {
	c := Citation{Document: r.Doc, Label: r.Label, Quote: r.Quote}
	v, p := l.Find(r)
	if p == nil {
		c.Missing = true
		return c
	}
	c.ProvisionID, c.VersionID = p.ID, v.ID
	c.Validity = v.Validity
	if c.Validity == "" {
		c.Validity = v.Status
	}
	return c
}

// Citations collects refs into citations, dropping duplicates and keeping the
// first-seen order.
type Citations struct {
	lib  *Library
	seen map[Ref]bool
	List []Citation
}

// NewCitations starts an empty list that resolves refs in lib.
func NewCitations(lib *Library) *Citations {
	return &Citations{lib: lib, seen: map[Ref]bool{}}
}

// Add cites r once and returns its human citation for use in step text.
func (cs *Citations) Add(r Ref) string {
	if !cs.seen[r] {
		cs.seen[r] = true
		cs.List = append(cs.List, cs.lib.Cite(r))
	}
	return library.CitationFor(r.Doc, r.Label)
}

// MissingNotes says which cited provisions the library lacks.
func (cs *Citations) MissingNotes() []string {
	var out []string
	for _, c := range cs.List {
		if c.Missing {
			out = append(out, fmt.Sprintf("资料库中未找到 %s（或其引文“%s”），该依据未经核对。", c.String(), c.Quote))
		}
	}
	return out
}
