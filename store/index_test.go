package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// storedIndex returns a copy of the stored manifest (nil for none),
// whether it is current, and the ids changed since it was saved.
func storedIndex(t *testing.T, s *Store) ([]byte, bool, []string) {
	t.Helper()
	var man []byte
	var current bool
	var changed []string
	err := s.ViewIndex(func(r *IndexReader) error {
		m, cur, err := r.Manifest()
		man, current, changed = bytes.Clone(m), cur, r.Changed()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(changed)
	return man, current, changed
}

func TestIndexFollowsIncidents(t *testing.T) {
	s := openTemp(t, Options{})
	if man, _, _ := storedIndex(t, s); man != nil {
		t.Fatal("a new file has an index")
	}
	a, b := sample(1), sample(2)
	mustPut(t, s, []incident.Incident{a, b}, false)
	if _, _, changed := storedIndex(t, s); len(changed) != 2 {
		t.Fatalf("changed after the first put: %v", changed)
	}
	gen, err := s.IndexBase()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := s.PutSegment([]byte("segment one"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndex(gen, []byte("index one"), []uint64{seg}); err != nil {
		t.Fatal(err)
	}
	if man, cur, changed := storedIndex(t, s); string(man) != "index one" || !cur || len(changed) != 0 {
		t.Fatalf("index = %q, current %v, changed %v", man, cur, changed)
	}

	// Triage and unchanged re-imports leave the index current.
	in := sample(1)
	if err := setTriage(s, in.ID, triageOf("", true, nil, "")); err != nil {
		t.Fatal(err)
	}
	in.Triage = triageOf(incident.StatusReviewing, false, nil, "")
	mustPut(t, s, []incident.Incident{sample(1), in}, true)
	if man, cur, changed := storedIndex(t, s); string(man) != "index one" || !cur || len(changed) != 0 {
		t.Fatalf("after triage and an unchanged put: index = %q, current %v, changed %v", man, cur, changed)
	}

	// A changed incident makes it stale and is noted; an index built
	// before the change is refused.
	changed := sample(2)
	changed.Summary += " More was learnt later."
	mustPut(t, s, []incident.Incident{changed}, false)
	if man, cur, ids := storedIndex(t, s); string(man) != "index one" || cur || !slices.Equal(ids, []string{b.ID}) {
		t.Fatalf("after a change: index %q, current %v, changed %v", man, cur, ids)
	}
	if err := s.SaveIndex(gen, []byte("too old"), nil); !errors.Is(err, ErrStale) {
		t.Fatalf("SaveIndex of an old generation: %v", err)
	}
	// so is a deleted one
	if _, err := s.Delete([]string{a.ID}); err != nil {
		t.Fatal(err)
	}
	if _, _, ids := storedIndex(t, s); !slices.Equal(ids, sorted(a.ID, b.ID)) {
		t.Fatalf("after a delete: changed %v", ids)
	}
	gen2, _ := s.IndexBase()
	if gen2.Gen == gen.Gen {
		t.Fatal("generation did not move")
	}
	seg2, _ := s.PutSegment([]byte("segment two"))
	orphan, _ := s.PutSegment([]byte("never named"))
	if err := s.SaveIndex(gen2, []byte("index two"), []uint64{seg, seg2}); err != nil {
		t.Fatal(err)
	}
	if man, cur, ids := storedIndex(t, s); string(man) != "index two" || !cur || len(ids) != 0 {
		t.Fatalf("index = %q, current %v, changed %v", man, cur, ids)
	}
	// the segments named are kept, the others removed
	s.ViewIndex(func(r *IndexReader) error {
		for id, want := range map[uint64]string{seg: "segment one", seg2: "segment two"} {
			if got, check, err := r.Segment(id, false); err != nil || string(got) != want || !check(0, len(got)) {
				t.Errorf("segment %d = %q, %v", id, got, err)
			}
		}
		if _, _, err := r.Segment(orphan, false); err == nil {
			t.Error("a segment no manifest names was kept")
		}
		return nil
	})
	if err := s.SaveIndex(gen2, []byte("x"), []uint64{orphan}); err == nil {
		t.Error("SaveIndex named a removed segment")
	}
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

func TestViewIndexReadsInsideTheTransaction(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(3)
	mustPut(t, s, []incident.Incident{in}, false)
	boom := errors.New("boom")
	err := s.ViewIndex(func(r *IndexReader) error {
		got, ok, err := r.Incident(in.ID)
		if err != nil || !ok || got.Title != in.Title {
			t.Errorf("Incident inside ViewIndex: %q, %v, %v", got.Title, ok, err)
		}
		var ids []string
		r.EachID(func(id string) error { ids = append(ids, id); return nil })
		if len(ids) != 1 || ids[0] != in.ID {
			t.Errorf("EachID: %v", ids)
		}
		if r.Generation() == 0 {
			t.Error("generation 0 after a put")
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("ViewIndex = %v; want fn's error", err)
	}
}

func TestSaveIndexReadOnly(t *testing.T) {
	path, _ := filled(t, 2)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	gen, _ := s.IndexBase()
	if err := s.SaveIndex(gen, []byte("x"), nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SaveIndex on a read-only store: %v", err)
	}
	if _, err := s.PutSegment([]byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("PutSegment on a read-only store: %v", err)
	}
}

// A schema 3 file loses its single index, which the next writer rebuilds
// in segments, and gains the bucket of changed incidents.
func TestVersion3IndexIsDropped(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(8)}, false)
	path := s.Path()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		if err := b.DeleteBucket(keyIndexChanged); err != nil {
			return err
		}
		b.Put([]byte("data"), seal([]byte("faultline-index\x04 of schema 3")))
		b.Put(keyIndexGeneration, encodeVersion(tx.Bucket(bucketIncidents).Sequence()))
		return tx.Bucket(bucketMeta).Put(keySchema, encodeVersion(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		if b.Get([]byte("data")) != nil || b.Get(keyIndexGeneration) != nil || b.Bucket(keyIndexChanged) == nil {
			t.Error("schema 4 keeps the old index, or lacks the changed bucket")
		}
		return nil
	})
	if man, cur, _ := storedIndex(t, s); man != nil || cur {
		t.Error("a migrated file claims an index")
	}
	// and changes are noted from then on
	c := sample(8)
	c.Summary = "later"
	mustPut(t, s, []incident.Incident{c}, false)
	if _, _, ids := storedIndex(t, s); len(ids) != 1 {
		t.Errorf("changed after the migration: %v", ids)
	}
}

func TestVersion1FileGainsIndexBucket(t *testing.T) {
	// A file as schema 1 wrote it: incidents and triage as plain JSON, no
	// index bucket.
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketIncidents, bucketTriage} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		tx.Bucket(bucketMeta).Put(keyCreatedBy, marker)
		in := sample(4)
		data, _ := json.Marshal(storedIncident{Incident: in})
		tx.Bucket(bucketIncidents).Put([]byte(incident.MakeID(in.Title, in.Published)), data)
		return tx.Bucket(bucketMeta).Put(keySchema, encodeVersion(1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if man, _, _ := storedIndex(t, s); man != nil {
		t.Error("a migrated file claims an index")
	}
	s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketIndex) == nil {
			t.Error("no index bucket after migration")
		}
		return nil
	})
	tri, err := s.AllTriage()
	if err != nil || !reflect.DeepEqual(tri, map[string]incident.Triage{}) {
		t.Errorf("AllTriage = %v, %v", tri, err)
	}
}

func TestAllTriage(t *testing.T) {
	s := openTemp(t, Options{})
	a, b := sample(5), sample(6)
	mustPut(t, s, []incident.Incident{a, b}, false)
	id := a.ID
	want := triageOf(incident.StatusRelevant, true, []string{"dns"}, "look again")
	if err := setTriage(s, id, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.AllTriage()
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.Triage(id)
	if len(got) != 1 || !reflect.DeepEqual(got[id], stored) {
		t.Errorf("AllTriage = %+v, want {%s: %+v}", got, id, stored)
	}
}

// A taxonomy correction is a change for the index (not for the incidents'
// generation); an index saved from a base taken before a later change
// forgets only the changes it took in.
func TestCorrectionsAreChangesForTheIndex(t *testing.T) {
	s := openTemp(t, Options{})
	a, b := sample(1), sample(2)
	mustPut(t, s, []incident.Incident{a, b}, false)
	save := func(base IndexBase) {
		t.Helper()
		if err := s.SaveIndex(base, []byte("m"), nil); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := s.IndexBase()
	save(base)
	var fix incident.Triage
	fix.SetTaxonomy("phase", []string{"design"}, stamp())
	if err := setTriage(s, a.ID, fix); err != nil {
		t.Fatal(err)
	}
	after, _ := s.IndexBase()
	if after.Gen != base.Gen {
		t.Error("a correction moved the incidents' generation")
	}
	if _, cur, ids := storedIndex(t, s); cur || !slices.Equal(ids, []string{a.ID}) {
		t.Fatalf("after a correction: current %v, changed %v", cur, ids)
	}
	// a star is not a change for the index
	if err := setTriage(s, b.ID, triageOf("", true, nil, "")); err != nil {
		t.Fatal(err)
	}
	// b's correction comes after the base the update started from
	var fixB incident.Triage
	fixB.SetTaxonomy("domain", []string{"finance"}, stamp())
	setTriage(s, b.ID, fixB)
	save(after)
	if _, cur, ids := storedIndex(t, s); cur || !slices.Equal(ids, []string{b.ID}) {
		t.Fatalf("a save forgot a later change: current %v, changed %v", cur, ids)
	}
	now, _ := s.IndexBase()
	save(now)
	if _, cur, ids := storedIndex(t, s); !cur || len(ids) != 0 {
		t.Fatalf("after the last save: current %v, changed %v", cur, ids)
	}
}
