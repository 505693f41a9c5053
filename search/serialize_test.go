package search

import (
	"errors"
	"reflect"
	"testing"
	"unsafe"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// loaded round-trips ix through MarshalBinary and Load, fetching texts
// from incs and laying over the index's triage, as a store's reader does.
func loaded(t testing.TB, ix *Index, incs []incident.Incident) *Index {
	t.Helper()
	data, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := Load(data, fetcher(incs))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, in := range incs {
		if got, ok := ix.Get(in.ID); ok {
			lx.SetTriage(in.ID, got.Triage)
		}
	}
	return lx
}

// fetcher returns a fetch function for Load over incs.
func fetcher(incs []incident.Incident) func(id string) (incident.Incident, bool) {
	byID := map[string]incident.Incident{}
	for _, in := range incs {
		byID[in.ID] = in
	}
	return func(id string) (incident.Incident, bool) {
		in, ok := byID[id]
		return in, ok
	}
}

func TestLoadSearchesAsBuilt(t *testing.T) {
	incs := append(handMade(), gencorpus.Incidents(300, 5)...)
	ix := Build(incs)
	tr := tri(incident.StatusRelevant, true, []string{"water"}, "")
	ix.SetTriage(incs[0].ID, tr)
	lx := loaded(t, ix, incs)
	data, _ := ix.MarshalBinary()
	if bare, err := Load(data, nil); err != nil || !reflect.DeepEqual(bare.segs[0].triageOf(0), incident.Triage{}) {
		t.Errorf("triage is kept in the binary form: %v", err)
	}
	if lx.Len() != ix.Len() {
		t.Fatalf("Len %d, want %d", lx.Len(), ix.Len())
	}
	for _, q := range []string{"", "slu", "sluice ", `"sluice firmware"`, "twtr secur", "bnk outg", "ransomware -atlanta",
		"fixes:encryption", "domain:finance phase:design", "year:2015..2020 -domain:health", "is:starred", "tag:water",
		"triage:relevant", "café", "o", "outage", `"the"`} {
		for _, opts := range []Options{{}, {Sort: Date, Limit: 5}, {Sort: Title, Reverse: true}} {
			want := ix.Search(mustParse(t, q), opts)
			got := lx.Search(mustParse(t, q), opts)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q %+v: loaded index gives %d hits, built %d", q, opts, got.Total, want.Total)
			}
		}
	}
	for _, in := range incs[:20] {
		if got, want := lx.Related(in.ID, 5), ix.Related(in.ID, 5); !reflect.DeepEqual(got, want) {
			t.Errorf("Related(%s): loaded %v, built %v", in.ID, got, want)
		}
		got, _ := lx.Get(in.ID)
		want, _ := ix.Get(in.ID)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%s) differs after Load", in.ID)
		}
	}
}

func TestLoadWithoutFetch(t *testing.T) {
	incs := handMade()
	data, _ := Build(incs).MarshalBinary()
	lx, err := Load(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := lx.Search(mustParse(t, "sluice"), Options{}); r.Total != 3 {
		t.Errorf("sluice: %d hits, want 3", r.Total)
	}
	// Phrases are read from the index's positions: no text is needed.
	q := mustParse(t, `"sluice firmware"`)
	if got, want := lx.Search(q, Options{}).Total, Build(incs).Search(q, Options{}).Total; got != want || got == 0 {
		t.Errorf("phrase without texts: %d hits, built index %d", got, want)
	}
	if in, ok := lx.Get(incs[0].ID); !ok || in.Title != incs[0].Title {
		t.Errorf("Get without fetch: %q, %v", in.Title, ok)
	}
}

func TestLoadRefusesDamage(t *testing.T) {
	data, _ := Build(handMade()).MarshalBinary()
	if _, err := Load(nil, nil); !errors.Is(err, ErrBadIndex) {
		t.Errorf("Load(nil): %v", err)
	}
	if _, err := Load(append(data[:len(data):len(data)], 0), nil); !errors.Is(err, ErrBadIndex) {
		t.Errorf("trailing byte: %v", err)
	}
	for cut := 0; cut < len(data); cut += 7 {
		if _, err := Load(data[:cut], nil); !errors.Is(err, ErrBadIndex) {
			t.Fatalf("truncated at %d of %d: %v", cut, len(data), err)
		}
	}
	// Any single damaged byte is refused or gives a working index.
	// every few bytes, some 3,000 places over the whole form
	for i := 0; i < len(data); i += max(3, len(data)/3000) {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x5a
		if lx, err := Load(bad, nil); err == nil {
			lx.Search(mustParse(t, "sluice gate"), Options{})
			lx.Search(Query{}, Options{Sort: Title})
			lx.Related(firstID(lx), 3)
		}
	}
}

// firstID returns the id of the first document of the index, "" for none.
func firstID(ix *Index) string {
	for _, sg := range ix.segs {
		if sg.n > 0 {
			return sg.ids.at(0)
		}
	}
	return ""
}

func FuzzLoad(f *testing.F) {
	data, _ := Build(handMade()[:2]).MarshalBinary()
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		lx, err := Load(data, nil)
		if err != nil {
			return
		}
		lx.Search(mustParse(t, "sluice gate o"), Options{})
		lx.Search(mustParse(t, "domain:finance year:2019"), Options{Sort: Date})
		if lx.Len() > 0 {
			lx.Related(firstID(lx), 3)
		}
	})
}

func TestGetRetriesAFailedFetch(t *testing.T) {
	incs := handMade()
	data, _ := Build(incs).MarshalBinary()
	busy := true
	fetch := fetcher(incs)
	lx, err := Load(data, func(id string) (incident.Incident, bool) {
		if busy {
			return incident.Incident{}, false
		}
		return fetch(id)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := incs[0]
	got, ok := lx.Get(want.ID)
	if ok || got.ID != want.ID || got.Title != want.Title || got.Published != want.Published || got.Summary != "" {
		t.Fatalf("Get while busy = %+v, %v; want the title and date only, not ok", got, ok)
	}
	busy = false
	if got, ok := lx.Get(want.ID); !ok || got.Summary != want.Summary {
		t.Errorf("Get after the file is free = %q, %v; want the fetched incident", got.Summary, ok)
	}
	if _, ok := lx.Get("nope"); ok {
		t.Error("Get of an unknown id succeeded")
	}
}

func TestLoadOwnedSharesStrings(t *testing.T) {
	incs := handMade()
	ix := Build(incs)
	data, _ := ix.MarshalBinary()
	lx, err := LoadOwned(data, fetcher(incs))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "sluice", "twtr secur"} {
		want, got := ix.Search(mustParse(t, q), Options{}), lx.Search(mustParse(t, q), Options{})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: an owned load searches differently", q)
		}
	}
	// An owned load's hits point into data, which the index keeps alive;
	// a plain load's are copies, which outlive data.
	if h := lx.Search(Query{}, Options{Limit: 1}).Hits[0]; !inside(data, unsafe.StringData(h.Title)) {
		t.Error("LoadOwned copied a title")
	}
	plain, _ := Load(data, nil)
	if h := plain.Search(Query{}, Options{Limit: 1}).Hits[0]; inside(data, unsafe.StringData(h.Title)) {
		t.Error("Load handed out a title that shares data")
	}
}

func inside(b []byte, p *byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return uintptr(unsafe.Pointer(p)) >= start && uintptr(unsafe.Pointer(p)) < start+uintptr(len(b))
}
