package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Delete removes the incidents with these ids (exactly, or the ids they
// were re-keyed to) and returns how many it removed; unknown ids are
// skipped. Their triage, source keys and history are kept aside, so that
// importing an incident again brings its triage back.
func (s *Store) Delete(ids []string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		n = 0
		for _, q := range ids {
			id := b.resolve(q)
			if id == "" {
				continue
			}
			in, _, err := b.read(id)
			if err != nil {
				return err
			}
			for _, del := range []struct {
				b   *bolt.Bucket
				key []byte
			}{{b.incs, []byte(id)}, {b.sources, []byte(id)}, {b.titles, titleEntry(&in)}} {
				if err := del.b.Delete(del.key); err != nil {
					return fmt.Errorf("store: delete %s: %w", id, err)
				}
			}
			if err := markChanged(tx, id); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return b.incs.SetSequence(b.incs.Sequence() + 1)
	})
	return n, err
}
