package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// viewIndex returns a copy of the current stored index, or nil.
func viewIndex(t *testing.T, s *Store) []byte {
	t.Helper()
	var got []byte
	found, err := s.ViewIndex(func(data []byte) error {
		got = bytes.Clone(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != (got != nil) {
		t.Fatalf("ViewIndex reported found=%v with data %q", found, got)
	}
	return got
}

func TestIndexFollowsIncidents(t *testing.T) {
	s := openTemp(t, Options{})
	if viewIndex(t, s) != nil {
		t.Fatal("a new file has an index")
	}
	mustPut(t, s, []incident.Incident{sample(1), sample(2)}, false)
	gen, err := s.Generation()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndex(gen, []byte("index one")); err != nil {
		t.Fatal(err)
	}
	if got := viewIndex(t, s); string(got) != "index one" {
		t.Fatalf("index = %q", got)
	}

	// Triage and unchanged re-imports leave the index current.
	in := sample(1)
	if err := setTriage(s, in.ID, triageOf("", true, nil, "")); err != nil {
		t.Fatal(err)
	}
	in.Triage = triageOf(incident.StatusReviewing, false, nil, "")
	mustPut(t, s, []incident.Incident{sample(1), in}, true)
	if got := viewIndex(t, s); string(got) != "index one" {
		t.Fatalf("after triage and an unchanged put: index = %q", got)
	}

	// A changed incident makes it stale, and an index built before the
	// change is refused.
	changed := sample(2)
	changed.Summary += " More was learnt later."
	mustPut(t, s, []incident.Incident{changed}, false)
	if got := viewIndex(t, s); got != nil {
		t.Fatalf("stale index served: %q", got)
	}
	if err := s.SaveIndex(gen, []byte("too old")); !errors.Is(err, ErrStale) {
		t.Fatalf("SaveIndex of an old generation: %v", err)
	}
	gen2, _ := s.Generation()
	if gen2 == gen {
		t.Fatal("generation did not move")
	}
	if err := s.SaveIndex(gen2, []byte("index two")); err != nil {
		t.Fatal(err)
	}
	if got := viewIndex(t, s); string(got) != "index two" {
		t.Fatalf("index = %q", got)
	}
}

func TestViewIndexRunsInsideTheTransaction(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(3)}, false)
	gen, _ := s.Generation()
	if err := s.SaveIndex(gen, []byte("x")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	found, err := s.ViewIndex(func([]byte) error {
		if _, err := s.Get(sample(3).ID); err != nil {
			t.Errorf("Get inside ViewIndex: %v", err)
		}
		return boom
	})
	if !found || !errors.Is(err, boom) {
		t.Errorf("ViewIndex = %v, %v; want fn's error", found, err)
	}
}

func TestSaveIndexReadOnly(t *testing.T) {
	path, _ := filled(t, 2)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	gen, _ := s.Generation()
	if err := s.SaveIndex(gen, []byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SaveIndex on a read-only store: %v", err)
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
	if viewIndex(t, s) != nil {
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
