package search

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Sort orders search results.
type Sort int

const (
	// Relevance puts the best-scoring incident first; equal scores (every
	// score, for a query without words) fall back to Date.
	Relevance Sort = iota
	// Date puts the most recently published incident first.
	Date
	// Title orders by normalised title, A first.
	Title
)

// String names the sort order as the CLI and TUI show it.
func (s Sort) String() string {
	switch s {
	case Relevance:
		return "relevance"
	case Date:
		return "date"
	case Title:
		return "title"
	}
	return "sort(" + strconv.Itoa(int(s)) + ")"
}

// ParseSort reads a sort order by name.
func ParseSort(name string) (Sort, bool) {
	for _, s := range []Sort{Relevance, Date, Title} {
		if s.String() == strings.ToLower(name) {
			return s, true
		}
	}
	return 0, false
}

// Options shape a search's hits. Reverse turns the order round; Limit > 0
// keeps only the first Limit hits (Total still counts them all).
type Options struct {
	Sort    Sort
	Reverse bool
	Limit   int
}

// Result is what a search found.
type Result struct {
	Total int   // incidents that matched
	Hits  []Hit // in order, at most Options.Limit
	// Facets counts, per category key and canonical option, the matching
	// incidents holding the option, as if the query's own terms on that
	// category were absent (so selecting an option does not hide its
	// siblings). Options with no incident are left out. Beside the
	// taxonomy it holds the triage under FacetTriage, FacetStarred and
	// FacetTag, each counted as if the query's terms of that kind were
	// absent; a key with no count is left out.
	Facets map[string]map[string]int
	// Years counts matching incidents per published year ("2019"), as if
	// the query had no year: terms.
	Years map[string]int
	// Counts and YearCounts count the matching incidents themselves, per
	// option and per year, with every term applied: what a summary of the
	// filtered set shows, where Facets shows what a click would give.
	// Counts holds the triage keys of Facets too.
	Counts     map[string]map[string]int
	YearCounts map[string]int
}

// Hit is one matching incident.
type Hit struct {
	ID        string
	Title     string // as given: sanitise it to show it
	Published string
	Score     float64
}

// Field weights: a word in the title counts most, in the rest of the
// headline (system, organisations) next, then the summary, then the other
// postmortem fields, then the Markdown body, and least in a taxonomy
// rationale.
const (
	wTitle     = 8
	wHeadline  = 4
	wSummary   = 2
	wField     = 1
	wBody      = 0.5
	wRationale = 0.25
)

var fieldWeight = func() []float32 {
	t := make([]float32, fAll|fSource+1)
	for m := range t {
		mm := uint16(m)
		switch {
		case mm&fTitle != 0:
			t[m] = wTitle
		case mm&fHeadline != 0:
			t[m] = wHeadline
		case mm&fSummary != 0:
			t[m] = wSummary
		case mm&^(fRationale|fBody) != 0:
			t[m] = wField
		case mm&fBody != 0:
			t[m] = wBody
		case mm != 0:
			t[m] = wRationale
		}
	}
	return t
}()

// Search runs q over the index.
func (ix *Index) Search(q Query, opts Options) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := ix.n
	s := searcher{ix: ix, score: make([]float32, n), tmp: make([]float32, n)}

	base := newBitset(n)
	base.fill(n)
	var fuzzyHits []fuzzyHit
	if len(q.free) > 0 {
		words := newBitset(n)
		words.fill(n)
		for _, t := range q.text {
			if t.free {
				words.and(s.termSet(t))
			}
		}
		fuzzyHits = ix.fuzzyHeadlines(strings.Join(q.free, " "))
		maxIdf := float32(math.Log(1 + float64(n)))
		for _, fh := range fuzzyHits {
			d := fh.doc
			words.set(int(d))
			w := float32(wHeadline)
			if fh.inTitle {
				w = wTitle
			}
			// An abbreviation is worth about half a rare word per word,
			// more the tighter the match.
			qual := 0.5 + 0.5/(1+float32(math.Exp(-float64(fh.score)/20)))
			s.score[d] += w * maxIdf * 0.5 * float32(len(q.free)) * qual
		}
		base.and(words)
	}
	for _, t := range q.text {
		if t.free {
			continue
		}
		set := s.termSet(t)
		if t.neg {
			base.andNot(set)
		} else {
			base.and(set)
		}
	}
	// Triage clauses, by group, kept apart for disjunctive triage counts;
	// base holds them all, so the taxonomy and year counts see them.
	triSets := ix.triageSets(&q, base)
	textSet := base
	if q.triageTerms() != 0 {
		textSet = slices.Clone(base)
		for _, ts := range triSets {
			if ts != nil {
				base.and(ts)
			}
		}
	}

	// Category and year clauses, kept apart for disjunctive facet counts.
	var catSets []bitset
	var catIdx []int
	for ci, key := range dims {
		if set := ix.categorySet(q, key); set != nil {
			catSets = append(catSets, set)
			catIdx = append(catIdx, ci)
		}
	}
	var yearSet bitset
	if len(q.years) > 0 {
		yearSet = ix.yearSet(q)
	}
	final := slices.Clone(base)
	for _, cs := range catSets {
		final.and(cs)
	}
	if yearSet != nil {
		final.and(yearSet)
	}

	res := Result{Total: final.count(), Facets: map[string]map[string]int{}, Years: map[string]int{},
		Counts: map[string]map[string]int{}}
	// Ranking and facet counting read the same sets: do them at once.
	ranked := make(chan []Hit, 1)
	go func() {
		docs := s.rank(final, opts, res.Total, q.HasText())
		ranked <- ix.hits(docs, s.score)
	}()
	counts := make([]int, len(ix.optName))
	ix.countOptions(final, -1, counts)
	ix.optionMaps(counts, res.Counts)
	for k, ci := range catIdx {
		others := slices.Clone(base)
		for j, cs := range catSets {
			if j != k {
				others.and(cs)
			}
		}
		if yearSet != nil {
			others.and(yearSet)
		}
		ix.countOptions(others, ci, counts)
	}
	ix.optionMaps(counts, res.Facets)
	own := q.triageTerms()
	all := uint8(1<<triageGroups - 1)
	tc := ix.countTriage(final, all)
	tc.addTo(res.Counts, all)
	tc.addTo(res.Facets, all&^own)
	for g, gs := range triSets {
		if gs == nil {
			continue
		}
		others := slices.Clone(textSet)
		for j, ts := range triSets {
			if j != g && ts != nil {
				others.and(ts)
			}
		}
		for _, cs := range catSets {
			others.and(cs)
		}
		if yearSet != nil {
			others.and(yearSet)
		}
		ix.countTriage(others, 1<<g).addTo(res.Facets, 1<<g)
	}
	res.YearCounts = ix.countYears(final)
	res.Years = res.YearCounts
	if yearSet != nil {
		yset := slices.Clone(base)
		for _, cs := range catSets {
			yset.and(cs)
		}
		res.Years = ix.countYears(yset)
	}

	res.Hits = <-ranked
	return res
}

// searcher holds the scratch space of one search.
type searcher struct {
	ix    *Index
	score []float32 // relevance, summed over the positive terms
	tmp   []float32 // one term's best weight per document
	docs  []uint32  // one term's postings
	masks []uint16
}

// termSet returns the documents matching t and, for a positive term, adds
// its weight to each document's score.
func (s *searcher) termSet(t textTerm) bitset {
	ix := s.ix
	n := ix.n
	if len(t.words) == 1 && t.prefix && t.fields == fAll && !t.neg {
		if ps := ix.lex.short(t.words[0]); ps != nil {
			ps.any.each(func(d int) {
				w := float32(wField)
				if ps.title.has(d) {
					w = wTitle
				} else if ps.headline.has(d) {
					w = wHeadline
				}
				s.score[d] += w * ps.idf
			})
			return ps.any
		}
	}
	set := newBitset(n)
	phrase := len(t.words) > 1
	for wi, w := range t.words {
		prefix := t.prefix && wi == len(t.words)-1
		lo, hi := ix.termRange(w, prefix)
		ws := set
		if wi > 0 {
			ws = newBitset(n)
		}
		for ti := lo; ti < hi; ti++ {
			idf := ix.lex.idfOf(ti)
			s.docs, s.masks = ix.lex.postings(ti, s.docs[:0], s.masks[:0])
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
	if phrase {
		ix.keepPhrases(t, set)
	}
	return set
}

// categorySet returns the documents passing q's terms on category cat, or
// nil when q has none.
func (ix *Index) categorySet(q Query, cat string) bitset {
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

func (ix *Index) yearSet(q Query) bitset {
	n := ix.n
	set := newBitset(n)
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

// countOptions adds to counts the options of the documents in set: of every
// category when only < 0, else of category only.
// optionMaps adds the non-zero counts, indexed by option number, to out by
// category key and option name.
func (ix *Index) optionMaps(counts []int, out map[string]map[string]int) {
	for id, c := range counts {
		if c == 0 {
			continue
		}
		cat := dims[ix.optCat[id]]
		m := out[cat]
		if m == nil {
			m = map[string]int{}
			out[cat] = m
		}
		m[ix.optName[id]] = c
	}
}

// countYears counts the documents of set per published year.
func (ix *Index) countYears(set bitset) map[string]int {
	var years [1 << 12]int32
	set.each(func(d int) { years[ix.year[d]&(1<<12-1)]++ })
	out := map[string]int{}
	for y, c := range years {
		if y > 0 && c > 0 {
			out[strconv.Itoa(y)] = int(c)
		}
	}
	return out
}

func (ix *Index) countOptions(set bitset, only int, counts []int) {
	if only >= 0 {
		for id := range counts {
			if ix.optCat[id] == only {
				counts[id] = 0
			}
		}
	}
	set.each(func(d int) {
		for _, id := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
			if int(id) < len(counts) && (only < 0 || ix.optCat[id] == only) {
				counts[id]++
			}
		}
	})
}

// rank orders the documents in set and keeps the first opts.Limit.
func (s *searcher) rank(set bitset, opts Options, total int, scored bool) []int32 {
	ix := s.ix
	n := ix.n
	limit := total
	if opts.Limit > 0 && opts.Limit < total {
		limit = opts.Limit
	}
	out := make([]int32, 0, limit)
	if opts.Sort == Date || opts.Sort == Title || !scored {
		// Walk a precomputed order: no sorting.
		order := ix.dateOrder
		desc := true
		if opts.Sort == Title {
			order, desc = ix.titleOrder, false
		}
		if opts.Reverse {
			desc = !desc
		}
		for i := range n {
			if len(out) == limit {
				break
			}
			d := order[i]
			if desc {
				d = order[n-1-i]
			}
			if set.has(int(d)) {
				out = append(out, d)
			}
		}
		return out
	}
	// Relevance: sort keys of score (descending), then date (newest
	// first); the date rank is unique, so it names the document.
	keys := make([]uint64, 0, total)
	set.each(func(d int) {
		sc := math.Float32bits(s.score[d]) // scores are >= 0: bits order as values
		keys = append(keys, uint64(^sc)<<32|uint64(uint32(n-1-int(ix.dateRank[d]))))
	})
	slices.Sort(keys)
	if opts.Reverse {
		slices.Reverse(keys)
	}
	for _, k := range keys[:limit] {
		out = append(out, ix.dateOrder[n-1-int(uint32(k))])
	}
	return out
}

// hits makes the Hits of the ranked documents.
func (ix *Index) hits(docs []int32, score []float32) []Hit {
	hits := make([]Hit, len(docs))
	for i, d := range docs {
		hits[i] = Hit{ID: ix.ids.at(int(d)), Title: ix.titles.at(int(d)), Published: ix.published.at(int(d)), Score: float64(score[d])}
	}
	return hits
}

// TitleMatches returns the byte offsets, ascending, of the characters of
// the title of incident id that q matched: the letters its words
// abbreviate and the words its terms find. They are worked out on demand,
// for the hits on screen, rather than for every hit of every keystroke.
func (ix *Index) TitleMatches(q Query, id string) []int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d, ok := ix.lookup(id)
	if !ok {
		return nil
	}
	pattern := strings.Join(q.free, " ")
	fuzzy := len(pattern)-strings.Count(pattern, " ") >= minFuzzy
	return ix.titleMatches(nil, d, q.titleRanges(ix), fuzzy, pattern)
}

// termSpan is a range of term numbers a query word matches.
type termSpan struct{ lo, hi uint32 }

// titleRanges returns the term ranges of the query's positive words that
// may match a title.
func (q Query) titleRanges(ix *Index) []termSpan {
	var out []termSpan
	for _, t := range q.text {
		if t.neg || t.fields&fTitle == 0 {
			continue
		}
		for i, w := range t.words {
			lo, hi := ix.termRange(w, t.prefix && i == len(t.words)-1)
			if lo < hi {
				out = append(out, termSpan{uint32(lo), uint32(hi)})
			}
		}
	}
	return out
}

// titleMatches appends to offs the byte offsets of the title characters
// that the query matched, ascending: those of the fuzzy headline match and
// of whole words.
func (ix *Index) titleMatches(offs []int, d int, ranges []termSpan, fuzzyTitle bool, pattern string) []int {
	start := len(offs)
	if fuzzyTitle {
		offs = ix.fuzzyOffsets(d, pattern, offs)
	}
	if len(ranges) > 0 {
		title := ix.titles.view(d)
		for _, tw := range ix.titleWords[ix.titleWordOff[d]:ix.titleWordOff[d+1]] {
			if tw.start > tw.end || int(tw.end) > len(title) {
				continue // damaged: see check
			}
			for _, r := range ranges {
				if tw.term >= r.lo && tw.term < r.hi {
					if tw.ascii == 1 {
						for k := tw.start; k < tw.end; k++ {
							offs = append(offs, int(k))
						}
						break
					}
					for k := range title[tw.start:tw.end] {
						offs = append(offs, int(tw.start)+k)
					}
					break
				}
			}
		}
	}
	if fuzzyTitle && len(ranges) > 0 {
		slices.Sort(offs[start:])
		offs = append(offs[:start], slices.Compact(offs[start:])...)
	}
	return offs
}

// Highlight returns the byte offsets of the characters of s that belong to
// words the query's positive terms match, for highlighting s in a view.
func (q Query) Highlight(s string) []int {
	var offs []int
	scanWords(s, nil, func(w []byte, start, end int) {
		for _, t := range q.text {
			if t.neg {
				continue
			}
			for i, tw := range t.words {
				prefix := t.prefix && i == len(t.words)-1
				if string(w) == tw || prefix && strings.HasPrefix(string(w), tw) {
					for k := range s[start:end] {
						offs = append(offs, start+k)
					}
					return
				}
			}
		}
	})
	return offs
}
