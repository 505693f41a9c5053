package search

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// withSegmentSize builds with segments of size k.
func withSegmentSize(t testing.TB, k int, fn func()) {
	t.Helper()
	old := SegmentSize
	SegmentSize = k
	defer func() { SegmentSize = old }()
	fn()
}

var segmentQueries = []string{"", "s", "sl", "slu", "sluice ", `"sluice gate"`, "smrt mtr", "twtr secur",
	"ransomware -atlanta", "fixes:encryption", "domain:finance phase:design", "year:2015..2020 -domain:health",
	"outage -domain:health behaviour:crash", "payment gateway -oslo", "source:page", "label:outage", "is:starred",
	"tag:water", "triage:reviewing", "fixes:sluice-ga"}

// sameResults checks that two indexes of the same incidents answer alike:
// the same hits in the same order with the same scores, and the same
// counts.
func sameResults(t *testing.T, name string, got, want *Index) {
	t.Helper()
	found := 0
	for _, q := range segmentQueries {
		pq := mustParse(t, q)
		if want.Search(pq, Options{}).Total > 0 {
			found++
		}
		for _, opts := range []Options{{}, {Limit: 7}, {Sort: Date}, {Sort: Title, Reverse: true, Limit: 30}} {
			g, w := got.Search(pq, opts), want.Search(pq, opts)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: %q %+v: got %d hits %v…, want %d %v…", name, q, opts, g.Total, firstHits(g), w.Total, firstHits(w))
				if !reflect.DeepEqual(g.Facets, w.Facets) {
					t.Logf("facets differ:\n%v\n%v", g.Facets, w.Facets)
				}
			}
		}
		for _, dims := range [][2]string{{"domain", CrossYear}, {"phase", FacetSource}} {
			g, _ := got.CrossTab(pq, dims[0], dims[1])
			w, _ := want.CrossTab(pq, dims[0], dims[1])
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: cross-tab %q by %v: got %v, want %v", name, q, dims, g, w)
			}
		}
		var ids []string
		for _, h := range want.Search(pq, Options{Limit: 40}).Hits {
			ids = append(ids, h.ID)
		}
		// a prefix of few letters matches more terms than MatchedIn
		// reads, per segment (maxMatchedTerms)
		if g, w := got.MatchedIn(pq, ids), want.MatchedIn(pq, ids); len(q) > 2 && !reflect.DeepEqual(g, w) {
			t.Errorf("%s: matched in %q: got %v, want %v", name, q, g, w)
		}
	}
	if found < len(segmentQueries)*3/4 {
		t.Errorf("%s: only %d of %d queries match anything", name, found, len(segmentQueries))
	}
}

func firstHits(r Result) []string {
	var out []string
	for _, h := range r.Hits[:min(3, len(r.Hits))] {
		out = append(out, fmt.Sprintf("%s:%.3f", h.ID[:6], h.Score))
	}
	return out
}

func segmentCorpus() []incident.Incident {
	incs := append(handMade(), gencorpus.Incidents(260, 11)...)
	incs[3].Triage = tri(incident.StatusReviewing, true, []string{"water"}, "")
	incs[40].Triage = tri(incident.StatusRelevant, false, []string{"water", "pumps"}, "")
	incs[41].Labels = []string{"Outage"}
	return incs
}

// However the incidents are split into segments, and whether the index
// was built or loaded, a search gives the same answer.
func TestSegmentsSearchAsOne(t *testing.T) {
	incs := segmentCorpus()
	one := Build(incs)
	if len(one.segs) != 1 {
		t.Fatalf("%d segments", len(one.segs))
	}
	for _, k := range []int{64, 100} {
		withSegmentSize(t, k, func() {
			ix := Build(incs)
			if len(ix.segs) < 2 {
				t.Fatalf("segment size %d: %d segments", k, len(ix.segs))
			}
			sameResults(t, fmt.Sprintf("built in segments of %d", k), ix, one)
			sameResults(t, fmt.Sprintf("loaded in segments of %d", k), loaded(t, ix, incs), one)
			// and when the hits are merged by the index's date ranks
			old := rankCacheLimit
			rankCacheLimit = 0
			sameResults(t, fmt.Sprintf("merged by rank, segments of %d", k), Build(incs), one)
			rankCacheLimit = old
		})
	}
	// Segments are searched side by side, as many at once as there are
	// cores: one at a time, or more at once than there are segments.
	for _, procs := range []int{1, 3, 16} {
		withSegmentSize(t, 64, func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			sameResults(t, fmt.Sprintf("segments of 64, %d at a time", procs), Build(incs), one)
		})
	}
}

// An index updated in place, by tombstones and new segments, answers as
// one built from the incidents as they are now.
func TestUpdateSearchesAsRebuilt(t *testing.T) {
	incs := segmentCorpus()
	withSegmentSize(t, 80, func() {
		ix := Build(incs)
		changed := []incident.Incident{incs[5], incs[90], incs[200]}
		for i := range changed {
			changed[i].Title += " (revised)"
			changed[i].Postmortem.Fixes += " Rotated every sluice key."
		}
		deleted := []string{incs[7].ID, incs[150].ID, "no such id"}
		ix.Update(changed, deleted)

		var now []incident.Incident
		for _, in := range incs {
			if slices.Contains(deleted, in.ID) {
				continue
			}
			for _, c := range changed {
				if c.ID == in.ID {
					in = c
				}
			}
			now = append(now, in)
		}
		if ix.Len() != len(now) {
			t.Fatalf("Len %d, want %d", ix.Len(), len(now))
		}
		want := Build(now)
		// Ranking weighs words by frequencies that still count the dead
		// documents, so compare what matches and the counts.
		for _, q := range segmentQueries {
			pq := mustParse(t, q)
			g, w := ix.Search(pq, Options{Sort: Date}), want.Search(pq, Options{Sort: Date})
			if !reflect.DeepEqual(hitIDs(g), hitIDs(w)) || !reflect.DeepEqual(g.Facets, w.Facets) ||
				!reflect.DeepEqual(g.Counts, w.Counts) || !reflect.DeepEqual(g.Years, w.Years) {
				t.Errorf("%q: %d hits, rebuilt %d", q, g.Total, w.Total)
			}
		}
		for _, id := range deleted {
			if _, ok := ix.Get(id); ok {
				t.Errorf("deleted %s still found", id)
			}
		}
		if in, ok := ix.Get(changed[1].ID); !ok || in.Title != changed[1].Title {
			t.Errorf("changed incident reads %q", in.Title)
		}
		// the stored form keeps the tombstones
		sameResults(t, "updated and loaded", loaded(t, ix, now), ix)
	})
}

// A Builder fed incident by incident stores segments that, opened from
// their manifest, answer as an index built at once; an incident added
// twice counts once, in its later form.
func TestBuilderStoresWhatBuildMakes(t *testing.T) {
	incs := segmentCorpus()
	for i := range incs {
		incs[i].Triage = incident.Triage{} // a stored index holds no triage
	}
	withSegmentSize(t, 90, func() {
		stored := map[uint64][]byte{}
		b := NewBuilder(func(data []byte) (uint64, error) {
			id := uint64(len(stored) + 1)
			stored[id] = data
			return id, nil
		})
		for _, in := range incs {
			if err := b.Add(in); err != nil {
				t.Fatal(err)
			}
		}
		again := incs[10]
		again.Summary = "A second, later account."
		if err := b.Add(again); err != nil {
			t.Fatal(err)
		}
		b.Remove(incs[250].ID)
		if err := b.Flush(); err != nil {
			t.Fatal(err)
		}
		refs := b.Refs()
		if len(refs) != 3 || refs[0].Live() != 89 {
			t.Fatalf("refs %+v", refs)
		}
		ix, err := Open(EncodeManifest(refs), func(id uint64) ([]byte, func(int, int) bool, error) { return stored[id], nil, nil }, fetcher(incs), false)
		if err != nil {
			t.Fatal(err)
		}
		now := slices.Clone(incs)
		now[10] = again
		now = slices.Delete(now, 250, 251)
		want := Build(now)
		for _, q := range segmentQueries {
			pq := mustParse(t, q)
			g, w := ix.Search(pq, Options{Sort: Date}), want.Search(pq, Options{Sort: Date})
			if !reflect.DeepEqual(hitIDs(g), hitIDs(w)) || !reflect.DeepEqual(g.Facets, w.Facets) {
				t.Errorf("%q: %d hits, built at once %d", q, g.Total, w.Total)
			}
		}
	})
}

func TestManifestRoundTrip(t *testing.T) {
	refs := []SegmentRef{{ID: 7, N: 10, Dead: []int{0, 3, 9}}, {ID: 1 << 40, N: 0, Dead: []int{}}, {ID: 2, N: 5, Dead: []int{}}}
	got, err := DecodeManifest(EncodeManifest(refs))
	if err != nil || !reflect.DeepEqual(got, refs) {
		t.Fatalf("got %+v, %v", got, err)
	}
	data := EncodeManifest(refs)
	for cut := range len(data) {
		if _, err := DecodeManifest(data[:cut]); err == nil {
			t.Errorf("manifest cut at %d read", cut)
		}
	}
}

func TestPlan(t *testing.T) {
	full := func(id uint64) SegmentRef { return SegmentRef{ID: id, N: SegmentSize, Dead: []int{}} }
	small := func(id uint64, n int) SegmentRef { return SegmentRef{ID: id, N: n, Dead: []int{}} }
	halfDead := SegmentRef{ID: 9, N: 10, Dead: []int{0, 1, 2, 3, 4, 5}}
	tests := []struct {
		name string
		refs []SegmentRef
		want []int
	}{
		{"nothing to do", []SegmentRef{full(1), full(2), small(3, 10)}, nil},
		{"more than half dead", []SegmentRef{full(1), halfDead}, []int{1}},
		{"too many small ones", []SegmentRef{full(1), small(2, 5), small(3, 9), small(4, 1), small(5, 2), small(6, 3), small(7, 4)},
			[]int{3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plan(tt.refs, 0); !slices.Equal(got, tt.want) {
				t.Errorf("Plan = %v, want %v", got, tt.want)
			}
		})
	}
}

// The pair terms only bound the headlines tried: an abbreviation finds
// what trying every headline finds.
func TestAbbreviationsBoundedByPairs(t *testing.T) {
	incs := segmentCorpus()
	sg := Build(incs).segs[0]
	for _, p := range []string{"smrt mtr", "twtr secur", "bnk outg", "sluice", "ps3", "a b c", "wtr athrty", "zq"} {
		var want []int32
		for d := range sg.heads {
			h := &sg.heads[d]
			if matchStarts(h.target, h.starts, p, nil) {
				want = append(want, int32(d))
			}
		}
		var got []int32
		for _, fh := range sg.fuzzyHeadlines(p, nil) {
			got = append(got, fh.doc)
		}
		slices.Sort(got)
		if len(p)-strings.Count(p, " ") < minFuzzy {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %d headlines, trying all finds %d", p, len(got), len(want))
		}
	}
}

// A part of a segment that fails its check reads as absent and is
// reported by Err; the rest answers.
func TestDamagedBlocksAreNotRead(t *testing.T) {
	incs := segmentCorpus()
	data, err := Build(incs).segs[0].marshal()
	if err != nil {
		t.Fatal(err)
	}
	man := EncodeManifest([]SegmentRef{{ID: 1, N: len(incs), Dead: []int{}}})
	open := func(bad func(off, n int) bool) (*Index, error) {
		return Open(man, func(uint64) ([]byte, func(int, int) bool, error) { return data, bad, nil }, nil, false)
	}
	if _, err := open(func(off, n int) bool { return off > 100 }); !errors.Is(err, ErrBadIndex) {
		t.Errorf("damage in what Open reads: %v", err)
	}
	ix, err := open(func(off, n int) bool { return off+n < len(data)*3/4 }) // the postings' tail and what follows
	if err != nil {
		t.Fatal(err)
	}
	if ix.Err() != nil {
		t.Fatal("damage reported before it was read")
	}
	for _, q := range segmentQueries {
		ix.Search(mustParse(t, q), Options{})
	}
	if ix.Err() == nil {
		t.Error("damage read but not reported")
	}
}

func TestSmallest(t *testing.T) {
	for _, n := range []int{0, 1, 5, 100, 1000} {
		for _, k := range []int{0, 1, 3, 20, n} {
			if k > n {
				continue
			}
			keys := make([]uint64, n)
			for i := range keys {
				keys[i] = uint64((i * 7919) % 1009)
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			if got := smallest(keys, k); !slices.Equal(got, want[:k]) {
				t.Errorf("smallest(%d of %d) = %v…", k, n, got[:min(5, len(got))])
			}
		}
	}
}

// Typing reuses what the last keystrokes found (the abbreviation cache,
// which also keeps the headlines the words matched): each keystroke
// answers as a fresh index does.
func TestTypingAnswersAsFresh(t *testing.T) {
	incs := segmentCorpus()
	typed, fresh := Build(incs), Build(incs)
	for _, q := range []string{"smrt mtr", "sluice gate", "twtr secur", "wtr athrty", "s l c"} {
		for i := 1; i <= len(q); i++ {
			pq := mustParse(t, q[:i])
			for _, sg := range fresh.segs {
				sg.fuzzy.entries = nil // forget what earlier keystrokes found
			}
			got, want := typed.Search(pq, Options{}), fresh.Search(pq, Options{})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: %d hits typed, %d fresh", q[:i], got.Total, want.Total)
			}
		}
	}
}

// An index opened in place and moved onto copies of its segments answers
// as before once the bytes it was opened from are gone, with the triage
// and changes laid over it meanwhile.
func TestAdoptOutlivesTheBytesOpened(t *testing.T) {
	incs := segmentCorpus()
	for i := range incs {
		incs[i].Triage = incident.Triage{}
	}
	withSegmentSize(t, 90, func() {
		stored, man := storedSegments(t, incs)
		ix, err := Open(man, bytesOf(stored), fetcher(incs), false)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Open(man, bytesOf(cloneSegments(stored)), fetcher(incs), true)
		if err != nil {
			t.Fatal(err)
		}
		st := incident.Stamp{By: "tester", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		var reviewing, reviewed incident.Triage
		reviewing.SetStatus("reviewing", st)
		reviewing.SetTag("water", true, st)
		reviewed.SetStatus("reviewed", st)
		for _, x := range []*Index{ix, want} {
			x.Search(mustParse(t, "smrt mtr"), Options{}) // fills caches made from the bytes
			x.SetTriage(incs[3].ID, reviewing)
			x.Update([]incident.Incident{incs[40]}, []string{incs[41].ID})
		}
		copies := cloneSegments(stored)
		if err := ix.Adopt(bytesOf(copies), true); err != nil {
			t.Fatal(err)
		}
		for _, data := range stored {
			for i := range data {
				data[i] = 0xff // as a transaction's memory, reused
			}
		}
		ix.SetTriage(incs[5].ID, reviewed)
		want.SetTriage(incs[5].ID, reviewed)
		sameResults(t, "adopted", ix, want)

		if err := ix.Adopt(func(id uint64) ([]byte, func(int, int) bool, error) { return copies[1], nil, nil }, true); !errors.Is(err, ErrBadIndex) {
			t.Errorf("adopting other bytes: %v, want ErrBadIndex", err)
		}
		sameResults(t, "after a refused adoption", ix, want)
	})
}

// The date ranks, merged by keys made once, order every document as
// hitOrder does: by date, then title, then place, newest first, whatever
// the dates hold (none, long ones, NUL bytes).
func TestDateRanksAsHitOrder(t *testing.T) {
	dates := []string{"", "2019", "2019-05", "2019-05-03", "2019-05-03\x00", "2019-05-03T10:00:00Z", "2019-05-03T10:00:00Y",
		"2019-05-03T10:00:00Z and then some", "2019-05-03T10:00:00Z and then more", "\x00", "2021-01-01", "2019-05-03 "}
	titles := []string{"", "a", "a\x00", "ab", "Alpha beta gamma delta", "Alpha beta gamma deltb", "Alpha beta", "zeta"}
	var incs []incident.Incident
	for i := range 400 {
		in := incident.Incident{Title: titles[(i*7)%len(titles)], Published: dates[(i*5+i/3)%len(dates)]}
		in.ID = fmt.Sprintf("id-%03d", i)
		incs = append(incs, in)
	}
	withSegmentSize(t, 37, func() {
		ix := Build(incs)
		ranks := ix.dateRanks()
		var all []hitRef
		lists := make([]rankedList, len(ix.segs))
		for si, sg := range ix.segs {
			lists[si] = rankedList{sg: sg, si: si}
			for d := range sg.n {
				lists[si].docs = append(lists[si].docs, int32(d))
			}
			for i := range lists[si].docs {
				all = append(all, hitRef{&lists[si], i})
			}
		}
		slices.SortFunc(all, hitOrder(Options{Sort: Date}, false))
		for k, h := range all {
			if got, want := ranks[h.l.si][h.l.docs[h.i]], int32(len(all)-1-k); got != want {
				t.Fatalf("document %d of segment %d (%q, %q): rank %d, want %d", h.l.docs[h.i], h.l.si,
					h.l.sg.published.view(int(h.l.docs[h.i])), h.l.sg.sortTitle(int(h.l.docs[h.i])), got, want)
			}
		}
	})
}

// storedSegments stores incs as a Builder does, in segments kept by id,
// and returns them with their manifest.
func storedSegments(t *testing.T, incs []incident.Incident) (map[uint64][]byte, []byte) {
	t.Helper()
	stored := map[uint64][]byte{}
	b := NewBuilder(func(data []byte) (uint64, error) {
		stored[uint64(len(stored)+1)] = bytes.Clone(data)
		return uint64(len(stored)), nil
	})
	for _, in := range incs {
		if err := b.Add(in); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	return stored, EncodeManifest(b.Refs())
}

// bytesOf reads stored segments out of m, with nothing to check.
func bytesOf(m map[uint64][]byte) func(uint64) ([]byte, func(int, int) bool, error) {
	return func(id uint64) ([]byte, func(int, int) bool, error) { return m[id], nil, nil }
}

// cloneSegments copies stored segments, as a copy out of a transaction.
func cloneSegments(m map[uint64][]byte) map[uint64][]byte {
	out := make(map[uint64][]byte, len(m))
	for id, data := range m {
		out[id] = bytes.Clone(data)
	}
	return out
}

// A search that finds no document passing all its category and year terms
// but one does not read its text terms, and answers as if it had.
func TestNearlyNoneChangesNoAnswer(t *testing.T) {
	incs := segmentCorpus()
	ix := withSize(t, 64, incs)
	rng := rand.New(rand.NewPCG(5, 7))
	skipped := 0
	for i := 0; i < 300; i++ {
		var terms []string
		for _, c := range incident.Categories {
			if rng.IntN(3) > 0 {
				terms = append(terms, c.Key+":"+c.Options[rng.IntN(len(c.Options))])
			}
		}
		terms = terms[:rng.IntN(len(terms)+1)]
		if rng.IntN(2) == 0 {
			terms = append(terms, "year:"+strconv.Itoa(2010+rng.IntN(13)))
		}
		terms = append(terms, []string{"s", "sluice", "-outage", `"sluice gate"`, "fixes:encryption", "smrt", "is:starred"}[rng.IntN(7)])
		q := mustParse(t, strings.Join(terms, " "))
		st := ix.queryStats(&q)
		for si, sg := range ix.segs {
			if sg.filter(&q, st, si).nearlyNone() {
				skipped++
			}
		}
		got := ix.Search(q, Options{Limit: 20})
		skipNearlyNone = false
		want := ix.Search(q, Options{Limit: 20})
		skipNearlyNone = true
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %d hits %v, reading the text terms %d %v", strings.Join(terms, " "), got.Total, got.Facets, want.Total, want.Facets)
		}
	}
	if skipped < 100 {
		t.Errorf("only %d segment searches skipped their text terms", skipped)
	}
}

// withSize builds incs in segments of k.
func withSize(t *testing.T, k int, incs []incident.Incident) (ix *Index) {
	withSegmentSize(t, k, func() { ix = Build(incs) })
	return ix
}
