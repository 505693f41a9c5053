package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// readTriage returns the triage stored under id, zero when none is.
func readTriage(b *bolt.Bucket, id string) (incident.Triage, error) {
	var t incident.Triage
	data := b.Get([]byte(id))
	if data == nil {
		return t, nil
	}
	if err := decodeJSON(data, &t); err != nil {
		return t, fmt.Errorf("store: triage %s: %w", id, err)
	}
	return t, nil
}

// writeTriage stores t under id, or deletes the key for a zero triage.
// The search index counts an incident by its corrected taxonomy, so a
// change of the corrections is a change of the incident for the index.
func writeTriage(b *bolt.Bucket, id string, t incident.Triage) error {
	if old, err := readTriage(b, id); err != nil || !old.SameCorrections(&t) {
		if err := markChanged(b.Tx(), id); err != nil {
			return err
		}
	}
	if t.IsZero() {
		return b.Delete([]byte(id))
	}
	data, err := encodeJSON(t)
	if err != nil {
		return fmt.Errorf("store: triage %s: %w", id, err)
	}
	return b.Put([]byte(id), data)
}

// MergeTriage merges t into the stored triage of the incident id (or the
// id it was re-keyed to, or a source key) and returns the result with what the merge did.
// A reviewer's change is a triage whose changed fields carry a new stamp,
// so a change made in another process meanwhile is kept, not overwritten.
func (s *Store) MergeTriage(id string, t incident.Triage) (incident.Triage, incident.MergeReport, error) {
	var out incident.Triage
	var rep incident.MergeReport
	err := s.update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		found := b.exact(id)
		if found == "" {
			return fmt.Errorf("store: triage %q: %w", id, ErrNotFound)
		}
		stored, err := readTriage(b.triage, found)
		if err != nil {
			return err
		}
		out, rep = stored.Merge(t)
		if rep.Changed == 0 {
			return nil
		}
		return writeTriage(b.triage, found, out)
	})
	return out, rep, err
}

// Triage returns the triage of the incident with exactly this id (or the
// id it was re-keyed to); the zero triage when none was recorded.
func (s *Store) Triage(id string) (incident.Triage, error) {
	var t incident.Triage
	err := s.view(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		found := b.exact(id)
		if found == "" {
			return fmt.Errorf("store: triage %q: %w", id, ErrNotFound)
		}
		var err error
		t, err = readTriage(b.triage, found)
		return err
	})
	return t, err
}

// AllTriage returns the recorded triage of every stored incident, by id.
// The triage of deleted incidents, kept aside for their return, is not in
// it.
func (s *Store) AllTriage() (map[string]incident.Triage, error) {
	var out map[string]incident.Triage
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = allTriage(bucketsOf(tx))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// allTriage reads the triage of every stored incident that has one.
func allTriage(b buckets) (map[string]incident.Triage, error) {
	out := map[string]incident.Triage{}
	err := b.triage.ForEach(func(k, v []byte) error {
		if b.incs.Get(k) == nil {
			return nil
		}
		var t incident.Triage
		if err := decodeJSON(v, &t); err != nil {
			return fmt.Errorf("store: read triage %s: %w", k, err)
		}
		out[string(k)] = t
		return nil
	})
	return out, err
}
