package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// PutStats counts what one Put did to the incidents it was given.
type PutStats struct {
	New       int // not stored before
	Updated   int // stored, and the merge (or the triage) changed it
	Unchanged int // stored, and the merge left every byte as it was
}

// storedIncident is the value in the incidents bucket: the incident
// without its triage, which has a bucket of its own. The outer Triage
// field hides the embedded one from encoding/json.
type storedIncident struct {
	incident.Incident
	Triage *struct{} `json:"triage,omitempty"`
}

// encodeJSON marshals v without HTML escaping, so stored text stays as
// close to the source as JSON allows.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func encodeIncident(in *incident.Incident) ([]byte, error) {
	return encodeJSON(storedIncident{Incident: *in})
}

// decode rebuilds an incident from its stored value and triage (nil when
// untouched). json.Unmarshal copies, so the result outlives the transaction.
func decode(data, triage []byte) (incident.Incident, error) {
	var in incident.Incident
	if err := json.Unmarshal(data, &in); err != nil {
		return in, err
	}
	if triage != nil {
		if err := json.Unmarshal(triage, &in.Triage); err != nil {
			return in, fmt.Errorf("triage: %w", err)
		}
	}
	in.Normalize()
	return in, nil
}

// prepare returns a Normalize()d copy of in that shares nothing mutable
// with the caller's value.
func prepare(in incident.Incident) incident.Incident {
	in.Taxonomy = maps.Clone(in.Taxonomy)
	in.Articles = slices.Clone(in.Articles)
	in.Triage.Tags = slices.Clone(in.Triage.Tags)
	in.Normalize()
	return in
}

// merge lays next over stored: what next leaves empty (a text field, a
// taxonomy category's options or rationale, the articles) keeps its stored
// value, so a source that lacks a field never erases it. Articles are the
// union, stored ones first. Triage is not merged here.
func merge(stored, next incident.Incident) incident.Incident {
	out := next
	keep := func(dst *string, old string) {
		if *dst == "" {
			*dst = old
		}
	}
	keep(&out.SourceID, stored.SourceID)
	keep(&out.Title, stored.Title)
	keep(&out.Published, stored.Published)
	keep(&out.Summary, stored.Summary)
	for _, f := range incident.Fields {
		keep(f.Get(&out.Postmortem), *f.Get(&stored.Postmortem))
	}
	out.Taxonomy = maps.Clone(next.Taxonomy)
	for key, old := range stored.Taxonomy {
		cat := out.Taxonomy[key]
		if len(cat.Options) == 0 && len(old.Options) > 0 {
			cat.Options = old.Options
		}
		if cat.Options == nil {
			cat.Options = []string{}
		}
		keep(&cat.Rationale, old.Rationale)
		out.Taxonomy[key] = cat
	}
	out.Articles = slices.Clone(stored.Articles)
	for _, a := range next.Articles {
		if !slices.Contains(out.Articles, a) {
			out.Articles = append(out.Articles, a)
		}
	}
	return out
}

// Put stores recs in one transaction: all of them or, on error, none.
// An incident whose id is stored already is merged with the stored one
// (see merge). With withTriage each record's triage replaces the stored
// triage (a zero triage removes it); without, triage is left alone.
// Records without an id get incident.MakeID's. An id given twice in one
// call is merged twice and counted twice. recs is not modified.
func (s *Store) Put(recs []incident.Incident, withTriage bool) (PutStats, error) {
	var st PutStats
	if len(recs) == 0 && !s.readOnly {
		return st, nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		incs, tri := tx.Bucket(bucketIncidents), tx.Bucket(bucketTriage)
		bumped := false
		for i := range recs {
			in := prepare(recs[i])
			key := []byte(in.ID)
			old := incs.Get(key)
			merged := in
			if old != nil {
				prev, err := decode(old, nil)
				if err != nil {
					return fmt.Errorf("store: put incident %s: stored record unreadable: %w", in.ID, err)
				}
				merged = merge(prev, in)
			}
			data, err := encodeIncident(&merged)
			if err != nil {
				return fmt.Errorf("store: put incident %s: %w", in.ID, err)
			}
			changed := old == nil || !bytes.Equal(old, data)
			if changed {
				if err := incs.Put(key, data); err != nil {
					return fmt.Errorf("store: put incident %s: %w", in.ID, err)
				}
				if !bumped {
					bumped = true
					if err := incs.SetSequence(incs.Sequence() + 1); err != nil {
						return fmt.Errorf("store: put incident %s: %w", in.ID, err)
					}
				}
			}
			if withTriage {
				tchanged, err := putTriage(tri, key, in.Triage)
				if err != nil {
					return fmt.Errorf("store: put triage %s: %w", in.ID, err)
				}
				changed = changed || tchanged
			}
			switch {
			case old == nil:
				st.New++
			case changed:
				st.Updated++
			default:
				st.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return PutStats{}, err
	}
	return st, nil
}

// putTriage stores t under key, or deletes the key for a zero triage, and
// reports whether the bucket changed.
func putTriage(b *bolt.Bucket, key []byte, t incident.Triage) (bool, error) {
	old := b.Get(key)
	if t.IsZero() {
		if old == nil {
			return false, nil
		}
		return true, b.Delete(key)
	}
	if t.Status == "" {
		t.Status = incident.StatusNew
	}
	if t.Tags == nil {
		t.Tags = []string{}
	}
	data, err := encodeJSON(t)
	if err != nil {
		return false, err
	}
	if bytes.Equal(old, data) {
		return false, nil
	}
	return true, b.Put(key, data)
}

// Get returns the incident with the given id, or the only one whose id
// starts with idOrPrefix, with its triage. Ids are lower-case hex, so a
// prefix typed in upper case is tried in lower case too.
func (s *Store) Get(idOrPrefix string) (incident.Incident, error) {
	var in incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		incs, tri := tx.Bucket(bucketIncidents), tx.Bucket(bucketTriage)
		var key, data []byte
		for _, q := range slices.Compact([]string{idOrPrefix, strings.ToLower(idOrPrefix)}) {
			if q == "" {
				break
			}
			var err error
			if key, data, err = lookup(incs, []byte(q)); err != nil {
				return fmt.Errorf("store: get %q: %w", idOrPrefix, err)
			}
			if data != nil {
				break
			}
		}
		if data == nil {
			return fmt.Errorf("store: get %q: %w", idOrPrefix, ErrNotFound)
		}
		var err error
		if in, err = decode(data, tri.Get(key)); err != nil {
			return fmt.Errorf("store: get incident %s: %w", key, err)
		}
		return nil
	})
	return in, err
}

// lookup finds the key equal to q, or the only key starting with q; it
// returns nil data when there is none.
func lookup(b *bolt.Bucket, q []byte) (key, data []byte, err error) {
	if data = b.Get(q); data != nil {
		return q, data, nil
	}
	c := b.Cursor()
	k, v := c.Seek(q)
	if k == nil || !bytes.HasPrefix(k, q) {
		return nil, nil, nil
	}
	if k2, _ := c.Next(); k2 != nil && bytes.HasPrefix(k2, q) {
		return nil, nil, ErrAmbiguous
	}
	return k, v, nil
}

// All returns every incident with its triage, newest published first, then
// by id. Decoding is most of its time, so it is spread over the CPUs.
func (s *Store) All() ([]incident.Incident, error) {
	var out []incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		incs, tri := tx.Bucket(bucketIncidents), tx.Bucket(bucketTriage)
		type raw struct{ key, data, triage []byte }
		var recs []raw
		err := incs.ForEach(func(k, v []byte) error {
			recs = append(recs, raw{k, v, tri.Get(k)}) // valid until the transaction ends
			return nil
		})
		if err != nil {
			return err
		}
		out = make([]incident.Incident, len(recs))
		errs := make([]error, len(recs))
		workers := min(runtime.GOMAXPROCS(0), max(1, len(recs)/64))
		faults := make([]error, workers) // a damaged page, caught per goroutine
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				faults[w] = guard(s.path, func() error {
					for i := w; i < len(recs); i += workers {
						out[i], errs[i] = decode(recs[i].data, recs[i].triage)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if err := errors.Join(faults...); err != nil {
			return err
		}
		for i, err := range errs {
			if err != nil {
				return fmt.Errorf("store: read incident %s: %w", recs[i].key, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b incident.Incident) int {
		if c := strings.Compare(b.Published, a.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Count returns the number of stored incidents.
func (s *Store) Count() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketIncidents).Stats().KeyN
		return nil
	})
	return n, err
}

// SetTriage replaces the triage of the incident with exactly this id; a
// zero triage removes it.
func (s *Store) SetTriage(id string, t incident.Triage) error {
	return s.update(func(tx *bolt.Tx) error {
		key := []byte(id)
		if tx.Bucket(bucketIncidents).Get(key) == nil {
			return fmt.Errorf("store: set triage %q: %w", id, ErrNotFound)
		}
		if _, err := putTriage(tx.Bucket(bucketTriage), key, t); err != nil {
			return fmt.Errorf("store: set triage %s: %w", id, err)
		}
		return nil
	})
}

// Triage returns the triage of the incident with exactly this id (the zero
// triage, normalised, when none was recorded).
func (s *Store) Triage(id string) (incident.Triage, error) {
	t := incident.Triage{}
	err := s.view(func(tx *bolt.Tx) error {
		key := []byte(id)
		if tx.Bucket(bucketIncidents).Get(key) == nil {
			return fmt.Errorf("store: triage %q: %w", id, ErrNotFound)
		}
		if data := tx.Bucket(bucketTriage).Get(key); data != nil {
			if err := json.Unmarshal(data, &t); err != nil {
				return fmt.Errorf("store: triage %s: %w", id, err)
			}
		}
		return nil
	})
	if t.Status == "" {
		t.Status = incident.StatusNew
	}
	if t.Tags == nil {
		t.Tags = []string{}
	}
	return t, err
}

// Check runs bbolt's consistency check over the whole file and returns
// every problem found, joined, or nil. It is meant for tests and for files
// this package wrote: bbolt runs the check in a goroutine of its own, where
// a page damaged badly enough still crashes the process.
func (s *Store) Check() error {
	var errs []error
	err := s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return fmt.Errorf("store: check %s: %w", s.path, errors.Join(errs...))
	}
	return nil
}
