package analysis

import (
	"cmp"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/faultline/faultline/incident"
)

// Lesson is one thing postmortems say should be done, gathered from the
// numbered items of the preventions and fixes of the incidents that say
// it, and from reviewers' notes.
type Lesson struct {
	// Text is the item that says it best: the one most like the others
	// merged with it (the shortest of those as much alike), as the
	// incident or note gives it: sanitise it to show it.
	Text      string
	Incidents []string // ids of the incidents it comes from, sorted
	Events    int      // the events those incidents report
	Items     int      // the items merged into it
	// Fields says where the items were: "preventions", "fixes",
	// "notes", in that order.
	Fields []string
}

// Note is a lesson a reviewer wrote about an incident.
type Note struct {
	Incident string
	Text     string
}

// LessonThreshold is the similarity from which two items say the same
// thing: the Jaccard similarity of their distinctive stems, those left
// when stop words, the words every prevention is phrased with
// ("implementing robust measures to ensure …") and numbers (citations)
// are taken out. Read on the FAIL sample (382 items of 68 incidents),
// items 0.4 alike or more say one thing in other words ("Conducting
// thorough security testing and audits before releasing the software"
// and "Implementing thorough security testing and vulnerability
// assessments before releasing new features"); from 0.35 down, advice
// that only shares a topic merges too (stricter ad network security with
// monitoring network activity). At 0.5 only 5 lessons span two events or
// more, at 0.4 11 do.
const LessonThreshold = 0.4

// Where an item comes from, in the order Lesson.Fields lists them.
const (
	fromPreventions = iota
	fromFixes
	fromNotes
	fromCount
)

var fromNames = [fromCount]string{"preventions", "fixes", "notes"}

// lessonWords are the stems of the words items are phrased with whatever
// they advise.
var lessonWords = newHashSet(`implement implementing implementation ensure ensuring conduct
	conducting regular regularly thorough thoroughly robust strong stronger strict stricter
	proper properly measure measures adequate appropriate appropriately effective effectively
	necessary comprehensive enhance enhancing improve improving better could would should can
	prevent prevented preventing prevention help helped helping have been future identify
	identifying address addressing such like well all any fix fixed fixing mitigate mitigating
	mitigated practice practices best additional further also place put make making use using
	utilize utilizing establish establishing provide providing take taking need needed`)

type lessonItem struct {
	text string
	inc  string // incident id
	from int
	set  []int32 // distinctive stems, by their numbers in a LessonIndex, sorted
	key  string  // for items with no distinctive stem: their words, numbers left out
}

// LessonIndex holds the items of the preventions and fixes of a
// collection of incidents, read once, with their distinctive stems, so
// that the lessons of any set of them (the incidents a query matches) are
// worked out without reading their texts again: splitting fields into
// items is most of the cost of reading them. It shares the incidents'
// texts; Lessons may be called from several goroutines at once.
type LessonIndex struct {
	items  []lessonItem
	ranges map[string][2]int32 // incident id → items[lo:hi]
	stems  map[uint64]int32    // stem hash → number
}

// NewLessonIndex reads the items of incs (of several incidents with one
// id, the last), in parallel.
func NewLessonIndex(incs []incident.Incident) *LessonIndex {
	last := make(map[string]int, len(incs))
	for i := range incs {
		last[idOf(&incs[i])] = i
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(incs)/128))
	parts := make([][]rawItem, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := w * len(incs) / workers; i < (w+1)*len(incs)/workers; i++ {
				in := &incs[i]
				if id := idOf(in); last[id] == i {
					for _, it := range incident.Items(in.Postmortem.Preventions) {
						parts[w], buf = appendItem(parts[w], it, id, fromPreventions, buf)
					}
					for _, it := range incident.Items(in.Postmortem.Fixes) {
						parts[w], buf = appendItem(parts[w], it, id, fromFixes, buf)
					}
				}
			}
		}()
	}
	wg.Wait()
	x := &LessonIndex{ranges: map[string][2]int32{}, stems: map[uint64]int32{}}
	for _, part := range parts {
		for _, r := range part {
			it := x.number(r, nil)
			rg, ok := x.ranges[it.inc]
			if !ok {
				rg = [2]int32{int32(len(x.items)), int32(len(x.items))}
			}
			x.items = append(x.items, it)
			rg[1]++
			x.ranges[it.inc] = rg
		}
	}
	return x
}

// rawItem is an item with its stems as hashes.
type rawItem struct {
	lessonItem
	hashes []uint64
}

// number gives the stems of r their numbers in x; with local not nil,
// stems x lacks are numbered there, after x's.
func (x *LessonIndex) number(r rawItem, local map[uint64]int32) lessonItem {
	it := r.lessonItem
	it.set = make([]int32, 0, len(r.hashes))
	for _, h := range r.hashes {
		n, ok := x.stems[h]
		switch {
		case ok:
		case local == nil:
			n = int32(len(x.stems))
			x.stems[h] = n
		default:
			if n, ok = local[h]; !ok {
				n = int32(len(x.stems) + len(local))
				local[h] = n
			}
		}
		it.set = append(it.set, n)
	}
	slices.Sort(it.set)
	return it
}

// Lessons gathers the preventions and fixes of incs, and the reviewers'
// notes, merges the items that say the same thing (LessonThreshold) and
// ranks the lessons: NewLessonIndex(incs).Lessons(nil, events, notes).
func Lessons(incs []incident.Incident, events []Event, notes []Note) []Lesson {
	return NewLessonIndex(incs).Lessons(nil, events, notes)
}

// Lessons merges the items of the incidents with the given ids (all when
// ids is nil; ids x does not hold are ignored) and of the reviewers'
// notes that say the same thing (LessonThreshold), and ranks the lessons
// by the events they come from, then the incidents, then the items, then
// their text. events, as Events gives them, say which incidents report
// one failure; an incident in none is its own.
//
// Merging is a star clustering over the pairs of items at least
// LessonThreshold alike, found by a filtered similarity join (see
// similarItems): the item alike to most others leads a lesson, and takes
// the items alike to it that no earlier lesson took. Every member of a
// lesson is thus alike to its leader, and nothing is lost: each item is
// in exactly one lesson. The lessons depend on the items, not on the
// order of the incidents or notes.
func (x *LessonIndex) Lessons(ids []string, events []Event, notes []Note) []Lesson {
	items, stems := x.selectItems(ids, notes)
	neighbours := similarItems(items, stems, LessonThreshold)
	lead := leaders(items, neighbours)

	eventOf := map[string]string{}
	for _, ev := range events {
		for _, id := range ev.Incidents {
			eventOf[id] = ev.ID
		}
	}
	index := make([]int32, len(items)) // leader → lesson + 1
	var members [][]int
	var leaderOf []int
	for i := range items {
		l := lead[i]
		if index[l] == 0 {
			members = append(members, nil)
			leaderOf = append(leaderOf, l)
			index[l] = int32(len(members))
		}
		k := index[l] - 1
		members[k] = append(members[k], i)
	}
	out := make([]Lesson, len(members))
	for k := range out {
		out[k].Text = items[central(items, members[k], leaderOf[k])].text
		fillLesson(&out[k], items, members[k], eventOf)
	}
	slices.SortFunc(out, func(a, b Lesson) int {
		return cmp.Or(cmp.Compare(b.Events, a.Events), cmp.Compare(len(b.Incidents), len(a.Incidents)),
			cmp.Compare(b.Items, a.Items), strings.Compare(a.Text, b.Text),
			slices.Compare(a.Incidents, b.Incidents))
	})
	return out
}

// selectItems returns the items of the incidents with ids (all for nil)
// and of the notes, and how many stem numbers they may hold.
func (x *LessonIndex) selectItems(ids []string, notes []Note) ([]lessonItem, int) {
	var items []lessonItem
	if ids == nil {
		items = slices.Clone(x.items)
	} else {
		seen := map[string]bool{}
		for _, id := range ids {
			if rg, ok := x.ranges[id]; ok && !seen[id] {
				seen[id] = true
				items = append(items, x.items[rg[0]:rg[1]]...)
			}
		}
	}
	local := map[uint64]int32{}
	var raw []rawItem
	var buf []byte
	for _, n := range notes {
		raw, buf = appendItem(raw[:0], n.Text, n.Incident, fromNotes, buf)
		for _, r := range raw {
			items = append(items, x.number(r, local))
		}
	}
	return items, len(x.stems) + len(local)
}

// maxCentral bounds the members among which central looks for the most
// central: beyond it, the leader stands for the lesson.
const maxCentral = 200

// central returns the member of a lesson most alike to the others (the
// greatest sum of similarities; the shorter text, then the smaller, on a
// tie), or for a lesson of over maxCentral items its leader.
func central(items []lessonItem, members []int, leader int) int {
	if len(members) > maxCentral {
		return leader
	}
	best, bestSum := -1, -1.0
	for _, i := range members {
		sum := 0.0
		for _, j := range members {
			if j != i {
				sum += jaccard(items[i].set, items[j].set)
			}
		}
		if best < 0 || sum > bestSum+1e-9 || math.Abs(sum-bestSum) <= 1e-9 && shorter(items[i].text, items[best].text) {
			best, bestSum = i, sum
		}
	}
	return best
}

func shorter(a, b string) bool { return len(a) < len(b) || len(a) == len(b) && a < b }

// fillLesson sets what a lesson's member items give it.
func fillLesson(l *Lesson, items []lessonItem, members []int, eventOf map[string]string) {
	l.Items = len(members)
	if len(members) == 1 {
		it := &items[members[0]]
		l.Incidents, l.Events, l.Fields = []string{it.inc}, 1, []string{fromNames[it.from]}
		return
	}
	var from [fromCount]bool
	evs := map[string]bool{}
	for _, i := range members {
		it := &items[i]
		from[it.from] = true
		l.Incidents = append(l.Incidents, it.inc)
		if ev, ok := eventOf[it.inc]; ok {
			evs[ev] = true
		} else {
			evs["\x00"+it.inc] = true // an incident outside events is its own
		}
	}
	slices.Sort(l.Incidents)
	l.Incidents = slices.Compact(l.Incidents)
	l.Events = len(evs)
	for f, ok := range from {
		if ok {
			l.Fields = append(l.Fields, fromNames[f])
		}
	}
}

// appendItem appends the item text of incident inc, with the hashes of
// its distinctive stems, unless it is blank.
func appendItem(items []rawItem, text, inc string, from int, buf []byte) ([]rawItem, []byte) {
	text = strings.TrimSpace(text)
	if text == "" {
		return items, buf
	}
	it := rawItem{lessonItem: lessonItem{text: text, inc: inc, from: from}}
	if len(text) > maxText {
		text = text[:maxText]
	}
	buf = eachWord(text, buf, func(w []byte, _ string, _ bool) {
		if isNumber(w) {
			return // citations, counts: no advice
		}
		w = stem(w)
		if h := hashWord(w); !isStop(w, h) && !lessonWords.has(h) {
			it.hashes = append(it.hashes, h)
		}
	})
	slices.Sort(it.hashes)
	it.hashes = slices.Compact(it.hashes)
	if len(it.hashes) == 0 {
		var key []string
		buf = eachWord(text, buf, func(w []byte, _ string, _ bool) {
			if !isNumber(w) {
				key = append(key, string(w))
			}
		})
		it.key = strings.Join(key, " ")
	}
	return append(items, it), buf
}

// similarItems returns, for each item, the items at least t alike to it
// (Jaccard of their sets of stem numbers, below stems; items with no
// distinctive stem are alike only to those of the same words). It is a
// similarity join with prefix and positional filtering (PPJoin, Xiao et
// al. 2008): with stems ranked rarest first and sets taken smallest
// first, a set alike at t to a smaller one shares one of its first
// |x| - ⌈t·|x|⌉ + 1 stems with the smaller one's first
// |y| - ⌈2t/(1+t)·|y|⌉ + 1, and the stems after a shared one bound how
// many more they can share; only pairs that pass both bounds, and the
// bound of their signatures, are compared in full. Items are probed in
// parallel.
func similarItems(items []lessonItem, stems int, t float64) [][]int32 {
	out := make([][]int32, len(items))
	byKey := map[string][]int{}
	for i := range items {
		if items[i].key != "" {
			byKey[items[i].key] = append(byKey[items[i].key], i)
		}
	}
	for _, same := range byKey {
		for a, i := range same {
			for _, j := range same[a+1:] {
				out[i] = append(out[i], int32(j))
				out[j] = append(out[j], int32(i))
			}
		}
	}

	ranked, order := rankStems(items, stems)
	sigs := make([]signature, len(items))
	for i := range items {
		sigs[i] = signatureOf(ranked[i])
	}
	// The index holds every item's indexed prefix; an item probes the
	// postings of the items before it in order, as if they alone were
	// indexed, which is what lets items be probed in parallel.
	type posting struct{ rank, item, pos, size int32 } // rank: place in order
	index := make([][]posting, stems)
	for k, i := range order {
		x := ranked[i]
		indexed := len(x) - int(math.Ceil(2*t/(1+t)*float64(len(x))-1e-9)) + 1
		for p, r := range x[:indexed] {
			index[r] = append(index[r], posting{int32(k), int32(i), int32(p), int32(len(x))})
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(order)/1024))
	found := make([][][2]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count := make([]int32, len(items))
			var touched []int32
			const pruned = -1 << 30
			for k := w; k < len(order); k += workers {
				i := order[k]
				x := ranked[i]
				minSize := int32(math.Ceil(t*float64(len(x)) - 1e-9))
				for p, r := range x[:len(x)-int(minSize)+1] {
					list := index[r]
					lo, _ := slices.BinarySearchFunc(list, minSize, func(e posting, m int32) int { return cmp.Compare(e.size, m) })
					for _, e := range list[lo:] {
						if e.rank >= int32(k) {
							break
						}
						c := count[e.item]
						if c == pruned {
							continue
						}
						if c == 0 {
							touched = append(touched, e.item)
						}
						need := int32(math.Ceil(t/(1+t)*float64(len(x)+int(e.size)) - 1e-9))
						if c+1+int32(min(len(x)-p-1, int(e.size-e.pos)-1)) < need {
							count[e.item] = pruned
						} else {
							count[e.item] = c + 1
						}
					}
				}
				for _, j := range touched {
					if count[j] > 0 {
						y := ranked[j]
						need := int(math.Ceil(t/(1+t)*float64(len(x)+len(y)) - 1e-9))
						if sigs[i].overlapBound(len(x), sigs[j], len(y)) >= need && overlapReaches(x, y, need) {
							found[w] = append(found[w], [2]int32{int32(i), j})
						}
					}
					count[j] = 0
				}
				touched = touched[:0]
			}
		}()
	}
	wg.Wait()
	for _, f := range found {
		for _, pr := range f {
			out[pr[0]] = append(out[pr[0]], pr[1])
			out[pr[1]] = append(out[pr[1]], pr[0])
		}
	}
	return out
}

// signature is a 128-bit sketch of a set: bit n mod 128 for each member.
type signature [2]uint64

func signatureOf(set []int32) signature {
	var s signature
	for _, n := range set {
		b := uint32(n) & 127
		s[b>>6] |= 1 << (b & 63)
	}
	return s
}

// overlapBound bounds from above how many members a set of size n with
// signature s shares with one of size m with signature o: a bit s has and
// o lacks stands for at least one member of the first set the second
// lacks, and the other way round.
func (s signature) overlapBound(n int, o signature, m int) int {
	onlyS := bits.OnesCount64(s[0]&^o[0]) + bits.OnesCount64(s[1]&^o[1])
	onlyO := bits.OnesCount64(o[0]&^s[0]) + bits.OnesCount64(o[1]&^s[1])
	return min(n-onlyS, m-onlyO)
}

// overlapReaches reports whether sorted sets x and y share need members
// or more, giving up as soon as what is left of them cannot.
func overlapReaches(x, y []int32, need int) bool {
	i, j, n := 0, 0, 0
	for i < len(x) && j < len(y) && n+min(len(x)-i, len(y)-j) >= need {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n >= need
}

// rankStems returns each item's stems as ranks, rarest (held by fewest
// items) first, and the items with stems ordered by their number of
// stems, then index: the order of the join.
func rankStems(items []lessonItem, stems int) (ranked [][]int32, order []int) {
	df := make([]int32, stems)
	for i := range items {
		for _, n := range items[i].set {
			df[n]++
		}
	}
	present := make([]int32, 0, stems)
	for n, c := range df {
		if c > 0 {
			present = append(present, int32(n))
		}
	}
	slices.SortFunc(present, func(a, b int32) int { return cmp.Or(cmp.Compare(df[a], df[b]), cmp.Compare(a, b)) })
	rank := df // reused: df is no longer needed
	for r, n := range present {
		rank[n] = int32(r)
	}
	ranked = make([][]int32, len(items))
	all := make([]int32, 0, len(items)*16)
	for i := range items {
		if items[i].key != "" {
			continue
		}
		start := len(all)
		for _, n := range items[i].set {
			all = append(all, rank[n])
		}
		rs := all[start:len(all):len(all)]
		slices.Sort(rs)
		ranked[i] = rs
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(ranked[a]), len(ranked[b])) })
	return ranked, order
}

// leaders returns, for each item, the item that leads its lesson: items
// are taken most alike to others first (then the shorter, then by text),
// and each one not yet taken leads and takes its neighbours not yet taken.
func leaders(items []lessonItem, neighbours [][]int32) []int {
	lead := make([]int, len(items))
	var order []int // items alike to some other; the rest lead themselves
	for i := range lead {
		lead[i] = -1
		if len(neighbours[i]) > 0 {
			order = append(order, i)
		} else {
			lead[i] = i
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(neighbours[b]), len(neighbours[a])),
			cmp.Compare(len(items[a].text), len(items[b].text)),
			strings.Compare(items[a].text, items[b].text),
			strings.Compare(items[a].inc, items[b].inc), cmp.Compare(items[a].from, items[b].from))
	})
	for _, i := range order {
		if lead[i] >= 0 {
			continue
		}
		lead[i] = i
		for _, j := range neighbours[i] {
			if lead[j] < 0 {
				lead[j] = i
			}
		}
	}
	return lead
}
