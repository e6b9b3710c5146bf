package main

import (
	"flag"

	"datalex/internal/search"
)

// anchorFlags are the switches of the anchor field (citing sentences of
// other documents, internal/search/anchor.go), shared by eval and bench.
type anchorFlags struct {
	weight *float64
	cap    *int
}

func addAnchorFlags(fs *flag.FlagSet) anchorFlags {
	return anchorFlags{
		weight: fs.Float64("anchor", -1, "引用语境字段 (其他文件引用该条时的原句) 在第一阶段的权重；≥ 0 时建立该字段并提供排序特征 anchor (0 为只作特征)；默认内置设置"),
		cap:    fs.Int("anchor-cap", 0, "每条条文的引用语境最多字数 (0 为默认)"),
	}
}

// apply changes the defaults before the index is built.
func (f anchorFlags) apply() {
	if *f.weight >= 0 {
		search.DefaultAnchors.On = true
		search.DefaultWeights.Anchor = float32(*f.weight)
	}
	if *f.cap > 0 {
		search.DefaultAnchors.MaxRunes = *f.cap
	}
}
