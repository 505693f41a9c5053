package search

import (
	"encoding/binary"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/faultline/faultline/incident"
)

// segment indexes a share of an Index's incidents on its own: documents
// are numbered from 0 in each segment, and every array below is of its
// documents. An Index searches its segments one by one with statistics
// over all of them; a document replaced or deleted later is dead in its
// segment (the Index's tombstones) and never matches. A segment is made
// once, by Build or a Builder, and never changes but for its triage.
type segment struct {
	n         int                 // documents, dead ones included
	dead      bitset              // tombstoned documents, nil for none
	docs      []incident.Incident // nil in a loaded segment: see doc
	ids       strList             // ids.at(d) == docs[d].ID, apart for speed
	titles    strList
	published strList
	// sortTitles are the normalised titles (incident.NormalizeTitle's
	// form), by which dates tie and titles sort, across segments too.
	sortTitles strList
	idOrder    []int32 // documents by id, for lookups

	// Triage, laid over by the Index: only the incidents with one are in
	// triage. The sets are kept in step: statusDocs[i] holds the
	// incidents of status incident.Statuses[i] (an unset one being new),
	// starredDocs the starred, taggedDocs those with tags, reviewedDocs
	// those with taxonomy corrections.
	triage       map[int32]incident.Triage
	statusDocs   []bitset
	starredDocs  bitset
	taggedDocs   bitset
	reviewedDocs bitset

	// The incidents' own labels, folded: those of document d are
	// labels[labelOff[d]:labelOff[d+1]].
	labels   strList
	labelOff []uint32

	// A loaded segment fetches incidents when it needs their text.
	fetch  func(id string) (incident.Incident, bool)
	lazyMu sync.Mutex
	lazy   map[int]*incident.Incident

	lex *lexicon // the inverted index

	heads  []headline
	stored *storedHeads // a loaded segment's instead (see head)

	year       []int16 // 0 when unknown
	dateRank   []int32 // position of each document in dateOrder
	dateOrder  []int32 // documents by published date, oldest first, then title
	titleOrder []int32 // documents by normalised title, A first, then date

	// Words of each title with their term numbers, for highlighting:
	// titleWords[titleWordOff[d]:titleWordOff[d+1]].
	titleWords   []titleWord
	titleWordOff []uint32

	fuzzy fuzzyCache

	// Taxonomy options: every option seen, per category, numbered in the
	// segment; gopt maps them to the Index's numbers.
	optCat    []int    // category index of option i
	optName   []string // canonical option i
	optID     map[catOpt]int
	docOpt    []uint16 // options of doc d: docOpt[docOptOff[d]:docOptOff[d+1]]
	docOptOff []uint32
	optDocs   []bitset // documents holding option i
	gopt      []int

	relNorm []float32 // TF-IDF norm of each document over causes, impacts, fixes

	// The first word position of each of a document's texts, in the order
	// fieldText gives them, as uvarint gaps: which text, so which field,
	// a phrase found by position lies in.
	textStarts strList

	// A loaded segment checks (checkSum, nil for none) these parts of its
	// stored form the first time they are used, as the lexicon does its
	// own: most searches need few of them.
	checkSum                                                  func(off, n int) bool
	base                                                      []byte // the stored form
	headsPart, titleWordsPart, textStartsPart, sortTitlesPart lazyPart
}

// soundAt reports whether the n stored bytes of the headlines at p may be
// read; those that fail their check mark the segment damaged.
func (ix *segment) soundAt(p unsafe.Pointer, n int) bool {
	if ix.checkSum == nil || n <= 0 {
		return true
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(ix.base)))
	if uintptr(p) < start || uintptr(p)+uintptr(n) > start+uintptr(len(ix.base)) {
		// a copy view made (a machine that does not read the arrays in
		// place): check the whole stored part it came from
		return ix.sound(&ix.headsPart)
	}
	if ix.checkSum(int(uintptr(p)-start), n) {
		return true
	}
	ix.lex.damaged.Store(true)
	return false
}

// lazyPart is a range of a stored segment checked when first used.
type lazyPart struct {
	once   sync.Once
	off, n int
	bad    bool
}

// sound reports whether part p of the segment may be read; a part that
// fails its check marks the segment damaged (see Index.Err).
func (ix *segment) sound(p *lazyPart) bool {
	if ix.checkSum == nil {
		return true
	}
	p.once.Do(func() {
		if p.bad = !ix.checkSum(p.off, p.n); p.bad {
			ix.lex.damaged.Store(true)
		}
	})
	return !p.bad
}

// sortTitle returns the sort title of document d ("" if damaged).
func (ix *segment) sortTitle(d int) string {
	if !ix.sound(&ix.sortTitlesPart) {
		return ""
	}
	return ix.sortTitles.view(d)
}

type catOpt struct{ cat, opt string }

// prefixSets are the documents holding a word that starts with a short
// prefix ("r", "ra"), in any field, the headline, the title: the first
// keystrokes would otherwise merge thousands of postings lists.
type prefixSets struct {
	any, headline, title bitset
}

// shortPrefix is the longest prefix with precomputed sets; shortMinPost
// the postings (in documents) a prefix must cover to be worth them.
const (
	shortPrefix  = 2
	shortMinPost = 4
)

type titleWord struct {
	term       uint32
	start, end uint32 // byte span in Title
	ascii      uint32 // 1: every byte of the span is a character
}

// maxTitleWords bounds the title words kept for highlighting: a hostile
// title can be megabytes long.
const maxTitleWords = 64

// isDead reports whether document d was replaced or deleted.
func (ix *segment) isDead(d int) bool { return ix.dead != nil && ix.dead.has(d) }

// live returns the documents that are not dead.
func (ix *segment) live() bitset {
	b := newBitset(ix.n)
	b.fill(ix.n)
	if ix.dead != nil {
		b.andNot(ix.dead)
	}
	return b
}

// doc returns document d: from the incidents the index was built from,
// else fetched (once) through the loaded index's fetch function. An
// incident that could not be fetched reads as its title and date alone,
// with ok false, and is tried again next time: the file may be busy.
func (ix *segment) doc(d int) (in *incident.Incident, ok bool) {
	if ix.docs != nil {
		return &ix.docs[d], true
	}
	ix.lazyMu.Lock()
	defer ix.lazyMu.Unlock()
	if in, ok := ix.lazy[d]; ok {
		return in, true
	}
	in = &incident.Incident{ID: ix.ids.at(d), Title: ix.titles.at(d), Published: ix.published.at(d)}
	if ix.fetch != nil {
		got, ok := ix.fetch(in.ID)
		if !ok {
			return in, false
		}
		in = &got
	}
	if ix.lazy == nil {
		ix.lazy = map[int]*incident.Incident{}
	}
	ix.lazy[d] = in
	return in, true
}

// summary returns what the index knows of document d.
func (ix *segment) summary(d int) Summary {
	s := Summary{ID: ix.ids.at(d), Title: ix.titles.at(d), Published: ix.published.at(d), Triage: ix.triageOf(d).Clone(),
		Options: map[string][]string{}}
	for _, o := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
		if int(o) >= len(ix.optName) {
			continue // damaged: see check
		}
		key := dims[ix.optCat[o]]
		s.Options[key] = append(s.Options[key], ix.optName[o])
	}
	return s
}

// triageOf returns the triage of document d.
func (ix *segment) triageOf(d int) incident.Triage { return ix.triage[int32(d)] }

// setTriage records the triage of document d.
func (ix *segment) setTriage(d int, t incident.Triage) {
	if t.IsZero() {
		delete(ix.triage, int32(d))
	} else {
		ix.triage[int32(d)] = t.Clone()
	}
	ix.setTriageBits(d)
}

// lookup returns the document number of the incident with id.
func (ix *segment) lookup(id string) (int, bool) {
	i, ok := sort.Find(len(ix.idOrder), func(i int) int {
		d := int(ix.idOrder[i])
		if d < 0 || d >= ix.n {
			return 0 // damaged: see check
		}
		return -ix.ids.compare(d, id)
	})
	if !ok {
		return 0, false
	}
	if d := int(ix.idOrder[i]); d >= 0 && d < ix.n && ix.ids.view(d) == id {
		return d, true
	}
	return 0, false
}

// buildSegment indexes docs, whose ids are set and distinct. Their texts
// are shared, not copied; keep says whether the segment keeps docs for
// Get and Related (else it fetches them, as a loaded one does).
func buildSegment(docs []incident.Incident, keep bool) *segment {
	ix := &segment{docs: docs, n: len(docs)}
	ids := make([]string, ix.n)
	titles := make([]string, ix.n)
	published := make([]string, ix.n)
	ix.triage = map[int32]incident.Triage{}
	for d := range ix.docs {
		ids[d] = ix.docs[d].ID
		titles[d] = ix.docs[d].Title
		published[d] = ix.docs[d].Published
		if t := ix.docs[d].Triage; !t.IsZero() {
			ix.triage[int32(d)] = t.Clone()
		}
	}
	ix.ids, ix.titles, ix.published = makeStrList(ids), makeStrList(titles), makeStrList(published)
	ix.idOrder = make([]int32, ix.n)
	for d := range ix.idOrder {
		ix.idOrder[d] = int32(d)
	}
	slices.SortFunc(ix.idOrder, func(a, b int32) int { return strings.Compare(ids[a], ids[b]) })
	ix.buildTriageSets()
	ix.buildLabels()
	ix.buildHeadlines()
	var ta *termArrays
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ta = ix.buildTerms() }()
	go func() {
		defer wg.Done()
		ix.buildOrders()
		ix.buildOptions()
	}()
	wg.Wait()
	wg.Add(2)
	go func() { defer wg.Done(); ix.buildRelatedNorms(ta) }()
	go func() { defer wg.Done(); ix.buildTitleWords(ta.terms) }()
	wg.Wait()
	ix.lex = ta.pack(ix.n)
	if !keep {
		ix.docs = nil
	}
	return ix
}

// shard is the part of the inverted index one worker builds: its own
// dictionary, and for each of its documents in turn the terms it holds
// with their fields.
type shard struct {
	dict  termTable
	lo    int      // first document
	start []uint32 // postings of document lo+i: tids[start[i]:start[i+1]]
	tids  []uint32
	masks []uint16
	// Word positions: posAt[p] is where posting p's block starts in pos,
	// a uvarint length then the positions as uvarint gaps (see
	// lexicon.pos); each document's text starts are textStarts[i], in
	// the form of textStarts (see Index).
	posAt      []uint32
	pos        []byte
	textStarts []string
}

func (ix *segment) buildTerms() *termArrays {
	n := len(ix.docs)
	workers := min(runtime.GOMAXPROCS(0), 4, max(1, n/256))
	shards := make([]shard, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shards[w] = indexDocs(ix.docs, ix.heads, w*n/workers, (w+1)*n/workers)
		}()
	}
	wg.Wait()

	// Merge: one sorted dictionary, then postings in document order.
	all := map[string]struct{}{}
	for _, s := range shards {
		for _, w := range s.dict.words {
			all[w] = struct{}{}
		}
	}
	terms := make([]string, 0, len(all))
	for w := range all {
		terms = append(terms, w)
	}
	sort.Strings(terms)
	gid := make(map[string]uint32, len(terms))
	for i, w := range terms {
		gid[w] = uint32(i)
	}
	ta := &termArrays{terms: terms, posBufs: make([][]byte, len(shards)), shardLo: make([]int, len(shards))}
	textStarts := make([]string, 0, n)
	remap := make([][]uint32, len(shards)) // shard term id → global
	counts := make([]uint32, len(terms)+1)
	for si, s := range shards {
		remap[si] = make([]uint32, len(s.dict.words))
		for i, w := range s.dict.words {
			remap[si][i] = gid[w]
		}
		for _, t := range s.tids {
			counts[remap[si][t]+1]++
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	total := counts[len(terms)]
	pdoc := make([]uint32, total)
	pmask := make([]uint16, total)
	ppos := make([]uint32, total)
	fill := slices.Clone(counts[:len(terms)])
	for si := range shards {
		s := &shards[si]
		for i := 0; i+1 < len(s.start); i++ {
			d := uint32(s.lo + i)
			for p := s.start[i]; p < s.start[i+1]; p++ {
				g := remap[si][s.tids[p]]
				pdoc[fill[g]] = d
				pmask[fill[g]] = s.masks[p]
				ppos[fill[g]] = s.posAt[p]
				fill[g]++
			}
		}
		ta.posBufs[si], ta.shardLo[si] = s.pos, s.lo
		textStarts = append(textStarts, s.textStarts...)
		*s = shard{} // let the collector have it
	}
	ta.off, ta.pdoc, ta.pmask, ta.ppos = counts, pdoc, pmask, ppos
	ix.textStarts = makeStrList(textStarts)
	ta.df = make([]uint32, len(terms))
	for i := range terms {
		ta.df[i] = counts[i+1] - counts[i]
	}
	ta.short = shortPrefixes(ta, n)
	return ta
}

// indexDocs collects the terms of docs[lo:hi].
func indexDocs(docs []incident.Incident, heads []headline, lo, hi int) shard {
	s := shard{lo: lo, start: make([]uint32, 1, hi-lo+1)}
	s.dict.init(1 << 15)
	// about 600 distinct words an incident
	s.tids = make([]uint32, 0, (hi-lo)*640)
	s.masks = make([]uint16, 0, (hi-lo)*640)
	s.posAt = make([]uint32, 0, (hi-lo)*640)
	s.pos = make([]byte, 0, (hi-lo)*4096)
	s.textStarts = make([]string, 0, hi-lo)
	b := docIndexer{s: &s}
	for d := lo; d < hi; d++ {
		b.addDoc(&docs[d], heads[d].target)
	}
	return s
}

// docIndexer adds the words of one document's texts to a shard.
type docIndexer struct {
	s    *shard
	mark []uint16 // fields of term t in the current document
	buf  []byte

	// The current document's words in order: occ[i] is the term of the
	// word at position occPos[i]. next is the next word's position;
	// each text starts one past the position after the last word of the
	// one before, so that no phrase runs from one text into the next and
	// every text has a start of its own.
	occ, occPos []uint32
	next        uint32
	starts      []byte   // uvarint gaps between the texts' first positions
	lastStart   uint32   // first position of the last text begun
	slot        []uint32 // per term: its place among the document's terms
	posBuf      []uint32
}

// addDoc adds the words of one document, with their fields and positions.
func (b *docIndexer) addDoc(in *incident.Incident, headline string) {
	s := b.s
	first := len(s.tids)
	b.occ, b.occPos, b.next, b.starts, b.lastStart = b.occ[:0], b.occPos[:0], 0, b.starts[:0], 0
	texts := 0
	fieldText(in, func(bits uint16, text string) {
		if texts > 0 {
			b.next++
		}
		texts++
		b.starts = binary.AppendUvarint(b.starts, uint64(b.next-b.lastStart))
		b.lastStart = b.next
		b.addText(bits, text)
	})
	b.addPairs(headline)
	for _, id := range s.tids[first:] {
		s.masks = append(s.masks, b.mark[id])
		b.mark[id] = 0
	}
	b.addPositions(s.tids[first:])
	s.textStarts = append(s.textStarts, string(b.starts))
	s.start = append(s.start, uint32(len(s.tids)))
}

// addPositions writes the position block of each of the document's terms
// (tids, in the order of their postings) by a counting sort of its words.
func (b *docIndexer) addPositions(tids []uint32) {
	s := b.s
	for len(b.slot) < len(s.dict.words) {
		b.slot = append(b.slot, 0)
	}
	count := make([]uint32, len(tids)+1)
	for j, id := range tids {
		b.slot[id] = uint32(j)
	}
	for _, id := range b.occ {
		count[b.slot[id]+1]++
	}
	for j := 1; j < len(count); j++ {
		count[j] += count[j-1]
	}
	b.posBuf = slices.Grow(b.posBuf[:0], len(b.occ))[:len(b.occ)]
	fill := slices.Clone(count[:len(tids)])
	for i, id := range b.occ {
		j := b.slot[id]
		b.posBuf[fill[j]] = b.occPos[i]
		fill[j]++
	}
	var block []byte
	for j := range tids {
		block = block[:0]
		prev := uint32(0)
		for _, p := range b.posBuf[count[j]:count[j+1]] {
			block = binary.AppendUvarint(block, uint64(p-prev))
			prev = p
		}
		s.posAt = append(s.posAt, uint32(len(s.pos)))
		s.pos = binary.AppendUvarint(s.pos, uint64(len(block)))
		s.pos = append(s.pos, block...)
	}
}

// Byte classes for the tokeniser's ASCII fast path.
var (
	asciiAlnum [256]bool
	asciiLower [256]byte
)

func init() {
	for c := range 256 {
		asciiAlnum[c] = c < 0x80 && isAlnum(byte(c))
		asciiLower[c] = byte(c) | lowerBit(byte(c))
	}
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// addText is scanWords specialised for building: it hashes while it
// folds and takes lower-case words straight from the text.
func (b *docIndexer) addText(bits uint16, text string) {
	i := 0
	for i < len(text) {
		if c := text[i]; c < 0x80 && !asciiAlnum[c] {
			i++
			continue
		}
		start := i
		h := uint64(fnvOffset)
		var packed uint64
		upper, ascii := false, true
		for ; i < len(text); i++ {
			c := text[i]
			if c >= 0x80 {
				ascii = false
				continue
			}
			if !asciiAlnum[c] {
				break
			}
			lc := asciiLower[c]
			upper = upper || lc != c
			h = (h ^ uint64(lc)) * fnvPrime
			if k := i - start; k < 8 {
				packed |= uint64(lc) << (8 * k)
			}
		}
		switch {
		case !ascii:
			for _, w := range incident.Words(text[start:i]) {
				b.add(termID(&b.s.dict, w, hashWord([]byte(w)), pack(w)), bits)
			}
		case upper:
			b.buf = b.buf[:0]
			for k := start; k < i; k++ {
				b.buf = append(b.buf, asciiLower[text[k]])
			}
			b.add(termID(&b.s.dict, b.buf, mixHash(h), packed), bits)
		default:
			b.add(termID(&b.s.dict, text[start:i], mixHash(h), packed), bits)
		}
	}
}

// addPairs adds the headline pair terms of a folded headline target (see
// pairTerm).
func (b *docIndexer) addPairs(t string) {
	var w [3]byte
	eachPair(t, func(c0, c1 byte) {
		w = [3]byte{pairMark, c0, c1}
		id := termID(&b.s.dict, w[:], hashWord(w[:]), pack(w[:]))
		if int(id) == len(b.mark) {
			b.mark = append(b.mark, 0)
		}
		if b.mark[id] == 0 {
			b.s.tids = append(b.s.tids, id)
		}
		b.mark[id] |= fPair
	})
}

func (b *docIndexer) add(id uint32, bits uint16) {
	if int(id) == len(b.mark) {
		b.mark = append(b.mark, 0)
	}
	b.occ = append(b.occ, id)
	b.occPos = append(b.occPos, b.next)
	b.next++
	if b.mark[id] == 0 {
		b.s.tids = append(b.s.tids, id)
	}
	b.mark[id] |= bits
}

// termTable numbers words: an open-addressing hash table, faster than a
// map for the tens of millions of lookups of a build. A slot is 16 bytes:
// the first 8 bytes of the word, its length and 24 bits of hash, and its
// number; only a word longer than 8 bytes is compared in full.
type termTable struct {
	slots []termSlot
	words []string // per term id
}

type termSlot struct {
	packed uint64 // the word's first 8 bytes
	key    uint32 // length (capped at 255) << 24 | 24 bits of hash
	id     uint32 // term id + 1, 0 for an empty slot
}

func (t *termTable) init(size int) { t.slots = make([]termSlot, size) }

func hashWord(w []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range w {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return mixHash(h)
}

func mixHash(h uint64) uint64 { return h ^ h>>29 }

// pack returns the first 8 bytes of w as a number.
func pack[W string | []byte](w W) uint64 {
	var p uint64
	for k := 0; k < len(w) && k < 8; k++ {
		p |= uint64(w[k]) << (8 * k)
	}
	return p
}

// termID returns the number of w, whose hash is h and first bytes packed,
// adding it if new.
func termID[W string | []byte](t *termTable, w W, h, packed uint64) uint32 {
	key := uint32(min(len(w), 255))<<24 | uint32(h>>40)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id == 0 {
			id := uint32(len(t.words))
			*s = termSlot{packed, key, id + 1}
			t.words = append(t.words, string(w))
			if len(t.words)*2 > len(t.slots) {
				t.grow()
			}
			return id
		}
		if s.key == key && s.packed == packed && (len(w) <= 8 || t.words[s.id-1] == string(w)) {
			return s.id - 1
		}
	}
}

func (t *termTable) grow() {
	old := t.slots
	t.slots = make([]termSlot, len(old)*2)
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.id == 0 {
			continue
		}
		w := t.words[s.id-1]
		i := hashWord([]byte(w)) & mask
		for t.slots[i].id != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// termRange returns the range of term numbers matching w exactly or, with
// prefix, every term starting with w.
func (ix *segment) termRange(w string, prefix bool) (int, int) { return ix.lex.find(w, prefix) }

func (ix *segment) buildOrders() {
	n := len(ix.docs)
	ix.year = make([]int16, n)
	for d := range ix.docs {
		y := ix.docs[d].Year()
		v := 0
		for _, c := range []byte(y) {
			if c < '0' || c > '9' {
				v = 0
				break
			}
			v = v*10 + int(c-'0')
		}
		ix.year[d] = int16(v)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		if c := strings.Compare(ix.docs[a].Published, ix.docs[b].Published); c != 0 {
			return c
		}
		return strings.Compare(ix.sortTitles.view(int(a)), ix.sortTitles.view(int(b)))
	})
	ix.dateRank = make([]int32, n)
	for r, d := range order {
		ix.dateRank[d] = int32(r)
	}
	ix.dateOrder = slices.Clone(order)
	slices.SortStableFunc(order, func(a, b int32) int {
		if c := strings.Compare(ix.sortTitles.view(int(a)), ix.sortTitles.view(int(b))); c != 0 {
			return c
		}
		return strings.Compare(ix.docs[a].Published, ix.docs[b].Published)
	})
	ix.titleOrder = order
}

func (ix *segment) buildOptions() {
	n := len(ix.docs)
	ix.optID = map[catOpt]int{}
	add := func(ci int, cat, opt string) int {
		k := catOpt{cat, opt}
		if id, ok := ix.optID[k]; ok {
			return id
		}
		id := len(ix.optName)
		ix.optID[k] = id
		ix.optCat = append(ix.optCat, ci)
		ix.optName = append(ix.optName, opt)
		ix.optDocs = append(ix.optDocs, newBitset(n))
		return id
	}
	for ci, c := range incident.Categories {
		for _, o := range c.Options {
			add(ci, c.Key, o)
		}
	}
	ix.docOptOff = make([]uint32, n+1)
	for d := range ix.docs {
		for ci, key := range dims {
			for _, o := range dimOptions(&ix.docs[d], ci, key) {
				if o == "" || len(ix.optName) > maxOptions && ix.optID[catOpt{key, o}] == 0 {
					continue
				}
				id := add(ci, key, o)
				if !ix.optDocs[id].has(d) {
					ix.optDocs[id].set(d)
					ix.docOpt = append(ix.docOpt, uint16(id))
				}
			}
		}
		ix.docOptOff[d+1] = uint32(len(ix.docOpt))
	}
}

// maxOptions bounds the options of the index: option numbers are 16-bit.
const maxOptions = 1<<16 - 1

// dims are the keys of what the index counts as facets, in order: the
// taxonomy categories, then the dimensions incidents have beside them.
var dims = func() []string {
	out := make([]string, 0, len(incident.Categories)+1)
	for _, c := range incident.Categories {
		out = append(out, c.Key)
	}
	return append(out, FacetSource)
}()

// FacetSource is the facet of where incidents came from: the family of
// their forms (fail, starter, faultline, …) and the forms themselves.
const FacetSource = "source"

// dimOptions returns the options of document in in dimension ci (key).
func dimOptions(in *incident.Incident, ci int, key string) []string {
	if ci < len(incident.Categories) {
		// as a reviewer corrected them
		opts := in.Triage.EffectiveTaxonomy(in.Taxonomy)[key].Options
		out := make([]string, 0, len(opts))
		for _, o := range opts {
			c, _ := incident.CanonicalOption(key, o)
			out = append(out, c)
		}
		return out
	}
	var out []string
	for _, s := range in.Sources {
		out = append(out, s.Family(), strings.ToLower(s.Form))
	}
	return out
}

// buildTitleWords notes the words of each title with their numbers among
// terms, the sorted terms of the index.
func (ix *segment) buildTitleWords(terms []string) {
	ix.titleWordOff = make([]uint32, len(ix.docs)+1)
	var buf []byte
	for d := range ix.docs {
		k := 0
		buf = scanWords(ix.docs[d].Title, buf, func(w []byte, start, end int) {
			if k == maxTitleWords {
				return
			}
			k++
			lo := sort.SearchStrings(terms, string(w))
			if lo < len(terms) && terms[lo] == string(w) {
				ascii := uint32(1)
				for _, c := range []byte(ix.docs[d].Title[start:end]) {
					if c >= 0x80 {
						ascii = 0
					}
				}
				ix.titleWords = append(ix.titleWords, titleWord{uint32(lo), uint32(start), uint32(end), ascii})
			}
		})
		ix.titleWordOff[d+1] = uint32(len(ix.titleWords))
	}
}

// shortPrefixes returns the sets of the prefixes of up to shortPrefix
// bytes whose terms' postings cover shortMinPost × n.
func shortPrefixes(ta *termArrays, n int) map[string]*prefixSets {
	short := map[string]*prefixSets{}
	for l := 1; l <= shortPrefix; l++ {
		for lo := 0; lo < len(ta.terms); {
			t := ta.terms[lo]
			if len(t) < l || t[0] == pairMark {
				lo++
				continue
			}
			p := t[:l]
			hi := lo + 1
			for hi < len(ta.terms) && strings.HasPrefix(ta.terms[hi], p) {
				hi++
			}
			if int(ta.off[hi]-ta.off[lo]) >= shortMinPost*n {
				ps := &prefixSets{any: newBitset(n), headline: newBitset(n), title: newBitset(n)}
				for k := ta.off[lo]; k < ta.off[hi]; k++ {
					d, m := ta.pdoc[k], ta.pmask[k]
					if m&fAll == 0 {
						continue // only in a field a bare word does not search
					}
					bit := uint64(1) << (d & 63)
					ps.any[d>>6] |= bit
					if m&fHeadline != 0 {
						ps.headline[d>>6] |= bit
					}
					if m&fTitle != 0 {
						ps.title[d>>6] |= bit
					}
				}
				short[p] = ps
			}
			lo = hi
		}
	}
	return short
}
