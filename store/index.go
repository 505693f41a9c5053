package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ErrStale is returned by SaveIndex when incidents changed after the
// generation the index was built from.
var ErrStale = errors.New("store: incidents changed since the index was built")

var (
	keyIndexData       = []byte("data")
	keyIndexGeneration = []byte("generation")
)

// Generation returns a number that changes whenever a stored incident
// does (not when triage does): the incidents bucket's sequence, which Put
// advances in the same transaction as its writes.
func (s *Store) Generation() (uint64, error) {
	var g uint64
	err := s.view(func(tx *bolt.Tx) error {
		g = tx.Bucket(bucketIncidents).Sequence()
		return nil
	})
	return g, err
}

// SaveIndex keeps data, a search index built from the incidents of
// generation gen, beside them. If incidents changed since gen, nothing is
// written and the error wraps ErrStale. The store does not read the index;
// it only says, in ViewIndex, whether it is still current.
func (s *Store) SaveIndex(gen uint64, data []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		if now := tx.Bucket(bucketIncidents).Sequence(); now != gen {
			return fmt.Errorf("store: save index of %s: %w (generation %d, now %d)", s.path, ErrStale, gen, now)
		}
		b := tx.Bucket(bucketIndex)
		if err := b.Put(keyIndexData, seal(data)); err != nil {
			return fmt.Errorf("store: save index of %s: %w", s.path, err)
		}
		return b.Put(keyIndexGeneration, binary.BigEndian.AppendUint64(nil, gen))
	})
}

// ViewIndex calls fn with the stored index if it was built from the
// incidents as they are now, and reports whether it did. data points into
// the file's memory map: it is valid only until fn returns and must not be
// changed. fn runs in a read transaction, so it may call the Store's other
// reading methods.
func (s *Store) ViewIndex(fn func(data []byte) error) (bool, error) {
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		var data []byte
		err := guard(s.path, func() error {
			b := tx.Bucket(bucketIndex)
			gen := b.Get(keyIndexGeneration)
			if len(gen) == 8 && binary.BigEndian.Uint64(gen) == tx.Bucket(bucketIncidents).Sequence() {
				data = b.Get(keyIndexData)
			}
			if data == nil {
				return nil
			}
			var err error
			if data, err = unseal(data); err != nil {
				return fmt.Errorf("store: %s: index %w", s.path, err)
			}
			return nil
		})
		if err != nil || data == nil {
			return err
		}
		found = true
		return fn(data)
	})
	return found, err
}
