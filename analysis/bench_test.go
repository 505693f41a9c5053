package analysis

import (
	"sync"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

var (
	corpusMu sync.Mutex
	corpora  = map[int][]incident.Incident{}
)

// corpus returns a generated corpus of n incidents, made once per test
// binary; callers must not change it.
func corpus(n int) []incident.Incident {
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if _, ok := corpora[n]; !ok {
		corpora[n] = gencorpus.Incidents(n, 1)
	}
	return corpora[n]
}

// BenchmarkGroup groups 10,000 generated incidents from scratch.
func BenchmarkGroup(b *testing.B) {
	incs := corpus(10000)
	b.ReportAllocs()
	for b.Loop() {
		Group(incs, nil)
	}
}

// BenchmarkAdd adds 100 incidents to 10,000 already grouped, and takes
// the events again: what an import of 100 costs the explorer.
func BenchmarkAdd(b *testing.B) {
	incs := corpus(10100)
	g := NewGrouper()
	g.Add(incs[:10000]...)
	b.ReportAllocs()
	for b.Loop() {
		g.Add(incs[10000:]...)
		g.Events()
		b.StopTimer()
		g.Remove(ids(incs[10000:])...)
		b.StartTimer()
	}
}

func ids(incs []incident.Incident) []string {
	out := make([]string, len(incs))
	for i := range incs {
		out[i] = incs[i].ID
	}
	return out
}

// BenchmarkProfiles reads what grouping compares of 10,000 incidents:
// most of the cost of grouping them.
func BenchmarkProfiles(b *testing.B) {
	incs := corpus(10000)
	b.ReportAllocs()
	for b.Loop() {
		makeProfiles(incs)
	}
}

// BenchmarkLessons merges and ranks the lessons of 2,500 generated
// incidents in their events, their items read once (NewLessonIndex), as
// the lessons of the incidents a query matches are.
func BenchmarkLessons(b *testing.B) {
	incs := corpus(2500)
	events := Group(incs, nil)
	x := NewLessonIndex(incs)
	b.ReportAllocs()
	for b.Loop() {
		x.Lessons(nil, events, nil)
	}
}

// BenchmarkLessonIndex reads the items of 2,500 generated incidents.
func BenchmarkLessonIndex(b *testing.B) {
	incs := corpus(2500)
	b.ReportAllocs()
	for b.Loop() {
		NewLessonIndex(incs)
	}
}

// BenchmarkLoad reads the snapshot of 10,000 grouped incidents, whole and
// for its events only, from one slice and from the 64 KiB pieces a store
// keeps it in.
func BenchmarkLoad(b *testing.B) {
	g := NewGrouper()
	g.Add(corpus(10000)...)
	data, err := g.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	var pieces [][]byte
	for rest := data; len(rest) > 0; {
		k := min(len(rest), 64<<10)
		pieces, rest = append(pieces, rest[:k]), rest[k:]
	}
	for _, c := range []struct {
		name string
		load func(...[]byte) (*Grouper, error)
	}{{"whole", LoadGrouper}, {"events", LoadEvents}} {
		for _, in := range []struct {
			name   string
			pieces [][]byte
		}{{"one", [][]byte{data}}, {"pieces", pieces}} {
			b.Run(c.name+"/"+in.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.load(in.pieces...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
