package search

import (
	"bytes"
	"math"
	"slices"
	"strings"
)

// queryStats are what a search needs to know of all segments: the N and
// document frequencies of idf, so that a word weighs the same in every
// segment, and whether a short prefix has precomputed sets in all of them.
type queryStats struct {
	n      int
	maxIdf float32
	// words[si][ti][wi]: the terms word wi of text term ti matches in
	// segment si, with their frequencies over all segments.
	words [][][]wordRange
	// short[ti][si]: the prefix sets of text term ti in segment si, when
	// every segment has them; shortIdf[ti] their idf.
	short    [][]*prefixSets
	shortIdf []float32
	// abbrev: the free words are also tried as an abbreviation (see
	// Index.abbreviates)
	abbrev bool
}

// wordRange is the range of term numbers a query word matches in one
// segment; df[t-lo] is the number of documents of all segments holding
// term t.
type wordRange struct {
	lo, hi int
	df     []uint32
}

func (r wordRange) idf(n, t int) float32 {
	return float32(math.Log(1 + float64(n)/float64(max(1, r.df[t-r.lo]))))
}

func (ix *Index) queryStats(q *Query) *queryStats {
	st := &queryStats{n: ix.docs(), abbrev: ix.abbreviates(q)}
	st.maxIdf = float32(math.Log(1 + float64(st.n)))
	st.words = make([][][]wordRange, len(ix.segs))
	for si := range ix.segs {
		st.words[si] = make([][]wordRange, len(q.text))
	}
	st.short = make([][]*prefixSets, len(q.text))
	st.shortIdf = make([]float32, len(q.text))
	for ti, t := range q.text {
		if len(t.words) == 1 && t.prefix && t.fields == fAll && !t.neg {
			if sets, count := ix.shortSets(t.words[0]); sets != nil {
				st.short[ti] = sets
				st.shortIdf[ti] = float32(math.Log(1 + float64(st.n)/float64(max(1, count))))
				continue
			}
		}
		for wi, w := range t.words {
			rs := ix.wordRanges(w, t.prefix && wi == len(t.words)-1)
			for si := range ix.segs {
				st.words[si][ti] = append(st.words[si][ti], rs[si])
			}
		}
	}
	return st
}

// abbreviates reports whether q's free words are also tried as an
// abbreviation of the headlines: unless every one of them is a word of
// the index. An abbreviation is for what is not a word (smrt, twtr), and
// trying a word (sluice) on every headline its letters allow was most of
// a rare word's search.
func (ix *Index) abbreviates(q *Query) bool {
	if len(q.free) == 0 {
		return false
	}
	for _, t := range q.text {
		if !t.free {
			continue
		}
		for _, w := range t.words {
			if !ix.hasWord(w) {
				return true
			}
		}
	}
	return false
}

// hasWord reports whether w is a word of some incident of the index.
func (ix *Index) hasWord(w string) bool {
	for _, sg := range ix.segs {
		if lo, hi := sg.lex.find(w, false); lo < hi {
			return true
		}
	}
	return false
}

// shortSets returns the precomputed sets of prefix p of every segment and
// the number of documents they hold, or nil unless every segment has them.
func (ix *Index) shortSets(p string) ([]*prefixSets, int) {
	sets := make([]*prefixSets, len(ix.segs))
	count := 0
	for si, sg := range ix.segs {
		if sets[si] = sg.lex.short(p); sets[si] == nil {
			return nil, 0
		}
		count += sets[si].any.count()
	}
	return sets, count
}

// wordRanges returns, per segment, the terms w matches (exactly or, with
// prefix, as a prefix) with their frequencies summed over the segments: a
// merge of the segments' sorted terms.
func (ix *Index) wordRanges(w string, prefix bool) []wordRange {
	out := make([]wordRange, len(ix.segs))
	local := make([][]uint32, len(ix.segs))
	for si, sg := range ix.segs {
		lo, hi := sg.lex.find(w, prefix)
		out[si] = wordRange{lo: lo, hi: hi, df: make([]uint32, hi-lo)}
		for t := lo; t < hi; t++ {
			out[si].df[t-lo] = sg.lex.dfOf(t)
		}
		local[si] = slices.Clone(out[si].df)
	}
	if len(ix.segs) < 2 {
		return out
	}
	cur := make([]int, len(ix.segs))
	for {
		var least []byte
		found := false
		for si, sg := range ix.segs {
			if r := out[si]; r.lo+cur[si] < r.hi {
				t := sg.lex.term(r.lo + cur[si])
				if !found || bytes.Compare(t, least) < 0 {
					least, found = t, true
				}
			}
		}
		if !found {
			return out
		}
		sum := uint32(0)
		for si, sg := range ix.segs {
			if r := out[si]; r.lo+cur[si] < r.hi && bytes.Equal(sg.lex.term(r.lo+cur[si]), least) {
				sum += local[si][cur[si]]
			}
		}
		for si, sg := range ix.segs {
			if r := out[si]; r.lo+cur[si] < r.hi && bytes.Equal(sg.lex.term(r.lo+cur[si]), least) {
				out[si].df[cur[si]] = sum
				cur[si]++
			}
		}
	}
}

// filtered holds the sets one segment's documents fall in for a query,
// kept apart by kind of term for the disjunctive facet counts.
type filtered struct {
	s       *searcher
	base    bitset // live documents passing the text and triage terms
	textSet bitset // those passing the text terms
	triSets [triageGroups]bitset
	catSets []bitset // per category with terms (catIdx), those passing them
	catIdx  []int
	yearSet bitset // those passing the year terms, nil without
	final   bitset // every term applied
}

// filter finds the documents of segment si that match q.
func (ix *segment) filter(q *Query, st *queryStats, si int) *filtered {
	n := ix.n
	s := &searcher{ix: ix, st: st, words: st.words[si], si: si, score: make([]float32, n), tmp: make([]float32, n)}
	f := &filtered{s: s}
	for ci, key := range dims {
		if set := ix.categorySet(q, key); set != nil {
			f.catSets = append(f.catSets, set)
			f.catIdx = append(f.catIdx, ci)
		}
	}
	if len(q.years) > 0 {
		f.yearSet = ix.yearSet(q)
	}
	base := ix.live()
	if skipNearlyNone && f.nearlyNone() {
		base = newBitset(n)
	} else {
		s.textTerms(q, base)
	}
	// Triage clauses, by group, kept apart for disjunctive triage counts;
	// base holds them all, so the taxonomy and year counts see them.
	f.triSets = ix.triageSets(q, base)
	f.textSet = base
	if q.triageTerms() != 0 {
		f.textSet = slices.Clone(base)
		for _, ts := range f.triSets {
			if ts != nil {
				base.and(ts)
			}
		}
	}
	f.base = base
	f.final = f.others(base, -1)
	return f
}

// textTerms keeps in base the documents passing q's text terms, free
// words (or their abbreviation) and fields alike, and scores them.
func (s *searcher) textTerms(q *Query, base bitset) {
	ix, st, n := s.ix, s.st, s.ix.n
	if len(q.free) > 0 {
		words := newBitset(n)
		words.fill(n)
		for ti, t := range q.text {
			if t.free {
				words.and(s.termSet(ti, t))
			}
		}
		var abbrevs []fuzzyHit
		if st.abbrev {
			abbrevs = ix.fuzzyHeadlines(strings.Join(q.free, " "), words)
		}
		for _, fh := range abbrevs {
			d := fh.doc
			words.set(int(d))
			w := float32(wHeadline)
			if fh.inTitle {
				w = wTitle
			}
			// An abbreviation is worth about half a rare word per word,
			// more the tighter the match.
			qual := 0.5 + 0.5/(1+float32(math.Exp(-float64(fh.score)/20)))
			s.score[d] += w * st.maxIdf * 0.5 * float32(len(q.free)) * qual
		}
		base.and(words)
	}
	for ti, t := range q.text {
		if t.free {
			continue
		}
		set := s.termSet(ti, t)
		if t.neg {
			base.andNot(set)
		} else {
			base.and(set)
		}
	}
}

// skipNearlyNone is off only in tests, which check that it changes no
// answer.
var skipNearlyNone = true

// nearlyNone reports whether no document passes all the category and
// year sets but one. Every set the counts and hits are made of (see
// others) is within such sets, so then all are empty whatever the text
// terms pass, and they need not be read: a word typed after a dozen
// facets, say.
func (f *filtered) nearlyNone() bool {
	sets := f.catSets
	if f.yearSet != nil {
		sets = append(slices.Clip(sets), f.yearSet)
	}
	m := len(sets)
	if m < 2 {
		return false
	}
	// after[i] holds the documents of every set from i on.
	after := make([]bitset, m)
	after[m-1] = sets[m-1]
	for i := m - 2; i >= 1; i-- {
		after[i] = slices.Clone(sets[i])
		after[i].and(after[i+1])
	}
	if after[1].count() > 0 {
		return false
	}
	before := slices.Clone(sets[0]) // of every set before i
	for i := 1; i < m-1; i++ {
		if before.andCount(after[i+1]) > 0 {
			return false
		}
		before.and(sets[i])
	}
	return before.count() == 0
}

// others returns set passing the category terms but those of category
// catSets[skip], and the year terms unless skip is -2.
func (f *filtered) others(set bitset, skip int) bitset {
	out := slices.Clone(set)
	for j, cs := range f.catSets {
		if j != skip {
			out.and(cs)
		}
	}
	if f.yearSet != nil && skip != -2 {
		out.and(f.yearSet)
	}
	return out
}

// searcher holds the scratch space of one segment's search.
type searcher struct {
	ix    *segment
	st    *queryStats
	si    int
	words [][]wordRange // per text term and word: see queryStats
	score []float32     // relevance, summed over the positive terms
	tmp   []float32     // one term's best weight per document
	docs  []uint32      // one term's postings
	masks []uint16
}

// termSet returns the documents matching text term ti, t, and for a
// positive term adds its weight to each document's score.
func (s *searcher) termSet(ti int, t textTerm) bitset {
	ix := s.ix
	n := ix.n
	if sets := s.st.short[ti]; sets != nil {
		ps, idf := sets[s.si], s.st.shortIdf[ti]
		ps.any.each(func(d int) {
			w := float32(wField)
			if ps.title.has(d) {
				w = wTitle
			} else if ps.headline.has(d) {
				w = wHeadline
			}
			s.score[d] += w * idf
		})
		return ps.any
	}
	set := newBitset(n)
	for wi, r := range s.words[ti] {
		ws := set
		if wi > 0 {
			ws = newBitset(n)
		}
		for term := r.lo; term < r.hi; term++ {
			idf := r.idf(s.st.n, term)
			s.docs, s.masks = ix.lex.postings(term, s.docs[:0], s.masks[:0])
			masks := s.masks
			for p, d := range s.docs {
				m := masks[p] & t.fields
				if m == 0 {
					continue
				}
				ws[d>>6] |= 1 << (d & 63)
				if !t.neg {
					if v := idf * fieldWeight[m]; v > s.tmp[d] {
						s.tmp[d] = v
					}
				}
			}
		}
		if wi > 0 {
			set.and(ws)
		}
	}
	if !t.neg {
		// Every word's weight was kept as the best over its prefix
		// matches; credit the documents that hold all of them.
		for d := range s.tmp {
			if s.tmp[d] != 0 {
				if set.has(d) {
					s.score[d] += s.tmp[d]
				}
				s.tmp[d] = 0
			}
		}
	}
	if len(t.words) > 1 {
		ix.keepPhrases(t, s.words[ti], set)
	}
	return set
}

// categorySet returns the documents passing q's terms on category cat, or
// nil when q has none.
func (ix *segment) categorySet(q *Query, cat string) bitset {
	var set bitset
	n := ix.n
	hasPos := false
	for _, c := range q.cats {
		if c.cat != cat {
			continue
		}
		if set == nil {
			set = newBitset(n)
		}
		if !c.neg {
			hasPos = true
			if id, ok := ix.optID[catOpt{cat, c.opt}]; ok {
				set.or(ix.optDocs[id])
			}
		}
	}
	if set == nil {
		return nil
	}
	if !hasPos {
		set.fill(n)
	}
	for _, c := range q.cats {
		if c.cat == cat && c.neg {
			if id, ok := ix.optID[catOpt{cat, c.opt}]; ok {
				set.andNot(ix.optDocs[id])
			}
		}
	}
	return set
}

// yearSet returns the documents passing q's year terms.
func (ix *segment) yearSet(q *Query) bitset {
	set := newBitset(ix.n)
	hasPos := false
	for _, r := range q.years {
		hasPos = hasPos || !r.neg
	}
	for d, y := range ix.year {
		pos, neg := false, false
		for _, r := range q.years {
			if y > 0 && int(y) >= r.lo && int(y) <= r.hi {
				if r.neg {
					neg = true
				} else {
					pos = true
				}
			}
		}
		if (pos || !hasPos) && !neg {
			set.set(d)
		}
	}
	return set
}
