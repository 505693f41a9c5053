package ui

import (
	"fmt"

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
	l.rows = l.rows[:0]
	for _, lead := range l.groups.leads {
		more := l.groups.more[lead]
		if len(more) == 0 {
			l.rows = append(l.rows, listRow{hit: lead})
			continue
		}
		l.rows = append(l.rows, listRow{hit: lead, kind: rowEvent})
		if l.isOpen(lead) {
			for i, h := range more {
				l.rows = append(l.rows, listRow{hit: h, kind: rowReport, last: i == len(more)-1})
			}
		}
	}
	l.cur.set(len(l.rows), l.bodyHeight())
}

// eventOf names the event of hit i, for what is open.
func (l listModel) eventOf(i int32) string { return l.events.eventID(l.result.Hits[i].ID) }

func (l listModel) isOpen(lead int32) bool { return l.open[l.eventOf(lead)] }

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

// queue lists the incidents of the rows in order, each once: what the
// detail walks with next and previous.
func (l listModel) queue() []string {
	seen := make(map[string]bool, len(l.rows))
	out := make([]string, 0, len(l.rows))
	for _, r := range l.rows {
		if id := l.result.Hits[r.hit].ID; !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (l listModel) allMarked(ids []string) bool {
	for _, id := range ids {
		if !l.marked[id] {
			return false
		}
	}
	return len(ids) > 0
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
		what := "one row per incident"
		if l.grouped {
			what = "one row per event: ×N counts its reports, " + k.ExpandEvent.Help().Key + " shows them"
			if l.c.events == nil {
				what = "one row per event, once the events are read"
			}
		}
		return l, l.search(), request{kind: reqSay, text: what}, true
	case key.Matches(msg, k.ExpandEvent), key.Matches(msg, k.CollapseEvent):
		if l.cur.cursor >= len(l.rows) {
			return l, nil, request{}, true
		}
		r := l.rows[l.cur.cursor]
		open := key.Matches(msg, k.ExpandEvent)
		switch {
		case r.kind == rowIncident && open:
			return l, nil, request{kind: reqSay, text: "no other report of it matches"}, true
		case r.kind == rowIncident:
			return l, nil, request{}, true
		case r.kind == rowReport && open:
			return l, nil, request{}, true
		}
		ev := l.eventOf(r.hit)
		if open == l.open[ev] {
			return l, nil, request{}, true
		}
		if open {
			l.open[ev] = true
		} else {
			delete(l.open, ev)
		}
		lead := r.hit
		if r.kind == rowReport {
			lead = l.leadOf(l.cur.cursor)
		}
		l.buildRows()
		l.selectRow(lead, rowEvent)
		return l, nil, request{}, true
	}
	return l, nil, request{}, false
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
