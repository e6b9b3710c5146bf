package selfcheck

import (
	"fmt"
	"strings"

	"datalex/internal/library"
)

// Cited is a Citation as found in a library: the provision and version it
// resolved to and the 时效性 the library gave that version. Records keep it
// so that a later change can flag the check for review.
type Cited struct {
	Citation
	ProvisionID string `json:"provision_id,omitempty"`
	VersionID   string `json:"version_id,omitempty"`
	Validity    string `json:"validity,omitempty"`
	Missing     bool   `json:"missing,omitempty"`
}

// Library finds cited provisions by document title key and label.
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

// Find returns the provision a citation names whose text holds its quote
// (whitespace aside, as Verify), trying every version of the document.
func (l *Library) Find(c Citation) (*library.Version, *library.Provision) {
	if l == nil {
		return nil, nil
	}
	q := squash(c.Quote)
	for _, v := range l.byKey[library.TitleKey(c.Document)] {
		for _, p := range v.Provisions {
			if p.Label == c.Label && strings.Contains(squash(p.Text), q) {
				return v, p
			}
		}
	}
	return nil, nil
}

// Cite resolves one citation.
func (l *Library) Cite(c Citation) Cited {
	out := Cited{Citation: c}
	v, p := l.Find(c)
	if p == nil {
		out.Missing = true
		return out
	}
	out.ProvisionID, out.VersionID, out.Validity = p.ID, v.ID, v.Validity
	if out.Validity == "" {
		out.Validity = v.Status
	}
	return out
}

// CiteAll resolves a result's citations.
func (l *Library) CiteAll(cs []Citation) []Cited {
	out := make([]Cited, len(cs))
	for i, c := range cs {
		out[i] = l.Cite(c)
	}
	return out
}

// MissingNotes says which citations the library lacks, for results built
// against a library other than the bundled one.
func MissingNotes(cs []Cited) []string {
	var out []string
	for _, c := range cs {
		if c.Missing {
			out = append(out, fmt.Sprintf("资料库中未找到 %s（或其引文“%s”），该依据未经核对。", c.String(), c.Quote))
		}
	}
	return out
}
