package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"datalex/internal/library"
)

const s1File = "001_7f2e25d6ce76f700.txt"

var (
	s1Once   sync.Once
	s1Parsed *Parsed
	s1Err    error
)

// s1Load parses the bundled seed once for all tests.
func s1Load(t testing.TB) *Parsed {
	t.Helper()
	s1Once.Do(func() {
		data, err := os.ReadFile(filepath.Join("..", "..", "corpus", "seeds", s1File))
		if err != nil {
			s1Err = err
			return
		}
		s1Parsed, s1Err = ParseSeed001(s1File, data)
	})
	if s1Err != nil {
		t.Fatal(s1Err)
	}
	return s1Parsed
}

func s1Find(t testing.TB, p *Parsed, title string) *library.Version {
	t.Helper()
	key := s1TitleKey(title)
	for _, v := range p.Versions {
		if s1TitleKey(v.Title) == key {
			return v
		}
		for _, a := range v.Aliases {
			if s1TitleKey(a) == key {
				return v
			}
		}
	}
	t.Fatalf("no document titled %s", title)
	return nil
}

func TestSeed001Counts(t *testing.T) {
	p := s1Load(t)
	if len(p.Versions) != 334 {
		t.Errorf("%d documents, want 334", len(p.Versions))
	}
	parts, subs := map[string]int{}, map[string]bool{}
	region, sector, flags := map[string]int{}, map[string]int{}, map[string]int{}
	for _, v := range p.Versions {
		parts[v.Part]++
		if v.Subsection != "" {
			subs[v.Part+"/"+v.Subsection] = true
		}
		if strings.HasPrefix(v.Part, "四") {
			region[v.Region]++
		}
		if v.Sector != "" {
			sector[v.Sector]++
		}
		for _, f := range v.Flags {
			flags[f]++
		}
		if v.Kind != library.KindRegulation || v.Title == "" || len(v.Provisions) == 0 || len(v.Sources) != 1 {
			t.Errorf("incomplete version: %s", s1Describe(v))
		}
		stCheckInvariants(t, v.Provisions)
	}
	wantParts := map[string]int{"一、国家纲领性文件": 14, "二、核心引领性文件": 7, "三、法规政策性文件": 52, "四、地方政策性文件": 196, "五、重点行业性文件": 65}
	for k, n := range wantParts {
		if parts[k] != n {
			t.Errorf("part %s: %d documents, want %d", k, parts[k], n)
		}
	}
	if len(parts) != 5 || len(subs) != 43 {
		t.Errorf("%d parts and %d sub-sections, want 5 and 43", len(parts), len(subs))
	}
	wantRegion := map[string]int{"北京": 9, "上海": 9, "天津": 5, "重庆": 4, "广东": 23, "四川": 6, "湖南": 7, "贵州": 9, "云南": 10, "海南": 7, "山东": 14, "黑龙江": 4, "吉林": 4, "辽宁": 3, "浙江": 9, "福建": 12, "安徽": 5, "江苏": 7, "河南": 8, "河北": 3, "湖北": 4, "江西": 10, "山西": 6, "陕西": 2, "青海": 4, "甘肃": 2, "新疆": 1, "广西": 4, "内蒙古": 2, "宁夏": 2, "西藏": 1}
	for k, n := range wantRegion {
		if region[k] != n {
			t.Errorf("region %s: %d documents, want %d", k, region[k], n)
		}
	}
	if len(region) != len(wantRegion) {
		t.Errorf("regions in part 四: %v", region)
	}
	wantSector := map[string]int{"金融服务": 22, "电子商务": 2, "医疗健康": 2, "工业制造": 8, "通信和互联网": 16, "能源": 10, "产权交易": 1, "现代农业": 2, "城市治理": 2}
	for k, n := range wantSector {
		if sector[k] != n {
			t.Errorf("sector %s: %d documents, want %d", k, sector[k], n)
		}
	}
	if flags[library.FlagSummaryOnly] != 16 || flags[library.FlagOCRDamaged] != 1 || flags[library.FlagFormula] != 1 {
		t.Errorf("flags: %v", flags)
	}
	// the two documents without a title line
	for _, c := range []struct {
		title string
		line  int
	}{{"贵州省数据流通交易管理办法(试行)", 59324}, {"济南市公共数据授权运营办法（征）", 72010}} {
		v := s1Find(t, p, c.title)
		if v.Sources[0].FirstLine != c.line {
			t.Errorf("%s starts at %d, want %d", c.title, v.Sources[0].FirstLine, c.line)
		}
	}
}

func TestSeed001Metadata(t *testing.T) {
	p := s1Load(t)
	cases := []struct {
		title                              string
		level, status, docNo, issue, effec string
	}{
		{"中华人民共和国数据安全法", library.LevelLaw, "", "", "2021-06-10", "2021-09-01"},
		{"数据出境安全评估办法", library.LevelDeptRules, "", "国家互联网信息办公室令第11号", "", "2022-09-01"},
		{"企业数据资源相关会计处理暂行规定", "", library.StatusInterim, "", "", "2024-01-01"},
		{"关于加强数据资产管理的指导意见", library.LevelNormative, "", "财资〔2023〕141号", "2023-12-31", ""},
		{"北京市公共数据专区授权运营管理办法（征）", library.LevelNormative, library.StatusDraft, "", "", ""},
	}
	for _, c := range cases {
		v := s1Find(t, p, c.title)
		got := []string{v.Level, v.Status, v.DocNumber, v.IssueDate, v.EffectiveDate}
		want := []string{c.level, c.status, c.docNo, c.issue, c.effec}
		for i := range got {
			if want[i] != "" && got[i] != want[i] {
				t.Errorf("%s: field %d = %q, want %q", c.title, i, got[i], want[i])
			}
		}
		for _, f := range []string{"title", "part", "region"} {
			if _, ok := v.Provenance[f]; !ok {
				t.Errorf("%s: no provenance for %s", c.title, f)
			}
		}
	}
	if v := s1Find(t, p, "个人金融信息保护技术规范"); !v.HasFlag(library.FlagOCRDamaged) {
		t.Errorf("个人金融信息保护技术规范 not flagged: %v", v.Flags)
	}
	if v := s1Find(t, p, "数据资产评估指导意见"); !strings.Contains(s1AllText(v), "P=Σ(i=1..n)(Qi×xi1×xi2×xi3×xi4×xi5)") {
		t.Errorf("formula not repaired")
	}
}

func s1AllText(v *library.Version) string {
	var b strings.Builder
	for _, p := range v.Provisions {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func s1Describe(v *library.Version) string {
	return fmt.Sprintf("%s [%s/%s] lines %d-%d, %d provisions", v.Title, v.Part, v.Subsection, v.Sources[0].FirstLine, v.Sources[0].LastLine, len(v.Provisions))
}

func TestSeed001Golden(t *testing.T) {
	p := s1Load(t)
	for file, title := range map[string]string{
		"data_security_law":      "中华人民共和国数据安全法",
		"pipl":                   "中华人民共和国个人信息保护法",
		"accounting_rules":       "企业数据资源相关会计处理暂行规定",
		"outbound_assessment":    "数据出境安全评估办法",
		"standard_summary":       "数据安全技术数据分类分级规则",
		"shanghai_data_regs":     "上海市数据条例",
		"financial_data_grading": "金融数据安全数据安全分级指南",
	} {
		t.Run(file, func(t *testing.T) {
			v := s1Find(t, p, title)
			stCompareGolden(t, filepath.Join("testdata", "seed001", file+".golden.json"), stGoldenOf(v.Provisions))
		})
	}
}

// TestSeed001EvalLabels checks that the provisions the dev set cites exist
// under the same document title and label and cover the cited line.
func TestSeed001EvalLabels(t *testing.T) {
	p := s1Load(t)
	f, err := os.Open(filepath.Join("testdata", "seed001", "eval_labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, hits, exact := 0, 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) < 3 {
			continue
		}
		line, _ := strconv.Atoi(fs[2])
		end, _ := strconv.Atoi(fs[3])
		total++
		if pr := s1FindLabel(p, fs[0], fs[1], line); pr != nil {
			hits++
			if pr.Line == line && pr.LineEnd == end {
				exact++
			} else {
				t.Logf("span differs: %s %s gold %d-%d, parsed %d-%d", fs[0], fs[1], line, end, pr.Line, pr.LineEnd)
			}
		} else {
			t.Logf("miss: %s %s line %d", fs[0], fs[1], line)
		}
	}
	t.Logf("eval labels: %d/%d found, %d with the exact gold line span", hits, total, exact)
	if total == 0 || hits*100 < total*95 || exact*100 < total*90 {
		t.Errorf("only %d of %d eval labels found", hits, total)
	}
}

func s1FindLabel(p *Parsed, doc, label string, line int) *library.Provision {
	key, lk := s1TitleKey(doc), s1TitleKey(label)
	for _, v := range p.Versions {
		match := s1TitleKey(v.Title) == key
		for _, a := range v.Aliases {
			match = match || s1TitleKey(a) == key
		}
		if !match {
			continue
		}
		for _, pr := range v.Provisions {
			l := s1TitleKey(pr.Label)
			if (l == lk || s1TitleKey(pr.Label+pr.Heading) == lk) && pr.Line <= line && line <= pr.LineEnd {
				return pr
			}
		}
	}
	return nil
}

func BenchmarkParseSeed001(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "corpus", "seeds", s1File))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSeed001(s1File, data); err != nil {
			b.Fatal(err)
		}
	}
}

// s1Coverage counts the versions with each metadata field filled.
func s1Coverage(p *Parsed) map[string]int {
	c := map[string]int{}
	for _, v := range p.Versions {
		for f, ok := range map[string]bool{
			"doc_number": v.DocNumber != "", "issuers": len(v.Issuers) > 0, "issue_date": v.IssueDate != "",
			"effective_date": v.EffectiveDate != "", "status": v.Status != "", "level": v.Level != "",
			"tags": len(v.Tags) > 0, "region": v.Region != "", "sector": v.Sector != "",
		} {
			if ok {
				c[f]++
			}
		}
	}
	return c
}

func TestSeed001MetadataCoverage(t *testing.T) {
	c := s1Coverage(s1Load(t))
	t.Logf("coverage over 334 documents: %v", c)
}
