package search

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unsafe"
)

// lexicon is the inverted index in the form it is stored in: the sorted
// terms, each term's postings (ascending document numbers, each with the
// fields it occurs in) and weights, and the document sets of short
// prefixes. A loaded index reads it in place, straight from the stored
// bytes, so a search decodes only the terms it asks for and a process
// that runs one query never reads the rest. Every number read from it is
// checked where it is used: a damaged lexicon gives wrong answers at
// worst, never a crash.
type lexicon struct {
	n     int // documents; postings must be below it
	count int // terms

	textOff []byte // u32 × count+1: term t is text[textOff[t]:textOff[t+1]]
	text    []byte
	off     []byte // u32 × count+1: term t's postings are post[off[t]:off[t+1]]
	// post holds, for each posting of a term in turn, the gap from the
	// document before (the first: its number + 1) and the field mask,
	// both uvarints: less than half the size of fixed-width numbers, so
	// a copy of the index is cheap.
	post []byte
	// posOff (u32 × count+1) and pos hold the word positions: for term
	// t, pos[posOff[t]:posOff[t+1]] holds a block for each of its
	// postings in turn, a uvarint length then the positions of the term
	// in that document as uvarint gaps (the first from 0). Only phrases
	// read them.
	posOff []byte
	pos    []byte
	df     []byte // u32 per term: its documents (postings), over all fields
	relIdf []byte // f32 per term, over causes, impacts and fixes

	// Short prefixes ("r", "ra") with precomputed sets, sorted; the sets
	// of shortKeys[i] are shortSets[i*shortSize:]: the any, headline and
	// title bitsets.
	shortKeys []string
	shortSets []byte

	// base is the stored segment the parts above lie in, checkSum (nil for
	// none) whether a range of it matches its checksums: every read of a
	// part goes through sound, and what fails reads as absent and sets
	// damaged.
	base     []byte
	checkSum func(off, n int) bool
	damaged  atomic.Bool
}

// sound reports whether part[a:b] (part lies in base) may be read.
func (l *lexicon) sound(part []byte, a, b int) bool {
	if l.checkSum == nil || a >= b {
		return true
	}
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(part))) - uintptr(unsafe.Pointer(unsafe.SliceData(l.base))))
	if l.checkSum(off+a, b-a) {
		return true
	}
	l.damaged.Store(true)
	return false
}

func (l *lexicon) shortSize() int { return 3 * 8 * ((l.n + 63) / 64) }

func u32At(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[4*i:]) }
func f32At(b []byte, i int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
}

func (l *lexicon) dfOf(t int) uint32 {
	if !l.sound(l.df, 4*t, 4*t+4) {
		return 0
	}
	return u32At(l.df, t)
}

func (l *lexicon) relIdfOf(t int) float32 {
	if !l.sound(l.relIdf, 4*t, 4*t+4) {
		return 0
	}
	return f32At(l.relIdf, t)
}

// span returns the range offs (u32s) gives part t, checked, and whether
// it is sound and within size.
func (l *lexicon) span(offs []byte, t, size int) (uint32, uint32, bool) {
	if !l.sound(offs, 4*t, 4*t+8) {
		return 0, 0, false
	}
	a, b := u32At(offs, t), u32At(offs, t+1)
	return a, b, a <= b && int(b) <= size
}

// term returns term t's bytes, or nil when they are damaged.
func (l *lexicon) term(t int) []byte {
	a, b, ok := l.span(l.textOff, t, len(l.text))
	if !ok || !l.sound(l.text, int(a), int(b)) {
		return nil
	}
	return l.text[a:b]
}

// find returns the range of term numbers matching w exactly or, with
// prefix, every term starting with w.
func (l *lexicon) find(w string, prefix bool) (int, int) {
	lo := sort.Search(l.count, func(i int) bool { return string(l.term(i)) >= w })
	if !prefix {
		if lo < l.count && string(l.term(lo)) == w {
			return lo, lo + 1
		}
		return lo, lo
	}
	pw := []byte(w)
	hi := lo + sort.Search(l.count-lo, func(i int) bool {
		return !bytes.HasPrefix(l.term(lo+i), pw)
	})
	return lo, hi
}

// postings appends term t's postings to docs and masks. A term whose
// postings are out of range or out of order is damaged and reads as
// having none.
func (l *lexicon) postings(t int, docs []uint32, masks []uint16) ([]uint32, []uint16) {
	a, b, ok := l.span(l.off, t, len(l.post))
	if !ok || !l.sound(l.post, int(a), int(b)) {
		return docs, masks
	}
	k0 := len(docs)
	p := l.post[a:b]
	d := -1
	for i := 0; i < len(p); {
		// One-byte values, most of them, inline; longer ones through
		// uvarint.
		var gap, m uint64
		if c := p[i]; c < 0x80 {
			gap, i = uint64(c), i+1
		} else {
			v, k := uvarint(p[i:])
			if k == 0 {
				return docs[:k0], masks[:k0]
			}
			gap, i = v, i+k
		}
		if i < len(p) && p[i] < 0x80 {
			m, i = uint64(p[i]), i+1
		} else {
			v, k := uvarint(p[i:])
			if k == 0 || v > math.MaxUint16 {
				return docs[:k0], masks[:k0]
			}
			m, i = v, i+k
		}
		if gap == 0 || gap > uint64(l.n-1-d) {
			return docs[:k0], masks[:k0] // out of order or past the last document
		}
		d += int(gap)
		docs = append(docs, uint32(d))
		masks = append(masks, uint16(m))
	}
	return docs, masks
}

// uvarint decodes the uvarint at the start of p and returns it with its
// length, 0 when p does not start with a whole one of at most 64 bits.
func uvarint(p []byte) (uint64, int) {
	v, k := binary.Uvarint(p)
	if k <= 0 {
		return 0, 0
	}
	return v, k
}

// short returns the precomputed sets of prefix p, or nil.
func (l *lexicon) short(p string) *prefixSets {
	i, ok := sort.Find(len(l.shortKeys), func(i int) int { return strings.Compare(p, l.shortKeys[i]) })
	if !ok {
		return nil
	}
	size := l.shortSize()
	if !l.sound(l.shortSets, i*size, (i+1)*size) {
		return nil
	}
	raw := l.shortSets[i*size : (i+1)*size]
	words := (l.n + 63) / 64
	set := func(k int) bitset {
		b := make(bitset, words)
		for j := range b {
			b[j] = binary.LittleEndian.Uint64(raw[8*(k*words+j):])
		}
		if r := l.n & 63; r != 0 && words > 0 {
			b[words-1] &= 1<<uint(r) - 1 // no document past the end
		}
		return b
	}
	return &prefixSets{any: set(0), headline: set(1), title: set(2)}
}

// check verifies the sizes of the lexicon's parts against each other, so
// that every read the accessors make is in bounds.
func (l *lexicon) check() error {
	c := l.count
	switch {
	case c < 0 || len(l.textOff) != 4*(c+1) || len(l.off) != 4*(c+1):
		return badIndex("term offsets do not match the term count")
	case len(l.posOff) != 4*(c+1) || u32At(l.posOff, c) != uint32(len(l.pos)):
		return badIndex("positions do not match their offsets")
	case len(l.df) != 4*c || len(l.relIdf) != 4*c:
		return badIndex("term weights do not match the term count")
	case u32At(l.off, c) != uint32(len(l.post)):
		return badIndex("postings do not match their offsets")
	case len(l.shortSets) != len(l.shortKeys)*l.shortSize():
		return badIndex("prefix sets do not match their keys")
	}
	for i := 1; i < len(l.shortKeys); i++ {
		if l.shortKeys[i-1] >= l.shortKeys[i] {
			return badIndex("prefix keys not sorted")
		}
	}
	return nil
}

// termArrays is the inverted index as Build makes it, before it is packed
// into a lexicon.
type termArrays struct {
	terms []string
	off   []uint32
	pdoc  []uint32
	pmask []uint16
	df    []uint32
	// ppos[p] is where posting p's position block starts in the buffer
	// of the shard that holds its document: posBufs[i] is that of the
	// shard whose first document is shardLo[i].
	ppos    []uint32
	posBufs [][]byte
	shardLo []int
	relIdf  []float32
	short   map[string]*prefixSets
}

// pack encodes the arrays as the lexicon of an n-document index.
func (a *termArrays) pack(n int) *lexicon {
	l := &lexicon{n: n, count: len(a.terms)}
	size := 0
	for _, t := range a.terms {
		size += len(t)
	}
	l.textOff = make([]byte, 0, 4*(len(a.terms)+1))
	l.text = make([]byte, 0, size)
	l.textOff = binary.LittleEndian.AppendUint32(l.textOff, 0)
	for _, t := range a.terms {
		l.text = append(l.text, t...)
		l.textOff = binary.LittleEndian.AppendUint32(l.textOff, uint32(len(l.text)))
	}
	l.off = make([]byte, 0, 4*len(a.off))
	l.off = binary.LittleEndian.AppendUint32(l.off, 0)
	l.post = make([]byte, 0, 2*len(a.pdoc))
	for t := range a.terms {
		prev := -1
		for p := a.off[t]; p < a.off[t+1]; p++ {
			d := int(a.pdoc[p])
			l.post = binary.AppendUvarint(l.post, uint64(d-prev))
			l.post = binary.AppendUvarint(l.post, uint64(a.pmask[p]))
			prev = d
		}
		l.off = binary.LittleEndian.AppendUint32(l.off, uint32(len(l.post)))
	}
	a.packPositions(l)
	l.df = make([]byte, 0, 4*len(a.df))
	for _, v := range a.df {
		l.df = binary.LittleEndian.AppendUint32(l.df, v)
	}
	l.relIdf = appendF32s(nil, a.relIdf)
	for k := range a.short {
		l.shortKeys = append(l.shortKeys, k)
	}
	sort.Strings(l.shortKeys)
	l.shortSets = make([]byte, 0, len(l.shortKeys)*l.shortSize())
	for _, k := range l.shortKeys {
		ps := a.short[k]
		for _, b := range []bitset{ps.any, ps.headline, ps.title} {
			for _, w := range b {
				l.shortSets = binary.LittleEndian.AppendUint64(l.shortSets, w)
			}
		}
	}
	return l
}

func appendF32s(b []byte, v []float32) []byte {
	b = slices.Grow(b, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

// packPositions lays the position blocks out term by term, as lexicon.pos.
func (a *termArrays) packPositions(l *lexicon) {
	size := 0
	for _, b := range a.posBufs {
		size += len(b)
	}
	l.pos = make([]byte, 0, size)
	l.posOff = make([]byte, 0, 4*(len(a.terms)+1))
	l.posOff = binary.LittleEndian.AppendUint32(l.posOff, 0)
	for t := range a.terms {
		for p := a.off[t]; p < a.off[t+1]; p++ {
			si := len(a.shardLo) - 1
			for si > 0 && int(a.pdoc[p]) < a.shardLo[si] {
				si--
			}
			buf := a.posBufs[si][a.ppos[p]:]
			k, w := binary.Uvarint(buf)
			l.pos = append(l.pos, buf[:w+int(k)]...)
		}
		l.posOff = binary.LittleEndian.AppendUint32(l.posOff, uint32(len(l.pos)))
	}
	a.posBufs, a.ppos = nil, nil
}

// eachPosition calls fn for each posting of term t, in document order,
// with its fields and its block of positions (uvarint gaps), until fn
// returns false. Damaged postings or blocks end the walk.
func (l *lexicon) eachPosition(t int, fn func(d uint32, m uint16, block []byte) bool) {
	a, b, ok1 := l.span(l.off, t, len(l.post))
	pa, pb, ok2 := l.span(l.posOff, t, len(l.pos))
	if !ok1 || !ok2 || !l.sound(l.post, int(a), int(b)) || !l.sound(l.pos, int(pa), int(pb)) {
		return
	}
	p, pos := l.post[a:b], l.pos[pa:pb]
	d := -1
	for i := 0; i < len(p); {
		gap, k := uvarint(p[i:])
		if k == 0 {
			return
		}
		i += k
		m, k := uvarint(p[i:])
		if k == 0 || m > math.MaxUint16 || gap == 0 || gap > uint64(l.n-1-d) {
			return
		}
		i += k
		d += int(gap)
		size, k := uvarint(pos)
		if k == 0 || size > uint64(len(pos)-k) {
			return
		}
		block := pos[k : k+int(size)]
		pos = pos[k+int(size):]
		if !fn(uint32(d), uint16(m), block) {
			return
		}
	}
}
