package textseg

import (
	_ "embed"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/go-ego/gse"
)

// base_dict.txt is gse's simplified-Chinese dictionary cut down to words
// with frequency >= 10 (109k of 352k entries): the full one takes ~2 s and
// ~135 MB to load, this one a fraction, and the rare words it drops are
// still matched through character bigrams.
//
//go:generate sh -c "awk '$2>=10' $(go list -m -f '{{.Dir}}' github.com/go-ego/gse)/data/dict/zh/s_1.txt > base_dict.txt"
//go:embed base_dict.txt
var baseDict string

// dict.txt is the editable domain dictionary (数据资产, 入表, 数据出境 …).
//
//go:embed dict.txt
var domainDict string

var (
	loadOnce  sync.Once
	segmenter gse.Segmenter
	stats     LoadStats
)

// LoadStats describes the one-time dictionary load.
type LoadStats struct {
	Duration  time.Duration
	HeapBytes uint64 // heap growth caused by the load (approximate)
	Words     int    // dictionary entries
}

// Load loads the dictionaries once per process; every other function calls
// it, so calling it early only moves the cost.
func Load() LoadStats {
	loadOnce.Do(func() {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		segmenter.SkipLog = true
		// gse keeps the first entry of a word, so the domain dictionary goes
		// first and wins over the general one.
		_ = segmenter.LoadDictStr(stripComments(domainDict) + "\n" + baseDict)
		stats.Duration = time.Since(start)
		runtime.ReadMemStats(&m1)
		if m1.HeapAlloc > m0.HeapAlloc {
			stats.HeapBytes = m1.HeapAlloc - m0.HeapAlloc
		}
		stats.Words = segmenter.Dict.NumTokens()
	})
	return stats
}

func stripComments(data string) string {
	var b strings.Builder
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// cut segments a run of Han characters into words (dictionary DAG, no HMM,
// so that the same text always gives the same words).
func cut(run string) []string {
	return cutDAG(run)
}

// cutSearch is cut plus the dictionary sub-words of long words
// (个人信息处理者 → 个人, 信息, 个人信息, 处理者 …), gse's search mode.
func cutSearch(run string) []string {
	return cutDAGSearch(run)
}
