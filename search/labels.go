package search

import "strings"

// FacetLabel is the key of the incidents' own labels (the categories and
// keywords their source gave) in Result.Facets and Result.Counts,
// counted like tags: a label's count ignores the query's own label: terms.
const FacetLabel = "label"

// foldLabel is the form labels are compared in: lower case, single spaces.
func foldLabel(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// buildLabels lists each document's folded labels, without repeats.
func (ix *segment) buildLabels() {
	var all []string
	ix.labelOff = make([]uint32, ix.n+1)
	for d := range ix.docs {
		first := len(all)
		for _, l := range ix.docs[d].Labels {
			f := foldLabel(l)
			dup := f == ""
			for _, x := range all[first:] {
				dup = dup || x == f
			}
			if !dup {
				all = append(all, f)
			}
		}
		ix.labelOff[d+1] = uint32(len(all))
	}
	ix.labels = makeStrList(all)
}

// eachLabel calls fn with each folded label of document d; the string is
// valid only during the call.
func (ix *segment) eachLabel(d int, fn func(string)) {
	for i := ix.labelOff[d]; i < ix.labelOff[d+1]; i++ {
		fn(ix.labels.view(int(i)))
	}
}

// labelMatch reports whether document d passes q's label: terms: one of
// the positive labels, none of the excluded.
func (ix *segment) labelMatch(q *Query, d int) bool {
	pos, neg := len(q.labels) == 0, false
	ix.eachLabel(d, func(l string) {
		for _, x := range q.labels {
			pos = pos || x == l
		}
		for _, x := range q.nlabels {
			neg = neg || x == l
		}
	})
	return pos && !neg
}

// countLabels counts the documents of set under each of their labels.
func (ix *segment) countLabels(set bitset) map[string]int {
	out := map[string]int{}
	set.each(func(d int) {
		ix.eachLabel(d, func(l string) {
			if n, ok := out[l]; ok {
				out[l] = n + 1
			} else {
				out[strings.Clone(l)] = 1 // l may point into the stored index
			}
		})
	})
	return out
}
