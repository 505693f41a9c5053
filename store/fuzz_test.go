package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/incident"
)

// FuzzOpen hands Open arbitrary file contents: it must never crash, a
// read-only Open must not change the file but to migrate an older schema
// (after which it changes it no more), and a file it refuses must stay
// byte-identical whatever the mode.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.db")
	s, err := Open(path, Options{})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := put(s, []incident.Incident{sample(1), sample(2)}, false); err != nil {
		f.Fatal(err)
	}
	s.Close()
	ours, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ours)
	f.Add(ours[:8192])
	f.Add(ours[:len(ours)-4096])
	f.Add([]byte{})
	f.Add([]byte("Incident: not a database\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		same := func(what string) {
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(after, data) {
				t.Fatalf("%s changed the file", what)
			}
		}
		readOnly := func() error {
			s, err := Open(path, Options{ReadOnly: true, NoCreate: true})
			if err == nil {
				s.Count()
				s.All()
				s.Get("a")
				s.Close()
			}
			return err
		}
		err := readOnly()
		if after, _ := os.ReadFile(path); err == nil && !bytes.Equal(after, data) {
			data = after // migrated
			readOnly()
		}
		same("a read-only Open")
		refused := err != nil && !errors.Is(err, ErrNewerSchema)
		s, err = Open(path, Options{NoCreate: true})
		if err == nil {
			put(s, []incident.Incident{sample(3)}, false)
			s.All()
			s.Close()
		} else if refused {
			same("a refused writable Open")
		}
	})
}
