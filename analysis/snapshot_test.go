package analysis

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// A snapshot loaded back groups as the Grouper it was taken of, before
// and after more incidents are added and some removed.
func TestSnapshotRoundTrip(t *testing.T) {
	incs := append(gencorpus.Incidents(300, 7),
		atlanta("a1", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		atlanta("a2", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		baltimore("b1", "2019-05-07"))
	g := NewGrouper()
	g.Add(incs[:200]...)
	g.Add(incs[300:]...)
	data, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadGrouper(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Events(), g.Events()) {
		t.Fatal("the loaded snapshot groups differently")
	}
	again, _ := back.MarshalBinary()
	if string(again) != string(data) {
		t.Error("a snapshot of the loaded snapshot differs")
	}
	for _, gr := range []*Grouper{g, back} {
		gr.Add(incs[200:300]...)
		gr.Remove(incs[5].ID, "a2")
		gr.Decide("b1", Decision{With: "a1"})
	}
	if !reflect.DeepEqual(back.Events(), g.Events()) {
		t.Error("after Add, Remove and Decide the loaded snapshot groups differently")
	}
	fresh := Group(append(append(append([]incident.Incident{}, incs[:5]...), incs[6:301]...), incs[302:]...), map[string]Decision{"b1": {With: "a1"}})
	if !reflect.DeepEqual(back.Events(), fresh) {
		t.Error("a snapshot kept up to date groups differently from grouping afresh")
	}
}

func TestLoadGrouperRefusesDamage(t *testing.T) {
	g := NewGrouper()
	g.Add(gencorpus.Incidents(20, 3)...)
	data, _ := g.MarshalBinary()
	for _, bad := range [][]byte{nil, []byte("faultline-events\x02"), data[:len(data)-3], append(append([]byte{}, data...), 1)} {
		if _, err := LoadGrouper(bad); !errors.Is(err, ErrSnapshot) {
			t.Errorf("LoadGrouper(%d bytes) = %v, want ErrSnapshot", len(bad), err)
		}
	}
}

// FuzzLoadGrouper feeds damaged snapshots: an error or a Grouper, never a
// panic or a huge allocation.
func FuzzLoadGrouper(f *testing.F) {
	g := NewGrouper()
	g.Add(gencorpus.Incidents(8, 5)...)
	data, _ := g.MarshalBinary()
	f.Add(data)
	f.Add([]byte(snapshotMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := LoadGrouper(b)
		slim, slimErr := LoadEvents(b)
		if (err == nil) != (slimErr == nil) {
			t.Fatalf("LoadGrouper: %v; LoadEvents: %v", err, slimErr)
		}
		if err == nil && !reflect.DeepEqual(g.Events(), slim.Events()) {
			t.Fatal("LoadEvents gives other events than LoadGrouper")
		}
		// read from pieces, as a store's chunks, it reads the same
		pieces := cut(b)
		cg, cerr := LoadGrouper(pieces...)
		cslim, cslimErr := LoadEvents(pieces...)
		if (cerr == nil) != (err == nil) || (cslimErr == nil) != (err == nil) {
			t.Fatalf("in %d pieces: LoadGrouper %v, LoadEvents %v; whole: %v", len(pieces), cerr, cslimErr, err)
		}
		if err != nil {
			return
		}
		whole, _ := g.MarshalBinary()
		again, _ := cg.MarshalBinary()
		if !bytes.Equal(again, whole) || !reflect.DeepEqual(cslim.Events(), g.Events()) {
			t.Fatalf("in %d pieces: another grouping", len(pieces))
		}
	})
}

// cut splits b into pieces of 1 to 12 bytes, by sizes b itself chooses,
// and empty ones between, so that numbers and strings fall across pieces.
func cut(b []byte) [][]byte {
	var out [][]byte
	for i := 0; len(b) > 0; i++ {
		k := min(len(b), 1+int(b[i%len(b)])%12)
		if k%5 == 0 {
			out = append(out, nil)
		}
		out, b = append(out, b[:k]), b[k:]
	}
	return append(out, nil)
}

// MarshalBinary sizes its buffer from profileSize: a size that is wrong
// would show as a buffer grown, or left larger than what was written.
func TestSnapshotSizedAtOnce(t *testing.T) {
	g := NewGrouper()
	g.Add(corpus(300)...)
	data, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	slack := cap(data) - len(data)
	if slack < 0 || slack > 2*binary.MaxVarintLen64+len(g.links)*2*binary.MaxVarintLen64 {
		t.Errorf("snapshot of %d bytes in a buffer of %d", len(data), cap(data))
	}
	for _, p := range g.profs {
		if p != nil && profileSize(p) != len(appendProfile(nil, p)) {
			t.Fatalf("profileSize(%s) = %d, appendProfile writes %d", p.id, profileSize(p), len(appendProfile(nil, p)))
		}
	}
}

// A released Grouper writes the snapshot it wrote before.
func TestReleasedGrouperSnapshot(t *testing.T) {
	g := NewGrouper()
	g.Add(corpus(300)...)
	before, _ := g.MarshalBinary()
	g.Release()
	after, err := g.MarshalBinary()
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("snapshot after Release differs (%v)", err)
	}
}

// A Grouper that keeps its events only gives the events it gave, takes
// rulings as before, and refuses to be saved.
func TestKeepEventsOnly(t *testing.T) {
	incs := append(slices.Clone(corpus(300)),
		atlanta("at1", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		atlanta("at2", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		atlanta("at3", "SamSam Ransomware Cripples Atlanta City Services", "2018-03-26"),
		baltimore("ba1", "2018-03-30"))
	full, slim := NewGrouper(), NewGrouper()
	full.Add(incs...)
	slim.Add(incs...)
	slim.KeepEventsOnly()
	if !reflect.DeepEqual(full.Events(), slim.Events()) {
		t.Fatal("events differ once the grouping keeps its events only")
	}
	for _, g := range []*Grouper{full, slim} {
		g.Decide("at1", Decision{Alone: true})
		g.Decide("ba1", Decision{With: "at3"})
	}
	evs := slim.Events()
	if !reflect.DeepEqual(full.Events(), evs) {
		t.Error("rulings give other events once the grouping keeps its events only")
	}
	if got := eventIDs(evs); !slices.ContainsFunc(got, func(ids []string) bool { return slices.Equal(ids, []string{"at2", "at3", "ba1"}) }) {
		t.Errorf("rulings not taken: %v", got)
	}
	if _, err := slim.MarshalBinary(); !errors.Is(err, ErrEventsOnly) {
		t.Errorf("MarshalBinary = %v, want ErrEventsOnly", err)
	}
	data, _ := full.MarshalBinary()
	read, err := LoadEvents(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		id string
		d  Decision
	}{{"at1", Decision{Alone: true}}, {"ba1", Decision{With: "at3"}}} {
		read.Decide(d.id, d.d)
	}
	if !reflect.DeepEqual(read.Events(), evs) {
		t.Error("LoadEvents gives other events")
	}
	if _, err := read.MarshalBinary(); !errors.Is(err, ErrEventsOnly) {
		t.Errorf("MarshalBinary of LoadEvents' = %v, want ErrEventsOnly", err)
	}
}
