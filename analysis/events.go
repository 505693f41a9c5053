package analysis

import (
	"cmp"
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/faultline/faultline/incident"
)

// Event is one real-world failure: the incidents that report it.
type Event struct {
	// ID is the id of its first report: the earliest published of its
	// incidents (undated ones last), the smallest id among those of one
	// day. It changes only when an earlier report joins.
	ID string
	// Incidents are the ids of its incidents, earliest first as for ID.
	Incidents []string
	// Links are what holds it together, by A then B: the pairs found
	// alike and those a reviewer joined. An event of one has none.
	Links []Link
}

// Link says that two incidents report the same failure, and why.
type Link struct {
	A, B  string  // incident ids, A < B
	Score float64 // 0–1; 1 for a reviewer's join
	// Reason says why, in words of ours and names of the incidents'
	// (letters and digits only): "same title, both name Atlanta, SamSam,
	// text 0.68 similar, same day".
	Reason string
	Manual bool // a reviewer joined them
}

// Decision is a reviewer's ruling on an incident's event, which overrides
// the grouping: Alone splits the incident from its event (the links found
// to it are set aside), With joins its event to the event of the incident
// with that id. The zero Decision leaves the grouping as found.
type Decision struct {
	Alone bool
	With  string
}

// Forms of a Decision as text, as triage stores them.
const (
	decisionAlone = "alone"
	decisionWith  = "with:"
)

// ErrDecision is returned by ParseDecision for a text that is not one.
var ErrDecision = errors.New(`analysis: a decision is "alone" or "with:<incident id>"`)

// ParseDecision reads a decision as String writes it: "alone", "with:ID",
// or "" for none.
func ParseDecision(s string) (Decision, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Decision{}, nil
	case s == decisionAlone:
		return Decision{Alone: true}, nil
	case strings.HasPrefix(s, decisionWith):
		if id := strings.TrimSpace(s[len(decisionWith):]); id != "" {
			return Decision{With: id}, nil
		}
	}
	return Decision{}, ErrDecision
}

// String writes d as ParseDecision reads it.
func (d Decision) String() string {
	switch {
	case d.Alone:
		return decisionAlone
	case d.With != "":
		return decisionWith + d.With
	}
	return ""
}

// Blocking: two incidents are compared only when they share a key (a
// title stem or a name) and their days fall in one Window, or when they
// cite an article in common. A key held by more than wordCap incidents of
// one bucket of Window days, or an article cited by more than citeCap, is
// too common there to tell one failure from another and meets no one.
const (
	wordCap = 64
	citeCap = 16
)

// undatedBucket is the bucket of incidents without a date: they meet one
// another through keys, and dated ones through articles only.
const undatedBucket = math.MinInt32

func bucketOf(day int32) int32 {
	if day == noDay {
		return undatedBucket
	}
	return day / Window
}

type wordKey struct {
	h      uint64
	bucket int32
}

// Grouper groups incidents into events and keeps the grouping up to date
// as incidents are added and removed. A Grouper is not safe for
// concurrent use.
type Grouper struct {
	profs []*profile // by slot; nil for a free slot
	days  []int32    // profs[s].day, apart for the candidates' loop
	slots map[string]int32
	free  []int32

	words map[wordKey][]int32 // key → slots holding it, per bucket
	cites map[int64][]int32   // article → slots citing it

	links map[[2]int32]Link // found links, by slots (smaller first)
	adj   [][]int32         // linked slots, by slot

	decisions map[string]Decision

	eventsOnly bool // see KeepEventsOnly
}

// NewGrouper returns an empty Grouper.
func NewGrouper() *Grouper {
	return &Grouper{slots: map[string]int32{}, words: map[wordKey][]int32{}, cites: map[int64][]int32{},
		links: map[[2]int32]Link{}, decisions: map[string]Decision{}}
}

// Group groups incidents into events, with reviewers' decisions by
// incident id: what NewGrouper, Add, Decide and Events give.
func Group(incs []incident.Incident, decisions map[string]Decision) []Event {
	g := NewGrouper()
	g.Add(incs...)
	for id, d := range decisions {
		g.Decide(id, d)
	}
	return g.Events()
}

// Len returns the number of incidents grouped.
func (g *Grouper) Len() int { return len(g.slots) }

// idOf returns the id an incident is grouped under: its own, or for one
// without, incident.MakeID's, as the search index does.
func idOf(in *incident.Incident) string {
	if in.ID != "" {
		return in.ID
	}
	return incident.MakeID(in.Title, in.Published)
}

// Add adds incidents, or replaces those already grouped under the same
// id (of several with one id the last wins), and links them to the
// incidents they report the same failure as.
func (g *Grouper) Add(incs ...incident.Incident) {
	profs := makeProfiles(incs)
	last := map[string]int{}
	for i, p := range profs {
		last[p.id] = i
	}
	var dirty []int32
	for i, p := range profs {
		if last[p.id] != i {
			continue
		}
		if s, ok := g.slots[p.id]; ok {
			dirty = g.remove(s, dirty)
		}
		dirty = g.insert(p, dirty)
	}
	g.relink(dirty)
}

// Remove removes the incidents with the given ids; an unknown id is
// ignored. Reviewers' decisions about them are kept.
func (g *Grouper) Remove(ids ...string) {
	var dirty []int32
	for _, id := range ids {
		if s, ok := g.slots[id]; ok {
			dirty = g.remove(s, dirty)
		}
	}
	g.relink(dirty)
}

// Decide records a reviewer's decision about the incident with id,
// replacing any earlier one; the zero Decision removes it. The incidents
// need not be grouped yet: a decision applies once they are.
func (g *Grouper) Decide(id string, d Decision) {
	if d == (Decision{}) {
		delete(g.decisions, id)
		return
	}
	g.decisions[id] = d
}

// makeProfiles reads the profiles of incs in parallel.
func makeProfiles(incs []incident.Incident) []*profile {
	out := make([]*profile, len(incs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(incs)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ws wordSet
			for i := w; i < len(incs); i += workers {
				out[i] = makeProfile(&incs[i], &ws)
				out[i].id = idOf(&incs[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// insert gives p a slot and enters its keys and articles, and returns
// dirty with p's slot and the slots whose candidates it changed: those
// of a key or article p made too common.
func (g *Grouper) insert(p *profile, dirty []int32) []int32 {
	var s int32
	if n := len(g.free); n > 0 {
		s, g.free = g.free[n-1], g.free[:n-1]
		g.profs[s], g.days[s] = p, p.day
	} else {
		s = int32(len(g.profs))
		g.profs = append(g.profs, p)
		g.days = append(g.days, p.day)
		g.adj = append(g.adj, nil)
	}
	g.slots[p.id] = s
	b := bucketOf(p.day)
	for _, h := range p.keys {
		k := wordKey{h, b}
		g.words[k] = append(g.words[k], s)
		if len(g.words[k]) == wordCap+1 {
			dirty = append(dirty, g.words[k]...)
		}
	}
	for _, a := range p.articles {
		g.cites[a] = append(g.cites[a], s)
		if len(g.cites[a]) == citeCap+1 {
			dirty = append(dirty, g.cites[a]...)
		}
	}
	return append(dirty, s)
}

// remove frees slot s, drops its keys, articles and links, and returns
// dirty with the slots whose candidates that changed: those of a key or
// article no longer too common.
func (g *Grouper) remove(s int32, dirty []int32) []int32 {
	p := g.profs[s]
	b := bucketOf(p.day)
	drop := func(list []int32, limit int) []int32 {
		if len(list) == limit+1 {
			dirty = append(dirty, list...)
		}
		i := slices.Index(list, s)
		return slices.Delete(list, i, i+1)
	}
	for _, h := range p.keys {
		k := wordKey{h, b}
		if list := drop(g.words[k], wordCap); len(list) > 0 {
			g.words[k] = list
		} else {
			delete(g.words, k)
		}
	}
	for _, a := range p.articles {
		if list := drop(g.cites[a], citeCap); len(list) > 0 {
			g.cites[a] = list
		} else {
			delete(g.cites, a)
		}
	}
	g.unlink(s)
	delete(g.slots, p.id)
	g.profs[s] = nil
	g.free = append(g.free, s)
	return dirty
}

// unlink drops the links of slot s.
func (g *Grouper) unlink(s int32) {
	for _, t := range g.adj[s] {
		delete(g.links, pairOf(s, t))
		g.adj[t] = slices.DeleteFunc(g.adj[t], func(x int32) bool { return x == s })
	}
	g.adj[s] = nil
}

func pairOf(s, t int32) [2]int32 {
	if t < s {
		s, t = t, s
	}
	return [2]int32{s, t}
}

type found struct {
	s, t int32
	link Link
}

// relink finds again the links of the dirty slots (those still in use),
// comparing them with their candidates in parallel.
func (g *Grouper) relink(dirty []int32) {
	dirty = slices.DeleteFunc(dirty, func(s int32) bool { return g.profs[s] == nil })
	slices.Sort(dirty)
	dirty = slices.Compact(dirty)
	if len(dirty) == 0 {
		return
	}
	isDirty := make([]bool, len(g.profs))
	for _, s := range dirty {
		g.unlink(s)
		isDirty[s] = true
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(dirty)/32))
	results := make([][]found, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mark := make([]uint32, len(g.profs))
			var cands []int32
			for i := w; i < len(dirty); i += workers {
				s := dirty[i]
				cands = g.candidates(s, uint32(i+1), mark, cands[:0])
				for _, t := range cands {
					if isDirty[t] && t < s {
						continue // found from t
					}
					p, q := g.profs[s], g.profs[t]
					if e, ok := compare(p, q); ok {
						results[w] = append(results[w], found{s, t, makeLink(p, q, e)})
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		for _, f := range r {
			g.links[pairOf(f.s, f.t)] = f.link
			g.adj[f.s] = append(g.adj[f.s], f.t)
			g.adj[f.t] = append(g.adj[f.t], f.s)
		}
	}
}

// candidates appends to out the slots slot s is compared with, each once:
// mark[t] == gen marks one already met.
func (g *Grouper) candidates(s int32, gen uint32, mark []uint32, out []int32) []int32 {
	p := g.profs[s]
	mark[s] = gen
	b := bucketOf(p.day)
	meet := func(list []int32, window bool) {
		for _, t := range list {
			if mark[t] == gen {
				continue
			}
			if window {
				if d := g.days[t] - p.day; d > Window || d < -Window {
					continue
				}
			}
			mark[t] = gen
			out = append(out, t)
		}
	}
	for _, h := range p.keys {
		if len(g.words[wordKey{h, b}]) > wordCap {
			continue
		}
		if b == undatedBucket {
			meet(g.words[wordKey{h, b}], false)
			continue
		}
		for nb := b - 1; nb <= b+1; nb++ {
			if list := g.words[wordKey{h, nb}]; len(list) <= wordCap {
				meet(list, true)
			}
		}
	}
	for _, a := range p.articles {
		if list := g.cites[a]; len(list) <= citeCap {
			meet(list, false)
		}
	}
	return out
}

// Events returns the events of the incidents grouped, reviewers'
// decisions applied: each incident is in exactly one. They are ordered by
// the date of their first report, then ID.
func (g *Grouper) Events() []Event {
	parent := make([]int32, len(g.profs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(s int32) int32 {
		for parent[s] != s {
			parent[s] = parent[parent[s]]
			s = parent[s]
		}
		return s
	}
	union := func(s, t int32) { parent[find(s)] = find(t) }
	alone := func(s int32) bool { return g.decisions[g.profs[s].id].Alone }

	byPair := map[[2]int32]Link{}
	for pr, l := range g.links {
		if !alone(pr[0]) && !alone(pr[1]) {
			byPair[pr] = l
			union(pr[0], pr[1])
		}
	}
	for pr := range g.joins() {
		a, b := g.profs[pr[0]].id, g.profs[pr[1]].id
		l := Link{A: min(a, b), B: max(a, b), Score: 1, Reason: "joined by a reviewer", Manual: true}
		if auto, ok := byPair[pr]; ok {
			l.Reason += "; " + auto.Reason
		}
		byPair[pr] = l
		union(pr[0], pr[1])
	}

	members := map[int32][]int32{}
	for s, p := range g.profs {
		if p != nil {
			r := find(int32(s))
			members[r] = append(members[r], int32(s))
		}
	}
	events := make([]Event, 0, len(members))
	index := map[int32]int{} // root → event
	for r, ss := range members {
		slices.SortFunc(ss, g.earlier)
		ev := Event{ID: g.profs[ss[0]].id, Incidents: make([]string, len(ss))}
		for i, s := range ss {
			ev.Incidents[i] = g.profs[s].id
		}
		index[r] = len(events)
		events = append(events, ev)
	}
	for pr, l := range byPair {
		ev := &events[index[find(pr[0])]]
		ev.Links = append(ev.Links, l)
	}
	for i := range events {
		slices.SortFunc(events[i].Links, func(a, b Link) int { return cmp.Or(strings.Compare(a.A, b.A), strings.Compare(a.B, b.B)) })
	}
	slices.SortFunc(events, func(a, b Event) int {
		return g.earlier(g.slots[a.ID], g.slots[b.ID])
	})
	return events
}

// joins returns the pairs of slots reviewers joined, both grouped.
func (g *Grouper) joins() map[[2]int32]bool {
	out := map[[2]int32]bool{}
	for id, d := range g.decisions {
		s, ok1 := g.slots[id]
		t, ok2 := g.slots[d.With]
		if d.With != "" && ok1 && ok2 && s != t {
			out[pairOf(s, t)] = true
		}
	}
	return out
}

// earlier orders slots by day, undated last, then id.
func (g *Grouper) earlier(s, t int32) int {
	p, q := g.profs[s], g.profs[t]
	pu, qu := p.day == noDay, q.day == noDay
	if pu != qu {
		if pu {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(p.day, q.day), strings.Compare(p.id, q.id))
}
