package ui

// Events: the incidents that report one failure, as the explorer shows
// them. The grouping comes from the backend (the database keeps it up to
// date with every import); the list groups its hits by it and counts
// facets and stats by event, the detail lists an incident's other
// reports, and reviewers' rulings (split, join) are triage laid over it.

import (
	"slices"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// eventSet is a grouping of the incidents into events. It never changes
// once made, so commands read it off the screen's goroutine; a ruling or a
// reload makes a new one.
type eventSet struct {
	events []analysis.Event
	of     map[string]int32 // incident → its event, for incidents of events of several
	groups *search.Groups   // the events of several, for counting by event
}

func newEventSet(evs []analysis.Event) *eventSet {
	s := &eventSet{events: evs, of: map[string]int32{}}
	var sets [][]string
	for i, ev := range evs {
		if len(ev.Incidents) < 2 {
			continue
		}
		for _, id := range ev.Incidents {
			s.of[id] = int32(i)
		}
		sets = append(sets, ev.Incidents)
	}
	s.groups = search.NewGroups(sets)
	return s
}

// event returns the event of incident id when it holds other incidents
// too.
func (s *eventSet) event(id string) (analysis.Event, bool) {
	if s == nil {
		return analysis.Event{}, false
	}
	i, ok := s.of[id]
	if !ok {
		return analysis.Event{}, false
	}
	return s.events[i], true
}

// others returns the other incidents of id's event, earliest first.
func (s *eventSet) others(id string) []string {
	ev, ok := s.event(id)
	if !ok {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(ev.Incidents), func(x string) bool { return x == id })
}

// eventID names the event of incident id: its first report's id, or id
// itself for one alone.
func (s *eventSet) eventID(id string) string {
	if ev, ok := s.event(id); ok {
		return ev.ID
	}
	return id
}

// hitGroups are a result's hits as the list shows them by event: leads
// holds the first hit of each event (the best placed), or a hit alone, in
// the order of the hits; more holds, for the lead of an event with several
// hits, those hits in order, the lead first. Indexes are into the hits.
type hitGroups struct {
	leads []int32
	more  map[int32][]int32
}

// groupHits groups hits by the events of s (nil: none), in one pass over
// them: what grouping adds to a search is proportional to its hits.
func groupHits(hits []search.Hit, s *eventSet) hitGroups {
	g := hitGroups{leads: make([]int32, 0, len(hits)), more: map[int32][]int32{}}
	if s == nil {
		for i := range hits {
			g.leads = append(g.leads, int32(i))
		}
		return g
	}
	leadOf := map[int32]int32{} // event → its lead hit
	for i, h := range hits {
		ev, ok := s.of[h.ID]
		if !ok {
			g.leads = append(g.leads, int32(i))
			continue
		}
		lead, seen := leadOf[ev]
		if !seen {
			leadOf[ev] = int32(i)
			g.leads = append(g.leads, int32(i))
			continue
		}
		if g.more[lead] == nil {
			g.more[lead] = []int32{lead}
		}
		g.more[lead] = append(g.more[lead], int32(i))
	}
	return g
}

// grouping is the Grouper the events are worked out with, behind a lock:
// rulings change it, and the commands that work the events out again may
// overlap.
type grouping struct {
	mu sync.Mutex
	g  *analysis.Grouper
}

// loadEventsCmd reads the grouping from the backend and works out its
// events.
func loadEventsCmd(b Backend, tag int) tea.Cmd {
	return func() tea.Msg {
		g, err := b.Events()
		if err != nil {
			return eventsLoadedMsg{tag: tag, err: err}
		}
		g.KeepEventsOnly() // rulings and events are all the explorer asks of it
		return eventsLoadedMsg{tag: tag, grouping: &grouping{g: g}, set: newEventSet(g.Events())}
	}
}

// regroupCmd lays reviewers' rulings (incident → ruling, as triage keeps
// it) over the grouping and works the events out again.
func regroupCmd(gr *grouping, rulings map[string]string, tag int) tea.Cmd {
	return func() tea.Msg {
		gr.mu.Lock()
		defer gr.mu.Unlock()
		for id, r := range rulings {
			d, err := analysis.ParseDecision(r)
			if err != nil {
				d = analysis.Decision{} // a ruling of a later version: as found
			}
			gr.g.Decide(id, d)
		}
		return eventsGroupedMsg{tag: tag, set: newEventSet(gr.g.Events())}
	}
}

// alsoReport is another report of an incident's event, and why it is one.
type alsoReport struct {
	ID, Reason string
}

// otherReports returns the other reports of in's event, earliest first,
// each with why it reports the same failure: the link grouping found or a
// reviewer made between the two (who, from the ruling), else how alike
// the two are and that other reports link them. It may read incidents'
// texts: it runs in a command.
func otherReports(ix *search.Index, s *eventSet, in incident.Incident) []alsoReport {
	ev, ok := s.event(in.ID)
	if !ok {
		return nil
	}
	var out []alsoReport
	for _, id := range ev.Incidents {
		if _, known := ix.Summary(id); id == in.ID || !known {
			continue // itself, or one the index does not hold yet
		}
		r := alsoReport{ID: id, Reason: "linked through other reports of it"}
		if l, ok := linkOf(ev, in.ID, id); ok {
			r.Reason = l.Reason
			if l.Manual {
				r.Reason = strings.Replace(r.Reason, "a reviewer", joinedBy(ix, in, id), 1)
			}
		} else if other, ok := ix.Get(id); ok {
			l, _ := analysis.Compare(&in, &other)
			r.Reason = l.Reason + "; linked through other reports of it"
		}
		out = append(out, r)
	}
	return out
}

// linkOf returns the link of ev between incidents a and b, if any.
func linkOf(ev analysis.Event, a, b string) (analysis.Link, bool) {
	lo, hi := min(a, b), max(a, b)
	for _, l := range ev.Links {
		if l.A == lo && l.B == hi {
			return l, true
		}
	}
	return analysis.Link{}, false
}

// joinedBy names the reviewer whose ruling joined in and other.
func joinedBy(ix *search.Index, in incident.Incident, other string) string {
	if d, _ := analysis.ParseDecision(in.Triage.Event.Value); d.With == other && in.Triage.Event.By != "" {
		return in.Triage.Event.By
	}
	if sum, ok := ix.Summary(other); ok {
		if d, _ := analysis.ParseDecision(sum.Triage.Event.Value); d.With == in.ID && sum.Triage.Event.By != "" {
			return sum.Triage.Event.By
		}
	}
	return "a reviewer"
}
