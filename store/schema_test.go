package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// withMigrations replaces the migration list for one test.
func withMigrations(t *testing.T, extra ...migration) {
	t.Helper()
	orig := migrations
	migrations = append(append([]migration(nil), orig...), extra...)
	t.Cleanup(func() { migrations = orig })
}

func schemaVersion(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	db.View(func(tx *bolt.Tx) error {
		v = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	})
	return v
}

// lowerTags is a migration to the version after the latest, used by the
// tests: it rewrites every triage value, as a real migration of a stored
// format would.
func lowerTags(calls *int) migration {
	return migration{latestVersion() + 1, "lower-case triage tags", func(tx *bolt.Tx, _ Options) error {
		*calls++
		b := tx.Bucket(bucketTriage)
		type kv struct{ k, v []byte }
		var out []kv
		err := b.ForEach(func(k, v []byte) error {
			var tr incident.Triage
			if err := decodeJSON(v, &tr); err != nil {
				return fmt.Errorf("triage %s: %w", k, err)
			}
			lower := map[string]incident.Mark[bool]{}
			for tag, m := range tr.Tags {
				lower[strings.ToLower(tag)] = m
			}
			tr.Tags = lower
			data, err := encodeJSON(tr)
			out = append(out, kv{bytes.Clone(k), data})
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range out { // never write while iterating
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	}}
}

func TestMigrationsCreateLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "raw.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error { return migrate(tx, 0, Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		if v, err := schemaOf(tx, path); err != nil || v != latestVersion() {
			t.Errorf("schema = %d, %v; want %d", v, err, latestVersion())
		}
		return nil
	})
}

func TestMigrateToNextVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := sample(1)
	mustPut(t, s, []incident.Incident{in, sample(2)}, false)
	if err := setTriage(s, in.ID, triageOf("", false, []string{"OPS", "Cloud"}, "")); err != nil {
		t.Fatal(err)
	}
	closeChecked(t, s)

	calls := 0
	next := latestVersion() + 1
	withMigrations(t, lowerTags(&calls))
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Triage.TagList(), []string{"cloud", "ops"}) {
		t.Errorf("tags = %q, want migrated", got.Triage.TagList())
	}
	closeChecked(t, s)
	if v := schemaVersion(t, path); v != next {
		t.Errorf("schema = %d, want %d", v, next)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	closeChecked(t, s)
	if calls != 1 {
		t.Errorf("migration ran %d times, want once", calls)
	}
}

func TestReadOnlyOpenMigrates(t *testing.T) {
	path, _ := filled(t, 2)
	calls := 0
	next := latestVersion() + 1
	withMigrations(t, lowerTags(&calls))
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if !s.ReadOnly() || calls != 1 || schemaVersion(t, path) != next {
		t.Errorf("read-only=%v calls=%d schema=%d", s.ReadOnly(), calls, schemaVersion(t, path))
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	path, _ := filled(t, 3)
	before, _ := os.ReadFile(path)
	latest := latestVersion()
	withMigrations(t, migration{latest + 1, "half-done", func(tx *bolt.Tx, _ Options) error {
		if err := tx.DeleteBucket(bucketIncidents); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}})
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("migrate to schema %d (half-done): disk on fire", latest+1)) ||
		!strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want the migration's error naming the file", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a failed migration left the file changed")
	}
	migrations = migrations[:len(migrations)-1]
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if n, err := s.Count(); n != 3 || err != nil {
		t.Errorf("Count = %d, %v; want the 3 incidents", n, err)
	}
	if v := schemaVersion(t, path); v != latest {
		t.Errorf("schema = %d, want %d", v, latest)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path, _ := filled(t, 1)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, encodeVersion(latestVersion()+1))
	})
	db.Close()
	before, _ := os.ReadFile(path)
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		_, err := Open(path, opts)
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), path) ||
			!strings.Contains(err.Error(), fmt.Sprintf("schema %d", latestVersion()+1)) {
			t.Errorf("Open(%+v) = %v, want ErrNewerSchema naming file and version", opts, err)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused newer file was modified")
	}
}
