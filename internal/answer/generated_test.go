package answer

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"datalex/internal/ingest"
	"datalex/internal/library"
)

// reGenDefinition is the definition clause the generated questions are
// drawn from: 所称X，是指. It is deliberately narrower than the answerer's
// own patterns (definedTerms), so the gold is not the feature's output.
var reGenDefinition = regexp.MustCompile(`所称的?(\p{Han}{2,12})，?是指`)

// TestWriteDefinitionQuestions writes a definition-question set drawn from
// a library's own 所称X，是指 clauses: 什么是X？ with every provision
// stating such a clause for X as gold. The committed sets were written by
//
//	DATALEX_QA_DATA=SEEDS DATALEX_DEFS_WRITE=testdata/definitions_seeds.jsonl go test ./internal/answer -run TestWriteDefinitionQuestions
//	DATALEX_QA_DATA=LRB DATALEX_DEFS_WRITE=testdata/definitions_lawrefbook.jsonl DATALEX_DEFS_EXCLUDE=testdata/definitions_seeds.jsonl DATALEX_DEFS_MAX=200 go test ./internal/answer -run TestWriteDefinitionQuestions
//
// (the second: 200 terms in md5 order, none of the first set's). With
// DATALEX_DEFS_FORM=member the same terms are asked as the members of a
// category, 什么样的情况属于X？ (testdata/definitions_member_seeds.jsonl and
// definitions_member_lawrefbook.jsonl, written by the same commands).
func TestWriteDefinitionQuestions(t *testing.T) {
	out := os.Getenv("DATALEX_DEFS_WRITE")
	if out == "" {
		t.Skip("DATALEX_DEFS_WRITE not set")
	}
	cat, _ := openEvalLibrary(t)
	gold := map[string][]GoldRef{}
	for _, v := range cat.Versions {
		for _, p := range v.Provisions {
			for _, m := range reGenDefinition.FindAllStringSubmatch(p.Text, -1) {
				gold[m[1]] = append(gold[m[1]], GoldRef{Doc: v.Title, Article: p.Label})
			}
		}
	}
	exclude := map[string]bool{}
	if f := os.Getenv("DATALEX_DEFS_EXCLUDE"); f != "" {
		items, err := LoadQA(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			exclude[it.Question] = true
		}
	}
	var terms []string
	for x := range gold {
		if !exclude["什么是"+x+"？"] {
			terms = append(terms, x)
		}
	}
	sort.Strings(terms)
	id, prefix := 1, "D"
	if n, _ := strconv.Atoi(os.Getenv("DATALEX_DEFS_MAX")); n > 0 {
		sort.Slice(terms, func(i, j int) bool { return md5Hex(terms[i]) < md5Hex(terms[j]) })
		terms, prefix = terms[:min(n, len(terms))], "L"
	}
	var items []QAItem
	for _, x := range terms {
		g := gold[x]
		if len(g) > 80 {
			g = g[:80]
		}
		q := "什么是" + x + "？"
		if os.Getenv("DATALEX_DEFS_FORM") == "member" {
			q = "什么样的情况属于" + x + "？"
		}
		items = append(items, QAItem{ID: prefix + strconv.Itoa(1000 + id)[1:], Question: q, Style: "professional", Topic: "定义", Gold: g})
		id++
	}
	writeQA(t, out, items)
}

// md5Hex orders generated questions reproducibly but unrelated to their
// wording's sort order.
func md5Hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// writeQA writes items as a JSONL question file.
func writeQA(t *testing.T, path string, items []QAItem) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			t.Fatal(err)
		}
	}
}

// reGenRef is a penalty clause's reference to an article of its own text.
var reGenRef = regexp.MustCompile(`本(?:法|办法|条例|规定)第([零〇一二两三四五六七八九十百千\d]+)条`)

// TestWritePenaltyQuestions writes a penalty-question set drawn from a
// library's penalty articles that cite a duty article of their own text
// (不履行本法第二十七条…的，处…罚款): 违反《X》第N条的规定，会受到什么处罚？
// with the citing penalty articles as gold. The committed sets were written by
//
//	DATALEX_QA_DATA=SEEDS DATALEX_PEN_WRITE=testdata/penalties_seeds.jsonl go test ./internal/answer -run TestWritePenaltyQuestions
//	DATALEX_QA_DATA=LRB DATALEX_PEN_WRITE=testdata/penalties_lawrefbook.jsonl DATALEX_PEN_EXCLUDE=testdata/penalties_seeds.jsonl DATALEX_PEN_MAX=150 go test ./internal/answer -run TestWritePenaltyQuestions
//
// (the second: 150 in md5 order, none from a document of the first set).
func TestWritePenaltyQuestions(t *testing.T) {
	out := os.Getenv("DATALEX_PEN_WRITE")
	if out == "" {
		t.Skip("DATALEX_PEN_WRITE not set")
	}
	cat, _ := openEvalLibrary(t)
	gold := penaltyGold(cat, penaltyExcluded(t))
	keys := dutyKeys(gold)
	if n, _ := strconv.Atoi(os.Getenv("DATALEX_PEN_MAX")); n > 0 && n < len(keys) {
		keys = keys[:n]
	}
	var items []QAItem
	for i, k := range keys {
		q := "违反《" + strings.TrimPrefix(k.title, "中华人民共和国") + "》第" + ingest.ChineseNumeral(k.n) + "条的规定，会受到什么处罚？"
		items = append(items, QAItem{ID: "X" + strconv.Itoa(1001 + i)[1:], Question: q, Style: "professional", Topic: "罚则", Gold: gold[k]})
	}
	writeQA(t, out, items)
}

// penaltyExcluded returns the documents of the gold of the question file
// DATALEX_PEN_EXCLUDE names (none when unset): a second set then draws on
// other documents than the first.
func penaltyExcluded(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	f := os.Getenv("DATALEX_PEN_EXCLUDE")
	if f == "" {
		return out
	}
	items, err := LoadQA(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		for _, g := range it.Gold {
			out[g.Doc] = true
		}
	}
	return out
}

// dutyKey names a duty article: its document's title and article number.
type dutyKey struct {
	title string
	n     int
}

// penaltyGold maps each duty article that a penalty article of the same
// text cites (不履行本法第二十七条…的，处…罚款) to the citing penalty
// articles, skipping the documents in excludeDocs.
func penaltyGold(cat *library.Catalog, excludeDocs map[string]bool) map[dutyKey][]GoldRef {
	gold := map[dutyKey][]GoldRef{}
	for _, v := range cat.Versions {
		if v.Kind != library.KindRegulation || excludeDocs[v.Title] {
			continue
		}
		labels := map[int]bool{}
		for _, p := range v.Provisions {
			if p.Kind == library.ProvArticle {
				labels[library.ArticleNumber(p.Label)] = true
			}
		}
		for _, p := range v.Provisions {
			if p.Kind != library.ProvArticle || !sanctions(p.Text) {
				continue
			}
			self := library.ArticleNumber(p.Label)
			for _, m := range reGenRef.FindAllStringSubmatch(p.Text, -1) {
				n := library.ParseChineseNumber(m[1])
				k := dutyKey{v.Title, n}
				if n == 0 || n == self || !labels[n] || slices.ContainsFunc(gold[k], func(g GoldRef) bool { return g.Article == p.Label }) {
					continue
				}
				gold[k] = append(gold[k], GoldRef{Doc: v.Title, Article: p.Label})
			}
		}
	}
	return gold
}

// dutyKeys returns gold's duty articles in md5 order (reproducible, unrelated
// to the titles' sort order).
func dutyKeys(gold map[dutyKey][]GoldRef) []dutyKey {
	sum := func(k dutyKey) string { return md5Hex(k.title + strconv.Itoa(k.n)) }
	var keys []dutyKey
	for k := range gold {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return sum(keys[i]) < sum(keys[j]) })
	return keys
}

// reGenDutySentence is a duty article's first sentence (after its label)
// when it states a duty with a modal the question can restate.
var reGenDutySentence = regexp.MustCompile(`^第[零〇一二两三四五六七八九十百千\d]+条\s*(?:【[^】]*】\s*)?([^。；\n]{12,70}(?:应当|不得|禁止)[^。；\n]{4,60})[。；]`)

// TestWriteDutyPenaltyQuestions writes penalty questions that state the
// duty by its words, not its number: 按照《X》，<the duty article's first
// sentence>。违反的话会受到什么处罚？ — the penalty article then shares
// fewer words with the question than the duty article does, which is how
// people ask. Gold: the penalty articles citing the duty (as for
// TestWritePenaltyQuestions). The committed sets were written by
//
//	DATALEX_QA_DATA=SEEDS DATALEX_DUTYPEN_WRITE=testdata/duty_penalties_seeds.jsonl go test ./internal/answer -run TestWriteDutyPenaltyQuestions
//	DATALEX_QA_DATA=LRB DATALEX_DUTYPEN_WRITE=testdata/duty_penalties_lawrefbook.jsonl DATALEX_PEN_EXCLUDE=testdata/penalties_seeds.jsonl DATALEX_PEN_MAX=150 go test ./internal/answer -run TestWriteDutyPenaltyQuestions
func TestWriteDutyPenaltyQuestions(t *testing.T) {
	out := os.Getenv("DATALEX_DUTYPEN_WRITE")
	if out == "" {
		t.Skip("DATALEX_DUTYPEN_WRITE not set")
	}
	cat, _ := openEvalLibrary(t)
	gold := penaltyGold(cat, penaltyExcluded(t))
	duty := map[dutyKey]string{}
	for _, v := range cat.Versions {
		for _, p := range v.Provisions {
			if p.Kind != library.ProvArticle {
				continue
			}
			if m := reGenDutySentence.FindStringSubmatch(strings.TrimSpace(p.Text)); m != nil {
				duty[dutyKey{v.Title, library.ArticleNumber(p.Label)}] = m[1]
			}
		}
	}
	max, _ := strconv.Atoi(os.Getenv("DATALEX_PEN_MAX"))
	var items []QAItem
	for _, k := range dutyKeys(gold) {
		sentence, ok := duty[k]
		if !ok {
			continue
		}
		if max > 0 && len(items) == max {
			break
		}
		q := "按照《" + strings.TrimPrefix(k.title, "中华人民共和国") + "》，" + sentence + "。违反的话会受到什么处罚？"
		items = append(items, QAItem{ID: "Y" + strconv.Itoa(1001 + len(items))[1:], Question: q, Style: "professional", Topic: "罚则", Gold: gold[k]})
	}
	writeQA(t, out, items)
}
