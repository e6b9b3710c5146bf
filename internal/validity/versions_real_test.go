package validity

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"datalex/internal/importer"
	"datalex/internal/ingest"
	"datalex/internal/ingest/lawrefbooktest"
	"datalex/internal/library"
	"datalex/internal/versiondiff"
)

func assemble(t *testing.T, existing []*library.Version, fsys fstest.MapFS) []*library.Version {
	t.Helper()
	p, err := ingest.ParseLawRefBook(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []*library.Version
	seen := map[*library.Version]bool{}
	for _, w := range importer.Assemble(existing, []*ingest.Parsed{p}) {
		for _, v := range w.Versions {
			out = append(out, v)
			seen[v] = true
		}
	}
	// Works the import did not touch stay as they were.
	for _, v := range existing {
		if !seen[v] {
			out = append(out, v)
		}
	}
	return out
}

// TestRealLawRefBookVersions reads the whole LawRefBook snapshot: every work
// with several dated texts becomes one work with several versions, and every
// older adopted version is 已修改 with the date of the text that followed it.
func TestRealLawRefBookVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole snapshot")
	}
	fsys := lawrefbooktest.Load(t, func(string) bool { return true })
	// Titles with several dated files in the tree, from the file names alone.
	files := map[string]int{}
	for name := range fsys {
		if strings.HasPrefix(name, "案例/") {
			continue
		}
		base := strings.TrimSuffix(name, ".md")
		if i := strings.LastIndex(base, "("); i > 0 && strings.HasSuffix(base, ")") {
			base = base[:i]
		}
		files[base]++
	}
	wantMulti := 0
	for _, n := range files {
		if n > 1 {
			wantMulti++
		}
	}
	vs := assemble(t, nil, fsys)
	Annotate(vs, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	byWork := map[string][]*library.Version{}
	for _, v := range vs {
		byWork[v.WorkID] = append(byWork[v.WorkID], v)
	}
	multi, older := 0, 0
	for _, ws := range byWork {
		if len(ws) < 2 {
			continue
		}
		multi++
		latest := ws[0]
		for _, v := range ws {
			if versionStart(v) > versionStart(latest) {
				latest = v
			}
		}
		for _, v := range ws {
			if v == latest {
				if v.Validity == library.ValidityAmended {
					t.Errorf("newest %s %s is %s: %s", v.Title, v.VersionLabel, v.Validity, v.ValidityReason)
				}
				continue
			}
			older++
			if v.Validity != library.ValidityAmended {
				t.Errorf("older %s %s is %s (%s), want %s", v.Title, v.VersionLabel, v.Validity, v.ValidityReason, library.ValidityAmended)
			}
		}
	}
	t.Logf("LawRefBook snapshot: %d versions, %d works, %d works with several versions (%d title groups in the file names), %d older versions 已修改",
		len(vs), len(byWork), multi, wantMulti, older)
	if multi < wantMulti {
		t.Errorf("%d works with several versions, the file names have %d", multi, wantMulti)
	}
}

// TestRealRevisionImportedLater imports the 2017 行政复议法 alone, then the
// 2023 revision as a second import: the revision joins the work as a new
// version, the 2017 text becomes 已修改 from 2024-01-01 (not before), and
// the 新旧对照 pairs renumbered articles with their old selves.
func TestRealRevisionImportedLater(t *testing.T) {
	const dir = "诉讼与非诉讼程序法/"
	old := lawrefbooktest.Load(t, func(n string) bool { return n == dir+"行政复议法(2017-09-01).md" })
	revised := lawrefbooktest.Load(t, func(n string) bool { return n == dir+"行政复议法(2023-09-01).md" })
	if len(old) != 1 || len(revised) != 1 {
		t.Fatalf("snapshot lacks the 行政复议法 files: %d %d", len(old), len(revised))
	}
	first := assemble(t, nil, old)
	if len(first) != 1 {
		t.Fatalf("first import: %d versions", len(first))
	}
	all := assemble(t, first, revised)
	if len(all) != 2 || all[0].WorkID != all[1].WorkID {
		t.Fatalf("after the second import: %d versions, works %s / %s", len(all), all[0].WorkID, all[len(all)-1].WorkID)
	}
	var v2017, v2023 *library.Version
	for _, v := range all {
		switch v.VersionLabel {
		case "2017-09-01":
			v2017 = v
		case "2023-09-01":
			v2023 = v
		}
	}
	if v2017 == nil || v2023 == nil {
		t.Fatalf("versions: %+v", all)
	}
	for _, tc := range []struct {
		asOf, old, new, reason string
	}{
		// The 2023 text says 本法自2024年1月1日起施行.
		{"2023-12-31", library.ValidityInForce, library.ValidityNotYet, ""},
		{"2024-01-01", library.ValidityAmended, library.ValidityInForce, "2024-01-01"},
	} {
		day, _ := time.Parse("2006-01-02", tc.asOf)
		Annotate(all, day)
		if v2017.Validity != tc.old || v2023.Validity != tc.new {
			t.Errorf("as of %s: 2017 %s (%s), 2023 %s (%s); want %s, %s", tc.asOf, v2017.Validity, v2017.ValidityReason,
				v2023.Validity, v2023.ValidityReason, tc.old, tc.new)
		}
		if !strings.Contains(v2017.ValidityReason, tc.reason) {
			t.Errorf("as of %s: reason %q lacks %q", tc.asOf, v2017.ValidityReason, tc.reason)
		}
	}
	rows, st := versiondiff.Compare(v2017, v2023)
	pair := map[string]string{}
	ops := map[string]string{}
	for _, r := range rows {
		if r.Old != nil && r.New != nil {
			pair[r.Old.Label] = r.New.Label
			ops[r.Old.Label] = r.Op
		}
	}
	// Read off the two files: the 2017 article and the 2023 article with
	// the same rule.
	for old, want := range map[string]string{
		"第九条":   "第二十条",  // 六十日内提出行政复议申请 (具体行政行为 → 行政行为)
		"第五条":   "第十条",   // 不服行政复议决定可以提起行政诉讼
		"第三十五条": "第八十一条", // 工作人员徇私舞弊 … 处分
		"第四十一条": "第八十九条", // 外国人 … 适用本法 (identical text)
		"第一条":   "第一条",
		"第三十九条": "第八十七条",
		"第二十七条": "第五十七条",
		"第三十七条": "第八十三条",
		"第二十三条": "第四十八条",
		"第十九条":  "第三十四条",
		"第二十一条": "第四十二条",
		"第三十三条": "第七十八条",
		"第三十六条": "第八十二条",
	} {
		if pair[old] != want {
			t.Errorf("2017 %s paired with %q, want %s", old, pair[old], want)
		}
	}
	if ops["第四十一条"] != versiondiff.OpRenumbered {
		t.Errorf("第四十一条 → 第八十九条 op = %s, want renumbered", ops["第四十一条"])
	}
	// Pairing by number would pair 第九条 with the 2023 第九条; most 2023
	// articles are new, so most rows are additions.
	if st.Added < 40 || st.Changed+st.Renumbered+st.Moved < 25 {
		t.Errorf("stats %+v", st)
	}
	t.Logf("行政复议法 2017 → 2023: %+v", st)
}
