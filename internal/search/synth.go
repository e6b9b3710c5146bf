package search

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// SyntheticVersions generates law-like versions with n articles in total for
// benchmarks from the text of the given versions: half the sentences are
// copied, half are made of random words of that text, so the vocabulary is
// realistic and posting lists are not all alike. Each generated version has
// 20–120 articles under chapters; the output is the same for the same seed.
func SyntheticVersions(from []*library.Version, n int, seed uint64) []*library.Version {
	var sentences []string
	for _, v := range from {
		for _, p := range v.Provisions {
			for _, s := range strings.FieldsFunc(p.Text, func(r rune) bool { return r == '。' || r == '\n' || r == '；' }) {
				if s = strings.TrimSpace(s); len([]rune(s)) >= 8 {
					sentences = append(sentences, s)
				}
			}
		}
	}
	if len(sentences) == 0 {
		sentences = []string{"数据处理者应当建立健全全流程数据安全管理制度", "个人信息处理者应当采取必要措施保障个人信息安全",
			"企业应当按照企业会计准则相关规定对数据资源进行会计确认计量和报告", "重要数据的处理者应当明确数据安全负责人和管理机构"}
	}
	var words []string
	for _, s := range sentences {
		for _, w := range textseg.Words(s) {
			words = append(words, w)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sentence := func() string {
		if rng.IntN(2) == 0 {
			return sentences[rng.IntN(len(sentences))]
		}
		var b strings.Builder
		for i := 0; i < 8+rng.IntN(18); i++ {
			b.WriteString(words[rng.IntN(len(words))])
		}
		return b.String()
	}
	regions := []string{"全国", "北京", "上海", "广东", "浙江", "江苏", "四川", "天津"}
	levels := []string{library.LevelLaw, library.LevelAdminRegs, library.LevelDeptRules, library.LevelLocalRegs, library.LevelNormative}
	chapterNames := []string{"总则", "数据处理", "安全保护", "个人信息保护", "监督管理", "法律责任", "附则"}
	var out []*library.Version
	for made, vi := 0, 0; made < n; vi++ {
		title := fmt.Sprintf("合成测试法规第%d号", vi+1)
		v := &library.Version{
			ID: fmt.Sprintf("synth-%d", vi), WorkID: fmt.Sprintf("synth-w%d", vi), Kind: library.KindRegulation, Title: title,
			Status: library.StatusInForce, Level: levels[rng.IntN(len(levels))], Region: regions[rng.IntN(len(regions))],
			IssueDate: fmt.Sprintf("%d-%02d-%02d", 2000+rng.IntN(25), 1+rng.IntN(12), 1+rng.IntN(28)),
			Sources:   []library.Source{{File: "synthetic", FirstLine: 1, LastLine: 1}},
		}
		articles := min(n-made, 20+rng.IntN(100))
		chapter := ""
		line := 1
		for a := 1; a <= articles; a++ {
			if (a-1)%10 == 0 {
				c := (a-1)/10 + 1
				chapter = fmt.Sprintf("%s.c%d", v.ID, c)
				label := "第" + chineseNumeral(c) + "章"
				v.Provisions = append(v.Provisions, &library.Provision{ID: chapter, Kind: library.ProvChapter, Label: label,
					Text: label + " " + chapterNames[rng.IntN(len(chapterNames))], Line: line, LineEnd: line, Path: label})
				line++
			}
			label := "第" + chineseNumeral(a) + "条"
			var b strings.Builder
			b.WriteString(label + " ")
			for s := 0; s < 1+rng.IntN(4); s++ {
				b.WriteString(sentence())
				b.WriteString("。")
			}
			v.Provisions = append(v.Provisions, &library.Provision{ID: fmt.Sprintf("%s.a%d", v.ID, a), ParentID: chapter,
				Kind: library.ProvArticle, Label: label, Text: b.String(), Line: line, LineEnd: line,
				Path: label, Citation: library.CitationFor(title, label)})
			line++
		}
		made += articles
		out = append(out, v)
	}
	return out
}
