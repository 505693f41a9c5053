package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
)

// Each page of a real database overwritten with junk in turn: every call
// either works or fails with an error; none crashes the process. (Check is
// left out: bbolt runs it in a goroutine of its own, out of guard's reach.)
func TestDamagedPagesDoNotCrash(t *testing.T) {
	src, hw := filled(t, 30)
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	r := rand.New(rand.NewPCG(3, 4))
	refused := 0
	for p := int64(2); p < hw/page; p++ {
		for _, fill := range []string{"junk", "zero"} {
			data := append([]byte(nil), orig...)
			for i := p * page; i < (p+1)*page; i++ {
				if fill == "junk" {
					data[i] = byte(r.UintN(256))
				} else {
					data[i] = 0
				}
			}
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				if !errors.Is(err, ErrNotDatabase) {
					t.Errorf("page %d %s: Open = %v, want ErrNotDatabase", p, fill, err)
				}
				refused++
				continue
			}
			_, errAll := s.All()
			_, errCount := s.Count()
			_, errGet := s.Get("0")
			if errAll != nil || errCount != nil {
				refused++
			}
			_ = errGet
			s.Close()
		}
	}
	if refused == 0 {
		t.Error("no damaged page was noticed")
	}
	t.Logf("%d of %d damaged files noticed", refused, 2*(hw/page-2))
}

// liveMeta returns the meta bbolt will use in the file at path.
func liveMeta(t *testing.T, path string) boltMeta {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m0, ok0 := readMeta(f, 0)
	m1, ok1 := readMeta(f, 4096)
	if !ok0 || (ok1 && m1.txid > m0.txid) {
		return m1
	}
	return m0
}

// Pages the header check looks at: a damaged freelist page once made a
// writable Open spin for hours freeing its "overflow" pages.
func TestDamagedHeaderPagesRefused(t *testing.T) {
	tests := []struct {
		name   string
		page   func(m boltMeta) uint64
		offset int // into the page header
		value  []byte
		reason string
	}{
		{"freelist overflow", func(m boltMeta) uint64 { return m.freelist }, 12, []byte{0xf0, 0xff, 0xff, 0xff}, "damaged freelist page"},
		{"freelist flags", func(m boltMeta) uint64 { return m.freelist }, 8, []byte{0x02, 0}, "damaged freelist page"},
		{"root id", func(m boltMeta) uint64 { return m.root }, 0, []byte{0x7f}, "damaged root page"},
		{"root flags", func(m boltMeta) uint64 { return m.root }, 8, []byte{0x10, 0}, "damaged root page"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := filled(t, 5)
			m := liveMeta(t, path)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			copy(data[int(tc.page(m))*4096+tc.offset:], tc.value)
			os.WriteFile(path, data, 0o600)
			for _, opts := range []Options{{}, {ReadOnly: true}} {
				_, err := Open(path, opts)
				if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("Open(%+v) = %v, want %q", opts, err, tc.reason)
				}
			}
		})
	}
}

// A panic inside bbolt.Open must not leave the file locked. The header
// check keeps truncated files from bbolt, so openBolt is called directly.
func TestPanicInOpenReleasesLock(t *testing.T) {
	path, hw := filled(t, 40)
	if err := os.Truncate(path, hw-4096); err != nil {
		t.Fatal(err)
	}
	for i, readOnly := range []bool{false, false, true} {
		db, err := openBolt(path, readOnly, time.Nanosecond, time.Nanosecond, nil)
		if err == nil {
			db.Close()
			continue
		}
		if errors.Is(err, ErrLocked) {
			t.Fatalf("open %d: %v: an earlier failed open kept the lock", i, err)
		}
		t.Logf("open %d (read-only %v): %v", i, readOnly, err)
	}
}

// flipIn flips one byte of the first occurrence of text in the file.
func flipIn(t *testing.T, path, text string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), text)
	if i < 0 {
		t.Fatalf("%q not in the file", text)
	}
	data[i+1] ^= 0x20
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A flipped byte in an incident's stored text is reported by the
// incident's id, never served as the incident.
func TestFlippedByteIsReportedNotServed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faultline.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := sample(1), sample(2)
	a.Summary = "Knight Capital lost 440 million dollars"
	mustPut(t, s, []incident.Incident{a, b}, false)
	s.Close()
	flipIn(t, path, "Knight Capital")

	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Get(a.ID)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), a.ID) {
		t.Errorf("Get of the damaged incident = %v, want ErrDamaged naming %s", err, a.ID)
	}
	if got, err := s.Get(b.ID); err != nil || got.Summary != b.Summary {
		t.Errorf("Get of a sound incident = %v", err)
	}
	all, err := s.All()
	var de *DamageError
	if !errors.As(err, &de) || len(de.Items) != 1 || !strings.Contains(de.Items[0], a.ID) || len(all) != 1 || all[0].ID != b.ID {
		t.Errorf("All = %d incidents, %v; want the sound one and the damaged one named", len(all), err)
	}
	probs, err := s.Verify(nil)
	if err != nil || len(probs) != 1 || !strings.Contains(probs[0].What, a.ID) {
		t.Errorf("Verify = %v, %v", probs, err)
	}
}

func TestDamagedIndexIsNotServed(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(1)}, false)
	gen, _ := s.IndexBase()
	id, err := s.PutSegment([]byte("a segment of sorts"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndex(gen, []byte("a manifest of sorts"), []uint64{id}); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	flipIn(t, path, "a manifest of sorts")
	flipIn(t, path, "a segment of sorts")
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.ViewIndex(func(r *IndexReader) error {
		if _, _, err := r.Manifest(); !errors.Is(err, ErrDamaged) {
			t.Errorf("Manifest = %v, want ErrDamaged", err)
		}
		if data, check, err := r.Segment(id, false); err != nil || check(0, len(data)) {
			t.Errorf("Segment = %v; a damaged block passed its check", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if probs, _ := s.Verify(nil); len(probs) != 2 || probs[1].What != "index" {
		t.Errorf("Verify = %v", probs)
	}
}

// A file with one damaged meta page is read, never written: bbolt would
// carry on from the other and overwrite the damage with a new state.
func TestDamagedMetaPageIsReadOnly(t *testing.T) {
	path, _ := filled(t, 3)
	for _, meta := range []int64{0, 1} {
		t.Run(fmt.Sprint("meta ", meta), func(t *testing.T) {
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			data := bytes.Clone(orig)
			data[meta*4096+pageHeaderSize+20] ^= 0xff // inside the checksummed part
			p := filepath.Join(t.TempDir(), "meta.db")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(p, Options{}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), p) {
				t.Errorf("writable Open = %v, want ErrDamaged naming the file", err)
			}
			s, err := Open(p, Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("read-only Open = %v", err)
			}
			if _, err := s.Count(); err != nil { // the state of the other meta page
				t.Errorf("Count = %v", err)
			}
			s.Close()
			if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
				t.Error("the damaged file was written")
			}
		})
	}
}
