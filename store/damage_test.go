package store

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		db, err := openBolt(path, readOnly, time.Nanosecond, time.Nanosecond)
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
