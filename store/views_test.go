package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

func TestViewsRoundTrip(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "v.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, v := range []View{
		{Name: "ransomware", Query: "ransomware -atlanta", Sort: "date", Reverse: true, Saved: at},
		{Name: "new finance", Query: "triage:new domain:finance", Facets: true, Saved: at},
		{Name: "ransomware", Query: "ransomware", Saved: at}, // replaces the first
	} {
		if err := s.PutView(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutView(View{Name: "  ", Query: "x"}); err == nil {
		t.Error("a blank name was saved")
	}
	got, err := s.Views()
	if err != nil {
		t.Fatal(err)
	}
	want := []View{
		{Name: "new finance", Query: "triage:new domain:finance", Facets: true, Saved: at},
		{Name: "ransomware", Query: "ransomware", Saved: at},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Views = %+v, want %+v", got, want)
	}
	if err := s.DeleteView("ransomware"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Views(); len(got) != 1 || got[0].Name != "new finance" {
		t.Errorf("after delete: %+v", got)
	}
	closeChecked(t, s)
}

func TestQueryHistory(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "q.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	at := time.Now()
	for _, q := range []string{"outage", "  ", "domain:finance", "outage"} {
		if err := s.AddQuery(q, at); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Queries()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"outage", "domain:finance"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Queries = %q, want %q (most recent first, no repeats, no blanks)", got, want)
	}
	for i := range MaxQueries + 5 {
		if err := s.AddQuery(fmt.Sprint("q", i), at); err != nil {
			t.Fatal(err)
		}
	}
	got, _ = s.Queries()
	if len(got) != MaxQueries || got[0] != fmt.Sprint("q", MaxQueries+4) || got[len(got)-1] != "q5" {
		t.Errorf("history of %d, from %q to %q; want the last %d", len(got), got[0], got[len(got)-1], MaxQueries)
	}
}

// TestMigrateSchema3 opens a file as schema 3 left it (no views, no query
// history) and checks that the migrations after it (schema 4 adds both)
// bring it to the latest, keeping every incident and triage entry.
func TestMigrateSchema3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := sample(1)
	mustPut(t, s, []incident.Incident{in, sample(2)}, false)
	if err := setTriage(s, in.ID, triageOf("relevant", true, []string{"ops"}, "keep")); err != nil {
		t.Fatal(err)
	}
	closeChecked(t, s)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketViews, bucketQueries} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, encodeVersion(3))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(in.ID)
	if err != nil || got.Triage.State() != "relevant" || !got.Triage.Starred() || got.Triage.NoteBy("tester") != "keep" {
		t.Errorf("after migration: %+v, %v", got.Triage, err)
	}
	if n, _ := s.Count(); n != 2 {
		t.Errorf("%d incidents, want 2", n)
	}
	if err := s.PutView(View{Name: "mine", Query: "is:starred"}); err != nil {
		t.Errorf("views bucket not created: %v", err)
	}
	if err := s.AddQuery("outage", time.Now()); err != nil {
		t.Errorf("queries bucket not created: %v", err)
	}
	closeChecked(t, s)
	if v := schemaVersion(t, path); v != latestVersion() {
		t.Errorf("schema %d, want %d", v, latestVersion())
	}
}

func TestDamagedViewIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.PutView(View{Name: "good", Query: "a"})
	s.PutView(View{Name: "bad", Query: "b"})
	s.db.Update(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketViews).Get([]byte("bad"))
		broken := append([]byte(nil), v...)
		broken[2] ^= 0xff
		return tx.Bucket(bucketViews).Put([]byte("bad"), broken)
	})
	views, err := s.Views()
	var de *DamageError
	if !errors.As(err, &de) || len(views) != 1 || views[0].Name != "good" {
		t.Errorf("Views = %+v, %v; want the good one and the bad one named", views, err)
	}
	closeChecked(t, s)
}
