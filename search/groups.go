package search

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/faultline/faultline/incident"
)

// Groups puts incidents in groups (the events that reports of one failure
// make) so that a search can count groups as well as incidents: a facet
// then says how many failures hold an option, not how many reports. An
// incident Groups does not name is a group of its own. Groups works with
// any Index and is safe for concurrent use: it finds the groups of a
// segment's documents the first time a search meets the segment.
type Groups struct {
	of map[string]int32 // id → group, for the incidents of groups of two or more
	n  int              // groups of several, numbered from 0

	mu   sync.Mutex
	segs map[*segment][]int32 // document → group, -1 for one alone
}

// NewGroups makes the groups of the given sets of incident ids; an id in
// several sets is in the last.
func NewGroups(sets [][]string) *Groups {
	g := &Groups{of: map[string]int32{}, segs: map[*segment][]int32{}}
	for _, set := range sets {
		if len(set) < 2 {
			continue
		}
		for _, id := range set {
			g.of[id] = int32(g.n)
		}
		g.n++
	}
	return g
}

// Grouped is what SearchGrouped counts by group: the matching groups, and
// per option and year the groups holding it, as Result counts incidents
// (Facets and Years as if the query's own terms of the kind were absent,
// Counts and YearCounts with every term applied). A group counts under an
// option when any of its matching incidents holds it.
type Grouped struct {
	Total             int
	Facets, Counts    map[string]map[string]int
	Years, YearCounts map[string]int
}

// SearchGrouped is Search, with beside its result the counts by group of
// g. Groups hold few incidents, most of them one: the groups of the
// matching incidents that are in a group of several are sorted and
// counted once each, the others are counted as Search counts them, so it
// costs what the matching incidents of groups of several cost on top of
// a search.
func (ix *Index) SearchGrouped(q Query, opts Options, g *Groups) (Result, Grouped) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := ix.queryStats(&q)
	scored := q.HasText()
	acc, lists, fs, total := ix.searchSegments(&q, st, opts, scored)
	res := acc.result()
	res.Total = total
	res.Hits = ix.merge(lists, opts, opts.Limit, scored)
	return res, ix.grouped(res, fs, g)
}

// grouped takes off the counts of res what the incidents of one group
// counted more than once, in each set the counts were made of.
func (ix *Index) grouped(res Result, fs []*filtered, g *Groups) Grouped {
	groupOf := g.ofSegments(ix.segs)
	sets := func(pick func(f *filtered) bitset) []bitset {
		out := make([]bitset, len(fs))
		for si, f := range fs {
			out[si] = pick(f)
		}
		return out
	}
	sc := newDupScratch(ix, g.n)
	final := sc.dups(ix.segs, sets(func(f *filtered) bitset { return f.final }), groupOf, dupAll)
	out := Grouped{Total: res.Total - final.total,
		Counts: final.takeFrom(ix, res.Counts, dupAll), YearCounts: final.takeYears(res.YearCounts),
		Facets: final.takeFrom(ix, res.Facets, dupAll), Years: final.takeYears(res.Years)}
	if len(fs) == 0 {
		return out
	}
	f0 := fs[0] // which kinds of terms the query has is the same in every segment
	for k, ci := range f0.catIdx {
		d := sc.dups(ix.segs, sets(func(f *filtered) bitset { return f.others(f.base, k) }), groupOf, dupKinds{cat: ci})
		ix.replace(out.Facets, res.Facets, d, dupKinds{cat: ci})
	}
	if f0.yearSet != nil {
		d := sc.dups(ix.segs, sets(func(f *filtered) bitset { return f.others(f.base, -2) }), groupOf, dupKinds{cat: -2, years: true})
		out.Years = d.takeYears(res.Years)
	}
	for tg, ts := range f0.triSets {
		if ts == nil {
			continue
		}
		pick := func(f *filtered) bitset {
			others := f.others(f.textSet, -1)
			for j, ts := range f.triSets {
				if j != tg && ts != nil {
					others.and(ts)
				}
			}
			return others
		}
		kinds := dupKinds{cat: -2, triage: 1 << tg}
		ix.replace(out.Facets, res.Facets, sc.dups(ix.segs, sets(pick), groupOf, kinds), kinds)
	}
	return out
}

// replace sets the counts of kinds in out to those of counts less d.
func (ix *Index) replace(out, counts map[string]map[string]int, d *dupCounts, kinds dupKinds) {
	fixed := d.takeFrom(ix, counts, kinds)
	for key := range out {
		if kinds.has(key) {
			delete(out, key)
		}
	}
	for key, m := range fixed {
		if kinds.has(key) {
			out[key] = m
		}
	}
}

// ofSegments returns the groups of the documents of each segment.
func (g *Groups) ofSegments(segs []*segment) [][]int32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([][]int32, len(segs))
	for si, sg := range segs {
		of, ok := g.segs[sg]
		if !ok {
			of = make([]int32, sg.n)
			for d := range of {
				if grp, in := g.of[sg.ids.view(d)]; in {
					of[d] = grp
				} else {
					of[d] = -1
				}
			}
			g.segs[sg] = of
		}
		out[si] = of
	}
	if len(g.segs) > 2*len(segs)+8 {
		// segments of earlier indexes: forget them
		keep := make(map[*segment][]int32, len(segs))
		for si, sg := range segs {
			keep[sg] = out[si]
		}
		g.segs = keep
	}
	return out
}

// dupKinds says which counts a set's duplicates are worked out for: the
// options of category cat (dims' index; dupAllCats for every one, -2 for
// none), the years, and the triage groups whose bit is in triage.
type dupKinds struct {
	cat    int
	years  bool
	triage uint8
}

const dupAllCats = -1

var dupAll = dupKinds{cat: dupAllCats, years: true, triage: 1<<triageGroups - 1}

// has reports whether the facet key is one of the kinds.
func (k dupKinds) has(key string) bool {
	for g, tk := range triageKeys {
		if tk == key {
			return k.triage&(1<<g) != 0
		}
	}
	ci := slices.Index(dims, key)
	return ci >= 0 && (k.cat == dupAllCats || k.cat == ci)
}

// dupCounts are the counts a set's incidents made beyond one per group:
// in total, per option (the Index's numbers), per year and per triage
// value.
type dupCounts struct {
	total    int
	opt      []int
	year     map[int]int
	status   []int
	starred  int
	reviewed [2]int
	tags     map[string]int
	labels   map[string]int
}

// dupScratch is the memory the passes over a search's sets share: the
// members of groups of several met, each group's as a list (head, next)
// in the order its first member was met, and per option and year the
// last group that held it.
type dupScratch struct {
	members []member
	next    []int32 // members[i]'s group's member met before it, -1 none
	head    []int32 // group → its last member met
	headGen []uint32
	gen     uint32 // head[g] is valid when headGen[g] == gen
	order   []int32
	optSeen []int32
	yrSeen  []int32
	group   []member
}

type member struct {
	seg, doc int32
}

func newDupScratch(ix *Index, groups int) *dupScratch {
	return &dupScratch{optSeen: make([]int32, len(ix.optName)), yrSeen: make([]int32, yearSlots),
		head: make([]int32, groups), headGen: make([]uint32, groups)}
}

// dups counts, over the documents of sets (one per segment) that are in
// a group of several, what each group's second and later incidents add to
// the counts of kinds.
func (sc *dupScratch) dups(segs []*segment, sets []bitset, groupOf [][]int32, kinds dupKinds) *dupCounts {
	d := &dupCounts{opt: make([]int, len(sc.optSeen)), year: map[int]int{}, status: make([]int, len(incident.Statuses)),
		tags: map[string]int{}, labels: map[string]int{}}
	sc.members, sc.next, sc.order = sc.members[:0], sc.next[:0], sc.order[:0]
	sc.gen++
	for si, set := range sets {
		of := groupOf[si]
		set.each(func(doc int) {
			g := of[doc]
			if g < 0 {
				return
			}
			prev := int32(-1)
			if sc.headGen[g] == sc.gen {
				prev = sc.head[g]
			} else {
				sc.headGen[g] = sc.gen
				sc.order = append(sc.order, g)
			}
			sc.head[g] = int32(len(sc.members))
			sc.members = append(sc.members, member{int32(si), int32(doc)})
			sc.next = append(sc.next, prev)
		})
	}
	clear(sc.optSeen)
	clear(sc.yrSeen)
	run := int32(0)
	for _, g := range sc.order {
		i := sc.head[g]
		if sc.next[i] < 0 {
			continue // one matching incident
		}
		sc.group = sc.group[:0]
		for ; i >= 0; i = sc.next[i] {
			sc.group = append(sc.group, sc.members[i])
		}
		run++ // stamps start at 1: 0 is "never seen"
		d.total += len(sc.group) - 1
		sc.count(d, segs, sc.group, run, kinds)
	}
	return d
}

// count adds the repeats among the incidents of one group, run. Triage
// is read from the segments' triage sets: most incidents have none.
func (sc *dupScratch) count(d *dupCounts, segs []*segment, group []member, run int32, kinds dupKinds) {
	var status [8]int
	var starred, reviewed int
	var tags, labels []string // of the group's incidents so far, each once
	for _, m := range group {
		sg, doc := segs[m.seg], int(m.doc)
		if kinds.cat != -2 {
			for _, o := range sg.docOpt[sg.docOptOff[doc]:sg.docOptOff[doc+1]] {
				if int(o) >= len(sg.optCat) || (kinds.cat != dupAllCats && sg.optCat[o] != kinds.cat) {
					continue
				}
				g := sg.gopt[o]
				if sc.optSeen[g] == run {
					d.opt[g]++
				}
				sc.optSeen[g] = run
			}
		}
		if y := int(sg.year[doc]) & (yearSlots - 1); kinds.years && y > 0 {
			if sc.yrSeen[y] == run {
				d.year[y]++
			}
			sc.yrSeen[y] = run
		}
		if kinds.triage&(1<<groupStatus) != 0 {
			for i, set := range sg.statusDocs {
				if i < len(status) && set.has(doc) {
					status[i]++
				}
			}
		}
		if kinds.triage&(1<<groupStar) != 0 && sg.starredDocs.has(doc) {
			starred++
		}
		if kinds.triage&(1<<groupReviewed) != 0 && sg.reviewedDocs.has(doc) {
			reviewed++
		}
		if kinds.triage&(1<<groupTag) != 0 && sg.taggedDocs.has(doc) {
			t := sg.triageOf(doc)
			var mine []string
			for _, tag := range t.TagList() {
				if tag = strings.ToLower(strings.TrimSpace(tag)); tag != "" && !slices.Contains(mine, tag) {
					mine = append(mine, tag)
				}
			}
			tags = repeats(d.tags, tags, mine)
		}
		if kinds.triage&(1<<groupLabel) != 0 && sg.labelOff[doc] < sg.labelOff[doc+1] {
			var mine []string
			sg.eachLabel(doc, func(l string) { mine = append(mine, strings.Clone(l)) })
			labels = repeats(d.labels, labels, mine)
		}
	}
	for i, n := range status[:len(d.status)] {
		d.status[i] += max(n-1, 0)
	}
	d.starred += max(starred-1, 0)
	d.reviewed[1] += max(reviewed-1, 0)
	d.reviewed[0] += max(len(group)-reviewed-1, 0)
}

// repeats counts in dup the values of mine (distinct) that seen, the
// values of a group's earlier incidents, holds, and returns seen with
// the others.
func repeats(dup map[string]int, seen, mine []string) []string {
	for _, v := range mine {
		if slices.Contains(seen, v) {
			dup[v]++
		} else {
			seen = append(seen, v)
		}
	}
	return seen
}

// takeFrom returns the counts of the kinds in counts (keyed as Result's)
// less d, the other keys left out.
func (d *dupCounts) takeFrom(ix *Index, counts map[string]map[string]int, kinds dupKinds) map[string]map[string]int {
	out := map[string]map[string]int{}
	for key, m := range counts {
		if !kinds.has(key) {
			continue
		}
		fixed := make(map[string]int, len(m))
		for opt, n := range m {
			if n -= d.of(ix, key, opt); n > 0 {
				fixed[opt] = n
			}
		}
		if len(fixed) > 0 {
			out[key] = fixed
		}
	}
	return out
}

// of returns the repeats of option opt of facet key.
func (d *dupCounts) of(ix *Index, key, opt string) int {
	switch key {
	case FacetTriage:
		if i := slices.Index(incident.Statuses, opt); i >= 0 {
			return d.status[i]
		}
		return 0
	case FacetStarred:
		return d.starred
	case FacetReviewed:
		if opt == "yes" {
			return d.reviewed[1]
		}
		return d.reviewed[0]
	case FacetTag:
		return d.tags[opt]
	case FacetLabel:
		return d.labels[opt]
	}
	if g, ok := ix.optID[catOpt{key, opt}]; ok {
		return d.opt[g]
	}
	return 0
}

// takeYears returns years less the repeats of d.
func (d *dupCounts) takeYears(years map[string]int) map[string]int {
	out := make(map[string]int, len(years))
	for y, n := range years {
		yi, _ := strconv.Atoi(y)
		if n -= d.year[yi]; n > 0 {
			out[y] = n
		}
	}
	return out
}

// CrossTabGrouped is CrossTab counting groups of g instead of incidents:
// a cell counts the groups with a matching incident holding both its
// options, Total the groups matching.
func (ix *Index) CrossTabGrouped(q Query, a, b string, g *Groups) (CrossTab, error) {
	ia, err := crossDim(a)
	if err != nil {
		return CrossTab{}, err
	}
	ib, err := crossDim(b)
	if err != nil {
		return CrossTab{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := ix.queryStats(&q)
	groupOf := g.ofSegments(ix.segs)
	out := CrossTab{Rows: map[string]map[string]int{}}
	counts := map[[2]int]int{}
	seen := map[[3]int]bool{} // (group, row value, column value) counted
	met := map[int32]bool{}   // groups counted in Total
	var rows, cols []int
	for si, sg := range ix.segs {
		of := groupOf[si]
		sg.filter(&q, st, si).final.each(func(d int) {
			grp := of[d]
			switch {
			case grp < 0:
				out.Total++
			case !met[grp]:
				met[grp] = true
				out.Total++
			}
			rows, cols = sg.crossValues(d, ia, rows[:0]), sg.crossValues(d, ib, cols[:0])
			for _, r := range rows {
				for _, c := range cols {
					if grp >= 0 {
						k := [3]int{int(grp), r, c}
						if seen[k] {
							continue
						}
						seen[k] = true
					}
					counts[[2]int{r, c}]++
				}
			}
		})
	}
	ix.nameCounts(&out, ia, ib, counts)
	return out, nil
}
