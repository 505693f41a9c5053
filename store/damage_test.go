package store

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
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
