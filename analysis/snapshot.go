package analysis

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// A Grouper's snapshot keeps what grouping found (the incidents' profiles
// and the links between them) so that the next import adds its incidents
// to it instead of grouping every incident again. Reviewers' decisions are
// not in it: they are triage, laid over with Decide.

const snapshotMagic = "faultline-events\x02"

// ErrSnapshot is returned by LoadGrouper for data that is not a whole
// snapshot of this version.
var ErrSnapshot = errors.New("analysis: not a valid grouping snapshot")

// Release lets go of what g needs to group more incidents, its indexes,
// and keeps what a snapshot holds: for a Grouper that is only to be
// saved, so that a large grouping and its snapshot are not both whole in
// memory. Only MarshalBinary may be called after it.
func (g *Grouper) Release() {
	g.words, g.cites, g.adj, g.days, g.slots, g.free = nil, nil, nil, nil, nil, nil
}

// KeepEventsOnly lets go of all but what Decide and Events need, the
// links and each incident's id and date: for a Grouper that is only to
// take reviewers' rulings and give its events, as the explorer's, whose
// grouping of many incidents is then a tenth of the size. Add, Remove
// and MarshalBinary must not be called after it (MarshalBinary fails).
func (g *Grouper) KeepEventsOnly() {
	if g.eventsOnly {
		return
	}
	for s, p := range g.profs {
		if p != nil {
			g.profs[s] = &profile{id: p.id, day: p.day}
		}
	}
	g.dropIndexes()
}

// dropIndexes lets go of what only grouping more incidents needs.
func (g *Grouper) dropIndexes() {
	g.words, g.cites, g.adj, g.days, g.free = nil, nil, nil, nil, nil
	g.eventsOnly = true
}

// ErrEventsOnly is MarshalBinary's error for a Grouper that keeps its
// events only.
var ErrEventsOnly = errors.New("analysis: a grouping that keeps its events only cannot be saved")

// MarshalBinary writes the grouping: profiles and links.
func (g *Grouper) MarshalBinary() ([]byte, error) {
	if g.eventsOnly {
		return nil, ErrEventsOnly
	}
	order := make([]int32, 0, len(g.profs))
	index := make(map[int32]uint64, len(g.profs))
	size := len(snapshotMagic) + 2*binary.MaxVarintLen64
	for s, p := range g.profs {
		if p != nil {
			index[int32(s)] = uint64(len(order))
			order = append(order, int32(s))
			size += profileSize(p)
		}
	}
	for _, l := range g.links {
		size += 2*binary.MaxVarintLen64 + 8 + strSize(l.Reason)
	}
	// Sized at once: grown by appending, the snapshot of a large grouping
	// would for a moment take twice its size again beside the grouping.
	b := make([]byte, 0, size)
	b = append(b, snapshotMagic...)
	b = binary.AppendUvarint(b, uint64(len(order)))
	for _, s := range order {
		b = appendProfile(b, g.profs[s])
	}
	pairs := make([][2]int32, 0, len(g.links))
	for pr := range g.links {
		pairs = append(pairs, pr)
	}
	slices.SortFunc(pairs, func(x, y [2]int32) int { return slices.Compare(x[:], y[:]) })
	b = binary.AppendUvarint(b, uint64(len(pairs)))
	for _, pr := range pairs {
		l := g.links[pr]
		b = binary.AppendUvarint(b, index[pr[0]])
		b = binary.AppendUvarint(b, index[pr[1]])
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(l.Score))
		b = appendString(b, l.Reason)
	}
	return b, nil
}

func appendProfile(b []byte, p *profile) []byte {
	b = appendString(b, p.id)
	b = binary.AppendVarint(b, int64(p.day))
	b = binary.AppendUvarint(b, uint64(len(p.title)))
	for _, h := range p.title {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	b = binary.AppendUvarint(b, uint64(len(p.text)))
	for _, h := range p.text {
		b = binary.LittleEndian.AppendUint32(b, h)
	}
	b = binary.AppendUvarint(b, uint64(len(p.forms)))
	for _, f := range p.forms {
		b = binary.LittleEndian.AppendUint64(b, f.h)
		b = binary.AppendVarint(b, int64(f.pos))
		b = appendString(b, f.form)
	}
	b = binary.AppendUvarint(b, uint64(len(p.articles)))
	for _, a := range p.articles {
		b = binary.AppendVarint(b, a)
	}
	return b
}

// profileSize is the size appendProfile writes.
func profileSize(p *profile) int {
	n := strSize(p.id) + varintSize(int64(p.day))
	n += uvarintSize(len(p.title)) + 8*len(p.title)
	n += uvarintSize(len(p.text)) + 4*len(p.text)
	n += uvarintSize(len(p.forms))
	for _, f := range p.forms {
		n += 8 + varintSize(int64(f.pos)) + strSize(f.form)
	}
	n += uvarintSize(len(p.articles))
	for _, a := range p.articles {
		n += varintSize(a)
	}
	return n
}

func uvarintSize(n int) int { return (bits.Len64(uint64(n)|1) + 6) / 7 }

func varintSize(x int64) int { return (bits.Len64(uint64(x<<1^x>>63)|1) + 6) / 7 }

func strSize(s string) int { return uvarintSize(len(s)) + len(s) }

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// LoadGrouper reads a snapshot MarshalBinary wrote, given whole or as
// pieces in order (the chunks a store keeps it in, read in place). Data
// that is not one (damaged, or of another version) gives an error
// wrapping ErrSnapshot, never a panic.
func LoadGrouper(pieces ...[]byte) (*Grouper, error) { return load(pieces, true) }

// LoadEvents reads a snapshot as LoadGrouper does into a Grouper that
// keeps its events only (see KeepEventsOnly), reading no more of each
// incident than its id and date: a fraction of the time and memory.
func LoadEvents(pieces ...[]byte) (*Grouper, error) { return load(pieces, false) }

// load reads a snapshot, whole or for its events only.
func load(pieces [][]byte, whole bool) (*Grouper, error) {
	r := newReader(pieces)
	if string(r.peek(len(snapshotMagic))) != snapshotMagic {
		return nil, fmt.Errorf("%w: no header of this version", ErrSnapshot)
	}
	r.advance(len(snapshotMagic))
	g := NewGrouper()
	n := r.count(8)
	var dirty []int32
	for range n {
		p := r.profile(whole)
		if r.err != nil {
			break
		}
		if _, dup := g.slots[p.id]; dup {
			return nil, fmt.Errorf("%w: incident %q twice", ErrSnapshot, p.id)
		}
		if whole {
			dirty = g.insert(p, dirty)
		} else {
			g.slots[p.id] = int32(len(g.profs))
			g.profs = append(g.profs, p)
		}
	}
	links := r.count(12)
	for range links {
		s, t := int32(r.uvarint()), int32(r.uvarint())
		score := math.Float64frombits(r.uint64())
		reason := r.string()
		if r.err != nil {
			break
		}
		if s < 0 || t < 0 || int(s) >= len(g.profs) || int(t) >= len(g.profs) || s == t {
			return nil, fmt.Errorf("%w: a link names no incident", ErrSnapshot)
		}
		p, q := g.profs[s], g.profs[t]
		a, bb := min(p.id, q.id), max(p.id, q.id)
		g.links[pairOf(s, t)] = Link{A: a, B: bb, Score: score, Reason: reason}
		if whole {
			g.adj[s] = append(g.adj[s], t)
			g.adj[t] = append(g.adj[t], s)
		}
	}
	if r.err == nil && r.left > 0 {
		r.err = errors.New("data after the links")
	}
	if r.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSnapshot, r.err)
	}
	if !whole {
		g.dropIndexes() // its profiles hold their ids and dates only
	}
	return g, nil
}

// reader reads a snapshot from its pieces as if they were one, remembering
// the first error; every length is checked against what is left, so
// damaged data cannot make it allocate or index past it. b is what is
// left of the current piece, more the pieces after it, left the bytes
// of both.
type reader struct {
	b     []byte
	more  [][]byte
	left  int
	err   error
	carry [32]byte // a number or the header cut by the end of a piece
}

func newReader(pieces [][]byte) *reader {
	r := &reader{more: pieces}
	for _, p := range pieces {
		r.left += len(p)
	}
	r.next()
	return r
}

// next moves to the next piece that is not empty, if b is used up.
func (r *reader) next() {
	for len(r.b) == 0 && len(r.more) > 0 {
		r.b, r.more = r.more[0], r.more[1:]
	}
}

// peek returns the next k bytes (fewer at the end) without reading them:
// in place unless they lie across pieces; k is at most len(carry).
func (r *reader) peek(k int) []byte {
	if len(r.b) >= k || len(r.more) == 0 {
		return r.b[:min(k, len(r.b))]
	}
	n := copy(r.carry[:k], r.b)
	for _, p := range r.more {
		if n == k {
			break
		}
		n += copy(r.carry[n:k], p)
	}
	return r.carry[:n]
}

// advance reads past n bytes, n at most left.
func (r *reader) advance(n int) {
	r.left -= n
	for n > 0 {
		k := min(n, len(r.b))
		r.b, n = r.b[k:], n-k
		r.next()
	}
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = errors.New(what)
	}
	r.b, r.more, r.left = nil, nil, 0
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.peek(binary.MaxVarintLen64))
	if n <= 0 {
		r.fail("a number is cut short")
		return 0
	}
	r.advance(n)
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.peek(binary.MaxVarintLen64))
	if n <= 0 {
		r.fail("a number is cut short")
		return 0
	}
	r.advance(n)
	return v
}

func (r *reader) uint64() uint64 {
	b := r.peek(8)
	if len(b) < 8 {
		r.fail("a word is cut short")
		return 0
	}
	r.advance(8)
	return binary.LittleEndian.Uint64(b)
}

func (r *reader) uint32() uint32 {
	b := r.peek(4)
	if len(b) < 4 {
		r.fail("a word is cut short")
		return 0
	}
	r.advance(4)
	return binary.LittleEndian.Uint32(b)
}

// count reads a count of things of at least min bytes each.
func (r *reader) count(min int) int {
	n := r.uvarint()
	if n > uint64(r.left/min) {
		r.fail("a count is larger than what follows")
		return 0
	}
	return int(n)
}

// string reads a string, copied: the pieces may be the file's pages.
func (r *reader) string() string {
	n := r.count(1)
	if r.err != nil {
		return ""
	}
	if n <= len(r.b) {
		s := string(r.b[:n])
		r.advance(n)
		return s
	}
	var sb strings.Builder
	sb.Grow(n)
	for sb.Len() < n && len(r.b) > 0 {
		k := min(n-sb.Len(), len(r.b))
		sb.Write(r.b[:k])
		r.advance(k)
	}
	return sb.String()
}

// profile reads a profile; not whole, its id and date only.
func (r *reader) profile(whole bool) *profile {
	p := &profile{id: r.string()}
	day := r.varint()
	if day < math.MinInt32 || day > math.MaxInt32 {
		r.fail("a day out of range")
	}
	p.day = int32(day)
	if !whole {
		r.skipProfile()
		return p
	}
	n := r.count(8)
	p.title = make([]uint64, n)
	for i := range p.title {
		p.title[i] = r.uint64()
	}
	n = r.count(4)
	p.text = make([]uint32, n)
	for i := range p.text {
		p.text[i] = r.uint32()
	}
	n = r.count(10)
	p.forms = make([]nameWord, n)
	p.names = make([]uint64, n)
	for i := range p.forms {
		p.forms[i] = nameWord{h: r.uint64(), pos: int32(r.varint()), form: r.string()}
		p.names[i] = p.forms[i].h
	}
	n = r.count(1)
	p.articles = make([]int64, n)
	for i := range p.articles {
		p.articles[i] = r.varint()
	}
	p.keys = append(slices.Clone(p.title), p.names...)
	slices.Sort(p.keys)
	p.keys = slices.Compact(p.keys)
	return p
}

// skipProfile reads past the rest of a profile, checking its form.
func (r *reader) skipProfile() {
	r.skip(8 * r.count(8))
	r.skip(4 * r.count(4))
	for range r.count(10) {
		r.uint64()
		r.varint()
		r.skip(r.count(1))
	}
	for range r.count(1) {
		r.varint()
	}
}

func (r *reader) skip(n int) {
	if n > r.left {
		r.fail("a part is cut short")
		return
	}
	r.advance(n)
}
