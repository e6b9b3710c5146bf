package embed

import (
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"datalex/internal/library"
)

// vectorFile is the on-disk form: the vectors of one model keyed by
// provision id (gob; the file name says the model).
type vectorFile struct {
	Model string
	IDs   []string
	Vecs  [][]float32
}

// Path is where the vectors of model are kept in the data directory.
func Path(dataDir, model string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, model)
	return filepath.Join(dataDir, "vectors", safe+".gob")
}

// Vectors are the stored provision vectors of one model, read-only once
// loaded (safe for concurrent use).
type Vectors struct {
	model string
	ids   []string
	vecs  [][]float32
	byID  map[string]int
}

// Load reads the stored vectors of model from dataDir.
func Load(dataDir, model string) (*Vectors, error) {
	vf, err := readFile(Path(dataDir, model))
	if err != nil {
		return nil, err
	}
	if vf.Model != model {
		return nil, fmt.Errorf("向量文件属于模型 %s，而非 %s", vf.Model, model)
	}
	vs := &Vectors{model: model, ids: vf.IDs, vecs: vf.Vecs, byID: make(map[string]int, len(vf.IDs))}
	for i, id := range vf.IDs {
		vs.byID[id] = i
	}
	return vs, nil
}

// Len is the number of stored vectors.
func (vs *Vectors) Len() int { return len(vs.ids) }

// Get returns the stored vector of a provision, or nil.
func (vs *Vectors) Get(id string) []float32 {
	if vs == nil {
		return nil
	}
	if i, ok := vs.byID[id]; ok {
		return vs.vecs[i]
	}
	return nil
}

// Scored is a provision id with its cosine similarity to a query.
type Scored struct {
	ID    string
	Score float32
}

// Nearest returns the k stored provisions closest to q, best first (a
// linear scan: exact, and fast enough for a library's worth of vectors).
func (vs *Vectors) Nearest(q []float32, k int) []Scored {
	hits := make([]Scored, 0, len(vs.ids))
	for i, v := range vs.vecs {
		if len(v) != len(q) {
			continue
		}
		hits = append(hits, Scored{vs.ids[i], Cosine(v, q)})
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].Score > hits[b].Score })
	return hits[:min(k, len(hits))]
}

// ProvisionText is the text a provision is embedded by: its document
// title, label and text with hard line wraps joined, clipped to 1,000
// characters (embedding models read a few hundred tokens at most). Stored
// and on-the-fly vectors are computed from the same text.
func ProvisionText(title, label, text string) string {
	var b strings.Builder
	b.WriteString(title)
	b.WriteByte(' ')
	b.WriteString(label)
	b.WriteByte(' ')
	n := b.Len()
	for _, ln := range strings.Split(text, "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		if b.Len() > n {
			// A newline stays where a sentence ends; a wrap inside a
			// sentence is joined.
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			if strings.ContainsRune("。；：！？;:!?", prev) {
				b.WriteByte('\n')
			}
		}
		b.WriteString(ln)
	}
	s := b.String()
	if utf8.RuneCountInString(s) <= maxTextRunes {
		return s
	}
	return string([]rune(s)[:maxTextRunes]) + "…"
}

const maxTextRunes = 1000

func readFile(path string) (*vectorFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var vf vectorFile
	if err := gob.NewDecoder(f).Decode(&vf); err != nil {
		return nil, fmt.Errorf("向量文件 %s 损坏: %w", path, err)
	}
	if len(vf.IDs) != len(vf.Vecs) {
		return nil, fmt.Errorf("向量文件 %s 不完整", path)
	}
	return &vf, nil
}

// Build embeds every provision with text that has no stored vector for
// c's model yet, in batches, and saves the file; it returns how many were
// added. An interrupted run keeps what was embedded before the failure.
func Build(ctx context.Context, c *Client, cat *library.Catalog, dataDir string, batch int) (int, error) {
	path := Path(dataDir, c.model)
	vf := &vectorFile{Model: c.model}
	if old, err := readFile(path); err == nil && old.Model == c.model {
		vf = old
	}
	have := make(map[string]bool, len(vf.IDs))
	for _, id := range vf.IDs {
		have[id] = true
	}
	var ids, texts []string
	for _, v := range cat.Versions {
		for _, p := range v.Provisions {
			if !have[p.ID] && strings.TrimSpace(p.Text) != "" {
				ids = append(ids, p.ID)
				texts = append(texts, ProvisionText(v.Title, p.Label, p.Text))
			}
		}
	}
	if batch <= 0 {
		batch = 64
	}
	added := 0
	for i := 0; i < len(ids); i += batch {
		j := min(i+batch, len(ids))
		vecs, err := c.Embed(ctx, texts[i:j])
		if err != nil {
			if added > 0 {
				_ = writeFile(path, vf)
			}
			return added, err
		}
		vf.IDs = append(vf.IDs, ids[i:j]...)
		vf.Vecs = append(vf.Vecs, vecs...)
		added += j - i
	}
	return added, writeFile(path, vf)
}

// writeFile replaces the file atomically: a crash leaves the old one.
func writeFile(path string, vf *vectorFile) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(f).Encode(vf); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
