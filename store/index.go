package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// ErrStale is returned by SaveIndex when incidents changed after the
// generation the index was built from.
var ErrStale = errors.New("store: incidents changed since the index was built")

var (
	keyIndexManifest   = []byte("manifest")
	keyIndexGeneration = []byte("generation")
	keyIndexChanged    = []byte("changed")
	// A segment is a bucket of its own, named segPrefix then its id (8
	// bytes, big-endian), holding it under keySegment: a value beside the
	// others in one leaf would be rewritten with each new one (bbolt
	// rewrites a whole leaf, large values and all), where a bucket's own
	// pages are written once.
	segPrefix  = []byte("seg")
	keySegment = []byte("data")
)

func segKey(id uint64) []byte { return binary.BigEndian.AppendUint64(bytes.Clone(segPrefix), id) }

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

// markChanged records, in the transaction that changes it, that the
// incident id was added, changed or removed (or its taxonomy corrected)
// since the stored index was saved: an index update reads these instead
// of every incident. Each note is numbered, so that saving an index
// forgets only the notes it took in (see IndexBase). Migrations before
// schema 4 run without the bucket: its migration drops the index anyway.
func markChanged(tx *bolt.Tx, id string) error {
	b := tx.Bucket(bucketIndex).Bucket(keyIndexChanged)
	if b == nil {
		return nil
	}
	n, err := b.NextSequence()
	if err == nil {
		err = b.Put([]byte(id), binary.BigEndian.AppendUint64(nil, n))
	}
	if err != nil {
		return fmt.Errorf("store: note change of %s: %w", id, err)
	}
	return nil
}

// IndexBase is what an index update starts from: the generation of the
// incidents and the number of changes noted by then. A triage change that
// corrects a taxonomy changes what the index counts but not the
// generation (which the events grouping also follows), so the notes are
// numbered apart.
type IndexBase struct{ Gen, Changes uint64 }

// IndexBase returns the base an index update of the incidents as they are
// now would start from.
func (s *Store) IndexBase() (IndexBase, error) {
	var base IndexBase
	err := s.ViewIndex(func(r *IndexReader) error { base = r.Base(); return nil })
	return base, err
}

// noteNumber is the number of a change note; 0 for a note of an older
// faultline, which numbered none.
func noteNumber(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// IndexReader reads the stored index and the incidents it is of in one
// read transaction: the ViewIndex callback's, and only during it. What
// its methods return as bytes points into the file's memory map and is
// valid only until the callback returns.
type IndexReader struct {
	s  *Store
	tx *bolt.Tx
	b  buckets
	ix *bolt.Bucket
}

// ViewIndex calls fn with a reader of the stored index bound to one read
// transaction, so that the index, the incidents changed since it was
// saved and the incidents fn fetches all agree. fn must not open other
// transactions on s (bbolt warns that nesting them can deadlock).
func (s *Store) ViewIndex(fn func(r *IndexReader) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return fn(&IndexReader{s: s, tx: tx, b: bucketsOf(tx), ix: tx.Bucket(bucketIndex)})
	})
}

// Generation returns the generation of the incidents (see
// Store.Generation).
func (r *IndexReader) Generation() uint64 { return r.b.incs.Sequence() }

// Base returns the base of an update of the index read (see IndexBase).
func (r *IndexReader) Base() IndexBase {
	base := IndexBase{Gen: r.Generation()}
	if b := r.ix.Bucket(keyIndexChanged); b != nil {
		base.Changes = b.Sequence()
	}
	return base
}

// Manifest returns the stored index's manifest, opaque to the store, and
// whether it describes the incidents as they are; a manifest that does
// not is still of use with Changed. nil when there is none. A damaged
// manifest is an error wrapping ErrDamaged.
func (r *IndexReader) Manifest() ([]byte, bool, error) {
	data := r.ix.Get(keyIndexManifest)
	if data == nil {
		return nil, false, nil
	}
	body, err := unseal(data)
	if err != nil {
		return nil, false, fmt.Errorf("store: %s: index manifest %w", r.s.path, err)
	}
	gen := r.ix.Get(keyIndexGeneration)
	current := len(gen) == 8 && binary.BigEndian.Uint64(gen) == r.Generation()
	if b := r.ix.Bucket(keyIndexChanged); current && b != nil {
		k, _ := b.Cursor().First()
		current = k == nil
	}
	return body, current, nil
}

// Segment returns the stored segment id, copied out of the transaction
// when owned (into a private file mapped read-only where the system
// allows, else onto the heap), with check, which reports whether a range
// of it matches its checksums: a segment is checked a block at a time as
// it is read, so nothing of it may be used unchecked. A missing one, or
// one whose checksums are damaged, is an error (wrapping ErrDamaged when
// damaged).
func (r *IndexReader) Segment(id uint64, owned bool) (data []byte, check func(off, n int) bool, err error) {
	if b := r.ix.Bucket(segKey(id)); b != nil {
		data = b.Get(keySegment)
	}
	if data == nil {
		return nil, nil, fmt.Errorf("store: %s: index segment %d missing", r.s.path, id)
	}
	if owned {
		if m, ok := mapCopy(r.s.path, r.s.db.Info().Data, data); ok {
			data = m
		} else {
			data = bytes.Clone(data)
		}
	}
	body, c, err := unsealBlocks(data)
	if err != nil {
		return nil, nil, fmt.Errorf("store: %s: index segment %d %w", r.s.path, id, err)
	}
	return body, c.check, nil
}

// ReleasePages lets go of the pages of the file this process has read
// through its memory map (see releaseMapped): what was read in place
// stays readable, mapped again as it is read. Loading an index checks
// several megabytes of each segment, which a search reads little of.
func (r *IndexReader) ReleasePages() { releaseMapped(r.s.path) }

// Changed returns the ids of the incidents added, changed or removed
// since the manifest was saved (all of them, if there is none, may be
// fewer: an index without a manifest is rebuilt from every incident).
func (r *IndexReader) Changed() []string {
	var out []string
	r.ix.Bucket(keyIndexChanged).ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}

// Incident returns the stored incident id with its triage and sources,
// and false if there is none.
func (r *IndexReader) Incident(id string) (incident.Incident, bool, error) {
	return r.b.read(id)
}

// Has reports whether an incident id is stored. It looks in the sources
// bucket first, whose small values lie densely: an update asks about
// every incident it indexed, and reaching each incident's own page would
// page in much of the file.
func (r *IndexReader) Has(id string) bool {
	return r.b.sources.Get([]byte(id)) != nil || r.b.incs.Get([]byte(id)) != nil
}

// Get is Store.Get in the reader's transaction.
func (r *IndexReader) Get(idOrPrefix string) (incident.Incident, error) { return get(r.tx, idOrPrefix) }

// EachID calls fn with the id of every stored incident. It reads the
// title entries (one for every incident, see verifyRefs), which lie
// densely, rather than the incidents' own pages.
func (r *IndexReader) EachID(fn func(id string) error) error {
	return r.b.titles.ForEach(func(k, _ []byte) error {
		if len(k) <= titleKeyLen {
			return nil // damaged: Verify reports it
		}
		return fn(string(k[titleKeyLen:]))
	})
}

// Triage returns the recorded triage of every stored incident that has
// one.
func (r *IndexReader) Triage() (map[string]incident.Triage, error) {
	return allTriage(r.b)
}

// PutSegment stores one segment of an index, in a transaction of its
// own, and returns its id. It is not part of the index until a manifest
// saved with SaveIndex names it; one that none names is removed then.
func (s *Store) PutSegment(data []byte) (uint64, error) {
	var id uint64
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		var err error
		if id, err = b.NextSequence(); err != nil {
			return fmt.Errorf("store: put index segment: %w", err)
		}
		sb, err := b.CreateBucket(segKey(id))
		if err == nil {
			err = sb.Put(keySegment, sealBlocks(data))
		}
		if err != nil {
			return fmt.Errorf("store: put index segment: %w", err)
		}
		return nil
	})
	return id, err
}

// SaveIndex makes manifest, which names the stored segments segs (ids
// from PutSegment), the index of the incidents as they were at base: it
// removes every other segment and forgets the changes noted by then,
// keeping the later ones for the next update. If incidents changed since
// base, nothing is written and the error wraps ErrStale.
func (s *Store) SaveIndex(base IndexBase, manifest []byte, segs []uint64) error {
	gen := base.Gen
	keep := map[string]bool{}
	for _, id := range segs {
		keep[string(segKey(id))] = true
	}
	return s.update(func(tx *bolt.Tx) error {
		if now := tx.Bucket(bucketIncidents).Sequence(); now != gen {
			return fmt.Errorf("store: save index of %s: %w (generation %d, now %d)", s.path, ErrStale, gen, now)
		}
		b := tx.Bucket(bucketIndex)
		var drop [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(segPrefix); k != nil && bytes.HasPrefix(k, segPrefix); k, _ = c.Next() {
			if !keep[string(k)] {
				drop = append(drop, bytes.Clone(k))
			}
		}
		for _, k := range drop {
			if err := b.DeleteBucket(k); err != nil {
				return fmt.Errorf("store: save index of %s: %w", s.path, err)
			}
		}
		for id := range keep {
			if b.Bucket([]byte(id)) == nil {
				return fmt.Errorf("store: save index of %s: segment %d was never stored", s.path, binary.BigEndian.Uint64([]byte(id)[len(segPrefix):]))
			}
		}
		if err := forgetChanges(b, base.Changes); err != nil {
			return fmt.Errorf("store: save index of %s: %w", s.path, err)
		}
		if err := b.Put(keyIndexManifest, seal(manifest)); err != nil {
			return fmt.Errorf("store: save index of %s: %w", s.path, err)
		}
		return b.Put(keyIndexGeneration, binary.BigEndian.AppendUint64(nil, gen))
	})
}

// forgetChanges removes the change notes numbered up to upTo.
func forgetChanges(ix *bolt.Bucket, upTo uint64) error {
	b, err := ix.CreateBucketIfNotExists(keyIndexChanged)
	if err != nil {
		return err
	}
	var done [][]byte
	err = b.ForEach(func(k, v []byte) error {
		if noteNumber(v) <= upTo {
			done = append(done, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range done {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return err
}

// indexInSegments is schema 5: the index is kept as segments named by a
// manifest, and every change to the incidents is noted for the next
// index update. The single index of schema 3 is dropped (it is rebuilt
// in the new form by the next import or reader that can write).
func indexInSegments(tx *bolt.Tx, _ Options) error {
	b, err := tx.CreateBucketIfNotExists(bucketIndex)
	if err != nil {
		return err
	}
	for _, k := range [][]byte{[]byte("data"), keyIndexGeneration} {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	_, err = b.CreateBucketIfNotExists(keyIndexChanged)
	return err
}

// DropIndex removes the stored index, segments and all, so that the next
// update rebuilds it from every incident: for an index found damaged.
func (s *Store) DropIndex() error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		var segs [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(segPrefix); k != nil && bytes.HasPrefix(k, segPrefix); k, _ = c.Next() {
			segs = append(segs, bytes.Clone(k))
		}
		for _, k := range segs {
			if err := b.DeleteBucket(k); err != nil {
				return fmt.Errorf("store: drop index of %s: %w", s.path, err)
			}
		}
		for _, k := range [][]byte{keyIndexManifest, keyIndexGeneration} {
			if err := b.Delete(k); err != nil {
				return fmt.Errorf("store: drop index of %s: %w", s.path, err)
			}
		}
		return nil
	})
}
