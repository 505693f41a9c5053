package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// filled creates a faultline database holding n sample incidents and
// returns its path and its bbolt high-water mark in bytes.
func filled(t *testing.T, n int) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "faultline.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]incident.Incident, n)
	for i := range recs {
		recs[i] = sample(i)
	}
	mustPut(t, s, recs, false)
	var hw int64
	s.view(func(tx *bolt.Tx) error { hw = tx.Size(); return nil })
	closeChecked(t, s)
	return path, hw
}

// foreignBolt writes a bbolt file of another program: its own bucket, no
// faultline marker, and no synced freelist, which a read-write bbolt.Open
// would write back at once.
func foreignBolt(t *testing.T, withMeta bool) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("settings"))
		if err != nil {
			return err
		}
		if withMeta {
			if b, err = tx.CreateBucket(bucketMeta); err != nil {
				return err
			}
		}
		return b.Put([]byte("created_by"), []byte("someone else"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func emptyBolt(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, _ := os.ReadFile(path)
	return data
}

func TestForeignFilesRefusedAndUntouched(t *testing.T) {
	db, hw := filled(t, 40)
	ours, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	badMetas := bytes.Clone(ours)
	badMetas[16+60] ^= 0xff      // checksum of meta 0
	badMetas[4096+16+60] ^= 0xff // checksum of meta 1

	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty file", []byte{}, "empty file"},
		{"text file", []byte("# notes\nnot a database at all\n"), "not a bbolt file"},
		{"random bytes", random, "not a bbolt file"},
		{"foreign bbolt file", foreignBolt(t, false), "without the faultline marker"},
		{"foreign bbolt file with a meta bucket", foreignBolt(t, true), "without the faultline marker"},
		{"bbolt file without buckets", emptyBolt(t), "without the faultline marker"},
		{"truncated to 100 bytes", ours[:100], "truncated"},
		{"truncated to one page", ours[:4096], "truncated"},
		{"truncated to the meta pages", ours[:8192], "truncated"},
		{"truncated by one page", ours[:hw-4096], "truncated"},
		{"both meta pages damaged", badMetas, "not a bbolt file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "victim.db")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, opts := range []Options{{}, {ReadOnly: true}, {NoCreate: true}} {
				s, err := Open(path, opts)
				if err == nil {
					s.Close()
					t.Fatalf("Open(%+v) accepted it", opts)
				}
				if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), path) ||
					!strings.Contains(err.Error(), tc.reason) {
					t.Errorf("Open(%+v) = %v, want ErrNotDatabase naming the path and %q", opts, err, tc.reason)
				}
				after, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(after, tc.data) {
					t.Fatalf("Open(%+v) modified the file", opts)
				}
			}
		})
	}
}

func TestDirectoryRefused(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open(dir) = %v", err)
	}
}

// A tail cut off beyond bbolt's high-water mark loses nothing: the file
// must still open with all its incidents.
func TestUnusedTailIsNotDamage(t *testing.T) {
	path, hw := filled(t, 40)
	if err := os.Truncate(path, hw); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if n, err := s.Count(); n != 40 || err != nil {
		t.Errorf("Count = %d, %v; want 40", n, err)
	}
}

func TestLocking(t *testing.T) {
	path, _ := filled(t, 1)
	short := Options{Timeout: 150 * time.Millisecond}
	shortRO := Options{Timeout: 150 * time.Millisecond, ReadOnly: true}

	t.Run("readers coexist", func(t *testing.T) {
		var readers []*Store
		for range 3 {
			s, err := Open(path, shortRO)
			if err != nil {
				t.Fatal(err)
			}
			readers = append(readers, s)
		}
		for _, s := range readers {
			if n, err := s.Count(); n != 1 || err != nil {
				t.Errorf("Count = %d, %v", n, err)
			}
			closeChecked(t, s)
		}
	})

	// flock belongs to the open file description, so a second Open in the
	// same process conflicts exactly as another process would.
	conflicts := []struct {
		name         string
		first, again Options
	}{
		{"writer blocks writer", Options{}, short},
		{"writer blocks reader", Options{}, shortRO},
		{"reader blocks writer", Options{ReadOnly: true}, short},
		{"single attempt", Options{}, Options{Timeout: -1}},
	}
	for _, tc := range conflicts {
		t.Run(tc.name, func(t *testing.T) {
			first, err := Open(path, tc.first)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			s, err := Open(path, tc.again)
			waited := time.Since(start)
			if err == nil {
				s.Close()
				first.Close()
				t.Fatal("second Open succeeded while the first holds the lock")
			}
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) ||
				!strings.Contains(err.Error(), "another faultline process") {
				t.Errorf("err = %v, want ErrLocked naming the file", err)
			}
			if waited > 10*time.Second {
				t.Errorf("waited %s", waited) // a hang, not a timing target
			}
			closeChecked(t, first)
			s, err = Open(path, tc.again)
			if err != nil {
				t.Fatalf("Open after the holder closed: %v", err)
			}
			closeChecked(t, s)
		})
	}
}

func TestCloseTwice(t *testing.T) {
	s := openTemp(t, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// Several writers finding no file at once: each builds one, one wins the
// link, and every writer ends up in the same database.
func TestConcurrentCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "faultline.db")
	const n = 4
	errs := make(chan error, n)
	for i := range n {
		go func() {
			s, err := Open(path, Options{Timeout: 20 * time.Second})
			if err != nil {
				errs <- err
				return
			}
			_, err = put(s, []incident.Incident{sample(i)}, false)
			if cerr := s.Close(); err == nil {
				err = cerr
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if c, _ := s.Count(); c != n {
		t.Errorf("Count = %d, want %d: a writer's file was replaced", c, n)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d entries beside the database, want none", len(entries)-1)
	}
}

// A process that has to wait for another's lock is told, once, so that it
// can say what it waits for; it gets the file when the other lets go.
func TestOpenSaysItWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(2 * waitNotice)
		w.Close()
	}()
	calls := 0
	r, err := Open(path, Options{ReadOnly: true, Timeout: 5 * time.Second, Waiting: func() { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if calls != 1 {
		t.Errorf("Waiting called %d times, want once", calls)
	}
	calls = 0
	r, err = Open(path, Options{ReadOnly: true, Waiting: func() { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if calls != 0 {
		t.Errorf("Waiting called %d times on a free file", calls)
	}
}
