package search

import (
	"encoding/binary"
	"slices"

	"github.com/faultline/faultline/incident"
)

// A phrase is read from the word positions the index keeps (see
// lexicon.pos), never from the incidents' texts: each of the documents
// holding all its words is kept if some occurrence of the first word is
// followed by the others, one after another, in one text of the phrase's
// fields.

// keepPhrases drops from set, the documents holding all of t's words in
// t's fields, those that do not hold them as a phrase. The positions
// where the phrase so far ends in each candidate are kept in one arena,
// candidate after candidate, as the words' postings come in that order.
func (ix *segment) keepPhrases(t textTerm, words []wordRange, set bitset) {
	if len(words) == 2 && words[0].hi-words[0].lo == 1 && words[1].hi-words[1].lo == 1 {
		ix.keepPairs(t, words[0].lo, words[1].lo, set)
		return
	}
	var cands []uint32
	set.each(func(d int) { cands = append(cands, uint32(d)) })
	if len(cands) == 0 {
		return
	}
	ends := phraseEnds{lo: make([]uint32, len(cands)), hi: make([]uint32, len(cands))}
	next := phraseEnds{lo: make([]uint32, len(cands)), hi: make([]uint32, len(cands))}
	firstMask := make([]uint16, len(cands)) // fields of the first word
	var block []uint32
	for wi, r := range words {
		lo, hi := r.lo, r.hi
		next.pos = next.pos[:0]
		clear(next.lo)
		clear(next.hi)
		for ti := lo; ti < hi; ti++ {
			c := 0
			ix.lex.eachPosition(ti, func(d uint32, m uint16, raw []byte) bool {
				for c < len(cands) && cands[c] < d {
					c++
				}
				if c == len(cands) {
					return false
				}
				if cands[c] != d || m&t.fields == 0 || wi > 0 && ends.lo[c] == ends.hi[c] {
					return true
				}
				block = appendPositions(block[:0], raw)
				if wi == 0 {
					firstMask[c] |= m
				} else {
					block = follow(ends.of(c), block)
				}
				next.add(c, block)
				return true
			})
		}
		ends, next = next, ends
	}
	for c, d := range cands {
		ok := ends.lo[c] < ends.hi[c]
		if ok && firstMask[c]&^t.fields != 0 {
			ok = ix.phraseInFields(int(d), ends.of(c), len(t.words), t.fields)
		}
		if !ok {
			set.unset(int(d))
		}
	}
}

// phraseEnds holds positions per candidate: those of candidate c are
// pos[lo[c]:hi[c]].
type phraseEnds struct {
	pos    []uint32
	lo, hi []uint32
}

func (e *phraseEnds) of(c int) []uint32 { return e.pos[e.lo[c]:e.hi[c]] }

// add appends positions of candidate c. A candidate's positions are one
// run but for a prefix's several terms, whose runs are joined here (their
// order does not matter to the field check that reads them).
func (e *phraseEnds) add(c int, ps []uint32) {
	if len(ps) == 0 {
		return
	}
	if e.lo[c] == e.hi[c] {
		e.lo[c] = uint32(len(e.pos))
		e.pos = append(e.pos, ps...)
		e.hi[c] = uint32(len(e.pos))
		return
	}
	if int(e.hi[c]) != len(e.pos) { // move the run to the end to extend it
		run := e.pos[e.lo[c]:e.hi[c]]
		e.lo[c] = uint32(len(e.pos))
		e.pos = append(e.pos, run...)
	}
	e.pos = append(e.pos, ps...)
	e.hi[c] = uint32(len(e.pos))
}

// appendPositions decodes a position block (uvarint gaps) onto dst.
func appendPositions(dst []uint32, block []byte) []uint32 {
	p := uint32(0)
	for i := 0; i < len(block); {
		if c := block[i]; c < 0x80 { // most gaps, inline
			p += uint32(c)
			i++
		} else {
			gap, k := uvarint(block[i:])
			if k == 0 || gap > 1<<32-1 {
				return dst // damaged: the rest reads as absent
			}
			p += uint32(gap)
			i += k
		}
		dst = append(dst, p)
	}
	return dst
}

// follow returns the positions of next that come right after one of prev
// (both ascending), in next's storage.
func follow(prev, next []uint32) []uint32 {
	out := next[:0]
	i := 0
	for _, q := range next {
		for i < len(prev) && prev[i]+1 < q {
			i++
		}
		if i < len(prev) && prev[i]+1 == q {
			out = append(out, q)
		}
	}
	return out
}

// textBits are the field bits of the texts fieldText gives, in its order;
// the texts after them are source names.
var textBits = func() []uint16 {
	var out []uint16
	fieldText(&incident.Incident{}, func(bits uint16, _ string) { out = append(out, bits) })
	return out
}()

// phraseInFields reports whether one of the phrases of k words ending at
// ends (ascending) in document d starts in a text of fields.
func (ix *segment) phraseInFields(d int, ends []uint32, k int, fields uint16) bool {
	if !ix.sound(&ix.textStartsPart) {
		return false
	}
	raw := ix.textStarts.view(d)
	var starts []uint32
	at := uint64(0)
	for i := 0; i < len(raw); {
		gap, n := binary.Uvarint([]byte(raw[i:min(len(raw), i+binary.MaxVarintLen64)]))
		if n <= 0 {
			return false
		}
		i += n
		at += gap
		starts = append(starts, uint32(at))
	}
	for _, e := range ends {
		start := e - uint32(k-1)
		i, found := slices.BinarySearch(starts, start)
		if !found {
			i--
		}
		if i < 0 {
			continue
		}
		bits := fSource
		if i < len(textBits) {
			bits = textBits[i]
		}
		if bits&fields != 0 {
			return true
		}
	}
	return false
}

// keepPairs is keepPhrases for a phrase of two words of one term each,
// the commonest: it walks the two terms' position blocks side by side for
// each document, without decoding them into lists, and stops at the first
// place the second follows the first.
func (ix *segment) keepPairs(t textTerm, t0, t1 int, set bitset) {
	type first struct {
		d     uint32
		m     uint16
		block []byte
	}
	var firsts []first
	ix.lex.eachPosition(t0, func(d uint32, m uint16, block []byte) bool {
		if m&t.fields != 0 && set.has(int(d)) {
			firsts = append(firsts, first{d, m, block})
		}
		return true
	})
	keep := newBitset(ix.n)
	i := 0
	var ends []uint32
	ix.lex.eachPosition(t1, func(d uint32, m uint16, block []byte) bool {
		for i < len(firsts) && firsts[i].d < d {
			i++
		}
		if i == len(firsts) {
			return false
		}
		f := firsts[i]
		if f.d != d || m&t.fields == 0 {
			return true
		}
		check := f.m&^t.fields != 0 // the first word is in other fields too
		ends = adjacent(f.block, block, check, ends[:0])
		if len(ends) > 0 && (!check || ix.phraseInFields(int(d), ends, 2, t.fields)) {
			keep.set(int(d))
		}
		return true
	})
	set.and(keep)
}

// adjacent appends to ends the positions of block b (uvarint gaps) that
// come right after one of block a: only the first unless all. It runs
// through both lists at once, a position at a time, which is most of a
// phrase of common words: the reading of a gap is written out in place.
func adjacent(a, b []byte, all bool, ends []uint32) []uint32 {
	var ia, ib int
	var pa, pb uint32
	var ok bool
	if pa, ia, ok = nextPos(a, ia, pa); !ok {
		return ends
	}
	if pb, ib, ok = nextPos(b, ib, pb); !ok {
		return ends
	}
	for {
		for pa+1 < pb { // a behind: catch up
			if ia >= len(a) {
				return ends
			}
			if c := a[ia]; c < 0x80 {
				pa += uint32(c)
				ia++
			} else if pa, ia, ok = nextPos(a, ia, pa); !ok {
				return ends
			}
		}
		if pa+1 == pb {
			ends = append(ends, pb)
			if !all {
				return ends
			}
		}
		// b at or behind a's next: move it on
		if ib >= len(b) {
			return ends
		}
		if c := b[ib]; c < 0x80 {
			pb += uint32(c)
			ib++
		} else if pb, ib, ok = nextPos(b, ib, pb); !ok {
			return ends
		}
	}
}

// nextPos reads the gap at p[at:] onto position v: the next position and
// where the gap after it starts; false at the end or on a damaged gap.
func nextPos(p []byte, at int, v uint32) (uint32, int, bool) {
	if at >= len(p) {
		return v, at, false
	}
	if c := p[at]; c < 0x80 {
		return v + uint32(c), at + 1, true
	}
	gap, k := uvarint(p[at:])
	if k == 0 || gap > 1<<32-1 {
		return v, at, false
	}
	return v + uint32(gap), at + k, true
}
