package search

import (
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// facetCounts adds up a search's counts over the segments: counts are of
// documents, so a segment's add to those of the others. Options are by
// the Index's numbers.
type facetCounts struct {
	ix         *Index
	counts     []int // per option, every term applied (Result.Counts)
	facets     []int // per option, as if its category had no terms (Result.Facets)
	tri        triageCounts
	triFacets  [triageGroups]triageCounts // per group, as if it had no terms
	years      [yearSlots]int             // as if there were no year terms
	yearCounts [yearSlots]int
	scratch    []int
}

// yearSlots bounds the years counted (those of four digits).
const yearSlots = 1 << 12

func newFacetCounts(ix *Index) *facetCounts {
	c := &facetCounts{ix: ix, counts: make([]int, len(ix.optName)), facets: make([]int, len(ix.optName))}
	c.tri = newTriageCounts()
	for g := range c.triFacets {
		c.triFacets[g] = newTriageCounts()
	}
	return c
}

// add counts the documents segment sg's filter f found.
func (c *facetCounts) add(sg *segment, f *filtered) {
	local := c.scratch[:0]
	for range sg.optName {
		local = append(local, 0)
	}
	c.scratch = local
	sg.countOptions(f.final, -1, local)
	for o, k := range local {
		c.counts[sg.gopt[o]] += k
	}
	for k, ci := range f.catIdx {
		sg.countOptions(f.others(f.base, k), ci, local)
	}
	for o, k := range local {
		c.facets[sg.gopt[o]] += k
	}

	all := uint8(1<<triageGroups - 1)
	fc := sg.countTriage(f.final, all)
	c.tri.add(fc)
	for g, gs := range f.triSets {
		if gs == nil {
			c.triFacets[g].add(fc)
			continue
		}
		others := f.others(f.textSet, -1)
		for j, ts := range f.triSets {
			if j != g && ts != nil {
				others.and(ts)
			}
		}
		c.triFacets[g].add(sg.countTriage(others, 1<<g))
	}

	sg.countYears(f.final, &c.yearCounts)
	if f.yearSet == nil {
		sg.countYears(f.final, &c.years)
	} else {
		sg.countYears(f.others(f.base, -2), &c.years)
	}
}

// merge adds the counts of o, made over other segments.
func (c *facetCounts) merge(o *facetCounts) {
	for i, k := range o.counts {
		c.counts[i] += k
	}
	for i, k := range o.facets {
		c.facets[i] += k
	}
	c.tri.add(o.tri)
	for g := range c.triFacets {
		c.triFacets[g].add(o.triFacets[g])
	}
	for y := range c.years {
		c.years[y] += o.years[y]
		c.yearCounts[y] += o.yearCounts[y]
	}
}

// result puts the counts in a Result's maps.
func (c *facetCounts) result() Result {
	res := Result{Facets: map[string]map[string]int{}, Counts: map[string]map[string]int{}}
	c.ix.optionMaps(c.counts, res.Counts)
	c.ix.optionMaps(c.facets, res.Facets)
	all := uint8(1<<triageGroups - 1)
	c.tri.addTo(res.Counts, all)
	for g := range c.triFacets {
		c.triFacets[g].addTo(res.Facets, 1<<g)
	}
	res.YearCounts = yearMap(&c.yearCounts)
	res.Years = yearMap(&c.years)
	return res
}

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

// countOptions sets counts[o], for every option o of the segment (of
// category only when only >= 0), to the documents of set holding it. A
// large set is counted an option at a time, a small one a document at a
// time.
func (ix *segment) countOptions(set bitset, only int, counts []int) {
	if set.count()*8 >= len(ix.optDocs)*len(set) {
		for o, docs := range ix.optDocs {
			if only < 0 || ix.optCat[o] == only {
				counts[o] = set.andCount(docs)
			}
		}
		return
	}
	for o := range counts {
		if only < 0 || ix.optCat[o] == only {
			counts[o] = 0
		}
	}
	set.each(func(d int) {
		for _, o := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
			if int(o) < len(counts) && (only < 0 || ix.optCat[o] == only) {
				counts[o]++
			}
		}
	})
}

// countYears adds the documents of set to years by published year.
func (ix *segment) countYears(set bitset, years *[yearSlots]int) {
	set.each(func(d int) { years[int(ix.year[d])&(yearSlots-1)]++ })
}

func yearMap(years *[yearSlots]int) map[string]int {
	out := map[string]int{}
	for y, c := range years {
		if y > 0 && c > 0 {
			out[strconv.Itoa(y)] = c
		}
	}
	return out
}

func newTriageCounts() triageCounts {
	return triageCounts{status: make([]int, len(incident.Statuses)), tags: map[string]tagCount{}, labels: map[string]int{}}
}

// add adds the counts of another segment's documents.
func (c *triageCounts) add(o triageCounts) {
	for i, k := range o.status {
		c.status[i] += k
	}
	c.starred += o.starred
	c.reviewed[0] += o.reviewed[0]
	c.reviewed[1] += o.reviewed[1]
	for tag, tc := range o.tags {
		c.tags[tag] = tagCount{n: c.tags[tag].n + tc.n}
	}
	for l, k := range o.labels {
		if _, ok := c.labels[l]; ok {
			c.labels[l] += k
		} else {
			c.labels[strings.Clone(l)] = k
		}
	}
}
