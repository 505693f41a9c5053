package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// DamageError lists stored values that failed their checksum or could not
// be read; a read that meets one serves the rest and returns it, so that
// nothing damaged passes for data and nothing sound is withheld.
type DamageError struct {
	Path  string
	Items []string // "incident 1a2b3c4d5e6f: checksum mismatch", …
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("store: %s: %d damaged: %s", e.Path, len(e.Items), strings.Join(e.Items, "; "))
}

// Unwrap lets errors.Is(err, ErrDamaged) hold.
func (e *DamageError) Unwrap() error { return ErrDamaged }

// Problem is one thing Verify found wrong.
type Problem struct {
	What   string // "incident 1a2b…", "triage 1a2b…", "bbolt", "index", …
	Reason string
}

func (p Problem) String() string { return p.What + ": " + p.Reason }

// Verify checks the whole file and returns what is wrong: bbolt's own
// consistency check; every incident, triage, sources, article and history
// value against its checksum and its form; the source keys, aliases and
// title entries against the incidents they name; the stored index's
// checksum, then its form through checkIndex when that is not nil; and
// the chunks of the stored grouping into events.
func (s *Store) Verify(checkIndex func(manifest []byte, segment func(id uint64, owned bool) ([]byte, func(off, n int) bool, error)) error) ([]Problem, error) {
	var out []Problem
	err := s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			out = append(out, Problem{"bbolt", err.Error()})
		}
		b := bucketsOf(tx)
		out = append(out, verifyValues(b)...)
		out = append(out, verifyRefs(b)...)
		out = append(out, s.verifyIndex(tx, checkIndex)...)
		out = append(out, verifyEvents(tx)...)
		return nil
	})
	return out, err
}

func verifyValues(b buckets) []Problem {
	var out []Problem
	each := func(bk *bolt.Bucket, what string, v func() any, name func(k []byte) string) {
		bk.ForEach(func(k, data []byte) error {
			if err := decodeJSON(data, v()); err != nil {
				out = append(out, Problem{what + " " + name(k), err.Error()})
			}
			return nil
		})
	}
	id := func(k []byte) string { return fmt.Sprintf("%q", k) }
	each(b.incs, "incident", func() any { return new(incident.Incident) }, id)
	each(b.triage, "triage", func() any { return new(incident.Triage) }, id)
	each(b.sources, "sources", func() any { return new([]incident.Source) }, id)
	each(b.history, "history", func() any { return new(Version) }, func(k []byte) string {
		return fmt.Sprintf("%q", k[:max(0, len(k)-8)])
	})
	each(b.incs.Tx().Bucket(bucketArticles), "article", func() any { return new(incident.Article) }, func(k []byte) string {
		if len(k) != 8 {
			return fmt.Sprintf("%x", k)
		}
		return fmt.Sprint(int64(binary.BigEndian.Uint64(k)))
	})
	return out
}

// verifyRefs checks the lookup buckets. A source key may name an
// incident that was deleted (its triage waits for it); an alias may not
// lead nowhere, and every incident has its title entry.
func verifyRefs(b buckets) []Problem {
	var out []Problem
	b.aliases.ForEach(func(k, v []byte) error {
		if b.resolve(string(v)) == "" {
			out = append(out, Problem{fmt.Sprintf("alias %q", k), fmt.Sprintf("names %q, which is not stored", v)})
		}
		return nil
	})
	b.titles.ForEach(func(k, _ []byte) error {
		if len(k) <= titleKeyLen || b.incs.Get(k[titleKeyLen:]) == nil {
			out = append(out, Problem{fmt.Sprintf("title entry %q", k), "names no stored incident"})
		}
		return nil
	})
	b.incs.ForEach(func(k, v []byte) error {
		var in incident.Incident
		if decodeJSON(v, &in) != nil {
			return nil // reported with the values
		}
		in.ID = string(k)
		if b.titles.Get(titleEntry(&in)) == nil {
			out = append(out, Problem{fmt.Sprintf("incident %q", k), "has no title entry"})
		}
		if key := in.SourceKey(); key != "" && !bytes.Equal(b.keys.Get([]byte(key)), k) {
			if other := b.keys.Get([]byte(key)); other == nil || b.incs.Get(other) == nil {
				out = append(out, Problem{fmt.Sprintf("incident %q", k), "its source key " + key + " does not name it"})
			}
		}
		return nil
	})
	return out
}

func (s *Store) verifyIndex(tx *bolt.Tx, checkIndex func(manifest []byte, segment func(id uint64, owned bool) ([]byte, func(off, n int) bool, error)) error) []Problem {
	b := tx.Bucket(bucketIndex)
	var out []Problem
	c := b.Cursor()
	for k, _ := c.Seek(segPrefix); k != nil && bytes.HasPrefix(k, segPrefix); k, _ = c.Next() {
		var v []byte
		if sb := b.Bucket(k); sb != nil {
			v = sb.Get(keySegment)
		}
		_, c, err := unsealBlocks(v)
		if err == nil && !c.checkAll() {
			err = fmt.Errorf("%w: checksum mismatch", ErrDamaged)
		}
		if err != nil {
			out = append(out, Problem{fmt.Sprintf("index segment %x", k[len(segPrefix):]), err.Error()})
		}
	}
	data := b.Get(keyIndexManifest)
	if data == nil {
		return out
	}
	body, err := unseal(data)
	if err != nil {
		return append(out, Problem{"index", err.Error()})
	}
	if checkIndex != nil && len(out) == 0 {
		r := &IndexReader{tx: tx, b: bucketsOf(tx), ix: b, s: s}
		if err := checkIndex(body, r.Segment); err != nil {
			return []Problem{{"index", err.Error()}}
		}
	}
	return out
}

func verifyEvents(tx *bolt.Tx) []Problem {
	b := tx.Bucket(bucketIndex)
	raw := b.Get(keyEventsData)
	if raw == nil {
		return nil
	}
	list, err := unseal(raw)
	if err == nil {
		_, err = readChunks(b.Bucket(keyEventsChunks), list)
	}
	if err != nil {
		return []Problem{{"events", err.Error()}}
	}
	return nil
}
