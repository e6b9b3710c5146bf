package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"datalex/internal/embed"
)

// Fusion methods of the hybrid re-ranker.
const (
	FuseRRF    = "rrf"    // weighted reciprocal rank: robust to score scales
	FuseLinear = "linear" // weighted sum of min-max normalised scores
)

// Defaults of the hybrid re-ranker.
const (
	DefaultEmbedDepth   = 50
	DefaultEmbedWeight  = 0.5
	DefaultEmbedTimeout = 2 * time.Second
	embedCacheSize      = 20000
	embedCooldown       = 30 * time.Second
	rrfK                = 60
)

// EmbedOptions configure the hybrid re-ranker; zero values take the
// defaults above.
type EmbedOptions struct {
	Depth   int           // lexical candidates re-ranked (the top N)
	Fusion  string        // FuseRRF (default) or FuseLinear
	Weight  float64       // share of the embedding side, 0…1
	Timeout time.Duration // per search, for the embeddings request
	Logger  *slog.Logger
}

// EmbedRank is the optional hybrid re-ranker: it re-orders the best
// lexical candidates of a relevance search by fusing their lexical order
// with the cosine between the query's and the provision's embeddings.
// Provision vectors come from the stored vector file when it has them and
// are otherwise embedded on the fly (one request per search, query
// included, remembered in a bounded LRU cache). It never fails a search:
// any endpoint error or timeout leaves the lexical order, is logged once,
// and pauses the re-ranker for embedCooldown so that a dead endpoint does
// not slow every search down. Safe for concurrent use.
type EmbedRank struct {
	client  *embed.Client
	stored  *embed.Vectors // may be nil
	cache   *embed.Cache
	opt     EmbedOptions
	down    atomic.Bool  // the last request failed (logged once until one succeeds)
	pausedT atomic.Int64 // unix nanoseconds until which no request is made
}

// NewEmbedRank returns a re-ranker over client, using stored vectors when
// not nil.
func NewEmbedRank(client *embed.Client, stored *embed.Vectors, opt EmbedOptions) (*EmbedRank, error) {
	if client == nil {
		return nil, errors.New("未配置向量服务")
	}
	if opt.Depth == 0 {
		opt.Depth = DefaultEmbedDepth
	}
	if opt.Fusion == "" {
		opt.Fusion = FuseRRF
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultEmbedTimeout
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	switch {
	case opt.Fusion != FuseRRF && opt.Fusion != FuseLinear:
		return nil, fmt.Errorf("融合方式只能是 %s 或 %s，而非 %q", FuseRRF, FuseLinear, opt.Fusion)
	case opt.Weight < 0 || opt.Weight > 1:
		return nil, fmt.Errorf("向量权重须在 0 到 1 之间，而非 %v", opt.Weight)
	case opt.Depth < 2 || opt.Depth > MaxK:
		return nil, fmt.Errorf("重排候选数须在 2 到 %d 之间，而非 %d", MaxK, opt.Depth)
	case opt.Timeout < 0:
		return nil, errors.New("向量服务超时不能为负")
	}
	return &EmbedRank{client: client, stored: stored, cache: embed.NewCache(embedCacheSize), opt: opt}, nil
}

// SetEmbedRank installs the hybrid re-ranker (nil, the default: off); not
// safe during searches.
func (ix *Index) SetEmbedRank(e *EmbedRank) { ix.embedRank = e }

// embedRerank re-orders cands[:Depth] (sorted best first) in place. The
// scores keep their lexical values in descending order: the i-th
// candidate gets the i-th best score, so callers that show or threshold
// scores see the same scale as without the re-ranker.
func (e *EmbedRank) rerank(ctx context.Context, ix *Index, query string, cands []cand) {
	n := min(len(cands), e.opt.Depth)
	if n < 2 || query == "" || time.Now().UnixNano() < e.pausedT.Load() {
		return
	}
	cos, err := e.cosines(ctx, ix, query, cands[:n])
	if err != nil {
		if ctx.Err() != nil {
			return // the search itself was cancelled: not the endpoint's fault
		}
		e.pausedT.Store(time.Now().Add(embedCooldown).UnixNano())
		if !e.down.Swap(true) {
			e.opt.Logger.Warn("向量重排暂停，检索按词法顺序返回", "err", err, "pause", embedCooldown)
		}
		return
	}
	if e.down.Swap(false) {
		e.opt.Logger.Info("向量重排已恢复")
	}
	fused := e.fuse(cands[:n], cos)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Stable on lexical rank: ties keep the lexical order.
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case fused[x] > fused[y]:
			return -1
		case fused[x] < fused[y]:
			return 1
		}
		return 0
	})
	orig := slices.Clone(cands[:n])
	for i, j := range order {
		c := orig[j]
		c.score = orig[i].score
		cands[i] = c
	}
}

// fuse returns the fused score of each candidate, given in lexical order.
func (e *EmbedRank) fuse(cands []cand, cos []float32) []float64 {
	w := e.opt.Weight
	out := make([]float64, len(cands))
	if e.opt.Fusion == FuseLinear {
		lex := make([]float64, len(cands))
		sim := make([]float64, len(cands))
		for i := range cands {
			lex[i], sim[i] = float64(cands[i].score), float64(cos[i])
		}
		minMax(lex)
		minMax(sim)
		for i := range out {
			out[i] = (1-w)*lex[i] + w*sim[i]
		}
		return out
	}
	byCos := make([]int, len(cands))
	for i := range byCos {
		byCos[i] = i
	}
	slices.SortStableFunc(byCos, func(x, y int) int {
		switch {
		case cos[x] > cos[y]:
			return -1
		case cos[x] < cos[y]:
			return 1
		}
		return 0
	})
	for r, i := range byCos {
		out[i] += w / float64(rrfK+r+1)
	}
	for i := range out {
		out[i] += (1 - w) / float64(rrfK+i+1)
	}
	return out
}

// minMax scales xs to 0…1 in place (all equal: all 0).
func minMax(xs []float64) {
	lo, hi := slices.Min(xs), slices.Max(xs)
	for i := range xs {
		if hi > lo {
			xs[i] = (xs[i] - lo) / (hi - lo)
		} else {
			xs[i] = 0
		}
	}
}

// cosines returns the cosine between the query and each candidate,
// asking the endpoint (once, within the timeout) only for the vectors
// neither the stored file nor the cache holds.
func (e *EmbedRank) cosines(ctx context.Context, ix *Index, query string, cands []cand) ([]float32, error) {
	vecs := make([][]float32, len(cands))
	var texts []string
	var need []int // candidate index per text; -1 is the query
	qkey := "q\x00" + query
	qv := e.cache.Get(qkey)
	if qv == nil {
		texts, need = append(texts, query), append(need, -1)
	}
	for i, c := range cands {
		u := &ix.units[c.u]
		if v := e.stored.Get(u.p.ID); v != nil {
			vecs[i] = v
		} else if v := e.cache.Get("p\x00" + u.p.ID); v != nil {
			vecs[i] = v
		} else {
			texts = append(texts, embed.ProvisionText(ix.versions[u.ver].Title, u.p.Label, u.orig))
			need = append(need, i)
		}
	}
	if len(texts) > 0 {
		if e.opt.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, e.opt.Timeout)
			defer cancel()
		}
		got, err := e.client.EmbedOnce(ctx, texts)
		if err != nil {
			return nil, err
		}
		for k, i := range need {
			if i < 0 {
				qv = got[k]
				e.cache.Put(qkey, qv)
				continue
			}
			vecs[i] = got[k]
			e.cache.Put("p\x00"+ix.units[cands[i].u].p.ID, got[k])
		}
	}
	out := make([]float32, len(cands))
	for i, v := range vecs {
		out[i] = embed.Cosine(qv, v)
	}
	return out, nil
}
