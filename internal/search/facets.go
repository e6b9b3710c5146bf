package search

import (
	"slices"
	"strings"

	"datalex/internal/library"
)

// Facet keys (also the filter keys).
const (
	FacetLevel  = "level"  // 效力级别
	FacetIssuer = "issuer" // 发布机关
	FacetRegion = "region" // 地域
	FacetStatus = "status" // 时效性
	FacetYear   = "year"   // 年份 (of IssueDate)
	FacetSector = "sector" // 行业
	FacetTag    = "tag"    // 主题
	FacetSource = "source" // 来源 (file or compilation part)
	FacetKind   = "kind"   // 类型 (regulation, catalogue, news, note)
)

// FacetKeys lists the facets in display order.
var FacetKeys = []string{FacetLevel, FacetIssuer, FacetRegion, FacetStatus, FacetYear, FacetSector, FacetTag, FacetSource, FacetKind}

// FacetLabels are the Chinese names of the facets.
var FacetLabels = map[string]string{
	FacetLevel: "效力级别", FacetIssuer: "发布机关", FacetRegion: "地域", FacetStatus: "时效性",
	FacetYear: "年份", FacetSector: "行业", FacetTag: "主题", FacetSource: "来源", FacetKind: "类型",
}

// facetKey accepts the English key or its Chinese label.
func facetKey(k string) (string, bool) {
	k = strings.ToLower(strings.TrimSpace(k))
	if _, ok := FacetLabels[k]; ok {
		return k, true
	}
	for key, label := range FacetLabels {
		if label == k {
			return key, true
		}
	}
	switch k {
	case "时效", "状态":
		return FacetStatus, true
	case "机关", "发文机关":
		return FacetIssuer, true
	case "地区":
		return FacetRegion, true
	}
	return "", false
}

func facetKeyList() string {
	var parts []string
	for _, k := range FacetKeys {
		parts = append(parts, k+"/"+FacetLabels[k])
	}
	return strings.Join(parts, ", ")
}

// facetValues returns the values a version has for every facet.
func facetValues(v *library.Version) map[string][]string {
	m := make(map[string][]string, len(FacetKeys))
	add := func(k, val string) {
		val = strings.TrimSpace(val)
		if val != "" && !slices.Contains(m[k], val) {
			m[k] = append(m[k], val)
		}
	}
	add(FacetLevel, v.Level)
	for _, is := range v.Issuers {
		add(FacetIssuer, is)
	}
	add(FacetRegion, v.Region)
	add(FacetStatus, v.ValidityOrStatus())
	if len(v.IssueDate) >= 4 {
		add(FacetYear, v.IssueDate[:4])
	}
	add(FacetSector, v.Sector)
	for _, t := range v.TopicTags() {
		add(FacetTag, t)
	}
	for _, s := range v.Sources {
		add(FacetSource, s.File)
	}
	add(FacetSource, v.Part)
	add(FacetKind, v.Kind)
	return m
}

// FacetValue is one value of a facet with the number of matching documents.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facet is the value counts of one facet over the matching documents.
type Facet struct {
	Key    string       `json:"key"`
	Label  string       `json:"label"`
	Values []FacetValue `json:"values"`
}

// maxFacetValues bounds the values listed per facet.
const maxFacetValues = 30

// facetTable interns facet values so counting is array increments.
type facetTable struct {
	ids  map[[2]string]int32
	vals [][2]string // id → {key, value}
	key  []int8      // id → index of the key in FacetKeys, -1 if not listed
}

func (t *facetTable) intern(vals map[string][]string) []int32 {
	if t.ids == nil {
		t.ids = make(map[[2]string]int32)
	}
	var out []int32
	for k, vs := range vals {
		for _, v := range vs {
			kv := [2]string{k, v}
			id, ok := t.ids[kv]
			if !ok {
				id = int32(len(t.vals))
				t.ids[kv] = id
				t.vals = append(t.vals, kv)
				t.key = append(t.key, int8(slices.Index(FacetKeys, k)))
			}
			out = append(out, id)
		}
	}
	return out
}

// count counts documents per facet value; ids[d] are the values of d.
// counts is scratch space as long as the table, all zero, and left so.
func (t *facetTable) count(ids [][]int32, docs []int32, counts []int32) []Facet {
	for _, d := range docs {
		for _, id := range ids[d] {
			counts[id]++
		}
	}
	byKey := make([][]FacetValue, len(FacetKeys))
	for id, n := range counts {
		if n > 0 {
			if k := t.key[id]; k >= 0 {
				byKey[k] = append(byKey[k], FacetValue{t.vals[id][1], int(n)})
			}
			counts[id] = 0
		}
	}
	var out []Facet
	for ki, k := range FacetKeys {
		vals := byKey[ki]
		if len(vals) == 0 {
			continue
		}
		// Values are distinct within a key, so these orders are total.
		if k == FacetYear {
			slices.SortFunc(vals, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
		} else {
			slices.SortFunc(vals, func(a, b FacetValue) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Value, b.Value)
			})
		}
		if len(vals) > maxFacetValues {
			vals = vals[:maxFacetValues]
		}
		out = append(out, Facet{Key: k, Label: FacetLabels[k], Values: vals})
	}
	return out
}

// matchesFilters reports whether a version's facet values pass the filters:
// any listed value of a key, every key. Values match exactly or, for
// issuer, region and source, as a substring (北京 matches 北京市).
func matchesFilters(vals map[string][]string, filters map[string][]string) bool {
	for k, want := range filters {
		have := vals[k]
		ok := false
		for _, w := range want {
			for _, h := range have {
				if h == w || (k == FacetIssuer || k == FacetRegion || k == FacetSource) && strings.Contains(h, w) {
					ok = true
					break
				}
			}
			if ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
