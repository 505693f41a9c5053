// Package indexer keeps a store's search index in step with its
// incidents without rebuilding it: an import hands it the incidents it
// stored, one at a time (Update.Add), and it indexes them into new
// segments as they come; at the end (Finish) it indexes the other
// incidents noted as changed since the index was saved, tombstones the
// old documents of all of them, rebuilds the segments search.Plan names
// and saves the new manifest. The work is that of the incidents changed,
// and its memory that of one segment, whatever the number of incidents.
// It also loads a stored index for reading (Load), bringing a stale one up
// to date in memory.
package indexer

import (
	"errors"
	"fmt"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

// fetchBatch is how many incidents one read transaction fetches.
const fetchBatch = 512

// Update is an index update under way on a writable store.
type Update struct {
	s *store.Store
	b *search.Builder
}

// Start begins an update of s's index.
func Start(s *store.Store) *Update {
	u := &Update{s: s}
	u.b = search.NewBuilder(func(data []byte) (uint64, error) { return u.s.PutSegment(data) })
	return u
}

// Use makes the update write to s from now on: an import that opens the
// file for each batch hands over the store of the batch.
func (u *Update) Use(s *store.Store) { u.s = s }

// Add indexes an incident as s now stores it (Put's result), so that
// Finish need not read it back.
func (u *Update) Add(in incident.Incident) error {
	if err := u.b.Add(in); err != nil {
		return fmt.Errorf("index %s: %w", u.s.Path(), err)
	}
	return nil
}

// Refresh brings s's stored index up to date, reading the incidents
// changed since it was saved (all of them when there is none).
func Refresh(s *store.Store) error { return Start(s).Finish() }

// plan is what Finish found in one read of the store.
type plan struct {
	base    store.IndexBase
	current bool                // the manifest is current and nothing was added
	refs    []search.SegmentRef // the old segments, with their new tombstones
	drop    map[int]bool        // old segments to rebuild
	fetch   []string            // incidents to index that Add was not given
}

// Finish indexes what Add was not given and saves the index.
func (u *Update) Finish() error {
	if err := u.b.Flush(); err != nil {
		return fmt.Errorf("index %s: %w", u.s.Path(), err)
	}
	var p plan
	if err := u.s.ViewIndex(func(r *store.IndexReader) (err error) { p, err = u.plan(r); return err }); err != nil {
		return err
	}
	if p.current {
		return nil
	}
	for lo := 0; lo < len(p.fetch); lo += fetchBatch {
		var got []incident.Incident
		err := u.s.ViewIndex(func(r *store.IndexReader) error {
			for _, id := range p.fetch[lo:min(lo+fetchBatch, len(p.fetch))] {
				in, ok, err := r.Incident(id)
				if err != nil {
					return err
				}
				if ok {
					got = append(got, in)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, in := range got { // outside the read: Add may write a segment
			if err := u.Add(in); err != nil {
				return err
			}
		}
	}
	if err := u.b.Flush(); err != nil {
		return fmt.Errorf("index %s: %w", u.s.Path(), err)
	}
	var refs []search.SegmentRef
	for i, r := range p.refs {
		if !p.drop[i] {
			refs = append(refs, r)
		}
	}
	refs = append(refs, u.b.Refs()...)
	ids := make([]uint64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return u.s.SaveIndex(p.base, search.EncodeManifest(refs), ids)
}

// plan reads, in one transaction, what the update has to do.
func (u *Update) plan(r *store.IndexReader) (plan, error) {
	p := plan{base: r.Base(), drop: map[int]bool{}}
	old, current, err := rebuilt(r)
	if err != nil {
		return p, err
	}
	if current && len(u.b.Refs()) == 0 {
		p.current = true
		return p, nil
	}
	var changed []string
	if old != nil {
		p.refs = old.Refs()
		changed = r.Changed()
	} else if err := r.EachID(func(id string) error { changed = append(changed, id); return nil }); err != nil {
		return p, err
	}
	isChanged := make(map[string]bool, len(changed))
	for _, id := range changed {
		isChanged[id] = true
		if old != nil {
			if seg, d, ok := old.Locate(id); ok {
				p.refs[seg].Dead = insert(p.refs[seg].Dead, d)
			}
		}
		if r.Has(id) && !u.b.Has(id) {
			p.fetch = append(p.fetch, id)
		}
	}
	for _, id := range u.b.IDs() {
		if !r.Has(id) {
			u.b.Remove(id) // added, then re-keyed or deleted
		}
	}
	if old != nil {
		for _, i := range search.Plan(p.refs, max(1, len(u.b.Refs()))) {
			p.drop[i] = true
			for _, id := range old.LiveIDs(i) {
				if !isChanged[id] {
					p.fetch = append(p.fetch, id)
				}
			}
		}
	}
	return p, nil
}

// insert adds d to the ascending list dead, once.
func insert(dead []int, d int) []int {
	for i, x := range dead {
		if x == d {
			return dead
		}
		if x > d {
			return append(dead[:i], append([]int{d}, dead[i:]...)...)
		}
	}
	return append(dead, d)
}

// open opens the stored index r holds and reports whether it is current;
// nil when there is none. One of another version is ErrBadIndex; one whose
// checksums fail is an error that Damaged recognises. owned copies the
// segments out of the transaction, for an index that outlives it.
func open(r *store.IndexReader, fetch func(string) (incident.Incident, bool), owned bool) (*search.Index, bool, error) {
	man, current, err := r.Manifest()
	if err != nil || man == nil {
		return nil, false, err
	}
	segment := func(id uint64) ([]byte, func(off, n int) bool, error) { return r.Segment(id, owned) }
	ix, err := search.Open(man, segment, fetch, owned)
	if err != nil {
		return nil, false, err
	}
	return ix, current, nil
}

// rebuilt is open for an update, which rebuilds an index that is damaged
// or of another version (nil, without an error).
func rebuilt(r *store.IndexReader) (*search.Index, bool, error) {
	ix, current, err := open(r, nil, false)
	if Damaged(err) || errors.Is(err, search.ErrBadIndex) {
		return nil, false, nil
	}
	return ix, current, err
}

// Damaged reports whether err is a stored index found damaged: its bytes
// fail their checksums.
func Damaged(err error) bool {
	return errors.Is(err, store.ErrDamaged) || errors.Is(err, search.ErrDamaged)
}

// ErrNoIndex is returned by Load when the store holds no index, or one of
// another version.
var ErrNoIndex = errors.New("no stored index")

// Load returns the stored index r holds, brought up to date in memory
// when incidents changed since it was saved, with the recorded triage
// laid over; ErrNoIndex when there is none to load. fetch and owned are
// as for search.Open; an index not owned is valid only during r's
// transaction. An index found damaged is an error Damaged recognises.
func Load(r *store.IndexReader, fetch func(string) (incident.Incident, bool), owned bool) (*search.Index, error) {
	ix, current, err := open(r, fetch, owned)
	if ix == nil && (err == nil || errors.Is(err, search.ErrBadIndex) && !Damaged(err)) {
		return nil, ErrNoIndex
	}
	if err != nil {
		return nil, err
	}
	if !current {
		var changed []incident.Incident
		var deleted []string
		for _, id := range r.Changed() {
			in, ok, err := r.Incident(id)
			if err != nil {
				return nil, err
			}
			if ok {
				changed = append(changed, in)
			} else {
				deleted = append(deleted, id)
			}
		}
		ix.Update(changed, deleted)
	}
	tri, err := r.Triage()
	if err != nil {
		return nil, err
	}
	ix.LayTriage(tri)
	return ix, nil
}
