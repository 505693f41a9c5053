package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The grouping of incidents into events is kept beside the index, under
// keys of its own in the index bucket, and like it is served only while
// it describes the incidents as they are: see SaveIndex.
var (
	keyEventsData       = []byte("events")
	keyEventsGeneration = []byte("events generation")
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
		if err := b.Put(keyEventsData, seal(data)); err != nil {
			return fmt.Errorf("store: save events of %s: %w", s.path, err)
		}
		return b.Put(keyEventsGeneration, binary.BigEndian.AppendUint64(nil, gen))
	})
}

// Events returns the stored grouping and the generation it was made of,
// or nil when there is none. It may be of an older generation than the
// incidents: the caller brings it up to date.
func (s *Store) Events() (data []byte, gen uint64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		raw, g := b.Get(keyEventsData), b.Get(keyEventsGeneration)
		if raw == nil || len(g) != 8 {
			return nil
		}
		body, err := unseal(raw)
		if err != nil {
			return fmt.Errorf("store: %s: events %w", s.path, err)
		}
		data, gen = append([]byte(nil), body...), binary.BigEndian.Uint64(g)
		return nil
	})
	return data, gen, err
}
