package search

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"datalex/internal/library"
)

// anchorLibrary is a statute, a later version of it, and an interpretation
// that cites it in words of its own.
func anchorLibrary() []*library.Version {
	mk := func(id, work, title string, arts ...[2]string) *library.Version {
		v := &library.Version{ID: id, WorkID: work, Kind: library.KindRegulation, Title: title, Status: library.StatusInForce, Region: "全国"}
		for i, a := range arts {
			v.Provisions = append(v.Provisions, &library.Provision{ID: fmt.Sprintf("%s.%d", id, i), Kind: library.ProvArticle,
				Label: a[0], Text: a[0] + " " + a[1], Citation: library.CitationFor(title, a[0])})
		}
		return v
	}
	statute := mk("st", "w-st", "中华人民共和国样例保护法",
		[2]string{"第五条", "个人有权查阅、复制其个人信息。"},
		[2]string{"第六条", "处理者应当建立投诉机制。"},
		[2]string{"第七条", "《中华人民共和国样例保护法》第六条所称机制包括热线。"},
		[2]string{"第九条", "违反本法第五条规定的，由主管部门责令改正，处以罚款。"})
	interp := mk("in", "w-in", "关于适用样例保护法若干问题的解释",
		[2]string{"第一条", "用户请求平台导出账户资料的，依照《中华人民共和国样例保护法》第五条处理。"},
		[2]string{"第二条", "平台拒绝注销账号的，适用样例保护法第五条、第六条的规定。"},
		[2]string{"第三条", "本解释第一条所称平台包括小程序。"})
	return []*library.Version{statute, interp}
}

func withAnchors(t *testing.T, opt AnchorOptions, w float32) *Index {
	t.Helper()
	saved, savedW := DefaultAnchors, DefaultWeights
	t.Cleanup(func() { DefaultAnchors, DefaultWeights = saved, savedW })
	DefaultAnchors = opt
	DefaultWeights.Anchor = w
	return NewIndex(anchorLibrary())
}

func TestAnchorText(t *testing.T) {
	cases := []struct {
		name      string
		same      bool
		cite      string
		want      []string // in the anchor text
		never     []string // never in it
		wantEmpty bool
	}{
		{name: "cited by another document", cite: "样例保护法第五条",
			want:  []string{"导出账户资料", "注销账号"},
			never: []string{"查阅、复制", "样例保护法", "罚款"}},
		{name: "bare title and a list", cite: "样例保护法第六条", want: []string{"注销账号"}, never: []string{"投诉机制", "热线"}},
		{name: "own title is no anchor", cite: "样例保护法第六条", never: []string{"热线"}},
		{name: "nothing cites it", cite: "样例保护法第九条", wantEmpty: true},
		{name: "the citing provision itself", cite: "关于适用样例保护法若干问题的解释第一条", wantEmpty: true},
		{name: "same document off", cite: "样例保护法第五条", never: []string{"责令改正"}},
		{name: "same document on", same: true, cite: "样例保护法第五条", want: []string{"责令改正", "导出账户资料"}, never: []string{"查阅、复制", "本法"}},
		{name: "same document on, own title", same: true, cite: "样例保护法第六条", want: []string{"热线", "注销账号"}, never: []string{"投诉机制"}},
		{name: "same document on, never itself", same: true, cite: "样例保护法第九条", wantEmpty: true},
		{name: "same document on, 本解释", same: true, cite: "关于适用样例保护法若干问题的解释第一条", want: []string{"小程序"}, never: []string{"导出账户资料"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ix := withAnchors(t, AnchorOptions{On: true, MaxRunes: 400, SameDoc: c.same}, 0)
			got, ok := ix.AnchorOf(c.cite)
			if !ok {
				t.Fatalf("%s does not resolve", c.cite)
			}
			if c.wantEmpty && got != "" {
				t.Errorf("anchor of %s = %q, want none", c.cite, got)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("anchor of %s = %q, want %q in it", c.cite, got, w)
				}
			}
			for _, w := range c.never {
				if strings.Contains(got, w) {
					t.Errorf("anchor of %s = %q, must not hold %q", c.cite, got, w)
				}
			}
		})
	}
}

func TestAnchorOffBuildsNothing(t *testing.T) {
	ix := withAnchors(t, AnchorOptions{MaxRunes: 400}, 0)
	if got, _ := ix.AnchorOf("样例保护法第五条"); got != "" || ix.VocabStats().AnchorUnits != 0 {
		t.Fatalf("anchor field built while off: %q", got)
	}
}

func TestAnchorCap(t *testing.T) {
	ix := withAnchors(t, AnchorOptions{On: true, MaxRunes: 6}, 0)
	got, _ := ix.AnchorOf("样例保护法第五条")
	if n := len([]rune(got)); n == 0 || n > 6 {
		t.Fatalf("capped anchor %q has %d runes, want 1…6", got, n)
	}
}

// TestAnchorSearch: words found only in the citing sentence reach the cited
// provision when the field has weight, and do not when it has none.
func TestAnchorSearch(t *testing.T) {
	for _, c := range []struct {
		w    float32
		want bool
	}{{0, false}, {0.5, true}} {
		ix := withAnchors(t, AnchorOptions{On: true, MaxRunes: 400}, c.w)
		ix.SetRanker(nil)
		// The shipped translation model may reach the provision through
		// its own statute words; only the citing sentence is under test.
		ix.SetTranslation(nil)
		q, err := ParseQuery("注销账号")
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Citation)
		}
		has := slices.Contains(got, "样例保护法 第五条")
		if has != c.want {
			t.Errorf("weight %v: hits %v, 样例保护法 第五条 found = %v, want %v", c.w, got, has, c.want)
		}
	}
}

func TestCitationsParse(t *testing.T) {
	known := func(s string) bool { return s == "刑法" || s == "民法典" }
	cases := []struct {
		text string
		want []string // title:labels
	}{
		{"依照《数据安全法》第二十一条处理", []string{"数据安全法:第二十一条"}},
		{"依照刑法第二百六十四条、第二百六十七条的规定", []string{"刑法:第二百六十四条,第二百六十七条"}},
		{"适用民法典第五条第二款和第七条", []string{"民法典:第五条,第七条"}},
		{"违反本法第三十条规定的", []string{":第三十条"}},
		{"依照第三十条的规定", []string{":第三十条"}},
		{"依照某某法第三十条的规定", nil}, // an unknown document: neither it nor the citing one
		{"《甲》《乙》第3条", []string{"乙:第3条"}},
		{"没有引用", nil},
	}
	for _, c := range cases {
		var got []string
		citations(c.text, known, func(title string, labels []string, lo, hi int) {
			got = append(got, title+":"+strings.Join(labels, ","))
		})
		if !slices.Equal(got, c.want) {
			t.Errorf("citations(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestArticleNos(t *testing.T) {
	re := regexp.MustCompile(`第[0-9零〇一二三四五六七八九十百千两]+条`)
	for _, s := range []string{
		"第一条 依照刑法第二百六十四条、第267条的规定", "第三章第一节", "第条", "次第十条", "第十款第五条", "没有", "第二十一条之一第二款",
	} {
		var want []int
		for _, m := range re.FindAllStringIndex(s, -1) {
			want = append(want, m[0])
		}
		if got := articleNos(s); !slices.Equal(got, want) {
			t.Errorf("articleNos(%q) = %v, want %v", s, got, want)
		}
	}
}
