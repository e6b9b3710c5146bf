package library

import (
	"fmt"
	"sort"
	"strings"
)

// Stats describes the shape of a library: what is in it and where its
// metadata has gaps. `datalex corpus stats` prints it.
type Stats struct {
	Works        int            `json:"works"`
	Versions     int            `json:"versions"`
	Provisions   int            `json:"provisions"`
	ByKind       map[string]int `json:"by_kind"`
	BySource     map[string]int `json:"by_source"`     // versions with text from each file
	ByPart       map[string]int `json:"by_part"`       // "file | part"
	BySubsection map[string]int `json:"by_subsection"` // "file | part | subsection"
	ByLevel      map[string]int `json:"by_level"`
	ByRegion     map[string]int `json:"by_region"`
	ByStatus     map[string]int `json:"by_status"`
	ByProvKind   map[string]int `json:"by_provision_kind"`
	Coverage     map[string]int `json:"metadata_coverage"` // field -> versions having it (regulations only)
	Regulations  int            `json:"regulations"`       // denominator for coverage
	Flags        map[string]int `json:"flags"`
	MultiVersion int            `json:"works_with_several_versions"`
	MultiSource  int            `json:"versions_with_several_sources"`
	Citations    int            `json:"citations"`
	Resolved     int            `json:"citations_resolved"`
}

// ComputeStats counts versions by their metadata.
func ComputeStats(versions []*Version) Stats {
	s := Stats{
		ByKind: map[string]int{}, BySource: map[string]int{}, ByPart: map[string]int{}, BySubsection: map[string]int{},
		ByLevel: map[string]int{}, ByRegion: map[string]int{}, ByStatus: map[string]int{}, ByProvKind: map[string]int{},
		Coverage: map[string]int{}, Flags: map[string]int{},
	}
	works := map[string]int{}
	orUnknown := func(x string) string {
		if x == "" {
			return "(未知)"
		}
		return x
	}
	for _, v := range versions {
		s.Versions++
		works[v.WorkID]++
		s.ByKind[v.Kind]++
		s.Provisions += len(v.Provisions)
		for _, p := range v.Provisions {
			s.ByProvKind[p.Kind]++
		}
		seen := map[string]bool{}
		for _, src := range v.Sources {
			if !seen[src.File] {
				s.BySource[src.File]++
				seen[src.File] = true
			}
		}
		if len(v.Sources) > 1 {
			s.MultiSource++
		}
		if len(v.Sources) > 0 {
			f := v.Sources[0].File
			if v.Part != "" {
				s.ByPart[f+" | "+v.Part]++
			}
			if v.Subsection != "" {
				s.BySubsection[f+" | "+v.Part+" | "+v.Subsection]++
			}
		}
		s.ByStatus[orUnknown(v.Status)]++
		for _, f := range v.Flags {
			s.Flags[f]++
		}
		s.Citations += len(v.Citations)
		for _, c := range v.Citations {
			if c.WorkID != "" {
				s.Resolved++
			}
		}
		if v.Kind != KindRegulation && v.Kind != KindCatalogue {
			continue
		}
		s.ByLevel[orUnknown(v.Level)]++
		s.ByRegion[orUnknown(v.Region)]++
		s.Regulations++
		for field, ok := range map[string]bool{
			"title": v.Title != "", "aliases": len(v.Aliases) > 0, "doc_number": v.DocNumber != "",
			"issuers": len(v.Issuers) > 0, "issue_date": v.IssueDate != "", "effective_date": v.EffectiveDate != "",
			"status": v.Status != "", "level": v.Level != "", "region": v.Region != "", "sector": v.Sector != "",
			"part": v.Part != "", "subsection": v.Subsection != "", "tags": len(v.TopicTags()) > 0,
			"provisions": len(v.Provisions) > 0,
		} {
			if ok {
				s.Coverage[field]++
			}
		}
	}
	s.Works = len(works)
	for _, n := range works {
		if n > 1 {
			s.MultiVersion++
		}
	}
	return s
}

// Format renders the stats as a human report.
func (s Stats) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "作品 %d，版本 %d，条文 %d\n", s.Works, s.Versions, s.Provisions)
	fmt.Fprintf(&b, "多版本作品 %d，多来源版本 %d；引用 %d（已解析到库内作品 %d）\n", s.MultiVersion, s.MultiSource, s.Citations, s.Resolved)
	section := func(title string, m map[string]int, sortByKey bool) {
		fmt.Fprintf(&b, "\n%s\n", title)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if sortByKey || m[keys[i]] == m[keys[j]] {
				return keys[i] < keys[j]
			}
			return m[keys[i]] > m[keys[j]]
		})
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-40s %6d\n", k, m[k])
		}
	}
	section("按类型", s.ByKind, false)
	section("按来源文件（含文本或目录记录的版本）", s.BySource, true)
	section("按来源部分", s.ByPart, true)
	section("按来源子部分", s.BySubsection, true)
	section("按效力级别（法规与目录记录）", s.ByLevel, false)
	section("按地域（法规与目录记录）", s.ByRegion, false)
	section("按时效性", s.ByStatus, false)
	section("条文类型", s.ByProvKind, false)
	fmt.Fprintf(&b, "\n元数据覆盖（法规与目录记录，共 %d）\n", s.Regulations)
	fields := []string{"title", "aliases", "doc_number", "issuers", "issue_date", "effective_date", "status", "level",
		"region", "sector", "part", "subsection", "tags", "provisions"}
	for _, f := range fields {
		pct := 0.0
		if s.Regulations > 0 {
			pct = 100 * float64(s.Coverage[f]) / float64(s.Regulations)
		}
		fmt.Fprintf(&b, "  %-16s %6d  %5.1f%%\n", f, s.Coverage[f], pct)
	}
	section("质量标记", s.Flags, false)
	return b.String()
}
