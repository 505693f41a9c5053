package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/faultline/faultline/incident"
)

// The binary form of an index lets a store keep it beside the incidents,
// so that a process can search without reading every incident and
// rebuilding: Load takes a few milliseconds where Build takes seconds at
// 10,000 incidents. It holds the index's own arrays, little-endian, after
// a magic and version; the incidents' texts are not in it (Load's fetch
// reaches them when a phrase, Related or Get needs one).

// indexMagic starts the binary form; its last byte is the format version.
const indexMagic = "faultline-index\x01"

// ErrBadIndex is returned by Load for data that is not a whole, consistent
// index of this version.
var ErrBadIndex = errors.New("search: not a valid index")

func badIndex(what string) error { return fmt.Errorf("%w: %s", ErrBadIndex, what) }

// MarshalBinary encodes the index for Load.
func (ix *Index) MarshalBinary() ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var e encoder
	e.b = append(e.b, indexMagic...)
	e.u32(uint32(ix.n))
	e.strs(ix.ids)
	e.strs(ix.titles)
	for _, t := range ix.triage {
		e.str(t.Status)
		e.bool(t.Starred)
		e.strs(t.Tags)
		e.str(t.Note)
	}
	e.strs(ix.terms)
	e.u32s(ix.off)
	e.u32s(ix.pdoc)
	e.u16s(ix.pmask)
	e.f32s(ix.idf)
	for _, h := range ix.heads {
		e.str(h.target)
		e.u32(uint32(h.titleLen))
		e.i32s(h.titleOff)
	}
	e.i16s(ix.year)
	e.i32s(ix.dateRank)
	e.i32s(ix.dateOrder)
	e.i32s(ix.titleOrder)
	e.u32(uint32(len(ix.titleWords)))
	for _, w := range ix.titleWords {
		e.u32(w.term)
		e.u32(w.start)
		e.u32(w.end)
		e.bool(w.ascii)
	}
	e.u32s(ix.titleWordOff)
	e.u32(uint32(len(ix.optCat)))
	for _, c := range ix.optCat {
		e.u32(uint32(c))
	}
	e.strs(ix.optName)
	e.u16s(ix.docOpt)
	e.u32s(ix.docOptOff)
	keys := make([]string, 0, len(ix.short))
	for k := range ix.short {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same index always encodes the same
	e.u32(uint32(len(keys)))
	for _, k := range keys {
		ps := ix.short[k]
		e.str(k)
		e.f32s([]float32{ps.idf})
		e.u64s(ps.any)
		e.u64s(ps.headline)
		e.u64s(ps.title)
	}
	e.f32s(ix.relIdf)
	e.f32s(ix.relNorm)
	return e.b, nil
}

// Load decodes an index made by MarshalBinary. fetch returns an incident
// by id when its text is needed (phrases, Related, Get); it may be nil, and
// is called under a lock, once per incident.
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
	if d.err == nil && (len(ix.ids) != n || len(ix.titles) != n) {
		return nil, badIndex("ids or titles do not match the count")
	}
	if d.need(n * 13) {
		ix.triage = make([]incident.Triage, n)
		for i := range ix.triage {
			t := &ix.triage[i]
			t.Status = d.str()
			t.Starred = d.bool()
			t.Tags = d.strs()
			t.Note = d.str()
		}
	}
	ix.terms = d.strs()
	ix.off = d.u32s()
	ix.pdoc = d.u32s()
	ix.pmask = d.u16s()
	ix.idf = d.f32s()
	if d.need(n * 12) {
		ix.heads = make([]headline, n)
		for i := range ix.heads {
			h := &ix.heads[i]
			h.target = d.str()
			h.titleLen = int(d.u32())
			h.titleOff = d.i32s()
			h.chars = charMask(h.target)
			h.starts = wordStarts(h.target)
		}
	}
	ix.year = d.i16s()
	ix.dateRank = d.i32s()
	ix.dateOrder = d.i32s()
	ix.titleOrder = d.i32s()
	if k := d.count(13); k > 0 {
		ix.titleWords = make([]titleWord, k)
		for i := range ix.titleWords {
			ix.titleWords[i] = titleWord{d.u32(), d.u32(), d.u32(), d.bool()}
		}
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
	if k := d.count(4); k > 0 {
		ix.short = make(map[string]*prefixSets, k)
		for range k {
			key := d.str()
			idf := d.f32s()
			ps := &prefixSets{any: d.u64s(), headline: d.u64s(), title: d.u64s()}
			if d.err == nil && len(idf) != 1 {
				return nil, badIndex("short prefix weight")
			}
			if d.err == nil {
				ps.idf = idf[0]
				ix.short[key] = ps
			}
		}
	}
	ix.relIdf = d.f32s()
	ix.relNorm = d.f32s()
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, badIndex("trailing bytes")
	}
	if err := ix.check(); err != nil {
		return nil, err
	}
	ix.buildTriageSets()
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
	if len(ix.triage) != n || len(ix.heads) != n || len(ix.year) != n || len(ix.dateRank) != n ||
		len(ix.dateOrder) != n || len(ix.titleOrder) != n || len(ix.titleWordOff) != n+1 ||
		len(ix.docOptOff) != n+1 {
		return badIndex("per-incident arrays do not match the count")
	}
	if len(ix.off) != len(ix.terms)+1 || len(ix.idf) != len(ix.terms) || len(ix.pdoc) != len(ix.pmask) ||
		len(ix.relIdf) != len(ix.terms) || len(ix.relNorm) != n {
		return badIndex("term arrays do not match")
	}
	for i := 1; i < len(ix.terms); i++ {
		if ix.terms[i-1] >= ix.terms[i] {
			return badIndex("terms not sorted")
		}
	}
	if err := checkOffsets(ix.off, len(ix.pdoc)); err != nil {
		return err
	}
	for t := range ix.terms {
		prev := -1
		for _, doc := range ix.pdoc[ix.off[t]:ix.off[t+1]] {
			if int(doc) <= prev || int(doc) >= n {
				return badIndex("postings out of order or range")
			}
			prev = int(doc)
		}
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
			if int(w.term) >= len(ix.terms) || w.start > w.end || int(w.end) > len(ix.titles[d]) {
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
	for _, ps := range ix.short {
		for _, b := range []bitset{ps.any, ps.headline, ps.title} {
			if len(b) != (n+63)/64 || n%64 != 0 && len(b) > 0 && b[len(b)-1]>>(n%64) != 0 {
				return badIndex("prefix set out of range")
			}
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

func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) str(s string) { e.u32(uint32(len(s))); e.b = append(e.b, s...) }
func (e *encoder) strs(ss []string) {
	e.u32(uint32(len(ss)))
	for _, s := range ss {
		e.str(s)
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
func (e *encoder) u64s(v []uint64) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.b = binary.LittleEndian.AppendUint64(e.b, x)
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

func (d *decoder) bool() bool {
	if !d.need(1) {
		return false
	}
	v := d.b[0]
	d.b = d.b[1:]
	if v > 1 {
		d.err = badIndex("bad boolean")
	}
	return v == 1
}

func (d *decoder) str() string {
	k := int(d.u32())
	if !d.need(k) {
		return ""
	}
	s := string(d.b[:k])
	d.b = d.b[k:]
	return s
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
	k := d.count(4)
	out := make([]string, k)
	for i := range out {
		out[i] = d.str()
	}
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

func (d *decoder) u64s() []uint64 {
	k := d.count(8)
	out := make([]uint64, k)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(d.b[8*i:])
	}
	d.b = d.b[8*k:]
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
