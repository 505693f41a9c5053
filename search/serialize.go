package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/faultline/faultline/incident"
)

// The binary form of an index lets a store keep it beside the incidents,
// so that a process can search without reading every incident and
// rebuilding. It holds, after a magic and version, the index's
// per-incident arrays, then its lexicon, little-endian. Load decodes the
// per-incident arrays (a few milliseconds at 10,000 incidents) and reads
// the lexicon, the bulk of it, in place. The incidents' texts are not in
// it (Load's fetch reaches them when a phrase, Related or Get needs one),
// nor is triage, which changes without a re-index: a loader lays it over
// with SetTriage.

// indexMagic starts the binary form; its last byte is the format version.
const indexMagic = "faultline-index\x02"

// ErrBadIndex is returned by Load for data that is not a whole, consistent
// index of this version.
var ErrBadIndex = errors.New("search: not a valid index")

func badIndex(what string) error { return fmt.Errorf("%w: %s", ErrBadIndex, what) }

// MarshalBinary encodes the index, without its triage, for Load.
func (ix *Index) MarshalBinary() ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	l := ix.lex
	e := encoder{b: make([]byte, 0, len(l.pdoc)+len(l.pmask)+len(l.text)+8*len(l.off)+len(l.shortSets)+1<<20)}
	e.b = append(e.b, indexMagic...)
	e.u32(uint32(ix.n))
	e.strs(ix.ids)
	e.strs(ix.titles)
	e.strs(ix.published)
	// Headlines, each part flat over all incidents, so that Load slices
	// them rather than allocating per incident.
	targets := make([]string, len(ix.heads))
	titleLen := make([]uint32, len(ix.heads))
	chars := make([]uint64, len(ix.heads))
	var offs []int32
	var starts []uint16
	offsEnd := make([]uint32, 1, len(ix.heads)+1)
	startsEnd := make([]uint32, 1, len(ix.heads)+1)
	for i, h := range ix.heads {
		targets[i], titleLen[i], chars[i] = h.target, uint32(h.titleLen), h.chars
		offs = append(offs, h.titleOff...)
		starts = append(starts, h.starts...)
		offsEnd = append(offsEnd, uint32(len(offs)))
		startsEnd = append(startsEnd, uint32(len(starts)))
	}
	e.strs(targets)
	e.u32s(titleLen)
	e.u64s(chars)
	e.i32s(offs)
	e.u32s(offsEnd)
	e.u16s(starts)
	e.u32s(startsEnd)
	e.i16s(ix.year)
	e.i32s(ix.dateRank)
	e.i32s(ix.dateOrder)
	e.i32s(ix.titleOrder)
	tw := make([]uint32, 0, 3*len(ix.titleWords))
	ascii := make([]byte, len(ix.titleWords))
	for i, w := range ix.titleWords {
		tw = append(tw, w.term, w.start, w.end)
		if w.ascii {
			ascii[i] = 1
		}
	}
	e.u32s(tw)
	e.bytes(ascii)
	e.u32s(ix.titleWordOff)
	e.u32(uint32(len(ix.optCat)))
	for _, c := range ix.optCat {
		e.u32(uint32(c))
	}
	e.strs(ix.optName)
	e.u16s(ix.docOpt)
	e.u32s(ix.docOptOff)
	e.f32s(ix.relNorm)

	e.u32(uint32(l.count))
	for _, b := range [][]byte{l.textOff, l.text, l.off, l.pdoc, l.pmask, l.idf, l.relIdf} {
		e.bytes(b)
	}
	e.strs(l.shortKeys)
	e.bytes(l.shortSets)
	return e.b, nil
}

// Load decodes an index made by MarshalBinary. The index reads its
// lexicon from data in place: data must stay unchanged, and readable, for
// as long as the index is used. fetch returns an incident by id when its
// text is needed (phrases, Related, Get); it may be nil, and is called
// under a lock, once per incident. Every incident's triage starts
// untouched.
func Load(data []byte, fetch func(id string) (incident.Incident, bool)) (*Index, error) {
	if len(data) < len(indexMagic) || string(data[:len(indexMagic)]) != indexMagic {
		return nil, badIndex("no index header of this version")
	}
	d := decoder{b: data[len(indexMagic):]}
	ix := &Index{fetch: fetch}
	ix.n = int(d.u32())
	n := ix.n
	ix.ids = d.strs()
	ix.titles = d.strs()
	ix.published = d.strs()
	if d.err == nil && (len(ix.ids) != n || len(ix.titles) != n || len(ix.published) != n) {
		return nil, badIndex("ids, titles or dates do not match the count")
	}
	targets, titleLen, chars := d.strs(), d.u32s(), d.u64s()
	offs, offsEnd := d.i32s(), d.u32s()
	starts, startsEnd := d.u16s(), d.u32s()
	if d.err == nil {
		if len(targets) != n || len(titleLen) != n || len(chars) != n {
			return nil, badIndex("headlines do not match the count")
		}
		if checkOffsets(offsEnd, len(offs)) != nil || checkOffsets(startsEnd, len(starts)) != nil ||
			len(offsEnd) != n+1 || len(startsEnd) != n+1 {
			return nil, badIndex("headline offsets do not span their arrays")
		}
		ix.heads = make([]headline, n)
		for i := range ix.heads {
			ix.heads[i] = headline{target: targets[i], titleLen: int(titleLen[i]), chars: chars[i],
				titleOff: offs[offsEnd[i]:offsEnd[i+1]:offsEnd[i+1]], starts: starts[startsEnd[i]:startsEnd[i+1]:startsEnd[i+1]]}
		}
	}
	ix.year = d.i16s()
	ix.dateRank = d.i32s()
	ix.dateOrder = d.i32s()
	ix.titleOrder = d.i32s()
	tw, ascii := d.u32s(), d.bytes()
	if d.err == nil && len(tw) != 3*len(ascii) {
		return nil, badIndex("title words do not match")
	}
	ix.titleWords = make([]titleWord, len(ascii))
	for i := range ix.titleWords {
		ix.titleWords[i] = titleWord{tw[3*i], tw[3*i+1], tw[3*i+2], ascii[i] == 1}
	}
	ix.titleWordOff = d.u32s()
	if k := d.count(4); k > 0 {
		ix.optCat = make([]int, k)
		for i := range ix.optCat {
			ix.optCat[i] = int(d.u32())
		}
	}
	ix.optName = d.strs()
	ix.docOpt = d.u16s()
	ix.docOptOff = d.u32s()
	ix.relNorm = d.f32s()

	l := &lexicon{n: n, count: int(d.u32())}
	l.textOff = d.bytes()
	l.text = d.bytes()
	l.off = d.bytes()
	l.pdoc = d.bytes()
	l.pmask = d.bytes()
	l.idf = d.bytes()
	l.relIdf = d.bytes()
	l.shortKeys = d.strs()
	l.shortSets = d.bytes()
	ix.lex = l
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, badIndex("trailing bytes")
	}
	if err := ix.check(); err != nil {
		return nil, err
	}
	ix.triage = make([]incident.Triage, n)
	ix.byID = make(map[string]int, n)
	for i, id := range ix.ids {
		if _, dup := ix.byID[id]; dup {
			return nil, badIndex("duplicate id " + id)
		}
		ix.byID[id] = i
	}
	ix.optID = make(map[catOpt]int, len(ix.optName))
	ix.optDocs = make([]bitset, len(ix.optName))
	ix.optCount = make([]int, len(ix.optName))
	for id, name := range ix.optName {
		ix.optID[catOpt{incident.Categories[ix.optCat[id]].Key, name}] = id
		ix.optDocs[id] = newBitset(n)
	}
	for doc := range n {
		for _, o := range ix.docOpt[ix.docOptOff[doc]:ix.docOptOff[doc+1]] {
			if ix.optDocs[o].has(doc) {
				return nil, badIndex("an option twice in one incident")
			}
			ix.optDocs[o].set(doc)
			ix.optCount[o]++
		}
	}
	return ix, nil
}

// check verifies every number a search uses as an index, so that a
// corrupt index is refused rather than crash a search.
func (ix *Index) check() error {
	n := ix.n
	if len(ix.heads) != n || len(ix.year) != n || len(ix.dateRank) != n ||
		len(ix.dateOrder) != n || len(ix.titleOrder) != n || len(ix.titleWordOff) != n+1 ||
		len(ix.docOptOff) != n+1 {
		return badIndex("per-incident arrays do not match the count")
	}
	if len(ix.relNorm) != n {
		return badIndex("related norms do not match the count")
	}
	if err := ix.lex.check(); err != nil {
		return err
	}
	for d, h := range ix.heads {
		if h.titleLen > len(h.target) || len(h.titleOff) != h.titleLen {
			return badIndex("headline title out of range")
		}
		for _, o := range h.titleOff {
			if o < 0 || int(o) >= len(ix.titles[d]) {
				return badIndex("headline offset out of range")
			}
		}
	}
	if !isPermutation(ix.dateOrder) || !isPermutation(ix.titleOrder) {
		return badIndex("orders are not permutations")
	}
	for r, d := range ix.dateOrder {
		if ix.dateRank[d] != int32(r) {
			return badIndex("date ranks do not match the order")
		}
	}
	if err := checkOffsets(ix.titleWordOff, len(ix.titleWords)); err != nil {
		return err
	}
	for d := range n {
		for _, w := range ix.titleWords[ix.titleWordOff[d]:ix.titleWordOff[d+1]] {
			if int(w.term) >= ix.lex.count || w.start > w.end || int(w.end) > len(ix.titles[d]) {
				return badIndex("title word out of range")
			}
		}
	}
	if len(ix.optName) != len(ix.optCat) || len(ix.optName) > math.MaxUint16+1 {
		return badIndex("option arrays do not match")
	}
	for _, c := range ix.optCat {
		if c < 0 || c >= len(incident.Categories) {
			return badIndex("option of an unknown category")
		}
	}
	if err := checkOffsets(ix.docOptOff, len(ix.docOpt)); err != nil {
		return err
	}
	for _, o := range ix.docOpt {
		if int(o) >= len(ix.optName) {
			return badIndex("option out of range")
		}
	}
	return nil
}

func checkOffsets(off []uint32, total int) error {
	if len(off) == 0 || off[0] != 0 || int(off[len(off)-1]) != total {
		return badIndex("offsets do not span their array")
	}
	for i := 1; i < len(off); i++ {
		if off[i] < off[i-1] {
			return badIndex("offsets run backwards")
		}
	}
	return nil
}

func isPermutation(p []int32) bool {
	seen := newBitset(len(p))
	for _, v := range p {
		if v < 0 || int(v) >= len(p) || seen.has(int(v)) {
			return false
		}
		seen.set(int(v))
	}
	return true
}

type encoder struct{ b []byte }

func (e *encoder) u32(v uint32)   { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) bytes(b []byte) { e.u32(uint32(len(b))); e.b = append(e.b, b...) }

// strs writes the count, the lengths, then the strings one after another,
// so that the decoder converts them with one allocation.
func (e *encoder) strs(ss []string) {
	e.u32(uint32(len(ss)))
	for _, s := range ss {
		e.u32(uint32(len(s)))
	}
	for _, s := range ss {
		e.b = append(e.b, s...)
	}
}

func (e *encoder) u64s(v []uint64) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.b = binary.LittleEndian.AppendUint64(e.b, x)
	}
}
func (e *encoder) u32s(v []uint32) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.u32(x)
	}
}
func (e *encoder) i32s(v []int32) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.u32(uint32(x))
	}
}
func (e *encoder) u16s(v []uint16) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.b = binary.LittleEndian.AppendUint16(e.b, x)
	}
}
func (e *encoder) i16s(v []int16) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.b = binary.LittleEndian.AppendUint16(e.b, uint16(x))
	}
}
func (e *encoder) f32s(v []float32) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.u32(math.Float32bits(x))
	}
}

// decoder reads what encoder wrote; the first shortfall sets err and
// every later read returns zero values.
type decoder struct {
	b   []byte
	err error
}

// need checks that at least k more bytes remain, before a loop allocates
// for them: a corrupt length must not make Load allocate gigabytes.
func (d *decoder) need(k int) bool {
	if d.err != nil {
		return false
	}
	if k < 0 || k > len(d.b) {
		d.err = badIndex("truncated")
		return false
	}
	return true
}

func (d *decoder) u32() uint32 {
	if !d.need(4) {
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

// bytes returns the next length-prefixed bytes in place, without a copy.
func (d *decoder) bytes() []byte {
	k := int(d.u32())
	if !d.need(k) {
		return nil
	}
	b := d.b[:k:k]
	d.b = d.b[k:]
	return b
}

// count reads a length whose elements take at least size bytes each.
func (d *decoder) count(size int) int {
	k := int(d.u32())
	if !d.need(k * size) {
		return 0
	}
	return k
}

func (d *decoder) strs() []string {
	lens := d.u32s()
	total := 0
	for _, k := range lens {
		total += int(k)
	}
	if !d.need(total) {
		return nil
	}
	all := string(d.b[:total])
	d.b = d.b[total:]
	out := make([]string, len(lens))
	for i, k := range lens {
		out[i], all = all[:k], all[k:]
	}
	return out
}

func (d *decoder) u64s() []uint64 {
	k := d.count(8)
	out := make([]uint64, k)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(d.b[8*i:])
	}
	d.b = d.b[8*k:]
	return out
}

func (d *decoder) u32s() []uint32 {
	k := d.count(4)
	out := make([]uint32, k)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(d.b[4*i:])
	}
	d.b = d.b[4*k:]
	return out
}

func (d *decoder) i32s() []int32 {
	k := d.count(4)
	out := make([]int32, k)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*k:]
	return out
}

func (d *decoder) u16s() []uint16 {
	k := d.count(2)
	out := make([]uint16, k)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(d.b[2*i:])
	}
	d.b = d.b[2*k:]
	return out
}

func (d *decoder) i16s() []int16 {
	k := d.count(2)
	out := make([]int16, k)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(d.b[2*i:]))
	}
	d.b = d.b[2*k:]
	return out
}

func (d *decoder) f32s() []float32 {
	k := d.count(4)
	out := make([]float32, k)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*k:]
	return out
}
