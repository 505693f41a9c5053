package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// grouping is stand-in data of a grouping: n bytes that do not repeat.
func grouping(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func chunkCount(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	s.view(func(tx *bolt.Tx) error {
		if cb := tx.Bucket(bucketIndex).Bucket(keyEventsChunks); cb != nil {
			n = cb.Stats().KeyN
		}
		return nil
	})
	return n
}

func TestEventsRoundTripAndWriteOnlyWhatChanged(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(1)}, false)
	gen, _ := s.Generation()
	if data, _, err := storedEvents(s); data != nil || err != nil {
		t.Fatalf("Events of a new file = %d bytes, %v", len(data), err)
	}
	old := grouping(1, 3<<20)
	if err := s.SaveEvents(gen, old); err != nil {
		t.Fatal(err)
	}
	data, at, err := storedEvents(s)
	if err != nil || at != gen || !bytes.Equal(data, old) {
		t.Fatalf("Events = %d bytes of generation %d, %v; want the %d saved of %d", len(data), at, err, len(old), gen)
	}
	before := chunkCount(t, s)
	if before < 3<<20/chunkMax {
		t.Fatalf("%d chunks for 3 MiB", before)
	}
	// A change in the middle and more at the end, as an import makes.
	changed := bytes.Clone(old[:1<<20])
	changed = append(changed, "a changed profile"...)
	changed = append(changed, old[1<<20+100:]...)
	changed = append(changed, grouping(2, 50<<10)...)
	if err := s.SaveEvents(gen, changed); err != nil {
		t.Fatal(err)
	}
	if data, _, _ := storedEvents(s); !bytes.Equal(data, changed) {
		t.Fatal("the changed grouping did not read back")
	}
	after := chunkCount(t, s)
	fresh := 0
	kept := map[[chunkKeySize]byte]bool{}
	for _, c := range cutChunks(old) {
		kept[chunkKey(c)] = true
	}
	for _, c := range cutChunks(changed) {
		if !kept[chunkKey(c)] {
			fresh++
		}
	}
	if fresh > 5 || after > len(cutChunks(changed)) {
		t.Errorf("a small change cut %d new chunks; %d stored for %d", fresh, after, len(cutChunks(changed)))
	}
	if err := s.SaveEvents(gen+1, old); !errors.Is(err, ErrStale) {
		t.Errorf("SaveEvents of a newer generation = %v, want ErrStale", err)
	}
}

// A file of the earlier version keeps the grouping whole under one key: it
// reads as it is, and the next save replaces it.
func TestEventsOfEarlierVersionRead(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(1)}, false)
	gen, _ := s.Generation()
	whole := append([]byte("faultline-events\x02"), grouping(3, 1000)...)
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		if err := b.Put(keyEventsData, seal(bytes.Clone(whole))); err != nil {
			return err
		}
		return b.Put(keyEventsGeneration, []byte{0, 0, 0, 0, 0, 0, 0, byte(gen)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if data, at, err := storedEvents(s); err != nil || at != gen || !bytes.Equal(data, whole) {
		t.Fatalf("Events = %d bytes of %d, %v", len(data), at, err)
	}
	if err := s.SaveEvents(gen, whole[:500]); err != nil {
		t.Fatal(err)
	}
	if data, _, _ := storedEvents(s); !bytes.Equal(data, whole[:500]) {
		t.Error("the grouping saved over the earlier form did not read back")
	}
	if probs, err := s.Verify(nil); err != nil || len(probs) != 0 {
		t.Errorf("Verify = %v, %v", probs, err)
	}
}

func TestDamagedEventChunkIsReported(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(1)}, false)
	gen, _ := s.Generation()
	data := append(grouping(4, 100<<10), "a grouping of sorts"...)
	if err := s.SaveEvents(gen, data); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	flipIn(t, path, "a grouping of sorts")
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _, err := storedEvents(s); !errors.Is(err, ErrDamaged) || got != nil {
		t.Errorf("Events = %d bytes, %v; want ErrDamaged", len(got), err)
	}
	if probs, _ := s.Verify(nil); len(probs) != 1 || probs[0].What != "events" {
		t.Errorf("Verify = %v", probs)
	}
}

func TestCutChunksCoversAndBounds(t *testing.T) {
	for _, n := range []int{0, 1, chunkMin, chunkMax + 1, 2 << 20} {
		data := grouping(uint64(n), n)
		var joined []byte
		for i, c := range cutChunks(data) {
			if len(c) > chunkMax || (len(c) < chunkMin && i < len(cutChunks(data))-1) {
				t.Errorf("n=%d: chunk %d of %d bytes", n, i, len(c))
			}
			joined = append(joined, c...)
		}
		if !bytes.Equal(joined, data) {
			t.Errorf("n=%d: chunks do not make the data", n)
		}
	}
}

// storedEvents is the stored grouping joined, with its generation, or nil
// when there is none.
func storedEvents(s *Store) (data []byte, gen uint64, err error) {
	err = s.ReadEvents(func(pieces [][]byte, g uint64) error {
		data, gen = bytes.Join(pieces, nil), g
		return nil
	})
	return data, gen, err
}
