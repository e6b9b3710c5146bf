// Package bleveref indexes the same provisions as a search.Index with
// Bleve v2 (scorch, in memory) and a gse analyzer, as the reference the
// benchmark compares DataLex's own engine against.
package bleveref

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"datalex/internal/search"
	"datalex/internal/textseg"
)

const tokenizerName = "datalex_gse"

func init() {
	registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return gseTokenizer{}, nil
	})
}

// gseTokenizer folds text and emits gse search-mode words.
type gseTokenizer struct{}

func (gseTokenizer) Tokenize(in []byte) analysis.TokenStream {
	words := textseg.SearchWords(textseg.Fold(string(in)))
	out := make(analysis.TokenStream, 0, len(words))
	for i, w := range words {
		out = append(out, &analysis.Token{Term: []byte(w), Position: i + 1, Start: 0, End: 0, Type: analysis.Ideographic})
	}
	return out
}

// Index is the Bleve reference index.
type Index struct {
	idx       bleve.Index
	src       *search.Index
	BuildTime time.Duration
}

type doc struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

func indexMapping() (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer("gse", map[string]any{"type": "custom", "tokenizer": tokenizerName}); err != nil {
		return nil, err
	}
	field := bleve.NewTextFieldMapping()
	field.Analyzer = "gse"
	field.Store = false
	field.IncludeTermVectors = false
	field.IncludeInAll = false
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("title", field)
	dm.AddFieldMappingsAt("body", field)
	m.DefaultMapping = dm
	m.DefaultAnalyzer = "gse"
	return m, nil
}

// New indexes every provision of src.
func New(src *search.Index) (*Index, error) {
	start := time.Now()
	m, err := indexMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	b := idx.NewBatch()
	for i := 0; i < src.UnitCount(); i++ {
		title, text := src.Unit(i)
		if err := b.Index(strconv.Itoa(i), doc{Title: title, Body: text}); err != nil {
			return nil, err
		}
		if b.Size() >= 2000 {
			if err := idx.Batch(b); err != nil {
				return nil, err
			}
			b = idx.NewBatch()
		}
	}
	if err := idx.Batch(b); err != nil {
		return nil, err
	}
	return &Index{idx: idx, src: src, BuildTime: time.Since(start)}, nil
}

// Search returns the top k provisions for text: a match query on the body
// or (boosted) the title, OR of the analysed words, Bleve's own scoring.
func (b *Index) Search(text string, k int) ([]search.Hit, error) {
	body := bleve.NewMatchQuery(text)
	body.SetField("body")
	title := bleve.NewMatchQuery(text)
	title.SetField("title")
	title.SetBoost(2)
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(body, title), k, 0, false)
	res, err := b.idx.Search(req)
	if err != nil {
		return nil, err
	}
	hits := make([]search.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil {
			continue
		}
		hits = append(hits, b.src.UnitHit(i, h.Score))
	}
	return hits, nil
}

// Close releases the index.
func (b *Index) Close() error { return b.idx.Close() }
