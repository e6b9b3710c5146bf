package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"datalex/internal/embed"
	"datalex/internal/search"
)

// embedRankFlags switch on and tune the hybrid embeddings re-ranker of
// search (serve, eval, search); the endpoint itself is configured by the
// DATALEX_EMBED_* environment variables shared with 智能问答.
type embedRankFlags struct {
	on      *bool
	fusion  *string
	weight  *float64
	depth   *int
	timeout *time.Duration
}

func addEmbedRankFlags(set *flag.FlagSet) *embedRankFlags {
	return &embedRankFlags{
		on:      set.Bool("embed", false, "检索结果用向量重排 (需配置 DATALEX_EMBED_BASE_URL / DATALEX_EMBED_MODEL；服务不可用时按词法顺序)"),
		fusion:  set.String("embed-fusion", search.FuseRRF, "向量重排的融合方式：rrf (加权倒数排名) 或 linear (归一化分数加权和)"),
		weight:  set.Float64("embed-weight", search.DefaultEmbedWeight, "向量一侧的权重 (0 到 1)"),
		depth:   set.Int("embed-depth", search.DefaultEmbedDepth, "向量重排的词法候选数 (前 N 条)"),
		timeout: set.Duration("embed-timeout", search.DefaultEmbedTimeout, "每次检索等待向量服务的时长 (如 2s、500ms)"),
	}
}

// install puts the re-ranker on ix when --embed is given.
func (f *embedRankFlags) install(ix *search.Index, dataDir string, logger *slog.Logger) error {
	er, err := f.build(dataDir, logger)
	if er != nil {
		ix.SetEmbedRank(er)
	}
	return err
}

// build returns the re-ranker --embed asks for (nil when off), with the
// stored vectors of the model when `datalex ask --build-vectors` made them.
func (f *embedRankFlags) build(dataDir string, logger *slog.Logger) (*search.EmbedRank, error) {
	if !*f.on {
		return nil, nil
	}
	client := embed.FromEnv()
	if client == nil {
		return nil, fmt.Errorf("--embed 需要配置向量服务 (%s / %s)", embed.EnvBaseURL, embed.EnvModel)
	}
	if logger == nil {
		logger = slog.Default()
	}
	stored, err := embed.Load(dataDir, client.Model())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		logger.Info("向量重排：无已存向量，候选条文在检索时计算向量", "model", client.Model())
	case err != nil:
		logger.Warn("向量重排：已存向量不可用，候选条文在检索时计算向量", "err", err)
		stored = nil
	}
	return search.NewEmbedRank(client, stored, search.EmbedOptions{
		Depth: *f.depth, Fusion: *f.fusion, Weight: *f.weight,
		Timeout: *f.timeout, Logger: logger,
	})
}
