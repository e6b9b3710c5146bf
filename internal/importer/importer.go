// Package importer takes parsed files, decides which versions belong to the
// same work, gives works, versions and provisions their global ids, resolves
// citations to works, and writes everything to the store in one transaction.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"datalex/corpus"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/store"
)

// File is one input file with its content.
type File struct {
	Name string
	Data []byte
}

// Report summarises an import.
type Report struct {
	Files     int
	Skipped   []string // files already imported (same digest)
	Versions  int
	Works     int
	Warnings  []string
	Provision int
}

// seedParsers maps a bundled seed's number prefix to its parser.
var seedParsers = map[string]func(string, []byte) (*ingest.Parsed, error){
	"000": ingest.ParseSeed000,
	"001": ingest.ParseSeed001,
	"002": ingest.ParseSeed002,
	"003": ingest.ParseSeed003,
	"004": ingest.ParseSeed004,
}

// BundledFiles returns the embedded seed files in name order.
func BundledFiles() ([]File, error) {
	entries, err := fs.ReadDir(corpus.Seeds, "seeds")
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range entries {
		data, err := fs.ReadFile(corpus.Seeds, path.Join("seeds", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: e.Name(), Data: data})
	}
	return out, nil
}

// ParseBundled parses the seed files concurrently.
func ParseBundled(files []File) ([]*ingest.Parsed, error) {
	out := make([]*ingest.Parsed, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		parse, ok := seedParsers[seedPrefix(f.Name)]
		if !ok {
			return nil, fmt.Errorf("未知的内置语料文件: %s", f.Name)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = parse(f.Name, f.Data)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("解析 %s: %w", files[i].Name, err)
		}
	}
	return out, nil
}

func seedPrefix(name string) string {
	if len(name) >= 3 {
		return name[:3]
	}
	return name
}

// ImportBundled imports the embedded seeds unless they are already in the
// library. It is what `serve` runs on first start.
func ImportBundled(ctx context.Context, st *store.Store) (*Report, error) {
	files, err := BundledFiles()
	if err != nil {
		return nil, err
	}
	return importParsed(ctx, st, files, "seed", func(fs []File) ([]*ingest.Parsed, error) { return ParseBundled(fs) })
}

// ImportFiles imports user files (.txt/.md/.docx/.pdf) in one transaction:
// if any file is rejected, nothing is written.
func ImportFiles(ctx context.Context, st *store.Store, files []File) (*Report, error) {
	return importParsed(ctx, st, files, "file", func(fs []File) ([]*ingest.Parsed, error) {
		var out []*ingest.Parsed
		for _, f := range fs {
			p, err := ingest.ParseFile(f.Name, f.Data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			out = append(out, p)
		}
		return out, nil
	})
}

// ImportParsed stores already-parsed results (LawRefBook trees, JSONL
// records) recorded under format with the given source digests.
func ImportParsed(ctx context.Context, st *store.Store, format string, parsed []*ingest.Parsed, digests []File) (*Report, error) {
	return importParsed(ctx, st, digests, format, func([]File) ([]*ingest.Parsed, error) { return parsed, nil })
}

func importParsed(ctx context.Context, st *store.Store, files []File, format string,
	parse func([]File) ([]*ingest.Parsed, error)) (rep *Report, err error) {
	// Under the cluster-wide import lock (PostgreSQL): with several nodes,
	// the digest check and the assembly from the stored library must not
	// interleave with another node's import.
	err = st.Exclusive(ctx, func(ctx context.Context) error {
		rep, err = importParsedLocked(ctx, st, files, format, parse)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func importParsedLocked(ctx context.Context, st *store.Store, files []File, format string,
	parse func([]File) ([]*ingest.Parsed, error)) (*Report, error) {
	rep := &Report{Files: len(files)}
	var todo []File
	var imports []store.Import
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		digest := hex.EncodeToString(sum[:])
		done, err := st.HasImport(ctx, digest, format)
		if err != nil {
			return nil, err
		}
		if done {
			rep.Skipped = append(rep.Skipped, f.Name)
			continue
		}
		todo = append(todo, f)
		imports = append(imports, store.Import{ID: digest[:16] + "-" + format, File: f.Name, SHA256: digest, Format: format, At: time.Now()})
	}
	if len(todo) == 0 {
		return rep, nil
	}
	parsed, err := parse(todo)
	if err != nil {
		return nil, err
	}
	if err := checkProvisionSizes(parsed); err != nil {
		return nil, err
	}
	AddOfficialLinks(todo, parsed)
	existing, err := st.LoadLibrary(ctx)
	if err != nil {
		return nil, err
	}
	works := Assemble(existing, parsed)
	for i := range imports {
		imports[i].Documents = countFromFile(parsed, imports[i].File)
	}
	for _, p := range parsed {
		rep.Warnings = append(rep.Warnings, p.Warnings...)
	}
	for _, w := range works {
		rep.Works++
		for _, v := range w.Versions {
			rep.Versions++
			rep.Provision += len(v.Provisions)
		}
	}
	if err := st.SaveImport(ctx, imports, works); err != nil {
		return nil, fmt.Errorf("写入资料库失败，资料库未改变: %w", err)
	}
	return rep, nil
}

// AddOfficialLinks records, for each parsed version read from one of files,
// the government links its own source lines state (provenance keys
// official_link, official_link_2): the document page offers them as the
// official text. Single-line sources (seed 003) are skipped, since their
// line range is the whole compilation.
func AddOfficialLinks(files []File, parsed []*ingest.Parsed) {
	raw := map[string][]string{}
	for _, f := range files {
		raw[f.Name] = nil
	}
	lines := func(name string) []string {
		ls, ok := raw[name]
		if !ok {
			return nil
		}
		if ls == nil {
			for _, f := range files {
				if f.Name == name {
					ls = strings.Split(string(f.Data), "\n")
				}
			}
			raw[name] = ls
		}
		return ls
	}
	for _, p := range parsed {
		for _, v := range p.Versions {
			if len(v.Sources) == 0 {
				continue
			}
			src := v.Sources[0]
			ls := lines(src.File)
			if ls == nil || src.OffsetEnd > 0 || src.FirstLine < 1 || src.LastLine > len(ls) || src.FirstLine > src.LastLine {
				continue
			}
			for i, l := range ingest.OfficialLinks(ls[src.FirstLine-1:src.LastLine], src.FirstLine) {
				if i >= 2 {
					break
				}
				key := "official_link"
				if i > 0 {
					key = "official_link_2"
				}
				l.File = src.File
				if v.Provenance == nil {
					v.Provenance = map[string]library.Provenance{}
				}
				v.Provenance[key] = l
			}
		}
	}
}

func countFromFile(parsed []*ingest.Parsed, file string) int {
	n := 0
	for _, p := range parsed {
		if p.File == file {
			n += len(p.Versions) + len(p.News)
		}
	}
	return n
}

// Assemble groups the parsed versions with the existing library into works,
// assigns global ids and resolves citations. It returns only the works that
// the new versions touch (with all their versions, old and new), ready to be
// written.
func Assemble(existing []*library.Version, parsed []*ingest.Parsed) []*library.Work {
	works := map[string]*library.Work{} // by title key
	var order []string
	keyOf := map[string]string{} // existing work id -> key
	add := func(key string, v *library.Version) *library.Work {
		w := works[key]
		if w == nil {
			w = &library.Work{ID: "w" + library.ShortHash(key)[:10]}
			works[key] = w
			order = append(order, key)
		}
		w.Versions = append(w.Versions, v)
		return w
	}
	for _, v := range existing {
		key := keyOf[v.WorkID]
		if key == "" {
			key = workKey(v)
			keyOf[v.WorkID] = key
		}
		w := add(key, v)
		w.ID = v.WorkID // keep existing ids stable
	}
	touched := map[string]bool{}
	seq := len(existing)
	for _, p := range parsed {
		for _, list := range [][]*library.Version{p.Versions, p.News} {
			for _, v := range list {
				seq++
				v.Seq = seq
				key := workKey(v)
				add(key, v)
				touched[key] = true
			}
		}
	}
	var out []*library.Work
	for _, key := range order {
		w := works[key]
		mergeCopies(w)
		finishWork(w)
		if touched[key] {
			out = append(out, w)
		}
	}
	resolveCitations(works, out)
	return out
}

// workKey decides which work a version belongs to. News items are never
// merged with regulations.
func workKey(v *library.Version) string {
	k := library.TitleKey(v.Title)
	if v.Kind == library.KindNews {
		return "news:" + k
	}
	if v.Kind == library.KindNote {
		return "note:" + k
	}
	return k
}

// mergeCopies folds copies of the same text (same status and compatible
// dates, e.g. the same final text in two seeds) into one version with several
// sources, keeping the best text and filling metadata gaps from the others.
func mergeCopies(w *library.Work) {
	var kept []*library.Version
	for _, v := range w.Versions {
		var into *library.Version
		for _, k := range kept {
			if sameText(k, v) {
				into = k
				break
			}
		}
		if into == nil {
			kept = append(kept, v)
			continue
		}
		best, other := into, v
		if textRank(v) > textRank(into) {
			best, other = v, into
		}
		mergeMeta(best, other)
		for i, k := range kept {
			if k == into {
				kept[i] = best
			}
		}
	}
	w.Versions = kept
}

// sameText reports whether two versions are copies of one text rather than
// different versions (draft vs final, trial vs final, different dates).
func sameText(a, b *library.Version) bool {
	if a.ID != "" || b.ID != "" {
		// Versions already in the library are never folded into new ones.
		return a.ID == b.ID
	}
	if a.Kind == library.KindNews || b.Kind == library.KindNews {
		return false
	}
	if stage(a.Status) != stage(b.Status) && a.Status != "" && b.Status != "" {
		return false
	}
	// A title that carries a status note (（试行）, （征）) names a different
	// version from one that does not, even where the status itself was not
	// recorded (工业和信息化领域数据安全管理办法 试行 vs final).
	if stage(ingest.DetectStatus(a.Title)) != stage(ingest.DetectStatus(b.Title)) {
		return false
	}
	// Two full texts that share little are different versions (a draft and
	// its final text), whatever their metadata says.
	if fullText(a) && fullText(b) && overlap(a, b) < 0.7 {
		return false
	}
	if a.IssueDate != "" && b.IssueDate != "" && a.IssueDate != b.IssueDate {
		// Compilers disagree by a few days between publication and issue
		// dates; different years mean different versions.
		if a.IssueDate[:4] != b.IssueDate[:4] {
			return false
		}
	}
	return true
}

// fullText reports whether v holds the whole text (not a summary, excerpt or
// catalogue record).
func fullText(v *library.Version) bool {
	return v.Kind == library.KindRegulation && len(v.Provisions) > 0 && !v.HasFlag(library.FlagSummaryOnly) &&
		!v.HasFlag(library.FlagExcerpt) && !v.HasFlag(library.FlagNoText)
}

// overlap is the share of the smaller text's 8-character shingles found in
// the other text (whitespace ignored; first 20,000 characters; a parent's
// text repeating its children's adds no new shingles).
func overlap(a, b *library.Version) float64 {
	sa, sb := shingles(a), shingles(b)
	if len(sa) > len(sb) {
		sa, sb = sb, sa
	}
	if len(sa) == 0 {
		return 1 // too short to tell copies apart: trust the metadata
	}
	n := 0
	for k := range sa {
		if _, ok := sb[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(sa))
}

func shingles(v *library.Version) map[string]struct{} {
	var rs []rune
	for _, p := range v.Provisions {
		for _, r := range p.Text {
			if !unicode.IsSpace(r) {
				rs = append(rs, r)
			}
		}
		if len(rs) > 20000 {
			rs = rs[:20000]
			break
		}
	}
	const k = 8
	out := map[string]struct{}{}
	for i := 0; i+k <= len(rs); i++ {
		out[string(rs[i:i+k])] = struct{}{}
	}
	return out
}

// stage groups statuses into draft vs adopted text.
func stage(status string) string {
	switch status {
	case library.StatusDraft, library.StatusBill:
		return "draft"
	case library.StatusTrial, library.StatusInterim:
		return "trial"
	}
	return "final"
}

// textRank orders copies: full official text beats excerpts, summaries and
// catalogue records; intact text beats damaged; then more provisions.
func textRank(v *library.Version) int {
	r := 0
	switch {
	case v.Kind == library.KindCatalogue || v.HasFlag(library.FlagNoText):
		r = 0
	case v.HasFlag(library.FlagSummaryOnly):
		r = 1_000_000
	case v.HasFlag(library.FlagExcerpt):
		r = 2_000_000
	case v.HasFlag(library.FlagTruncated):
		r = 3_000_000
	default:
		r = 4_000_000
	}
	if v.HasFlag(library.FlagOCRDamaged) {
		r -= 500_000
	}
	n := 0
	for _, p := range v.Provisions {
		n += len(p.Text)
	}
	if n > 499_999 {
		n = 499_999
	}
	return r + n
}

// mergeMeta fills best's empty metadata from other and records other's
// sources and aliases.
func mergeMeta(best, other *library.Version) {
	best.Sources = append(best.Sources, other.Sources...)
	fill := func(field string, dst *string, src string) {
		if *dst == "" && src != "" {
			*dst = src
			if p, ok := other.Provenance[field]; ok {
				if best.Provenance == nil {
					best.Provenance = map[string]library.Provenance{}
				}
				best.Provenance[field] = p
			}
		}
	}
	fill("doc_number", &best.DocNumber, other.DocNumber)
	fill("issue_date", &best.IssueDate, other.IssueDate)
	fill("effective_date", &best.EffectiveDate, other.EffectiveDate)
	fill("status", &best.Status, other.Status)
	fill("level", &best.Level, other.Level)
	fill("region", &best.Region, other.Region)
	fill("sector", &best.Sector, other.Sector)
	// Part and sub-section describe where the kept text sits in its own
	// source; another copy's location would mix two compilations.
	if len(best.Issuers) == 0 && len(other.Issuers) > 0 {
		best.Issuers = other.Issuers
		if p, ok := other.Provenance["issuers"]; ok {
			if best.Provenance == nil {
				best.Provenance = map[string]library.Provenance{}
			}
			best.Provenance["issuers"] = p
		}
	}
	best.Aliases = appendUnique(best.Aliases, other.Aliases...)
	if other.Title != best.Title {
		best.Aliases = appendUnique(best.Aliases, other.Title)
	}
	best.Tags = appendUnique(best.Tags, other.Tags...)
}

func appendUnique(xs []string, ys ...string) []string {
	for _, y := range ys {
		found := y == ""
		for _, x := range xs {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			xs = append(xs, y)
		}
	}
	return xs
}

// finishWork orders versions, assigns ids, marks superseded trial texts and
// picks the work's canonical title.
func finishWork(w *library.Work) {
	sort.SliceStable(w.Versions, func(i, j int) bool {
		a, b := w.Versions[i], w.Versions[j]
		if a.IssueDate != b.IssueDate && a.IssueDate != "" && b.IssueDate != "" {
			return a.IssueDate < b.IssueDate
		}
		return stageOrder(a.Status) < stageOrder(b.Status)
	})
	var latestAdopted *library.Version
	for _, v := range w.Versions {
		v.WorkID = w.ID
		if v.ID == "" {
			first := library.Source{}
			if len(v.Sources) > 0 {
				first = v.Sources[0]
			}
			v.ID = "v" + library.ShortHash(w.ID, v.Title, v.Status, v.IssueDate, first.File,
				fmt.Sprint(first.FirstLine, ":", first.Offset))[:10]
			for _, p := range v.Provisions {
				p.ID = v.ID + "." + p.ID
				if p.ParentID != "" {
					p.ParentID = v.ID + "." + p.ParentID
				}
			}
			for i := range v.Citations {
				if c := &v.Citations[i]; c.ProvisionID != "" {
					c.ProvisionID = v.ID + "." + c.ProvisionID
				}
			}
		}
		if v.Kind == library.KindRegulation && stage(v.Status) != "draft" {
			latestAdopted = v
		}
		if v.VersionLabel == "" {
			v.VersionLabel = versionLabel(v)
		}
	}
	// A trial or interim text followed (in date, else stage, order) by an
	// adopted final text of the same work is superseded; drafts keep their
	// status (the UI shows them as drafts of a work that now has a final
	// text).
	if latestAdopted != nil && stage(latestAdopted.Status) == "final" {
		for _, v := range w.Versions {
			if v == latestAdopted {
				break
			}
			if v.Kind == library.KindRegulation && stage(v.Status) == "trial" {
				v.Status = library.StatusSuperseded
			}
		}
	}
	w.Title = preferred(w).Title
}

func stageOrder(status string) int {
	switch stage(status) {
	case "draft":
		return 0
	case "trial":
		return 1
	}
	return 2
}

func versionLabel(v *library.Version) string {
	parts := []string{}
	if v.Status != "" {
		parts = append(parts, v.Status)
	}
	if v.IssueDate != "" {
		parts = append(parts, v.IssueDate)
	}
	return strings.Join(parts, " ")
}

// preferred returns the version a work is known by: the latest adopted full
// text, else the best text available.
func preferred(w *library.Work) *library.Version {
	var best *library.Version
	for _, v := range w.Versions {
		if best == nil || prefScore(v) >= prefScore(best) {
			best = v
		}
	}
	return best
}

func prefScore(v *library.Version) int {
	s := stageOrder(v.Status) * 10
	if v.Kind == library.KindCatalogue {
		s -= 5
	}
	if v.Status == library.StatusSuperseded {
		s -= 15
	}
	return s
}

// resolveCitations links 《…》 mentions in the touched works to works in the
// library, matching by title key and by alias.
func resolveCitations(all map[string]*library.Work, touched []*library.Work) {
	byKey := map[string]string{}
	for key, w := range all {
		if strings.HasPrefix(key, "news:") || strings.HasPrefix(key, "note:") {
			continue
		}
		byKey[key] = w.ID
		for _, v := range w.Versions {
			for _, a := range v.Aliases {
				if k := library.TitleKey(a); k != "" && byKey[k] == "" {
					byKey[k] = w.ID
				}
			}
		}
	}
	for _, w := range touched {
		for _, v := range w.Versions {
			for i := range v.Citations {
				c := &v.Citations[i]
				if id := byKey[library.TitleKey(c.CitedTitle)]; id != "" && id != w.ID {
					c.WorkID = id
				} else {
					c.WorkID = ""
				}
			}
		}
	}
}

// MaxProvisionRunes bounds one provision's text. The longest provision of
// the bundled corpus is about 8,400 characters; a text with no structure at
// all (a 40 MB file on one line) would otherwise become one giant
// provision that every search, page and snapshot rebuild pays for.
const MaxProvisionRunes = 200_000

// checkProvisionSizes refuses a whole import when any provision is larger
// than MaxProvisionRunes, naming the file and the provision, before anything
// is written.
func checkProvisionSizes(parsed []*ingest.Parsed) error {
	for _, p := range parsed {
		for _, vs := range [][]*library.Version{p.Versions, p.News} {
			for _, v := range vs {
				for _, pr := range v.Provisions {
					if len(pr.Text) <= MaxProvisionRunes { // bytes ≥ runes: cheap pre-check
						continue
					}
					if n := utf8.RuneCountInString(pr.Text); n > MaxProvisionRunes {
						label := pr.Label
						if label == "" {
							label = "正文"
						}
						return fmt.Errorf("%s：《%s》%s 有 %d 个字，超过单条上限 %d：文件可能没有分段或条文结构（例如整篇在一行里），请分段后再导入；资料库未改变",
							p.File, v.Title, label, n, MaxProvisionRunes)
					}
				}
			}
		}
	}
	return nil
}
