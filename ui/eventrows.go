package ui

import (
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/search"
)

// The list by event: one row per event of several matching reports
// (×N, its best placed report's title), which opens in place to a row per
// report. A row of an event stands for its reports: marking it marks
// them, and a triage key on it changes them all.

// rowKind is what a row of the list stands for.
type rowKind uint8

const (
	rowIncident rowKind = iota // one incident: alone, or the list is not by event
	rowEvent                   // an event of several matching reports: all of them
	rowReport                  // one report of an event shown open
)

// listRow is a row of the list: the hit it shows (for an event, its best
// placed report) and what it stands for.
type listRow struct {
	hit  int32
	kind rowKind
	last bool // the last report of an open event
}

// buildRows lays out the rows of the result: each group's lead, and under
// an open event its reports.
func (l *listModel) buildRows() {
	l.rows, l.eventW = l.rows[:0], 0
	if l.why != nil {
		l.why.matched = nil // of the rows on screen before
	}
	for _, lead := range l.groups.leads {
		more := l.groups.more[lead]
		if len(more) == 0 {
			l.rows = append(l.rows, listRow{hit: lead})
			continue
		}
		l.rows = append(l.rows, listRow{hit: lead, kind: rowEvent})
		l.eventW = max(l.eventW, width(l.eventCell(l.rows[len(l.rows)-1])))
		if l.isOpen(lead) {
			for i, h := range more {
				l.rows = append(l.rows, listRow{hit: h, kind: rowReport, last: i == len(more)-1})
			}
		}
	}
	l.cur.set(len(l.rows), l.bodyHeight())
}

// isOpen reports whether the event led by hit lead shows its reports.
// What is open is kept by incident, not by event id, so that an event
// stays open when a ruling changes its first report or joins it to
// another.
func (l listModel) isOpen(lead int32) bool {
	ev, _ := l.events.event(l.result.Hits[lead].ID)
	return slices.ContainsFunc(ev.Incidents, func(id string) bool { return l.open[id] })
}

// setOpen opens or closes the event led by hit lead: every report of it,
// matching or not, so that it stays as it was left whatever the query
// and the rulings make of it.
func (l *listModel) setOpen(lead int32, open bool) {
	ev, _ := l.events.event(l.result.Hits[lead].ID)
	for _, id := range ev.Incidents {
		if open {
			l.open[id] = true
		} else {
			delete(l.open, id)
		}
	}
}

// rowIDs returns the incidents row r stands for.
func (l listModel) rowIDs(r listRow) []string {
	if r.kind != rowEvent {
		return []string{l.result.Hits[r.hit].ID}
	}
	more := l.groups.more[r.hit]
	ids := make([]string, len(more))
	for i, h := range more {
		ids[i] = l.result.Hits[h].ID
	}
	return ids
}

// queue lists every incident of the result in the order of the rows,
// the reports of an event together whether it is open or not: what the
// detail walks with next and previous.
func (l listModel) queue() []string {
	l = l.whole()
	out := make([]string, 0, len(l.result.Hits))
	for _, lead := range l.groups.leads {
		hits := l.groups.more[lead]
		if len(hits) == 0 {
			hits = []int32{lead}
		}
		for _, h := range hits {
			out = append(out, l.result.Hits[h].ID)
		}
	}
	return out
}

// The mark column of a row: what it stands for is all marked, some of
// it (an event's reports), or none.
const (
	markAll  = "✓"
	markSome = "~"
	markNone = ""
)

// markOf is the mark column of a row standing for ids.
func (l listModel) markOf(ids []string) string {
	n := 0
	for _, id := range ids {
		if l.marked[id] {
			n++
		}
	}
	switch {
	case n == 0:
		return markNone
	case n < len(ids):
		return markSome
	}
	return markAll
}

// toggleMark marks what the row under the cursor stands for, or unmarks
// it when all of it is marked, and moves down.
func (l *listModel) toggleMark() {
	if l.cur.cursor >= len(l.rows) {
		return
	}
	l.allArmed = false
	ids := l.rowIDs(l.rows[l.cur.cursor])
	on := l.markOf(ids) != markAll
	for _, id := range ids {
		if on {
			l.marked[id] = true
		} else {
			delete(l.marked, id)
		}
	}
	l.cur.move(1)
}

func (l listModel) anyStarred(ids []string) bool {
	for _, id := range ids {
		if in, ok := l.c.summary(id); ok && in.Triage.Starred() {
			return true
		}
	}
	return false
}

// eventCell is what the event column shows of a row: an event's reports
// and whether they show (×3▸, ×3▾), or the tree under an open event.
func (l listModel) eventCell(r listRow) string {
	switch r.kind {
	case rowEvent:
		arrow := "▸"
		if l.isOpen(r.hit) {
			arrow = "▾"
		}
		return fmt.Sprintf("×%d%s", len(l.groups.more[r.hit]), arrow)
	case rowReport:
		if r.last {
			return "└"
		}
		return "├"
	}
	return ""
}

// rowStatus is the triage column of a row: an event's status when its
// reports share one, else "mixed".
func (l listModel) rowStatus(r listRow, in search.Summary) string {
	st := statusMark(in.Triage.State())
	if r.kind != rowEvent {
		return st
	}
	for _, id := range l.rowIDs(r) {
		if other, ok := l.c.summary(id); ok && statusMark(other.Triage.State()) != st {
			return "mixed"
		}
	}
	return st
}

// counted is the result as the facets and stats count it, and whether
// that is by event.
func (l listModel) counted() (search.Result, bool) {
	if l.byEvent == nil {
		return l.result, false
	}
	r := l.result
	g := l.byEvent
	r.Total, r.Facets, r.Counts, r.Years, r.YearCounts = g.Total, g.Facets, g.Counts, g.Years, g.YearCounts
	return r, true
}

// eventKey handles the keys of the list by event: grouping on and off,
// opening and closing an event.
func (l listModel) eventKey(msg tea.KeyMsg) (listModel, tea.Cmd, request, bool) {
	k := l.c.keys.List
	switch {
	case key.Matches(msg, k.GroupEvents):
		l.grouped = !l.grouped
		return l, l.search(), request{kind: reqSay, text: l.groupingNote()}, true
	case key.Matches(msg, k.ExpandEvent), key.Matches(msg, k.CollapseEvent):
		if l.cur.cursor >= len(l.rows) {
			return l, nil, request{}, true
		}
		return l.openEvent(key.Matches(msg, k.ExpandEvent))
	}
	return l, nil, request{}, false
}

// groupingNote says what g just did.
func (l listModel) groupingNote() string {
	switch {
	case !l.grouped:
		return "one row per incident"
	case l.c.events == nil && l.c.eventsErr != "":
		return "no events to group by: " + l.c.eventsErr
	case l.c.events == nil:
		return "one row per event, once the events are read"
	}
	return "one row per event: ×N counts its reports, " + l.c.keys.List.ExpandEvent.Help().Key + " shows them"
}

// openEvent opens (or closes) the event of the row under the cursor; the
// cursor stays on, or goes to, the event's row.
func (l listModel) openEvent(open bool) (listModel, tea.Cmd, request, bool) {
	r := l.rows[l.cur.cursor]
	lead := r.hit
	switch {
	case r.kind == rowIncident && open:
		return l, nil, request{kind: reqSay, text: "no other report of it matches"}, true
	case r.kind == rowIncident, r.kind == rowReport && open:
		return l, nil, request{}, true
	case r.kind == rowReport:
		lead = l.leadOf(l.cur.cursor)
	}
	if open == l.isOpen(lead) {
		return l, nil, request{}, true
	}
	l.setOpen(lead, open)
	l.buildRows()
	l.selectRow(lead, rowEvent)
	return l, nil, request{}, true
}

// leadOf returns the lead hit of the open event whose report is row i.
func (l listModel) leadOf(i int) int32 {
	for ; i >= 0; i-- {
		if l.rows[i].kind == rowEvent {
			return l.rows[i].hit
		}
	}
	return 0
}

// selectRow moves the cursor to the row of hit of kind.
func (l *listModel) selectRow(hit int32, kind rowKind) {
	for i, r := range l.rows {
		if r.hit == hit && r.kind == kind {
			l.cur.to(i, 1)
			return
		}
	}
}

// rowOf returns the row that shows incident id, one of kind when there
// are two (an open event's row and its first report's), else its event's
// row when the event is closed.
func (l listModel) rowOf(id string, kind rowKind) (int, bool) {
	found := -1
	for i, r := range l.rows {
		if l.result.Hits[r.hit].ID != id {
			continue
		}
		if r.kind == kind {
			return i, true
		}
		if found < 0 {
			found = i
		}
	}
	if found >= 0 {
		return found, true
	}
	for i, r := range l.rows {
		if r.kind == rowEvent && slices.Contains(l.rowIDs(r), id) {
			return i, true
		}
	}
	return 0, false
}
