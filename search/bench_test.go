package search

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

var (
	corpusMu sync.Mutex
	corpora  = map[int][]incident.Incident{}
	indexes  = map[int]*Index{}
)

// benchIndex returns the index of a generated corpus of n incidents, made
// once per test binary.
func benchIndex(b testing.TB, n int) (*Index, []incident.Incident) {
	if b != nil {
		b.Helper()
	}
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if _, ok := corpora[n]; !ok {
		corpora[n] = gencorpus.Incidents(n, 1)
		indexes[n] = Build(corpora[n])
	}
	return indexes[n], corpora[n]
}

var benchSizes = []int{2500, 10000, 25000}

// typedQueries are replayed keystroke by keystroke, as the explorer sees
// them: free words, an abbreviation, field and category terms, a phrase.
var typedQueries = []string{
	"ransomware attack",
	"twtr secur",
	"fixes:encryption",
	"domain:finance phase:design",
	"payment gateway -oslo",
	"sensor year:2015..2020",
	`"sluice gate"`,
	"outage -domain:health behaviour:crash",
}

// keystrokes returns every prefix of every typed query.
func keystrokes() []string {
	var out []string
	for _, q := range typedQueries {
		for i := 1; i <= len(q); i++ {
			out = append(out, q[:i])
		}
	}
	return out
}

// BenchmarkKeystroke replays typed queries and reports the median and 99th
// percentile latency of one keystroke: parse, search with facet counts,
// every hit ranked (no limit, as the explorer asks). "loaded" runs them on
// the index as the explorer has it, loaded from its binary form.
func BenchmarkKeystroke(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ix, _ := benchIndex(b, n)
			replayKeystrokes(b, ix)
		})
	}
	b.Run("loaded/n=10000", func(b *testing.B) {
		ix, incs := benchIndex(b, 10000)
		data, err := ix.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		lx, err := LoadOwned(data, fetcher(incs))
		if err != nil {
			b.Fatal(err)
		}
		replayKeystrokes(b, lx)
	})
}

func replayKeystrokes(b *testing.B, ix *Index) {
	keys := keystrokes()
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, k := range keys {
			start := time.Now()
			if q, err := Parse(k); err == nil {
				ix.Search(q, Options{})
			}
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkBuild also reports the heap the index keeps beyond the
// incidents themselves (index-MB).
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			_, incs := benchIndex(b, n)
			b.ReportAllocs()
			var kept *Index
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				kept = Build(incs)
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "index-MB")
			runtime.KeepAlive(kept)
		})
	}
}

func BenchmarkRelated(b *testing.B) {
	ix, incs := benchIndex(b, 10000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ix.Related(incs[i%len(incs)].ID, 5)
		i++
	}
}

// BenchmarkLoad measures decoding the binary form (index-MB: its size).
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ix, _ := benchIndex(b, n)
			data, err := ix.MarshalBinary()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(data, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data))/(1<<20), "index-MB")
		})
	}
}

// BenchmarkLoadAndSearch measures what a one-shot search does with a
// stored index: load it, run one query, keep the first 20 hits.
func BenchmarkLoadAndSearch(b *testing.B) {
	ix, _ := benchIndex(b, 10000)
	data, err := ix.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"outage", "sluice", "twtr secur", "domain:finance", `"sluice gate"`, `"software failure"`} {
		b.Run(q, func(b *testing.B) {
			parsed := mustParse(b, q)
			b.ReportAllocs()
			for b.Loop() {
				lx, err := Load(data, nil)
				if err != nil {
					b.Fatal(err)
				}
				lx.Search(parsed, Options{Limit: 20})
			}
		})
	}
}
