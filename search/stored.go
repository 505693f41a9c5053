package search

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/faultline/faultline/incident"
)

// An index is stored as segments, each in the binary form of segment
// (written once, by a Builder, and never changed), and a manifest that
// names them in order with their tombstones: the documents replaced or
// deleted since. An import of k changed incidents adds a segment of k
// and tombstones their old documents, rewriting only the small manifest;
// Plan says when segments are worth rebuilding.

// manifestMagic starts a manifest; its last byte is the format version.
const manifestMagic = "faultline-segments\x01"

// SegmentRef is a stored segment as a manifest names it.
type SegmentRef struct {
	ID   uint64 // its key in the store
	N    int    // its documents, dead ones included
	Dead []int  // its dead documents, ascending
}

// Live returns the number of documents of the segment that are not dead.
func (r SegmentRef) Live() int { return r.N - len(r.Dead) }

// EncodeManifest encodes the segments of an index, in order.
func EncodeManifest(refs []SegmentRef) []byte {
	b := []byte(manifestMagic)
	b = binary.AppendUvarint(b, uint64(len(refs)))
	for _, r := range refs {
		b = binary.AppendUvarint(b, r.ID)
		b = binary.AppendUvarint(b, uint64(r.N))
		b = binary.AppendUvarint(b, uint64(len(r.Dead)))
		prev := -1
		for _, d := range r.Dead {
			b = binary.AppendUvarint(b, uint64(d-prev))
			prev = d
		}
	}
	return b
}

// DecodeManifest reads what EncodeManifest wrote; anything else is
// ErrBadIndex.
func DecodeManifest(data []byte) ([]SegmentRef, error) {
	if len(data) < len(manifestMagic) || string(data[:len(manifestMagic)]) != manifestMagic {
		return nil, badIndex("no manifest of this version")
	}
	p := data[len(manifestMagic):]
	next := func() (uint64, bool) {
		v, k := uvarint(p)
		if k == 0 {
			return 0, false
		}
		p = p[k:]
		return v, true
	}
	count, ok := next()
	if !ok || count > uint64(len(p)) {
		return nil, badIndex("manifest truncated")
	}
	refs := make([]SegmentRef, 0, count)
	for range count {
		id, ok1 := next()
		n, ok2 := next()
		k, ok3 := next()
		if !ok1 || !ok2 || !ok3 || n > 1<<31 || k > n || k > uint64(len(p)) {
			return nil, badIndex("manifest truncated or out of range")
		}
		r := SegmentRef{ID: id, N: int(n), Dead: make([]int, 0, k)}
		d := -1
		for range k {
			gap, ok := next()
			if !ok || gap == 0 || gap > uint64(r.N-1-d) {
				return nil, badIndex("manifest tombstones out of order or range")
			}
			d += int(gap)
			r.Dead = append(r.Dead, d)
		}
		refs = append(refs, r)
	}
	if len(p) != 0 {
		return nil, badIndex("trailing bytes in manifest")
	}
	return refs, nil
}

// Open assembles the index a manifest describes: segmentData returns a
// segment's stored bytes by id, which the index reads in place, so they
// must stay unchanged and readable while it is used (as Load's), and a
// check of them: whether a range matches its checksums (nil: none to
// check). The index checks each part of a segment before it reads it; a
// part that fails reads as empty and makes Err report it. fetch,
// which may be nil, returns an incident's texts for Get and Related;
// owned is as for LoadOwned. A segment that is missing or does not match
// the manifest is ErrBadIndex.
func Open(manifest []byte, segmentData func(id uint64) ([]byte, func(off, n int) bool, error), fetch func(id string) (incident.Incident, bool), owned bool) (*Index, error) {
	refs, err := DecodeManifest(manifest)
	if err != nil {
		return nil, err
	}
	type stored struct {
		data  []byte
		check func(off, n int) bool
	}
	// segmentData may read a transaction, which is for one goroutine;
	// the segments are then read side by side.
	in := make([]stored, len(refs))
	ids := make([]uint64, len(refs))
	for i, r := range refs {
		data, check, err := segmentData(r.ID)
		if err != nil {
			return nil, fmt.Errorf("%w: segment %d: %w", ErrBadIndex, r.ID, err)
		}
		in[i], ids[i] = stored{data, check}, r.ID
	}
	segs := make([]*segment, len(refs))
	errs := make([]error, len(refs))
	inParallel(workers(len(refs)), len(refs), func(_, i int) {
		r := refs[i]
		sg, err := loadSegment(in[i].data, in[i].check, fetch, owned)
		switch {
		case err != nil:
			errs[i] = fmt.Errorf("segment %d: %w", r.ID, err)
		case sg.n != r.N:
			errs[i] = badIndex(fmt.Sprintf("segment %d holds %d documents, the manifest says %d", r.ID, sg.n, r.N))
		default:
			sg.setDead(r.Dead)
			segs[i] = sg
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return assemble(segs, ids), nil
}

// setDead records the tombstones dead (ascending, below n).
func (ix *segment) setDead(dead []int) {
	if len(dead) == 0 {
		return
	}
	ix.dead = newBitset(ix.n)
	for _, d := range dead {
		ix.dead.set(d)
	}
}

// Refs returns the index's segments as a manifest names them. Segments
// that were not opened from a store have ID 0.
func (ix *Index) Refs() []SegmentRef {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.refsLocked()
}

// Locate returns the place of the live incident id: the position of its
// segment among Refs and its document there.
func (ix *Index) Locate(id string) (seg, doc int, ok bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg, d, ok := ix.lookup(id)
	if !ok {
		return 0, 0, false
	}
	return ix.segmentOf(sg), d, true
}

// LiveIDs returns the ids of the live incidents of segment seg.
func (ix *Index) LiveIDs(seg int) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg := ix.segs[seg]
	var out []string
	for d := range sg.n {
		if !sg.isDead(d) {
			out = append(out, sg.ids.at(d))
		}
	}
	return out
}

// Plan returns the segments (positions in refs) worth rebuilding into
// new ones from their live incidents, given that extra new segments are
// being added beside them: those more than half dead, and while there
// are more than a few segments beyond what the live incidents fill, the
// smallest, together up to SegmentSize. Each run of a plan costs at most
// about SegmentSize incidents beyond the half-dead.
func Plan(refs []SegmentRef, extra int) []int {
	var out []int
	live := 0
	for i, r := range refs {
		live += r.Live()
		if r.N > 0 && 2*len(r.Dead) > r.N {
			out = append(out, i)
		}
	}
	want := (live+SegmentSize-1)/SegmentSize + planSlack
	rest := len(refs) - len(out) + extra
	if rest <= want {
		return out
	}
	var small []int
	for i := range refs {
		if !slices.Contains(out, i) {
			small = append(small, i)
		}
	}
	sort.SliceStable(small, func(a, b int) bool { return refs[small[a]].Live() < refs[small[b]].Live() })
	sum, k := 0, 0
	for _, i := range small {
		if k >= 2 && (sum+refs[i].Live() > SegmentSize || rest-k+1 <= want) {
			break
		}
		sum += refs[i].Live()
		out = append(out, i)
		k++
	}
	if k < 2 {
		out = out[:len(out)-k]
	}
	slices.Sort(out)
	return out
}

// planSlack is how many segments beyond those the live incidents fill an
// index keeps before Plan merges the smallest.
const planSlack = 4

// Builder indexes incidents one at a time into stored segments of at
// most SegmentSize: when it holds that many it packs them into a
// segment, hands its binary form to put, which stores it and returns its
// id, and lets the incidents go. So whatever the number of incidents, a
// build holds at most one segment's worth of them.
type Builder struct {
	put  func(data []byte) (uint64, error)
	docs []incident.Incident
	refs []SegmentRef
	// where each id added is: a document of refs[seg], or of docs for seg
	// == len(refs)
	at map[string][2]int
}

// NewBuilder returns a Builder that stores segments with put.
func NewBuilder(put func(data []byte) (uint64, error)) *Builder {
	return &Builder{put: put, at: map[string][2]int{}}
}

// Add indexes an incident (its id must be set; its triage is ignored). An
// incident added again replaces the earlier one, whose document becomes
// dead.
func (b *Builder) Add(in incident.Incident) error {
	if in.ID == "" {
		in.ID = incident.MakeID(in.Title, in.Published)
	}
	// Of the triage only the corrections are indexed, as the options they
	// set; the rest is laid over the index when it is read.
	in.Triage = incident.Triage{Taxonomy: in.Triage.Taxonomy}
	if at, ok := b.at[in.ID]; ok {
		if at[0] == len(b.refs) {
			b.docs[at[1]] = in
			return nil
		}
		b.Remove(in.ID)
	}
	b.at[in.ID] = [2]int{len(b.refs), len(b.docs)}
	b.docs = append(b.docs, in)
	if len(b.docs) >= SegmentSize {
		return b.Flush()
	}
	return nil
}

// IDs returns the ids of the incidents added (and not removed).
func (b *Builder) IDs() []string {
	out := make([]string, 0, len(b.at))
	for id := range b.at {
		out = append(out, id)
	}
	return out
}

// Has reports whether an incident with id was added.
func (b *Builder) Has(id string) bool { _, ok := b.at[id]; return ok }

// Remove drops the incident with id from what was added.
func (b *Builder) Remove(id string) {
	at, ok := b.at[id]
	if !ok {
		return
	}
	delete(b.at, id)
	if at[0] == len(b.refs) {
		last := len(b.docs) - 1
		b.docs[at[1]] = b.docs[last]
		b.docs = b.docs[:last]
		if at[1] < last {
			b.at[b.docs[at[1]].ID] = at
		}
		return
	}
	r := &b.refs[at[0]]
	i, _ := slices.BinarySearch(r.Dead, at[1])
	r.Dead = slices.Insert(r.Dead, i, at[1])
}

// Flush stores what was added since the last segment as one.
func (b *Builder) Flush() error {
	if len(b.docs) == 0 {
		return nil
	}
	sg := buildSegment(b.docs, false)
	data, err := sg.marshal()
	if err != nil {
		return err
	}
	id, err := b.put(data)
	if err != nil {
		return err
	}
	b.refs = append(b.refs, SegmentRef{ID: id, N: sg.n, Dead: []int{}})
	b.docs = nil
	return nil
}

// Refs returns the segments stored so far, with their tombstones.
func (b *Builder) Refs() []SegmentRef { return slices.Clone(b.refs) }

// MarshalBinary encodes the whole index, its segments and tombstones
// without triage, in one piece for Load.
func (ix *Index) MarshalBinary() ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	refs := ix.refsLocked()
	for i := range refs {
		refs[i].ID = uint64(i)
	}
	out := binary.AppendUvarint(nil, uint64(len(ix.segs)))
	man := EncodeManifest(refs)
	out = binary.AppendUvarint(out, uint64(len(man)))
	out = append(out, man...)
	for _, sg := range ix.segs {
		data, err := sg.marshal()
		if err != nil {
			return nil, err
		}
		out = binary.AppendUvarint(out, uint64(len(data)))
		out = append(out, data...)
	}
	return out, nil
}

func (ix *Index) refsLocked() []SegmentRef {
	refs := make([]SegmentRef, len(ix.segs))
	for i, sg := range ix.segs {
		refs[i] = SegmentRef{ID: ix.segIDs[i], N: sg.n, Dead: []int{}}
		if sg.dead != nil {
			sg.dead.each(func(d int) { refs[i].Dead = append(refs[i].Dead, d) })
		}
	}
	return refs
}

// Load decodes an index made by MarshalBinary. The index reads data in
// place: data must stay unchanged, and readable, for as long as the index
// is used; the strings it hands out (ids, titles, dates in hits) are
// copies, which outlive it. fetch returns an incident by id when its text
// is needed (Related, Get); it may be nil, and is called under a lock,
// once per incident. Every incident's triage starts untouched.
func Load(data []byte, fetch func(id string) (incident.Incident, bool)) (*Index, error) {
	return load(data, fetch, false)
}

// LoadOwned is Load for data the index may keep for good, such as a copy
// of a stored index: the strings it hands out share data's memory instead
// of being copied at each hit, which matters at every keystroke of a long
// session. data must never be changed afterwards.
func LoadOwned(data []byte, fetch func(id string) (incident.Incident, bool)) (*Index, error) {
	return load(data, fetch, true)
}

func load(data []byte, fetch func(id string) (incident.Incident, bool), owned bool) (*Index, error) {
	p := data
	next := func() ([]byte, bool) {
		k, w := uvarint(p)
		if w == 0 || k > uint64(len(p)-w) {
			return nil, false
		}
		b := p[w : w+int(k) : w+int(k)]
		p = p[w+int(k):]
		return b, true
	}
	count, w := uvarint(p)
	if w == 0 || count > uint64(len(p)) {
		return nil, badIndex("no index of this version")
	}
	p = p[w:]
	man, ok := next()
	if !ok {
		return nil, badIndex("truncated")
	}
	segs := make([][]byte, count)
	for i := range segs {
		if segs[i], ok = next(); !ok {
			return nil, badIndex("truncated")
		}
	}
	if len(p) != 0 {
		return nil, badIndex("trailing bytes")
	}
	ix, err := Open(man, func(id uint64) ([]byte, func(int, int) bool, error) {
		if id >= uint64(len(segs)) {
			return nil, nil, badIndex("no such segment")
		}
		return segs[id], nil, nil
	}, fetch, owned)
	if err != nil {
		return nil, err
	}
	clear(ix.segIDs)
	return ix, nil
}

// Update brings the index up to date in memory: the incidents deleted
// names and the earlier versions of those in changed become dead, and
// changed (with their triage) are indexed in new segments.
func (ix *Index) Update(changed []incident.Incident, deleted []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	docs := make([]incident.Incident, 0, len(changed))
	byID := map[string]int{}
	for _, in := range changed {
		if in.ID == "" {
			in.ID = incident.MakeID(in.Title, in.Published)
		}
		if i, ok := byID[in.ID]; ok {
			docs[i] = in
			continue
		}
		byID[in.ID] = len(docs)
		docs = append(docs, in)
	}
	for _, id := range deleted {
		ix.kill(id)
	}
	for _, in := range docs {
		ix.kill(in.ID)
	}
	segs := ix.segs
	ids := ix.segIDs
	if len(docs) > 0 {
		segs = append(segs, buildSegments(docs, true)...)
		ids = append(ids, make([]uint64, len(segs)-len(ids))...)
	}
	up := assemble(segs, ids)
	ix.segs, ix.live, ix.optCat, ix.optName, ix.optID, ix.segIDs = up.segs, up.live, up.optCat, up.optName, up.optID, up.segIDs
	ix.ranksOnce, ix.ranks = sync.Once{}, nil
}

// kill tombstones the live incident id, if there is one.
func (ix *Index) kill(id string) {
	sg, d, ok := ix.lookup(id)
	if !ok {
		return
	}
	if sg.dead == nil {
		sg.dead = newBitset(sg.n)
	}
	sg.dead.set(d)
}

// Err reports damage found while reading the index: a part of a segment
// that did not match its checksums, which searches read as empty. The
// index should then be rebuilt.
func (ix *Index) Err() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for i, sg := range ix.segs {
		if sg.lex.damaged.Load() {
			return fmt.Errorf("%w: segment %d", ErrDamaged, ix.segIDs[i])
		}
	}
	return nil
}

// Adopt moves the index's stored segments onto the bytes segmentData
// returns for their ids (as Open's): copies of those Open read, made to
// outlive the transaction it read them in. Searches may run meanwhile and
// see the index before or after, never between; the triage and
// tombstones laid over since carry over. owned is as for Open. A copy
// that does not hold what the index was opened from is ErrBadIndex, and
// the index is left as it was.
func (ix *Index) Adopt(segmentData func(id uint64) ([]byte, func(off, n int) bool, error), owned bool) error {
	ix.mu.RLock()
	old, ids := slices.Clone(ix.segs), slices.Clone(ix.segIDs)
	ix.mu.RUnlock()
	fresh := make([]*segment, len(old))
	for i, id := range ids {
		if id == 0 {
			continue // built in memory: nothing to move
		}
		data, check, err := segmentData(id)
		if err != nil {
			return fmt.Errorf("%w: segment %d: %w", ErrBadIndex, id, err)
		}
		sg, err := loadSegment(data, check, old[i].fetch, owned)
		if err != nil {
			return fmt.Errorf("segment %d: %w", id, err)
		}
		if sg.n != old[i].n || len(sg.optName) != len(old[i].optName) {
			return badIndex(fmt.Sprintf("segment %d is not the one opened", id))
		}
		fresh[i] = sg
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i, sg := range ix.segs {
		j := slices.Index(old, sg) // an Update may have added segments since
		if j < 0 || fresh[j] == nil {
			continue
		}
		f := fresh[j]
		f.dead, f.triage, f.gopt = sg.dead, sg.triage, sg.gopt
		f.statusDocs, f.starredDocs, f.taggedDocs, f.reviewedDocs = sg.statusDocs, sg.starredDocs, sg.taggedDocs, sg.reviewedDocs
		if sg.lex.damaged.Load() {
			f.lex.damaged.Store(true)
		}
		ix.segs[i] = f
	}
	return nil
}
