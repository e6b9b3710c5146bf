package library

import "sort"

// Catalog is the in-memory view of a loaded library with the lookups the
// search, answer and web layers need. It is read-only once built.
type Catalog struct {
	Versions []*Version
	Works    []*Work

	versions   map[string]*Version
	works      map[string]*Work
	provisions map[string]*Provision
	provOwner  map[string]*Version
	citedBy    map[string][]*Version
	relatedBy  map[string][]Incoming
}

// Incoming is a relation another version states about a work: the reverse
// side shown on the target's page (被废止, 被优先适用, 作为依据 …).
type Incoming struct {
	From     *Version
	Relation Relation
}

// NewCatalog indexes versions (as loaded from the store).
func NewCatalog(versions []*Version) *Catalog {
	c := &Catalog{
		Versions:   versions,
		versions:   map[string]*Version{},
		works:      map[string]*Work{},
		provisions: map[string]*Provision{},
		provOwner:  map[string]*Version{},
		citedBy:    map[string][]*Version{},
		relatedBy:  map[string][]Incoming{},
	}
	for _, v := range versions {
		c.versions[v.ID] = v
		w := c.works[v.WorkID]
		if w == nil {
			w = &Work{ID: v.WorkID}
			c.works[v.WorkID] = w
			c.Works = append(c.Works, w)
		}
		w.Versions = append(w.Versions, v)
		for _, p := range v.Provisions {
			c.provisions[p.ID] = p
			c.provOwner[p.ID] = v
		}
	}
	for _, w := range c.Works {
		sort.SliceStable(w.Versions, func(i, j int) bool { return w.Versions[i].IssueDate < w.Versions[j].IssueDate })
		w.Title = c.Preferred(w.ID).Title
	}
	for _, v := range versions {
		for _, r := range v.Relations {
			if r.TargetWork != "" && r.TargetWork != v.WorkID {
				c.relatedBy[r.TargetWork] = append(c.relatedBy[r.TargetWork], Incoming{From: v, Relation: r})
			}
		}
	}
	for _, v := range versions {
		seen := map[string]bool{}
		for _, ct := range v.Citations {
			if ct.WorkID != "" && ct.WorkID != v.WorkID && !seen[ct.WorkID] {
				seen[ct.WorkID] = true
				c.citedBy[ct.WorkID] = append(c.citedBy[ct.WorkID], v)
			}
		}
	}
	return c
}

// Version returns the version with id, or nil.
func (c *Catalog) Version(id string) *Version { return c.versions[id] }

// Work returns the work with id, or nil.
func (c *Catalog) Work(id string) *Work { return c.works[id] }

// Provision returns a provision and the version holding it.
func (c *Catalog) Provision(id string) (*Version, *Provision) {
	return c.provOwner[id], c.provisions[id]
}

// Resolve accepts a work id or a version id and returns a version: for a
// work, the version it is known by.
func (c *Catalog) Resolve(id string) *Version {
	if v := c.versions[id]; v != nil {
		return v
	}
	if w := c.works[id]; w != nil {
		return c.Preferred(id)
	}
	return nil
}

// Preferred returns the version a work is known by: the latest adopted text
// with content, falling back to drafts and catalogue records.
func (c *Catalog) Preferred(workID string) *Version {
	w := c.works[workID]
	if w == nil {
		return nil
	}
	var best *Version
	bestScore := -1 << 30
	for _, v := range w.Versions {
		s := 0
		switch v.Status {
		case StatusDraft, StatusBill:
			s = 10
		case StatusSuperseded, StatusRepealed:
			s = 0
		default:
			s = 20
		}
		if len(v.Provisions) > 0 {
			s += 100
		}
		if s >= bestScore {
			best, bestScore = v, s
		}
	}
	return best
}

// CitedBy lists the versions that cite the work.
func (c *Catalog) CitedBy(workID string) []*Version { return c.citedBy[workID] }

// Children returns the direct children of a provision in document order.
func (v *Version) Children(parentID string) []*Provision {
	var out []*Provision
	for _, p := range v.Provisions {
		if p.ParentID == parentID {
			out = append(out, p)
		}
	}
	return out
}

// RelatedBy returns the relations other versions state about workID.
func (c *Catalog) RelatedBy(workID string) []Incoming { return c.relatedBy[workID] }
