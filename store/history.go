package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// A version is an incident's text as it was before an import replaced some
// of it: the data as a source gave it is never lost.
type Version struct {
	Replaced incident.Source   `json:"replaced_by"` // the import that replaced it
	Incident incident.Incident `json:"incident"`    // without triage and sources
}

// historyKey is the incident id, then a big-endian sequence number, so
// that one incident's versions sort oldest first under its id.
func historyKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(id), seq)
}

// keepHistory stores prev as a version replaced by src.
func (p *putter) keepHistory(prev incident.Incident, src incident.Source) error {
	seq, err := p.b.history.NextSequence()
	if err != nil {
		return fmt.Errorf("store: history of %s: %w", prev.ID, err)
	}
	prev.Triage, prev.Sources = incident.Triage{}, nil
	data, err := encodeJSON(Version{Replaced: src, Incident: prev})
	if err != nil {
		return fmt.Errorf("store: history of %s: %w", prev.ID, err)
	}
	return p.b.history.Put(historyKey(prev.ID, seq), data)
}

// moveHistory moves the versions of from to to.
func moveHistory(b *bolt.Bucket, from, to string) error {
	type kv struct{ k, v []byte }
	var moved []kv
	prefix := []byte(from)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		moved = append(moved, kv{bytes.Clone(k), bytes.Clone(v)})
	}
	for _, e := range moved { // never write while iterating
		if err := b.Delete(e.k); err != nil {
			return err
		}
		if err := b.Put(append([]byte(to), e.k[len(prefix):]...), e.v); err != nil {
			return err
		}
	}
	return nil
}

// History returns the earlier versions of the incident id, oldest first.
func (s *Store) History(id string) ([]Version, error) {
	var out []Version
	err := s.view(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		if found := b.resolve(id); found != "" {
			id = found
		}
		prefix := []byte(id)
		c := b.history.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				continue
			}
			var ver Version
			if err := decodeJSON(v, &ver); err != nil {
				return fmt.Errorf("store: history of %s: %w", id, err)
			}
			ver.Incident.Normalize()
			out = append(out, ver)
		}
		return nil
	})
	return out, err
}
