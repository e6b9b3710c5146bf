// Package synth writes a synthetic corpus in the LawRefBook/Laws layout for
// benchmarks (search latency, index build, import throughput at ≥ 60,000
// provisions).
//
// The corpus is FAKE: plausible titles (地区 + 主题 + 办法/条例 …), chapters and
// articles whose sentences are sampled from the bundled seed texts. It exists
// only to give benchmarks realistic volume and vocabulary; it must never be
// imported into a product library. Every file says so in its history block
// and the tree carries a README.md.
//
// Output is deterministic for a given seed, sentence list and size.
package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Notice is written into every generated file and the README.
const Notice = "本文件为 DataLex 基准测试自动合成的文本，并非真实法规，不得导入产品法规库。"

// SentencesFromDir reads every *.txt file in dir (e.g. corpus/seeds) and
// returns SentencesFromTexts of their contents, files in name order.
func SentencesFromDir(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		texts = append(texts, string(b))
	}
	return SentencesFromTexts(texts...), nil
}

var (
	reBreakSpace  = regexp.MustCompile(`[ \t\x{3000}]*\n[ \t\x{3000}\n]*`)
	reLeadMarker  = regexp.MustCompile(`^(?:第[零〇一二三四五六七八九十百千]+[条章节]\s*|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\s*)+`)
	reNoise       = regexp.MustCompile(`https?://|www\.|[0-9]{5,}|[_=]{3,}|\.{4,}|…{2,}|第\s*\d+\s*页`)
	reSpaceInHan  = regexp.MustCompile(`(\p{Han}) +(\p{Han})`)
	sentenceEnds  = "。；！？"
	minSentence   = 12
	maxSentence   = 160
	minHanPercent = 60
)

// SentencesFromTexts splits texts (hard-wrapped seed extractions) into
// distinct, clean sentences ending in 。；！ or ？, without leading article or
// outline markers, 12–160 characters long and mostly Han, in order of first
// appearance.
func SentencesFromTexts(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, text := range texts {
		// Undo hard wraps: seed lines break mid-sentence.
		text = strings.ReplaceAll(text, "\r", "")
		text = reBreakSpace.ReplaceAllString(text, "")
		text = reSpaceInHan.ReplaceAllString(text, "$1$2")
		start := 0
		for i, r := range text {
			if !strings.ContainsRune(sentenceEnds, r) {
				continue
			}
			end := i + utf8.RuneLen(r)
			s := cleanSentence(text[start:end])
			start = end
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func cleanSentence(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimSpace(reLeadMarker.ReplaceAllString(s, ""))
		if t == s {
			break
		}
		s = t
	}
	n := utf8.RuneCountInString(s)
	if n < minSentence || n > maxSentence || reNoise.MatchString(s) || strings.ContainsAny(s, "《》“”\"") && !balanced(s) {
		return ""
	}
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han*100 < n*minHanPercent {
		return ""
	}
	// A sentence must start with a Han character: anything else is the tail
	// of a broken sentence or list debris ("i)…", ",…").
	if r, _ := utf8.DecodeRuneInString(s); !unicode.Is(unicode.Han, r) {
		return ""
	}
	return s
}

func balanced(s string) bool {
	return strings.Count(s, "《") == strings.Count(s, "》") && strings.Count(s, "“") == strings.Count(s, "”")
}

var (
	provinces = []string{"北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区"}
	topics    = []string{"数据安全", "公共数据开放", "公共数据授权运营", "数据交易", "个人信息保护", "数据资产登记", "数据要素市场培育", "政务数据共享", "数据出境", "网络安全", "数据分类分级", "算法推荐服务", "数据资产评估", "数据资源入表", "数据知识产权", "数字经济促进", "大数据发展", "智慧城市建设", "工业数据", "医疗健康数据", "交通运输数据", "金融数据", "数据经纪服务", "数据标注产业", "人工智能产业发展", "信息化建设", "电子政务", "数据基础设施", "数据跨境流动", "数据质量"}
	kinds     = []string{"条例", "管理办法", "实施办法", "管理规定", "暂行办法", "若干规定", "实施细则", "促进条例"}
	chapters  = []string{"总则", "管理职责", "数据处理", "开放共享", "安全保障", "开发利用", "监督管理", "促进措施", "权益保护", "法律责任"}
	cnDigits  = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
)

// Generate writes about `provisions` articles (第X条) as a LawRefBook-style
// tree under dir: 地方性法规/<省>/ for 条例, 地方政府规章/<省>/ for the rest;
// one document in ten also gets an older dated version. sentences are the
// text material (see SentencesFromDir); at least 50 are required. dir must
// not exist or be empty.
func Generate(dir string, provisions int, seed int64, sentences []string) error {
	if provisions <= 0 {
		return errors.New("synth: provisions must be positive")
	}
	if len(sentences) < 50 {
		return fmt.Errorf("synth: need at least 50 sentences, got %d", len(sentences))
	}
	// Refuse to write into a non-empty directory: stale files from an
	// earlier, different run would silently change the corpus.
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("synth: %s is not empty", dir)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_da7a))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	readme := "# 合成基准语料\n\n" + Notice + "\n\n由 datalex/internal/synth 生成（LawRefBook 目录布局），仅供性能基准测试使用。\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(readme), 0o644); err != nil {
		return err
	}
	g := &generator{rng: rng, sentences: sentences, used: map[string]bool{}}
	written := 0
	for written < provisions {
		doc := g.document(min(provisions-written, 20+rng.IntN(61)))
		if doc == nil {
			return errors.New("synth: ran out of distinct titles")
		}
		versions := []docVersion{doc.current}
		if rng.IntN(10) == 0 {
			versions = append(versions, doc.older)
		}
		for _, v := range versions {
			p := filepath.Join(dir, doc.folder, v.fileName)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(v.text), 0o644); err != nil {
				return err
			}
			written += v.articles
		}
	}
	return nil
}

type generator struct {
	rng       *rand.Rand
	sentences []string
	used      map[string]bool
}

type docVersion struct {
	fileName string
	text     string
	articles int
}

type document struct {
	folder         string
	current, older docVersion
}

// document draws an unused title and renders its current and older texts.
func (g *generator) document(articles int) *document {
	var prov, title, kind string
	for tries := 0; ; tries++ {
		if tries > 1000 {
			return nil
		}
		prov = provinces[g.rng.IntN(len(provinces))]
		kind = kinds[g.rng.IntN(len(kinds))]
		title = prov + topics[g.rng.IntN(len(topics))] + kind
		if !g.used[title] {
			g.used[title] = true
			break
		}
	}
	short := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(prov, "市"), "省"), "自治区")
	for _, suffix := range []string{"壮族", "回族", "维吾尔"} {
		short = strings.TrimSuffix(short, suffix)
	}
	folder := filepath.Join("地方政府规章", short)
	if strings.HasSuffix(kind, "条例") {
		folder = filepath.Join("地方性法规", short)
	}
	year := 2015 + g.rng.IntN(9)
	oldDate := [3]int{year, 1 + g.rng.IntN(12), 1 + g.rng.IntN(28)}
	newDate := [3]int{year + 1 + g.rng.IntN(2), 1 + g.rng.IntN(12), 1 + g.rng.IntN(28)}
	issuer := prov + "人民政府"
	if strings.HasPrefix(folder, "地方性法规") {
		issuer = prov + "人民代表大会常务委员会"
	}
	oldHistory := []string{fmt.Sprintf("%s%s通过", cnDate(oldDate), issuer)}
	newHistory := append(oldHistory[:1:1], fmt.Sprintf("%s%s修订", cnDate(newDate), issuer))
	d := &document{folder: folder}
	body := g.body(title, kind, articles, newDate)
	d.current = docVersion{fileName: title + ".md", text: render(title, newHistory, body), articles: articles}
	oldArticles := max(3, articles-g.rng.IntN(5))
	d.older = docVersion{
		fileName: fmt.Sprintf("%s(%04d-%02d-%02d).md", title, oldDate[0], oldDate[1], oldDate[2]),
		text:     render(title, oldHistory, g.body(title, kind, oldArticles, oldDate)),
		articles: oldArticles,
	}
	return d
}

func render(title string, history []string, body []string) string {
	var b strings.Builder
	b.WriteString("# " + title + "\n\n")
	for _, h := range history {
		b.WriteString(h + "\n\n")
	}
	b.WriteString("（" + Notice + "）\n\n<!-- INFO END -->\n\n")
	for _, l := range body {
		b.WriteString(l + "\n\n")
	}
	return b.String()
}

// body renders chapters and articles; the last article sets the effective
// date, as real regulations do.
func (g *generator) body(title, kind string, articles int, date [3]int) []string {
	nChapters := min(len(chapters), max(1, articles/12))
	names := append([]string{"总则"}, g.pick(chapters[1:], nChapters-1)...)
	if nChapters > 1 {
		names[len(names)-1] = "附则"
	}
	self := "本" + kindWord(kind)
	var lines []string
	art := 0
	for c, name := range names {
		lines = append(lines, fmt.Sprintf("## 第%s章 %s", Numeral(c+1), name))
		n := articles / nChapters
		if c == nChapters-1 {
			n = articles - art
		}
		for i := 0; i < n; i++ {
			art++
			if art == articles {
				lines = append(lines, fmt.Sprintf("第%s条 %s自%s起施行。", Numeral(art), self, cnDate([3]int{date[0], date[1], 1})))
				break
			}
			lines = append(lines, g.article(art)...)
		}
	}
	return lines
}

// article is one 第X条 line, sometimes followed by a second 款 or by items.
func (g *generator) article(n int) []string {
	lines := []string{fmt.Sprintf("第%s条 %s", Numeral(n), g.sentences2(1+g.rng.IntN(2)))}
	switch g.rng.IntN(6) {
	case 0:
		lines = append(lines, g.sentences2(1+g.rng.IntN(2)))
	case 1:
		k := 2 + g.rng.IntN(4)
		for i := 1; i <= k; i++ {
			s := strings.TrimRight(g.sentence(), "。；！？")
			end := "；"
			if i == k {
				end = "。"
			}
			lines = append(lines, fmt.Sprintf("（%s）%s%s", Numeral(i), s, end))
		}
	}
	return lines
}

func (g *generator) sentence() string { return g.sentences[g.rng.IntN(len(g.sentences))] }

func (g *generator) sentences2(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(g.sentence())
	}
	return b.String()
}

func (g *generator) pick(xs []string, n int) []string {
	idx := g.rng.Perm(len(xs))[:min(n, len(xs))]
	sort.Ints(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func kindWord(kind string) string {
	switch {
	case strings.HasSuffix(kind, "条例"):
		return "条例"
	case strings.HasSuffix(kind, "规定"):
		return "规定"
	case strings.HasSuffix(kind, "细则"):
		return "细则"
	}
	return "办法"
}

// Numeral writes 1–9999 in Chinese numerals as used in article numbers
// (十一, 二十, 一百零五).
func Numeral(n int) string {
	if n <= 0 || n > 9999 {
		return fmt.Sprint(n)
	}
	units := []string{"", "十", "百", "千"}
	digits := []int{}
	for x := n; x > 0; x /= 10 {
		digits = append(digits, x%10)
	}
	var b strings.Builder
	zero := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := digits[i]
		if d == 0 {
			zero = true
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(d == 1 && i == 1 && len(digits) == 2) {
			b.WriteString(cnDigits[d])
		}
		b.WriteString(units[i])
	}
	return b.String()
}

func cnDate(d [3]int) string { return fmt.Sprintf("%d年%d月%d日", d[0], d[1], d[2]) }
