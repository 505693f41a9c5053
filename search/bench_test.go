package search

import (
	"cmp"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
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

// benchSizes are the corpus sizes of the benchmarks: -sizes 25000,100000
// after -args measures others (100,000 incidents take some 3 GB and
// minutes to generate and index).
var benchSizes = func() []int {
	var out []int
	for _, f := range strings.Split(*sizesFlag, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

var sizesFlag = flag.String("sizes", "2500,10000,25000", "corpus sizes of the benchmarks, comma-separated")

var slowestFlag = flag.Int("slowest", 0, "the keystroke benchmarks log this many of their slowest keystrokes")

// typedQueries are replayed keystroke by keystroke, as the explorer sees
// them: free words (from single letters on), an abbreviation, field and
// category terms, phrases, and fifteen facets selected at once.
var typedQueries = []string{
	"ransomware attack",
	"twtr secur",
	"fixes:encryption",
	"domain:finance phase:design",
	"payment gateway -oslo",
	"sensor year:2015..2020",
	`"sluice gate"`,
	`"software failure"`,
	"outage -domain:health behaviour:crash",
	fifteenFacets,
}

// fifteenFacets selects an option in every category, as a user ticking
// fifteen facets has it.
var fifteenFacets = func() string {
	var terms []string
	for _, c := range incident.Categories {
		terms = append(terms, c.Key+":"+strings.ReplaceAll(c.Options[0], " ", ""))
	}
	return strings.Join(terms, " ")
}()

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
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ix, _ := benchIndex(b, n)
			replayKeystrokes(b, ix, keystrokes())
		})
		b.Run(fmt.Sprintf("loaded/n=%d", n), func(b *testing.B) {
			replayKeystrokes(b, loadedIndex(b, n), keystrokes())
		})
		b.Run(fmt.Sprintf("loaded/screen/n=%d", n), func(b *testing.B) {
			replayKeystrokesWith(b, loadedIndex(b, n), keystrokes(), Options{Limit: screenHits})
		})
	}
}

// keystroke is what a keystroke had typed, and how long its search took.
type keystroke struct {
	typed string
	took  time.Duration
}

// screenHits is a screen's worth of hits and more, as the explorer asks
// for first (ui's firstHits).
const screenHits = 300

// BenchmarkTypePhrase replays typing a phrase, on the index as the
// explorer loads it: every hit ranked, and ("screen") the screen's worth
// the explorer asks for first.
func BenchmarkTypePhrase(b *testing.B) {
	for _, n := range benchSizes() {
		for _, phrase := range []string{`"sluice gate"`, `"software failure"`} {
			var keys []string
			for i := 1; i <= len(phrase); i++ {
				keys = append(keys, phrase[:i])
			}
			b.Run(fmt.Sprintf("n=%d/%s", n, phrase), func(b *testing.B) {
				replayKeystrokes(b, loadedIndex(b, n), keys)
			})
			b.Run(fmt.Sprintf("screen/n=%d/%s", n, phrase), func(b *testing.B) {
				replayKeystrokesWith(b, loadedIndex(b, n), keys, Options{Limit: screenHits})
			})
		}
	}
}

// loadedIndex is the index of n incidents in its stored form, loaded
// owned as the explorer loads it.
func loadedIndex(b testing.TB, n int) *Index {
	ix, incs := benchIndex(b, n)
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if lx := loadedIndexes[n]; lx != nil {
		return lx
	}
	data, err := ix.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	lx, err := LoadOwned(data, fetcher(incs))
	if err != nil {
		b.Fatal(err)
	}
	loadedIndexes[n] = lx
	return lx
}

var loadedIndexes = map[int]*Index{}

func replayKeystrokes(b *testing.B, ix *Index, keys []string) {
	replayKeystrokesWith(b, ix, keys, Options{})
}

func replayKeystrokesWith(b *testing.B, ix *Index, keys []string, opts Options) {
	var lat []time.Duration
	var slow []keystroke
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, k := range keys {
			start := time.Now()
			if q, err := Parse(k); err == nil {
				ix.Search(q, opts)
			}
			lat = append(lat, time.Since(start))
			slow = append(slow, keystroke{k, lat[len(lat)-1]})
		}
	}
	slices.SortFunc(slow, func(a, b keystroke) int { return cmp.Compare(b.took, a.took) })
	for _, k := range slow[:min(len(slow), *slowestFlag)] {
		b.Logf("%8.1f ms %q", float64(k.took.Microseconds())/1000, k.typed)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkBuild also reports the heap the index keeps beyond the
// incidents themselves (index-MB).
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
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
	for _, n := range benchSizes() {
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

// BenchmarkUpdate measures what an import of 1% new incidents costs the
// index: a segment of them and the tombstones (the index's own work; a
// full build is BenchmarkBuild).
func BenchmarkUpdate(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d+1%%", n), func(b *testing.B) {
			all := gencorpus.Incidents(n+n/100, 1)
			more := all[n:]
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ix := Build(all[:n])
				b.StartTimer()
				ix.Update(more, nil)
			}
		})
	}
}

// BenchmarkBuilder measures building stored segments incident by incident
// and reports the peak heap it took (peak-MB), which a segment bounds.
func BenchmarkBuilder(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				stored := 0
				bd := NewBuilder(func(data []byte) (uint64, error) {
					stored += len(data)
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
					return uint64(stored), nil
				})
				// incidents made as they are added, as an import parses them
				for i := range n {
					if err := bd.Add(gencorpus.Incidents(1, int64(i))[0]); err != nil {
						b.Fatal(err)
					}
				}
				if err := bd.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		})
	}
}

// BenchmarkOneShot measures a whole one-shot search on the stored form:
// open the segments, run one query, keep 20 hits.
func BenchmarkOneShot(b *testing.B) {
	for _, n := range benchSizes() {
		ix, _ := benchIndex(b, n)
		data, err := ix.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{"outage", "sluice", "ransomware attack", `"sluice gate"`, `"software failure"`,
			"fixes:encryption", "domain:finance", "smrt mtr"} {
			b.Run(fmt.Sprintf("n=%d/%s", n, q), func(b *testing.B) {
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
}
