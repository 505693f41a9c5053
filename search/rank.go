package search

import (
	"cmp"
	"container/heap"
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// rankedList is one segment's matching documents in the order of a
// search, with their scores.
type rankedList struct {
	sg    *segment
	si    int
	docs  []int32
	score []float32
}

// rank orders the documents f found and keeps the first limit (all for
// limit <= 0).
func (ix *segment) rank(f *filtered, opts Options, limit int, scored bool) rankedList {
	s, set := f.s, f.final
	n := ix.n
	total := set.count()
	if limit <= 0 || limit > total {
		limit = total
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
			if d >= 0 && int(d) < n && set.has(int(d)) {
				out = append(out, d)
			}
		}
	} else {
		// Relevance: sort keys of score (descending), then date (newest
		// first); the date rank is unique, so it names the document.
		keys := make([]uint64, 0, total)
		set.each(func(d int) {
			sc := math.Float32bits(s.score[d]) // scores are >= 0: bits order as values
			keys = append(keys, uint64(^sc)<<32|uint64(uint32(n-1-int(ix.dateRank[d]))))
		})
		if opts.Reverse {
			for i := range keys {
				keys[i] = ^keys[i]
			}
		}
		keys = smallest(keys, limit)
		if opts.Reverse {
			for i := range keys {
				keys[i] = ^keys[i]
			}
		}
		for _, k := range keys[:limit] {
			if r := n - 1 - int(uint32(k)); r >= 0 && r < n {
				out = append(out, ix.dateOrder[r])
			}
		}
	}
	score := make([]float32, len(out))
	for i, d := range out {
		if int(d) < n {
			score[i] = s.score[d]
		}
	}
	return rankedList{sg: ix, si: f.s.si, docs: out, score: score}
}

// merge merges the segments' ranked lists into the first limit hits.
func (ix *Index) merge(lists []rankedList, opts Options, limit int, scored bool) []Hit {
	total := 0
	for _, l := range lists {
		total += len(l.docs)
	}
	if limit <= 0 || limit > total {
		limit = total
	}
	picks := make([]hitRef, 0, limit)
	if len(lists) == 1 {
		for i := range lists[0].docs[:limit] {
			picks = append(picks, hitRef{&lists[0], i})
		}
		return hitsOf(picks)
	}
	order := hitOrder(opts, scored)
	if limit > rankCacheLimit && opts.Sort != Title {
		order = ix.rankedOrder(opts, scored)
	}
	h := &hitHeap{order: order}
	for i := range lists {
		if len(lists[i].docs) > 0 {
			h.lists = append(h.lists, &lists[i])
			h.pos = append(h.pos, 0)
		}
	}
	heap.Init(h)
	for len(picks) < limit && h.Len() > 0 {
		picks = append(picks, hitRef{h.lists[0], h.pos[0]})
		if h.pos[0]++; h.pos[0] == len(h.lists[0].docs) {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
	return hitsOf(picks)
}

// hitsOf makes the hits picked. The strings of segments read in place
// are copied into one buffer for all of them: the explorer asks for
// every hit, and a copy of each string was most of a broad search.
func hitsOf(picks []hitRef) []Hit {
	size := 0
	for _, p := range picks {
		sg, d := p.l.sg, int(p.l.docs[p.i])
		size += sg.ids.copySize(d) + sg.titles.copySize(d) + sg.published.copySize(d)
	}
	buf := make([]byte, 0, size)
	hits := make([]Hit, len(picks))
	for k, p := range picks {
		sg, d := p.l.sg, int(p.l.docs[p.i])
		hits[k] = Hit{ID: sg.ids.copyAt(&buf, d), Title: sg.titles.copyAt(&buf, d),
			Published: sg.published.copyAt(&buf, d), Score: float64(p.l.score[p.i])}
	}
	return hits
}

// hitRef is a document in a ranked list, for comparing across segments.
type hitRef struct {
	l *rankedList
	i int
}

// hitOrder returns the comparison of a search's order: negative when a
// comes first. It is the order each segment ranks in, over all of them: a
// document's place among the segments breaks the last ties, as its
// number does within one.
func hitOrder(opts Options, scored bool) func(a, b hitRef) int {
	byDate := func(a, b hitRef) int { // newest first
		sa, da, sb, db := a.l.sg, int(a.l.docs[a.i]), b.l.sg, int(b.l.docs[b.i])
		if c := strings.Compare(sb.published.view(db), sa.published.view(da)); c != 0 {
			return c
		}
		if c := strings.Compare(sb.sortTitle(db), sa.sortTitle(da)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.l.si, a.l.si); c != 0 {
			return c
		}
		return cmp.Compare(db, da)
	}
	var order func(a, b hitRef) int
	switch {
	case opts.Sort == Title:
		order = func(a, b hitRef) int { // A first, then oldest first
			sa, da, sb, db := a.l.sg, int(a.l.docs[a.i]), b.l.sg, int(b.l.docs[b.i])
			if c := strings.Compare(sa.sortTitle(da), sb.sortTitle(db)); c != 0 {
				return c
			}
			if c := strings.Compare(sa.published.view(da), sb.published.view(db)); c != 0 {
				return c
			}
			if c := cmp.Compare(a.l.si, b.l.si); c != 0 {
				return c
			}
			return cmp.Compare(da, db)
		}
	case opts.Sort == Date || !scored:
		order = byDate
	default:
		order = func(a, b hitRef) int {
			if c := cmp.Compare(b.l.score[b.i], a.l.score[a.i]); c != 0 {
				return c
			}
			return byDate(a, b)
		}
	}
	if opts.Reverse {
		return func(a, b hitRef) int { return order(b, a) }
	}
	return order
}

// hitHeap holds the ranked lists by their next document.
type hitHeap struct {
	lists []*rankedList
	pos   []int
	order func(a, b hitRef) int
}

func (h *hitHeap) Len() int { return len(h.lists) }
func (h *hitHeap) Less(i, j int) bool {
	return h.order(hitRef{h.lists[i], h.pos[i]}, hitRef{h.lists[j], h.pos[j]}) < 0
}
func (h *hitHeap) Swap(i, j int) {
	h.lists[i], h.lists[j] = h.lists[j], h.lists[i]
	h.pos[i], h.pos[j] = h.pos[j], h.pos[i]
}
func (h *hitHeap) Push(x any) {}
func (h *hitHeap) Pop() any {
	k := len(h.lists) - 1
	h.lists, h.pos = h.lists[:k], h.pos[:k]
	return nil
}

// smallest returns the k smallest keys, ascending, in keys' storage: a
// full sort when most are wanted, else a selection through a heap of k,
// as a one-shot search wants 20 of thousands.
func smallest(keys []uint64, k int) []uint64 {
	if k <= 0 {
		return keys[:0]
	}
	if k >= len(keys)/4 {
		slices.Sort(keys)
		return keys[:k]
	}
	h := keyHeap(keys[:0:k]) // a max-heap of the k smallest so far
	for _, x := range keys {
		if len(h) < k {
			heap.Push(&h, x) // within keys' storage: only places already read are written
			continue
		}
		if x < h[0] {
			h[0] = x
			heap.Fix(&h, 0)
		}
	}
	out := []uint64(h)
	slices.Sort(out)
	return out
}

// keyHeap is a max-heap of keys.
type keyHeap []uint64

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// rankCacheLimit is the number of hits beyond which merging the segments'
// hits compares documents by their place in the index's date order,
// worked out once for the index, rather than by their dates and titles:
// the explorer asks for every hit at every keystroke, a one-shot search
// for twenty.
var rankCacheLimit = 1000

// rankedOrder is hitOrder for the relevance and date orders, by the date
// ranks of dateRanks.
func (ix *Index) rankedOrder(opts Options, scored bool) func(a, b hitRef) int {
	ranks := ix.dateRanks()
	byDate := func(a, b hitRef) int { // newest first
		return cmp.Compare(ranks[b.l.si][b.l.docs[b.i]], ranks[a.l.si][a.l.docs[a.i]])
	}
	order := byDate
	if scored && opts.Sort != Date {
		order = func(a, b hitRef) int {
			if c := cmp.Compare(b.l.score[b.i], a.l.score[a.i]); c != 0 {
				return c
			}
			return byDate(a, b)
		}
	}
	if opts.Reverse {
		return func(a, b hitRef) int { return order(b, a) }
	}
	return order
}

// dateRanks returns, per segment and document, the document's place among
// all documents of the index in date order (as hitOrder orders dates),
// merged once from the segments' own orders.
func (ix *Index) dateRanks() [][]int32 {
	ix.ranksOnce.Do(func() {
		ranks := make([][]int32, len(ix.segs))
		lists := make([]rankedList, len(ix.segs))
		for si, sg := range ix.segs {
			ranks[si] = make([]int32, sg.n)
			docs := make([]int32, 0, sg.n)
			for i := sg.n - 1; i >= 0; i-- { // newest first, as byDate orders
				if d := sg.dateOrder[i]; d >= 0 && int(d) < sg.n {
					docs = append(docs, d)
				}
			}
			lists[si] = rankedList{sg: sg, si: si, docs: docs}
		}
		h := &hitHeap{order: dateKeyOrder(lists)}
		for i := range lists {
			if len(lists[i].docs) > 0 {
				h.lists = append(h.lists, &lists[i])
				h.pos = append(h.pos, 0)
			}
		}
		heap.Init(h)
		r := int32(ix.docs())
		for h.Len() > 0 {
			l, i := h.lists[0], h.pos[0]
			r--
			ranks[l.si][l.docs[i]] = r // newest gets the highest
			if h.pos[0]++; h.pos[0] == len(l.docs) {
				heap.Pop(h)
			} else {
				heap.Fix(h, 0)
			}
		}
		ix.ranks = ranks
	})
	return ix.ranks
}

// dateKeyOrder is hitOrder's date order for the lists of dateRanks, which
// hold every document of their segments. Each document's date and title
// are read once into numbers that order as they do, and compared in full
// only where those tie: a merge of every document compares the lists'
// heads, which mostly share a date.
func dateKeyOrder(lists []rankedList) func(a, b hitRef) int {
	keys := make([][]dateKey, len(lists))
	for si, l := range lists {
		keys[si] = make([]dateKey, l.sg.n)
		for d := range l.sg.n {
			keys[si][d] = makeDateKey(l.sg.published.view(d), l.sg.sortTitle(d))
		}
	}
	byDate := hitOrder(Options{Sort: Date}, false)
	return func(a, b hitRef) int { // newest first
		ka, kb := &keys[a.l.si][a.l.docs[a.i]], &keys[b.l.si][b.l.docs[b.i]]
		if c := cmp.Compare(kb.date, ka.date); c != 0 {
			return c
		}
		if ka.long || kb.long {
			return byDate(a, b)
		}
		if c := cmp.Compare(kb.rest, ka.rest); c != 0 {
			return c
		}
		// the same date
		if c := cmp.Compare(kb.title, ka.title); c != 0 {
			return c
		}
		return byDate(a, b)
	}
}

// dateKey holds a document's date and title as numbers: date its date's
// first 8 bytes, rest the next 7 and its length (which make the date
// whole when it is not long, over 15 bytes), title its title's first 8;
// zero padded, big-endian, so that where two differ they order as the
// strings do.
type dateKey struct {
	date, rest, title uint64
	long              bool
}

func makeDateKey(published, title string) dateKey {
	var p [16]byte
	copy(p[:15], published)
	p[15] = byte(min(len(published), 255))
	var t [8]byte
	copy(t[:], title)
	return dateKey{date: binary.BigEndian.Uint64(p[:8]), rest: binary.BigEndian.Uint64(p[8:]),
		title: binary.BigEndian.Uint64(t[:]), long: len(published) > 15}
}
