package indexer

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "f.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		s.Close()
	})
	return s
}

func inputs(incs []incident.Incident) []store.Input {
	out := make([]store.Input, len(incs))
	for i, in := range incs {
		out[i] = store.Input{Incident: in, Source: incident.Source{Form: "jsonl", File: "gen.jsonl"}}
	}
	return out
}

// stored loads the stored index, which must be current, and the
// incidents it should describe.
func stored(t *testing.T, s *store.Store) (*search.Index, []incident.Incident) {
	t.Helper()
	var ix *search.Index
	err := s.ViewIndex(func(r *store.IndexReader) error {
		if _, current, err := r.Manifest(); err != nil || !current {
			t.Fatalf("index not current: %v", err)
		}
		var err error
		ix, err = Load(r, nil, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	return ix, all
}

var queries = []string{"", "sluice", `"sluice gate"`, "smrt mtr", "fixes:encryption", "domain:finance",
	"outage -domain:health", "source:jsonl", "is:starred"}

// sameAsBuilt checks that ix finds what an index built from incs finds.
func sameAsBuilt(t *testing.T, what string, ix *search.Index, incs []incident.Incident) {
	t.Helper()
	want := search.Build(incs)
	if ix.Len() != want.Len() {
		t.Errorf("%s: %d incidents, want %d", what, ix.Len(), want.Len())
	}
	for _, q := range queries {
		pq, err := search.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		g, w := ix.Search(pq, search.Options{Sort: search.Date}), want.Search(pq, search.Options{Sort: search.Date})
		if !reflect.DeepEqual(ids(g), ids(w)) || !reflect.DeepEqual(g.Facets, w.Facets) || !reflect.DeepEqual(g.Years, w.Years) {
			t.Errorf("%s: %q: %d hits, a rebuilt index %d", what, q, g.Total, w.Total)
		}
	}
}

func ids(r search.Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func withSegmentSize(k int) func() {
	old := search.SegmentSize
	search.SegmentSize = k
	return func() { search.SegmentSize = old }
}

// An import streams its incidents into segments; later imports and
// deletions index only what changed, and the index stays that of the
// incidents.
func TestUpdatesFollowTheIncidents(t *testing.T) {
	defer withSegmentSize(40)()
	s := openStore(t)
	incs := gencorpus.Incidents(130, 3)
	u := Start(s)
	if _, err := s.PutEach(inputs(incs), u.Add); err != nil {
		t.Fatal(err)
	}
	if err := u.Finish(); err != nil {
		t.Fatal(err)
	}
	ix, all := stored(t, s)
	sameAsBuilt(t, "after the first import", ix, all)
	if got := len(ix.Refs()); got != 4 {
		t.Errorf("%d segments for 130 incidents in segments of 40", got)
	}

	// Change three, add two, delete one: a new segment and tombstones.
	more := gencorpus.Incidents(132, 3)[130:]
	changed := slices.Clone(incs[10:13])
	for i := range changed {
		changed[i].Postmortem.Fixes = "Rotated every sluice key, then the gate's."
	}
	u = Start(s)
	if _, err := s.PutEach(inputs(append(changed, more...)), u.Add); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete([]string{all[5].ID}); err != nil {
		t.Fatal(err)
	}
	if err := u.Finish(); err != nil {
		t.Fatal(err)
	}
	ix, all = stored(t, s)
	sameAsBuilt(t, "after an update", ix, all)
	refs := ix.Refs()
	if len(refs) != 5 || refs[4].N != 5 {
		t.Errorf("segments after the update: %+v", refs)
	}
	dead := 0
	for _, r := range refs {
		dead += len(r.Dead)
	}
	if dead != 4 {
		t.Errorf("%d tombstones, want 4 (3 changed, 1 deleted)", dead)
	}

	// Many small updates: the small segments are merged, not kept.
	for i := range 12 {
		in := all[20+i]
		in.Summary = "Revised."
		if err := Put(s, in); err != nil {
			t.Fatal(err)
		}
	}
	ix, all = stored(t, s)
	sameAsBuilt(t, "after small updates", ix, all)
	if got := len(ix.Refs()); got > (len(all)+39)/40+4 {
		t.Errorf("%d segments after small updates", got)
	}
}

// Put stores one incident and refreshes the index the way readers do.
func Put(s *store.Store, in incident.Incident) error {
	if _, err := s.Put(inputs([]incident.Incident{in})); err != nil {
		return err
	}
	return Refresh(s)
}

// A stale index, one that changes were not indexed into, is brought up
// to date in memory by Load, and on disk by Refresh.
func TestLoadUpdatesAStaleIndex(t *testing.T) {
	defer withSegmentSize(40)()
	s := openStore(t)
	incs := gencorpus.Incidents(60, 4)
	if _, err := s.Put(inputs(incs)); err != nil {
		t.Fatal(err)
	}
	if err := Refresh(s); err != nil {
		t.Fatal(err)
	}
	in := incs[7]
	in.Postmortem.Fixes = "A sluice gate was bolted shut."
	if _, err := s.Put(inputs([]incident.Incident{in})); err != nil {
		t.Fatal(err)
	}
	s.Delete([]string{incs[8].ID})
	var ix *search.Index
	err := s.ViewIndex(func(r *store.IndexReader) error {
		if _, current, _ := r.Manifest(); current {
			t.Error("the index claims to be current")
		}
		var err error
		ix, err = Load(r, nil, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.All()
	sameAsBuilt(t, "stale, loaded", ix, all)
	if err := Refresh(s); err != nil {
		t.Fatal(err)
	}
	ix, all = stored(t, s)
	sameAsBuilt(t, "refreshed", ix, all)
}
