package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The grouping of incidents into events is kept beside the index, under
// keys of its own in the index bucket, and like it is served only while
// it describes the incidents as they are: see SaveIndex.
//
// A grouping of many incidents is tens of megabytes, and an import
// changes little of it. It is kept as chunks cut where its content says
// (so that a change moves no boundary but its own), each stored under its
// hash, with a list of the hashes under keyEventsData: saving writes only
// the chunks that are new, and the file does not grow by a whole grouping
// at every import. A file of an older version holds the grouping itself
// under keyEventsData; it is read as it is and replaced at the next save.
var (
	keyEventsData       = []byte("events")
	keyEventsGeneration = []byte("events generation")
	keyEventsChunks     = []byte("events chunks")
	eventsListMagic     = []byte("faultline-event-chunks\x01")
)

// SaveEvents keeps data, a grouping of the incidents of generation gen.
// If incidents changed since gen, nothing is written and the error wraps
// ErrStale.
func (s *Store) SaveEvents(gen uint64, data []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		if now := tx.Bucket(bucketIncidents).Sequence(); now != gen {
			return fmt.Errorf("store: save events of %s: %w (generation %d, now %d)", s.path, ErrStale, gen, now)
		}
		b := tx.Bucket(bucketIndex)
		list, err := putChunks(b, data)
		if err == nil {
			err = b.Put(keyEventsData, seal(list))
		}
		if err == nil {
			err = b.Put(keyEventsGeneration, binary.BigEndian.AppendUint64(nil, gen))
		}
		if err != nil {
			return fmt.Errorf("store: save events of %s: %w", s.path, err)
		}
		return nil
	})
}

// putChunks stores the chunks of data that are not stored yet, deletes
// those data no longer holds, and returns the list of data's chunks.
func putChunks(b *bolt.Bucket, data []byte) ([]byte, error) {
	cb, err := b.CreateBucketIfNotExists(keyEventsChunks)
	if err != nil {
		return nil, err
	}
	list := append([]byte(nil), eventsListMagic...)
	keep := map[[chunkKeySize]byte]bool{}
	for _, c := range cutChunks(data) {
		k := chunkKey(c)
		list = append(list, k[:]...)
		if keep[k] {
			continue
		}
		keep[k] = true
		if cb.Get(k[:]) == nil {
			if err := cb.Put(k[:], c); err != nil {
				return nil, err
			}
		}
	}
	var gone [][]byte
	err = cb.ForEach(func(k, _ []byte) error {
		if len(k) != chunkKeySize || !keep[[chunkKeySize]byte(k)] {
			gone = append(gone, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range gone {
		if err == nil {
			err = cb.Delete(k)
		}
	}
	return list, err
}

// ReadEvents calls fn with the stored grouping, as the pieces it is kept
// in (in order; read in place, valid only during fn), and the generation
// it was made of; fn is not called when there is none. It may be of an
// older generation than the incidents: the caller brings it up to date. Reading the
// pieces spares a copy of the whole grouping (65 MB at 100,000
// incidents); the file's pages fn read are let go of after it.
func (s *Store) ReadEvents(fn func(pieces [][]byte, gen uint64) error) error {
	defer releaseMapped(s.path)
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		raw, g := b.Get(keyEventsData), b.Get(keyEventsGeneration)
		if raw == nil || len(g) != 8 {
			return nil
		}
		body, err := unseal(raw)
		var pieces [][]byte
		if err == nil {
			pieces, err = readChunks(b.Bucket(keyEventsChunks), body)
		}
		if err != nil {
			return fmt.Errorf("store: %s: events %w", s.path, err)
		}
		return fn(pieces, binary.BigEndian.Uint64(g))
	})
}

// readChunks returns the chunks of the grouping that list names, each
// checked against its hash; a list of an older version is the grouping.
func readChunks(cb *bolt.Bucket, list []byte) ([][]byte, error) {
	keys, ok := bytes.CutPrefix(list, eventsListMagic)
	if !ok {
		return [][]byte{list}, nil
	}
	if len(keys)%chunkKeySize != 0 {
		return nil, fmt.Errorf("%w: chunk list of %d bytes", ErrDamaged, len(keys))
	}
	chunks := make([][]byte, 0, len(keys)/chunkKeySize)
	for i := 0; i < len(keys); i += chunkKeySize {
		k := keys[i : i+chunkKeySize]
		var c []byte
		if cb != nil {
			c = cb.Get(k)
		}
		if c == nil || chunkKey(c) != [chunkKeySize]byte(k) {
			return nil, fmt.Errorf("%w: chunk %x missing or changed", ErrDamaged, k)
		}
		chunks = append(chunks, c)
	}
	return chunks, nil
}

const chunkKeySize = 16

// chunkKey names a chunk by its content.
func chunkKey(c []byte) [chunkKeySize]byte {
	sum := sha256.Sum256(c)
	return [chunkKeySize]byte(sum[:chunkKeySize])
}

// Chunks are cut by a gear hash of the bytes before: where its low bits
// are zero, about every 64 KiB, between 16 and 256 KiB.
const (
	chunkMin  = 16 << 10
	chunkMax  = 256 << 10
	chunkMask = 1<<16 - 1
)

var gear = func() (t [256]uint64) {
	x := uint64(0x9e3779b97f4a7c15) // splitmix64 from a fixed seed: the cuts must never change
	for i := range t {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		t[i] = z ^ z>>31
	}
	return t
}()

// cutChunks cuts data where its content says.
func cutChunks(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		n := min(len(data), chunkMax)
		var h uint64
		for i := chunkMin; i < n; i++ {
			h = h<<1 + gear[data[i]]
			if h&chunkMask == 0 {
				n = i + 1
				break
			}
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return out
}
