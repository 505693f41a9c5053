package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// storedIncident is the value in the incidents bucket: the incident
// without its triage and its sources, which have buckets of their own. The
// outer fields hide the embedded ones from encoding/json.
type storedIncident struct {
	incident.Incident
	Sources *struct{} `json:"sources,omitempty"`
	Triage  *struct{} `json:"triage,omitempty"`
	Cited   *struct{} `json:"cited_articles,omitempty"`
}

// encodeJSON marshals v without HTML escaping, so stored text stays as
// close to the source as JSON allows, and seals it.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return seal(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

func encodeIncident(in *incident.Incident) ([]byte, error) {
	return encodeJSON(storedIncident{Incident: *in})
}

// decode rebuilds the incident stored under key from its value, triage and
// sources (nil when there are none). json.Unmarshal copies, so the result
// outlives the transaction. The key is the id.
func decode(key, data, triage, sources []byte) (incident.Incident, error) {
	var in incident.Incident
	if err := decodeJSON(data, &in); err != nil {
		return in, err
	}
	in.ID = string(key)
	if triage != nil {
		if err := decodeJSON(triage, &in.Triage); err != nil {
			return in, fmt.Errorf("triage: %w", err)
		}
	}
	if sources != nil {
		if err := decodeJSON(sources, &in.Sources); err != nil {
			return in, fmt.Errorf("sources: %w", err)
		}
	}
	in.Normalize()
	return in, nil
}

// buckets are the buckets a transaction works on, looked up once.
type buckets struct {
	incs, triage, sources, keys, titles, aliases, history *bolt.Bucket
}

func bucketsOf(tx *bolt.Tx) buckets {
	return buckets{
		incs:    tx.Bucket(bucketIncidents),
		triage:  tx.Bucket(bucketTriage),
		sources: tx.Bucket(bucketSources),
		keys:    tx.Bucket(bucketKeys),
		titles:  tx.Bucket(bucketTitles),
		aliases: tx.Bucket(bucketAliases),
		history: tx.Bucket(bucketHistory),
	}
}

// read returns the stored incident id with its triage and sources, and
// whether there is one.
func (b buckets) read(id string) (incident.Incident, bool, error) {
	key := []byte(id)
	data := b.incs.Get(key)
	if data == nil {
		return incident.Incident{}, false, nil
	}
	in, err := decode(key, data, b.triage.Get(key), b.sources.Get(key))
	if err != nil {
		return in, true, fmt.Errorf("store: incident %s: %w", id, err)
	}
	return in, true, nil
}

// Get returns the incident with the given id, the only one whose id
// starts with idOrPrefix, or the one a source knows by that key
// ("fail:2743"), with its triage, its sources and the stored articles it
// cites. An id that an incident had before it was re-keyed still finds
// it. Ids are lower-case hex, so a prefix typed in upper case is tried in
// lower case too.
func (s *Store) Get(idOrPrefix string) (incident.Incident, error) {
	var in incident.Incident
	err := s.view(func(tx *bolt.Tx) (err error) {
		in, err = get(tx, idOrPrefix)
		return err
	})
	return in, err
}

// get is Get in the transaction tx.
func get(tx *bolt.Tx, idOrPrefix string) (incident.Incident, error) {
	b := bucketsOf(tx)
	id, err := b.find(idOrPrefix)
	if err != nil {
		return incident.Incident{}, fmt.Errorf("store: get %q: %w", idOrPrefix, err)
	}
	in, _, err := b.read(id)
	if err != nil {
		return in, err
	}
	in.Cited, err = citedIn(tx.Bucket(bucketArticles), in.Articles)
	return in, err
}

// find resolves what a person typed to a stored incident id: an id, a
// source key or a unique prefix of an id.
func (b buckets) find(q string) (string, error) {
	if q == "" {
		return "", ErrNotFound
	}
	if id := b.exact(q); id != "" {
		return id, nil
	}
	for _, c := range slices.Compact([]string{q, strings.ToLower(q)}) {
		if id := b.resolve(c); id != "" {
			return id, nil
		}
		key, err := lookupPrefix(b.incs, []byte(c))
		if err != nil {
			return "", err
		}
		if key != nil {
			return string(key), nil
		}
	}
	return "", ErrNotFound
}

// exact returns the stored id that q names exactly: an id, an id it was
// re-keyed from, or a source key ("fail:2743"); else "".
func (b buckets) exact(q string) string {
	if strings.Contains(q, ":") {
		if id := b.keys.Get([]byte(q)); id != nil && b.incs.Get(id) != nil {
			return string(id)
		}
		return ""
	}
	return b.resolve(q)
}

// resolve returns id, or the id it was re-keyed to, if that incident is
// stored; else "".
func (b buckets) resolve(id string) string {
	for range 8 { // an alias may point at an id that was re-keyed again
		if b.incs.Get([]byte(id)) != nil {
			return id
		}
		next := b.aliases.Get([]byte(id))
		if next == nil {
			return ""
		}
		id = string(next)
	}
	return ""
}

// lookupPrefix returns the only key starting with q, nil when there is
// none, ErrAmbiguous when there are several.
func lookupPrefix(b *bolt.Bucket, q []byte) ([]byte, error) {
	c := b.Cursor()
	k, _ := c.Seek(q)
	if k == nil || !bytes.HasPrefix(k, q) {
		return nil, nil
	}
	if k2, _ := c.Next(); k2 != nil && bytes.HasPrefix(k2, q) {
		return nil, ErrAmbiguous
	}
	return bytes.Clone(k), nil
}

// All returns every incident with its triage and sources, newest published
// first, then by id. Decoding is most of its time, so it is spread over
// the CPUs. Incidents that fail their checksum are left out and named in a
// *DamageError returned with the others.
func (s *Store) All() ([]incident.Incident, error) {
	var out []incident.Incident
	var damage []string
	err := s.view(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		type raw struct{ key, data, triage, sources []byte }
		var recs []raw
		err := b.incs.ForEach(func(k, v []byte) error {
			recs = append(recs, raw{k, v, b.triage.Get(k), b.sources.Get(k)}) // valid until the transaction ends
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
						out[i], errs[i] = decode(recs[i].key, recs[i].data, recs[i].triage, recs[i].sources)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if err := errors.Join(faults...); err != nil {
			return err
		}
		kept := out[:0]
		for i, err := range errs {
			switch {
			case errors.Is(err, ErrDamaged):
				damage = append(damage, fmt.Sprintf("incident %s: %v", recs[i].key, err))
			case err != nil:
				return fmt.Errorf("store: read incident %s: %w", recs[i].key, err)
			default:
				kept = append(kept, out[i])
			}
		}
		out = kept
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
	if len(damage) > 0 {
		return out, &DamageError{Path: s.path, Items: damage}
	}
	return out, nil
}

// Each calls fn with every stored incident, with its triage and sources,
// batch incidents at a time in id order, so that a reader of all of them
// holds one batch at once rather than the whole collection. fn runs
// inside a read transaction and must not open another on s. Incidents
// that fail their checksum are left out and named in a *DamageError
// returned once all the others were handed over.
func (s *Store) Each(batch int, fn func([]incident.Incident) error) error {
	var damage []string
	err := s.view(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		buf := make([]incident.Incident, 0, max(1, batch))
		flush := func() error {
			if len(buf) == 0 {
				return nil
			}
			err := fn(buf)
			buf = buf[:0]
			return err
		}
		err := b.incs.ForEach(func(k, v []byte) error {
			in, err := decode(k, v, b.triage.Get(k), b.sources.Get(k))
			switch {
			case errors.Is(err, ErrDamaged):
				damage = append(damage, fmt.Sprintf("incident %s: %v", k, err))
				return nil
			case err != nil:
				return fmt.Errorf("store: read incident %s: %w", k, err)
			}
			if buf = append(buf, in); len(buf) == cap(buf) {
				err := flush()
				// what was read is decoded: its pages need not stay
				// this process's memory (see releaseMapped)
				releaseMapped(s.path)
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err == nil && len(damage) > 0 {
		return &DamageError{Path: s.path, Items: damage}
	}
	return err
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
