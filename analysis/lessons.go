package analysis

import (
	"cmp"
	"math"
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
	// merged with it (the shortest of those as much alike).
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
	set  []uint64 // distinctive stems, sorted
	key  string   // for items with no distinctive stem: their words, numbers left out
}

// Lessons gathers the preventions and fixes of incs, and the reviewers'
// notes, merges the items that say the same thing (LessonThreshold) and
// ranks the lessons by the events they come from, then the incidents,
// then the items, then their text. events, as Events gives them, say
// which incidents report one failure; an incident in none is its own.
//
// Merging is a star clustering over the pairs of items at least
// LessonThreshold alike, found by a prefix-filtered similarity join (only
// items that share one of their rarest stems are compared): the item
// alike to most others leads a lesson, and takes the items alike to it
// that no earlier lesson took. Every member of a lesson is thus alike to
// its Text, and nothing is lost: each item is in exactly one lesson.
func Lessons(incs []incident.Incident, events []Event, notes []Note) []Lesson {
	items := gatherItems(incs, notes)
	neighbours := similarItems(items, LessonThreshold)
	lead := leaders(items, neighbours)

	eventOf := map[string]string{}
	for _, ev := range events {
		for _, id := range ev.Incidents {
			eventOf[id] = ev.ID
		}
	}
	byLeader := map[int]int{}
	var members [][]int
	var leaderOf []int
	for i := range items {
		l := lead[i]
		k, ok := byLeader[l]
		if !ok {
			k = len(members)
			byLeader[l] = k
			members = append(members, nil)
			leaderOf = append(leaderOf, l)
		}
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

// gatherItems reads the numbered items of the preventions and fixes of
// incs (of several incidents with one id, the last) and the notes, with
// the distinctive stems of each, in parallel: splitting fields into
// items is most of the cost of Lessons.
func gatherItems(incs []incident.Incident, notes []Note) []lessonItem {
	last := make(map[string]int, len(incs))
	for i := range incs {
		last[idOf(&incs[i])] = i
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(incs)/128))
	parts := make([][]lessonItem, workers+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			lo, hi := w*len(incs)/workers, (w+1)*len(incs)/workers
			for i := lo; i < hi; i++ {
				in := &incs[i]
				id := idOf(in)
				if last[id] != i {
					continue
				}
				for _, it := range incident.Items(in.Postmortem.Preventions) {
					parts[w], buf = addItem(parts[w], it, id, fromPreventions, buf)
				}
				for _, it := range incident.Items(in.Postmortem.Fixes) {
					parts[w], buf = addItem(parts[w], it, id, fromFixes, buf)
				}
			}
		}()
	}
	var buf []byte
	for _, n := range notes {
		parts[workers], buf = addItem(parts[workers], n.Text, n.Incident, fromNotes, buf)
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// addItem appends the item text of incident inc, with its distinctive
// stems, unless it is blank.
func addItem(items []lessonItem, text, inc string, from int, buf []byte) ([]lessonItem, []byte) {
	text = strings.TrimSpace(text)
	if text == "" {
		return items, buf
	}
	it := lessonItem{text: text, inc: inc, from: from}
	if len(text) > maxText {
		text = text[:maxText]
	}
	buf = eachWord(text, buf, func(w []byte, _ string, _ bool) {
		if isNumber(w) {
			return // citations, counts: no advice
		}
		w = stem(w)
		if h := hashWord(w); !isStop(w, h) && !lessonWords.has(h) {
			it.set = append(it.set, h)
		}
	})
	slices.Sort(it.set)
	it.set = slices.Clip(slices.Compact(it.set))
	if len(it.set) == 0 {
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
// (Jaccard of their sets; items with no distinctive stem are alike only
// to those of the same words). It is a similarity join with prefix and
// positional filtering (PPJoin, Xiao et al. 2008): with stems ranked
// rarest first and sets taken smallest first, a set alike at t to a
// smaller one shares one of its first |x| - ⌈t·|x|⌉ + 1 stems with the
// smaller one's first |y| - ⌈2t/(1+t)·|y|⌉ + 1, and the stems after a
// shared one bound how many more they can share; only pairs that pass
// both bounds are compared in full.
func similarItems(items []lessonItem, t float64) [][]int32 {
	out := make([][]int32, len(items))
	link := func(i, j int) {
		out[i] = append(out[i], int32(j))
		out[j] = append(out[j], int32(i))
	}
	byKey := map[string][]int{}
	for i := range items {
		if items[i].key != "" {
			byKey[items[i].key] = append(byKey[items[i].key], i)
		}
	}
	for _, same := range byKey {
		for a, i := range same {
			for _, j := range same[a+1:] {
				link(i, j)
			}
		}
	}

	ranked, order := rankStems(items)
	type posting struct{ item, pos int32 }
	index := map[int32][]posting{} // stem → items (smaller first) holding it in their prefix
	start := map[int32]int{}       // postings before it are too small for every later item
	count := make([]int32, len(items))
	var touched []int32
	const pruned = -1 << 30
	for _, i := range order {
		x := ranked[i]
		minSize := int(math.Ceil(t*float64(len(x)) - 1e-9))
		// later items are no smaller: x need be indexed on a shorter prefix
		indexed := len(x) - int(math.Ceil(2*t/(1+t)*float64(len(x))-1e-9)) + 1
		for p, r := range x[:len(x)-minSize+1] {
			list := index[r]
			for start[r] < len(list) && len(ranked[list[start[r]].item]) < minSize {
				start[r]++
			}
			for _, e := range list[start[r]:] {
				y := ranked[e.item]
				if count[e.item] == pruned {
					continue
				}
				need := int(math.Ceil(t/(1+t)*float64(len(x)+len(y)) - 1e-9))
				if count[e.item]+1+int32(min(len(x)-p-1, len(y)-int(e.pos)-1)) < int32(need) {
					if count[e.item] == 0 {
						touched = append(touched, e.item)
					}
					count[e.item] = pruned
					continue
				}
				if count[e.item] == 0 {
					touched = append(touched, e.item)
				}
				count[e.item]++
			}
			if p < indexed {
				index[r] = append(list, posting{int32(i), int32(p)})
			}
		}
		for _, j := range touched {
			if count[j] > 0 {
				y := ranked[j]
				if overlapReaches(x, y, int(math.Ceil(t/(1+t)*float64(len(x)+len(y))-1e-9))) {
					link(i, int(j))
				}
			}
			count[j] = 0
		}
		touched = touched[:0]
	}
	return out
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
func rankStems(items []lessonItem) (ranked [][]int32, order []int) {
	df := map[uint64]int32{}
	for i := range items {
		for _, h := range items[i].set {
			df[h]++
		}
	}
	stems := make([]uint64, 0, len(df))
	for h := range df {
		stems = append(stems, h)
	}
	slices.SortFunc(stems, func(a, b uint64) int { return cmp.Or(cmp.Compare(df[a], df[b]), cmp.Compare(a, b)) })
	rank := make(map[uint64]int32, len(stems))
	for r, h := range stems {
		rank[h] = int32(r)
	}
	ranked = make([][]int32, len(items))
	for i := range items {
		if items[i].key != "" {
			continue
		}
		rs := make([]int32, len(items[i].set))
		for k, h := range items[i].set {
			rs[k] = rank[h]
		}
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
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(neighbours[b]), len(neighbours[a])),
			cmp.Compare(len(items[a].text), len(items[b].text)),
			strings.Compare(items[a].text, items[b].text),
			strings.Compare(items[a].inc, items[b].inc), cmp.Compare(items[a].from, items[b].from))
	})
	lead := make([]int, len(items))
	for i := range lead {
		lead[i] = -1
	}
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
