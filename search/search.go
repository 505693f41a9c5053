package search

import (
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

// Search runs q over the index: each segment filters its documents
// (filter) and counts their facets (facets) and ranks them (rank) with
// statistics over all segments, and the segments' hits are merged.
func (ix *Index) Search(q Query, opts Options) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := ix.queryStats(&q)
	scored := q.HasText()
	acc, lists, _, total := ix.searchSegments(&q, st, opts, scored)
	res := acc.result()
	res.Total = total
	res.Hits = ix.merge(lists, opts, opts.Limit, scored)
	return res
}

// searchSegments filters, counts and ranks every segment, side by side
// (inParallel), each worker with counts of its own, summed at the end. It
// returns the counts, each segment's ranked hits and filter, and the
// total.
func (ix *Index) searchSegments(q *Query, st *queryStats, opts Options, scored bool) (*facetCounts, []rankedList, []*filtered, int) {
	lists := make([]rankedList, len(ix.segs))
	fs := make([]*filtered, len(ix.segs))
	accs := make([]*facetCounts, workers(len(ix.segs)))
	totals := make([]int, len(accs))
	for w := range accs {
		accs[w] = newFacetCounts(ix)
	}
	inParallel(len(accs), len(ix.segs), func(w, si int) {
		sg := ix.segs[si]
		f := sg.filter(q, st, si)
		totals[w] += f.final.count()
		accs[w].add(sg, f)
		lists[si] = sg.rank(f, opts, opts.Limit, scored)
		fs[si] = f
	})
	total := totals[0]
	for w := 1; w < len(accs); w++ {
		accs[0].merge(accs[w])
		total += totals[w]
	}
	return accs[0], lists, fs, total
}
