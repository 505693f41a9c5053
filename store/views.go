package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What the explorer keeps for its user beside the incidents: views saved
// by name, and the queries typed lately, for recall with ↑. Both are the
// user's own work, never touched by an import.

// View is a saved query with the order of its results.
type View struct {
	Name    string    `json:"name"`
	Query   string    `json:"query"`
	Sort    string    `json:"sort,omitempty"` // as search.Sort names it; empty: relevance
	Reverse bool      `json:"reverse,omitempty"`
	Facets  bool      `json:"facets,omitempty"` // the facets panel was open
	Saved   time.Time `json:"saved"`
}

// MaxQueries is how many queries the history keeps; older ones go.
const MaxQueries = 200

// maxViewName and maxQuery bound what is stored: a name is a line, a
// query as long as the query line takes.
const (
	maxViewName = 200
	maxQuery    = 4096
)

// createReviewBuckets is schema 4: the buckets of saved views and of the
// query history. Nothing else changes.
func createReviewBuckets(tx *bolt.Tx, _ Options) error {
	for _, name := range [][]byte{bucketViews, bucketQueries} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	return nil
}

// PutView saves v under its name, replacing a view of that name.
func (s *Store) PutView(v View) error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || len(v.Name) > maxViewName || len(v.Query) > maxQuery {
		return fmt.Errorf("store: view %.40q: a name of 1 to %d bytes and a query of at most %d", v.Name, maxViewName, maxQuery)
	}
	data, err := encodeJSON(v)
	if err != nil {
		return fmt.Errorf("store: view %q: %w", v.Name, err)
	}
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketViews).Put([]byte(v.Name), data)
	})
}

// DeleteView removes the view called name; a name with no view is no
// error.
func (s *Store) DeleteView(name string) error {
	return s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketViews).Delete([]byte(name))
	})
}

// Views returns the saved views by name. A damaged view is left out and
// named in a *DamageError returned with the others.
func (s *Store) Views() ([]View, error) {
	var out []View
	var damaged []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketViews).ForEach(func(k, v []byte) error {
			var view View
			if err := decodeJSON(v, &view); err != nil {
				damaged = append(damaged, "view "+string(k))
				return nil
			}
			view.Name = string(k)
			out = append(out, view)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if len(damaged) > 0 {
		return out, &DamageError{Path: s.path, Items: damaged}
	}
	return out, nil
}

// queryEntry is a stored query of the history.
type queryEntry struct {
	Query string    `json:"query"`
	At    time.Time `json:"at"`
}

// AddQuery puts q at the end of the query history, dropping an earlier
// copy of it and the oldest entries beyond MaxQueries. Blank queries are
// not kept.
func (s *Store) AddQuery(q string, at time.Time) error {
	if strings.TrimSpace(q) == "" || len(q) > maxQuery {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQueries)
		var drop [][]byte
		c := b.Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			n++
			var e queryEntry
			if err := decodeJSON(v, &e); err != nil || e.Query == q {
				drop = append(drop, bytes.Clone(k)) // a damaged entry is only a lost recall
			}
		}
		for k, _ := c.First(); k != nil && n-len(drop) >= MaxQueries; k, _ = c.Next() {
			if !containsKey(drop, k) {
				drop = append(drop, bytes.Clone(k))
			}
		}
		for _, k := range drop { // never write while iterating
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		data, err := encodeJSON(queryEntry{Query: q, At: at.UTC()})
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), data)
	})
}

func containsKey(keys [][]byte, k []byte) bool {
	for _, x := range keys {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}

// Queries returns the query history, most recent first.
func (s *Store) Queries() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketQueries).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e queryEntry
			if decodeJSON(v, &e) == nil {
				out = append(out, e.Query)
			}
		}
		return nil
	})
	return out, err
}
