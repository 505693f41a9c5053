package search

import (
	"runtime"
	"slices"
	"sync"

	"github.com/faultline/faultline/incident"
)

// Index is a search index over a set of incidents, made of segments (see
// segment): one for a small set, several for a large one or one that
// imports have updated without a rebuild. A search runs over every
// segment with statistics over all of them, so that its answer does not
// depend on how the incidents are split. It is safe for concurrent use:
// searches run in parallel, SetTriage excludes them.
type Index struct {
	mu   sync.RWMutex
	segs []*segment
	live int // documents that are not dead

	// Every taxonomy option of any segment, numbered for the Index: the
	// segments' gopt map their own numbers to these.
	optCat  []int
	optName []string
	optID   map[catOpt]int

	// segIDs are the stored segments' ids (see Open), 0 for built ones.
	segIDs []uint64

	// ranks are the documents' places in the date order over all
	// segments (see dateRanks), worked out when first needed.
	ranksOnce sync.Once
	ranks     [][]int32
}

// SegmentSize is the most incidents Build and a Builder put in one
// segment: it bounds the memory a build takes, whatever the number of
// incidents, while keeping the segments of a large index few.
var SegmentSize = 4096

// Build indexes the incidents. Incidents without an id get
// incident.MakeID's; of several with one id the last wins. The incidents'
// texts are shared, not copied; the index keeps them, so its Get and
// Related need no fetching.
func Build(incs []incident.Incident) *Index {
	docs := make([]incident.Incident, 0, len(incs))
	byID := make(map[string]int, len(incs))
	for _, in := range incs {
		if in.ID == "" {
			in.ID = incident.MakeID(in.Title, in.Published)
		}
		if d, ok := byID[in.ID]; ok {
			docs[d] = in
			continue
		}
		byID[in.ID] = len(docs)
		docs = append(docs, in)
	}
	return assemble(buildSegments(docs, true), nil)
}

// buildSegments indexes docs (distinct ids) in segments of at most
// SegmentSize, several at a time.
func buildSegments(docs []incident.Incident, keep bool) []*segment {
	k := (len(docs) + SegmentSize - 1) / SegmentSize
	segs := make([]*segment, max(1, k))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
	var wg sync.WaitGroup
	for i := range segs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			lo, hi := i*SegmentSize, min(len(docs), (i+1)*SegmentSize)
			segs[i] = buildSegment(docs[lo:hi:hi], keep)
		}()
	}
	wg.Wait()
	return segs
}

// assemble makes an Index of segments (ids: their stored ids, or nil).
func assemble(segs []*segment, ids []uint64) *Index {
	ix := &Index{segs: segs, segIDs: ids, optID: map[catOpt]int{}}
	if ids == nil {
		ix.segIDs = make([]uint64, len(segs))
	}
	for _, sg := range segs {
		ix.live += sg.n
		if sg.dead != nil {
			ix.live -= sg.dead.count()
		}
		sg.gopt = make([]int, len(sg.optName))
		for o, name := range sg.optName {
			k := catOpt{dims[sg.optCat[o]], name}
			g, ok := ix.optID[k]
			if !ok {
				g = len(ix.optName)
				ix.optID[k] = g
				ix.optCat = append(ix.optCat, sg.optCat[o])
				ix.optName = append(ix.optName, name)
			}
			sg.gopt[o] = g
		}
	}
	return ix
}

// Len returns the number of incidents in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// docs is the number of documents of all segments, dead ones included:
// the N of idf, as the document frequencies count them too.
func (ix *Index) docs() int {
	n := 0
	for _, sg := range ix.segs {
		n += sg.n
	}
	return n
}

// lookup returns the segment and document of the live incident with id.
func (ix *Index) lookup(id string) (*segment, int, bool) {
	for i := len(ix.segs) - 1; i >= 0; i-- {
		sg := ix.segs[i]
		if d, ok := sg.lookup(id); ok && !sg.isDead(d) {
			return sg, d, true
		}
	}
	return nil, 0, false
}

// Get returns the incident with the given id. ok is false when there is
// none, and also when its texts could not be fetched: then the incident
// holds what the index knows (id, title, date, triage) and a later Get
// tries again.
func (ix *Index) Get(id string) (incident.Incident, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg, d, found := ix.lookup(id)
	if !found {
		return incident.Incident{}, false
	}
	doc, ok := sg.doc(d)
	in := *doc
	in.Triage = sg.triageOf(d).Clone()
	return in, ok
}

// Summary is what a list shows of an incident. The index holds all of it,
// so unlike Get it never fetches the incident's texts.
type Summary struct {
	ID, Title, Published string
	Triage               incident.Triage
	// Options holds, per category key, the incident's canonical options.
	Options map[string][]string
}

// Summary returns the summary of the incident with the given id.
func (ix *Index) Summary(id string) (Summary, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg, d, ok := ix.lookup(id)
	if !ok {
		return Summary{}, false
	}
	return sg.summary(d), true
}

// SetTriage records a reviewer's triage of the incident, so that triage:,
// is: and tag: terms see it. An unknown id is ignored.
//
// The index counts an incident's taxonomy as corrected, so a change of
// the corrections indexes the incident anew, with its texts fetched.
func (ix *Index) SetTriage(id string, t incident.Triage) {
	ix.mu.Lock()
	sg, d, ok := ix.lookup(id)
	if !ok {
		ix.mu.Unlock()
		return
	}
	prev := sg.triageOf(d)
	sg.setTriage(d, t)
	ix.mu.Unlock()
	if prev.SameCorrections(&t) {
		return
	}
	if in, ok := ix.Get(id); ok {
		ix.Update([]incident.Incident{in}, nil)
	}
}

// LayTriage records the triage of the incidents as it was when they were
// indexed (the store's): unlike SetTriage it indexes nothing anew.
func (ix *Index) LayTriage(tri map[string]incident.Triage) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for id, t := range tri {
		if sg, d, ok := ix.lookup(id); ok {
			sg.setTriage(d, t)
		}
	}
}

// optCounts returns the documents holding each of the Index's options,
// over the live documents of every segment.
func (ix *Index) optCounts() []int {
	counts := make([]int, len(ix.optName))
	for _, sg := range ix.segs {
		live := sg.live()
		for o, set := range sg.optDocs {
			counts[sg.gopt[o]] += live.andCount(set)
		}
	}
	return counts
}

// segmentOf returns the position of sg among the index's segments.
func (ix *Index) segmentOf(sg *segment) int { return slices.Index(ix.segs, sg) }
