package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

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

// indexMagic starts the binary form; its last byte is the format version
// (7: options as reviewers corrected them; 8: Related reads titles,
// summaries and preventions too).
const indexMagic = "faultline-index\x08"

// ErrBadIndex is returned by Load for data that is not a whole, consistent
// index of this version.
var ErrBadIndex = errors.New("search: not a valid index")

// ErrDamaged is a stored index whose checksums fail: its bytes changed
// after it was written. It wraps ErrBadIndex.
var ErrDamaged = fmt.Errorf("%w: damaged", ErrBadIndex)

func badIndex(what string) error { return fmt.Errorf("%w: %s", ErrBadIndex, what) }

// marshal encodes the segment, without its triage or tombstones.
func (ix *segment) marshal() ([]byte, error) {
	l := ix.lex
	// room for the ids, titles and other arrays, and for a store's seal
	e := encoder{b: make([]byte, 0, len(l.post)+len(l.pos)+len(l.text)+12*len(l.off)+len(l.shortSets)+ix.n*1024+1<<20)}
	e.b = append(e.b, indexMagic...)
	e.u32(uint32(ix.n))
	e.strList(ix.ids)
	e.strList(ix.titles)
	e.strList(ix.published)
	e.strList(ix.sortTitles)
	// Headlines, each part flat over all incidents, so that Load slices
	// them rather than allocating per incident.
	heads := make([]headline, ix.n)
	for d := range heads {
		heads[d], _ = ix.head(d)
	}
	targets := make([]string, len(heads))
	titleLen := make([]uint32, len(heads))
	chars := make([]uint64, len(heads))
	var starts []uint16
	startsEnd := make([]uint32, 1, len(heads)+1)
	for i, h := range heads {
		targets[i], titleLen[i], chars[i] = h.target, uint32(h.titleLen), h.chars
		starts = append(starts, h.starts...)
		startsEnd = append(startsEnd, uint32(len(starts)))
	}
	e.strs(targets)
	nums(&e, titleLen)
	nums(&e, chars)
	nums(&e, starts)
	nums(&e, startsEnd)
	nums(&e, ix.year)
	nums(&e, ix.dateRank)
	nums(&e, ix.dateOrder)
	nums(&e, ix.titleOrder)
	nums(&e, ix.titleWords)
	nums(&e, ix.titleWordOff)
	e.u32(uint32(len(ix.optCat)))
	for _, c := range ix.optCat {
		e.u32(uint32(c))
	}
	e.strs(ix.optName)
	nums(&e, ix.docOpt)
	nums(&e, ix.docOptOff)
	var optDocs []uint64
	for _, b := range ix.optDocs {
		optDocs = append(optDocs, b...)
	}
	nums(&e, optDocs)
	nums(&e, ix.idOrder)
	nums(&e, ix.relNorm)
	e.strList(ix.labels)
	nums(&e, ix.labelOff)
	e.strList(ix.textStarts)

	e.strs(l.shortKeys)
	e.u32(uint32(l.count))
	for _, b := range [][]byte{l.textOff, l.text, l.off, l.post, l.posOff, l.pos, l.df, l.relIdf} {
		e.bytes(b)
	}
	e.bytes(l.shortSets)
	return e.b, e.err
}

// loadSegment decodes a segment made by marshal, reading it in place (see
// Load).
func loadSegment(data []byte, check func(off, n int) bool, fetch func(id string) (incident.Incident, bool), owned bool) (*segment, error) {
	if len(data) < len(indexMagic) || string(data[:len(indexMagic)]) != indexMagic {
		return nil, badIndex("no index header of this version")
	}
	r := &segReader{data: data, d: decoder{b: data[len(indexMagic):]}}
	ix := &segment{fetch: fetch, checkSum: check, base: data}
	ix.n = int(r.d.u32())
	if err := r.rows(ix, owned); err != nil {
		return nil, err
	}
	if err := r.heads(ix); err != nil {
		return nil, err
	}
	optDocs := r.arrays(ix, owned)
	shortKeys := r.d.strs()
	// What was read so far is checked now, but for the lazy parts; the
	// lexicon, most of the segment, a part at a time as it is read.
	if check != nil && r.d.err == nil {
		from := 0
		for _, p := range append(r.lazies, &lazyPart{off: r.at()}) {
			if !check(from, p.off-from) {
				return nil, fmt.Errorf("%w: checksum mismatch", ErrDamaged)
			}
			from = p.off + p.n
		}
	}
	ix.lex = r.lexicon(ix.n, check, shortKeys)
	if r.d.err != nil {
		return nil, r.d.err
	}
	if len(r.d.b) != 0 {
		return nil, badIndex("trailing bytes")
	}
	if err := ix.check(check != nil); err != nil {
		return nil, err
	}
	if err := ix.setOptions(optDocs); err != nil {
		return nil, err
	}
	return ix, nil
}

// segReader reads a segment's parts in the order marshal wrote them.
type segReader struct {
	data []byte
	d    decoder
	// lazies are the parts to be checked when first used (see lazyPart),
	// not as the segment is loaded.
	lazies []*lazyPart
}

// at is the offset in data of what is read next.
func (r *segReader) at() int { return len(r.data) - len(r.d.b) }

// lazy reads a part whose check waits for its first use.
func (r *segReader) lazy(p *lazyPart, read func()) {
	p.off = r.at()
	read()
	p.n = r.at() - p.off
	r.lazies = append(r.lazies, p)
}

// rows reads the ids, titles and dates, one per incident.
func (r *segReader) rows(ix *segment, owned bool) error {
	d := &r.d
	ix.ids = d.strList()
	ix.titles = d.strList()
	ix.published = d.strList()
	r.lazy(&ix.sortTitlesPart, func() { ix.sortTitles = d.strList() })
	ix.ids.owned, ix.titles.owned, ix.published.owned, ix.sortTitles.owned = owned, owned, owned, owned
	n := ix.n
	if d.err == nil && (ix.ids.len() != n || ix.titles.len() != n || ix.published.len() != n || ix.sortTitles.len() != n) {
		return badIndex("ids, titles or dates do not match the count")
	}
	return nil
}

// heads reads the stored headlines, made into headlines when first
// needed (see headlines).
func (r *segReader) heads(ix *segment) error {
	var targets strList
	var titleLen, startsEnd []uint32
	var chars []uint64
	var starts []uint16
	r.lazy(&ix.headsPart, func() {
		targets, titleLen, chars = r.d.strList(), r.d.u32s(), r.d.u64s()
		starts, startsEnd = r.d.u16s(), r.d.u32s()
	})
	if r.d.err != nil {
		return nil
	}
	n := ix.n
	if targets.len() != n || len(titleLen) != n || len(chars) != n {
		return badIndex("headlines do not match the count")
	}
	if checkOffsets(startsEnd, len(starts)) != nil || len(startsEnd) != n+1 {
		return badIndex("headline offsets do not span their arrays")
	}
	ix.stored = &storedHeads{targets: targets, titleLen: titleLen, chars: chars, starts: starts, startsEnd: startsEnd}
	return nil
}

// arrays reads the per-incident arrays: dates, orders, title words,
// options, labels and texts' starts; it returns the option sets.
func (r *segReader) arrays(ix *segment, owned bool) []uint64 {
	d := &r.d
	ix.year = d.i16s()
	ix.dateRank = d.i32s()
	ix.dateOrder = d.i32s()
	ix.titleOrder = d.i32s()
	r.lazy(&ix.titleWordsPart, func() { ix.titleWords = viewNext[titleWord](d) })
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
	optDocs := d.u64s()
	ix.idOrder = d.i32s()
	ix.relNorm = d.f32s()
	ix.labels = d.strList()
	ix.labels.owned = owned
	ix.labelOff = d.u32s()
	r.lazy(&ix.textStartsPart, func() { ix.textStarts = d.strList() })
	return optDocs
}

// lexicon reads the words and their postings, read in place.
func (r *segReader) lexicon(n int, check func(off, n int) bool, shortKeys []string) *lexicon {
	d := &r.d
	l := &lexicon{n: n, count: int(d.u32()), base: r.data, checkSum: check, shortKeys: shortKeys}
	for _, b := range []*[]byte{&l.textOff, &l.text, &l.off, &l.post, &l.posOff, &l.pos, &l.df, &l.relIdf, &l.shortSets} {
		*b = d.bytes()
	}
	return l
}

// setOptions lays out the option sets read and the triage sets.
func (ix *segment) setOptions(optDocs []uint64) error {
	n := ix.n
	words := (n + 63) / 64
	if len(optDocs) != len(ix.optName)*words {
		return badIndex("option sets do not match the options")
	}
	ix.triage = map[int32]incident.Triage{}
	ix.buildTriageSets()
	ix.optID = make(map[catOpt]int, len(ix.optName))
	ix.optDocs = make([]bitset, len(ix.optName))
	for id, name := range ix.optName {
		ix.optID[catOpt{dims[ix.optCat[id]], name}] = id
		b := bitset(optDocs[id*words : (id+1)*words : (id+1)*words])
		if r := n & 63; r != 0 && b[words-1]>>r != 0 {
			return badIndex("option set past the last incident")
		}
		ix.optDocs[id] = b
	}
	return nil
}

// check verifies the numbers a search uses as indexes, so that a corrupt
// index is refused rather than crash a search. Those of the bulk arrays
// (postings, title words, each incident's options, the orders) are
// checked where they are read instead, so that loading does not read them
// all. Unless the segment's checksums vouch for it (sealed), it also
// checks that the orders are whole and agree, which would otherwise
// give wrong answers rather than a crash.
func (ix *segment) check(sealed bool) error {
	n := ix.n
	if len(ix.year) != n || len(ix.dateRank) != n ||
		len(ix.dateOrder) != n || len(ix.titleOrder) != n || len(ix.idOrder) != n || len(ix.titleWordOff) != n+1 ||
		len(ix.docOptOff) != n+1 {
		return badIndex("per-incident arrays do not match the count")
	}
	if len(ix.relNorm) != n {
		return badIndex("related norms do not match the count")
	}
	if len(ix.labelOff) != n+1 {
		return badIndex("label offsets do not match the count")
	}
	if ix.textStarts.len() != n {
		return badIndex("text starts do not match the count")
	}
	if err := checkOffsets(ix.labelOff, ix.labels.len()); err != nil {
		return err
	}
	if err := ix.lex.check(); err != nil {
		return err
	}
	if !sealed {
		if err := ix.checkOrders(); err != nil {
			return err
		}
	}
	if err := checkOffsets(ix.titleWordOff, len(ix.titleWords)); err != nil {
		return err
	}
	if len(ix.optName) != len(ix.optCat) || len(ix.optName) > math.MaxUint16+1 {
		return badIndex("option arrays do not match")
	}
	for _, c := range ix.optCat {
		if c < 0 || c >= len(dims) {
			return badIndex("option of an unknown category")
		}
	}
	return checkOffsets(ix.docOptOff, len(ix.docOpt))
}

// checkOrders checks that the orders are permutations that agree with the
// ids and the date ranks.
func (ix *segment) checkOrders() error {
	if !isPermutation(ix.dateOrder) || !isPermutation(ix.titleOrder) || !isPermutation(ix.idOrder) {
		return badIndex("orders are not permutations")
	}
	for i := 1; i < ix.n; i++ {
		if ix.ids.compare(int(ix.idOrder[i-1]), ix.ids.view(int(ix.idOrder[i]))) >= 0 {
			return badIndex("ids not in order, or twice")
		}
	}
	for r, d := range ix.dateOrder {
		if ix.dateRank[d] != int32(r) {
			return badIndex("date ranks do not match the order")
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

type encoder struct {
	b   []byte
	err error // the first failure; MarshalBinary returns it
}

func (e *encoder) u32(v uint32)   { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) bytes(b []byte) { e.u32(uint32(len(b))); e.b = append(e.b, b...) }

// strs writes the count, the lengths, then the strings one after another,
// so that the decoder converts them with one allocation.
func (e *encoder) strs(ss []string) {
	e.u32(uint32(len(ss)))
	end := 0
	for _, s := range ss {
		end += len(s)
		e.u32(uint32(end))
	}
	e.u32(uint32(end)) // the bytes' length, as bytes writes it
	for _, s := range ss {
		e.b = append(e.b, s...)
	}
}

// nums writes a count and the values of v, little-endian, as view reads
// them.
func nums[T fixed](e *encoder, v []T) {
	e.u32(uint32(len(v)))
	b, err := binary.Append(e.b, binary.LittleEndian, v)
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("search: encode index: %w", err)
	}
	e.b = b
}

func (e *encoder) strList(l strList) {
	ss := make([]string, l.len())
	for i := range ss {
		ss[i] = l.view(i)
	}
	e.strs(ss)
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

// strList reads what strs wrote, in place.
func (d *decoder) strList() strList {
	end := d.u32s()
	data := d.bytes()
	l := strList{end: end, data: data}
	if d.err == nil && !l.check() {
		d.err = badIndex("string offsets do not span their bytes")
	}
	if d.err != nil {
		return strList{end: []uint32{}}
	}
	return l
}

// strs reads what strs wrote as strings of their own.
func (d *decoder) strs() []string {
	l := d.strList()
	out := make([]string, l.len())
	for i := range out {
		out[i] = l.at(i)
	}
	return out
}

func (d *decoder) u64s() []uint64  { return viewNext[uint64](d) }
func (d *decoder) u32s() []uint32  { return viewNext[uint32](d) }
func (d *decoder) i32s() []int32   { return viewNext[int32](d) }
func (d *decoder) u16s() []uint16  { return viewNext[uint16](d) }
func (d *decoder) i16s() []int16   { return viewNext[int16](d) }
func (d *decoder) f32s() []float32 { return viewNext[float32](d) }

// viewNext reads a count and that many values of T.
func viewNext[T fixed](d *decoder) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	k := d.count(size)
	b := d.b[:k*size]
	d.b = d.b[k*size:]
	return view[T](b)
}
