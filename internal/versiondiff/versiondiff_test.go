package versiondiff

import (
	"strings"
	"testing"

	"datalex/internal/library"
)

func arts(texts ...string) []*library.Provision {
	var out []*library.Provision
	for i, t := range texts {
		label, _, _ := strings.Cut(t, " ")
		out = append(out, &library.Provision{ID: label, Kind: library.ProvArticle, Label: label, Text: t, Ord: i})
	}
	return out
}

func TestAlign(t *testing.T) {
	old := arts(
		"第一条 为了规范公共数据授权运营，促进数据开发利用，制定本办法。",
		"第二条 本办法适用于本市行政区域内公共数据授权运营活动。",
		"第三条 运营单位应当每年向主管部门报告运营情况和安全状况。",
		"第四条 市大数据主管部门负责统筹协调公共数据授权运营工作。",
		"第五条 本办法自2023年1月1日起施行。",
	)
	new := arts(
		"第一条 为了规范公共数据授权运营，促进数据开发利用，制定本办法。",
		"第二条 授权运营应当遵循依法合规、安全可控、公平透明的原则。",
		"第三条 本办法适用于本市行政区域内公共数据授权运营活动。",
		"第四条 市数据主管部门负责统筹协调公共数据授权运营工作。",
		"第五条 运营单位应当每年向主管部门报告运营情况、收益分配和安全状况。",
		"第六条 本办法自2025年1月1日起施行。",
	)
	rows, st := Align(old, new)
	type pair struct{ op, old, new string }
	var got []pair
	for _, r := range rows {
		p := pair{op: r.Op}
		if r.Old != nil {
			p.old = r.Old.Label
		}
		if r.New != nil {
			p.new = r.New.Label
		}
		got = append(got, p)
	}
	want := []pair{
		{OpSame, "第一条", "第一条"},
		{OpAdded, "", "第二条"},         // a new principle
		{OpRenumbered, "第二条", "第三条"}, // same text, number moved by the insertion
		{OpChanged, "第四条", "第四条"},    // 大数据 → 数据
		{OpMoved, "第三条", "第五条"},      // the report duty moved after 第四条 and was edited
		{OpChanged, "第五条", "第六条"},    // new date
	}
	if len(got) != len(want) {
		t.Fatalf("rows %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if st.Same != 1 || st.Renumbered != 1 || st.Moved != 1 || st.Changed != 2 || st.Added != 1 || st.Removed != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestAlignRemovedAndEmpty(t *testing.T) {
	old := arts("第一条 甲乙丙丁戊己庚辛。", "第二条 子丑寅卯辰巳午未。")
	rows, st := Align(old, nil)
	if len(rows) != 2 || st.Removed != 2 {
		t.Errorf("all removed: %+v", st)
	}
	rows, st = Align(nil, old)
	if len(rows) != 2 || st.Added != 2 {
		t.Errorf("all added: %+v", st)
	}
	if rows, _ := Align(nil, nil); len(rows) != 0 {
		t.Errorf("empty: %d rows", len(rows))
	}
	// A rewritten article is removed and added, not "changed".
	_, st = Align(arts("第三条 专区运营单位应当每年报告运营情况。"), arts("第三条 市大数据主管部门负责统筹协调。"))
	if st.Removed != 1 || st.Added != 1 {
		t.Errorf("unrelated texts: %+v", st)
	}
}

func TestBody(t *testing.T) {
	for _, tc := range []struct{ label, text, want string }{
		{"第九条", "第九条 公民、法人", "公民、法人"},
		{"第二十条", "第二十条　公民，法人", "公民，法人"},
		{"一、", "一、总体要求", "总体要求"},
		{"", "第三章 法律责任", "法律责任"},
	} {
		if got := Body(&library.Provision{Label: tc.label, Text: tc.text}); got != tc.want {
			t.Errorf("Body(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzAlign: any two provision lists align without panicking, every
// provision appears exactly once, and the counts add up.
func FuzzAlign(f *testing.F) {
	f.Add("第一条 甲\n第二条 乙", "第一条 甲\n第三条 丙\n第二条 乙")
	f.Add("", "第一章 总则")
	f.Fuzz(func(t *testing.T, a, b string) {
		split := func(s string) []*library.Provision {
			var out []*library.Provision
			for i, l := range strings.Split(s, "\n") {
				if i > 200 {
					break
				}
				label, _, _ := strings.Cut(l, " ")
				out = append(out, &library.Provision{ID: string(rune('a' + i%26)), Label: label, Text: l})
			}
			return out
		}
		pa, pb := split(a), split(b)
		rows, st := Align(pa, pb)
		seenA, seenB := map[*library.Provision]int{}, map[*library.Provision]int{}
		for _, r := range rows {
			if r.Old != nil {
				seenA[r.Old]++
			}
			if r.New != nil {
				seenB[r.New]++
			}
		}
		for _, p := range pa {
			if seenA[p] != 1 {
				t.Fatalf("old provision %q appears %d times", p.Text, seenA[p])
			}
		}
		for _, p := range pb {
			if seenB[p] != 1 {
				t.Fatalf("new provision %q appears %d times", p.Text, seenB[p])
			}
		}
		if n := st.Same + st.Renumbered + st.Changed + st.Moved + st.Added + st.Removed; n != len(rows) {
			t.Fatalf("stats %+v for %d rows", st, len(rows))
		}
	})
}
