package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/search"
)

// rowsOf builds the rows of a list whose search found hits (ids, in
// order), grouped by events (nil: the list is by incident), with the
// events holding the ids of open shown open.
func rowsOf(ids []string, events []analysis.Event, open ...string) listModel {
	l := listModel{c: &common{height: 30}, open: map[string]bool{}}
	for _, id := range ids {
		l.result.Hits = append(l.result.Hits, search.Hit{ID: id})
	}
	if events != nil {
		l.events = newEventSet(events)
	}
	l.groups = groupHits(l.result.Hits, l.events)
	for _, id := range open {
		l.open[id] = true
	}
	l.buildRows()
	return l
}

// shown writes rows as id, kind and event cell, for comparing.
func shown(l listModel) []string {
	var out []string
	for _, r := range l.rows {
		out = append(out, l.result.Hits[r.hit].ID+" "+[]string{"incident", "event", "report"}[r.kind]+" "+l.eventCell(r))
	}
	return out
}

func TestBuildRows(t *testing.T) {
	knight := analysis.Event{ID: "k1", Incidents: []string{"k1", "k2", "k3"}}
	cloud := analysis.Event{ID: "c1", Incidents: []string{"c1", "c2"}}
	events := []analysis.Event{knight, cloud, {ID: "a", Incidents: []string{"a"}}, {ID: "b", Incidents: []string{"b"}}}
	tests := []struct {
		name   string
		hits   []string
		events []analysis.Event
		open   []string
		want   []string
	}{
		{"by incident", []string{"k2", "a", "k1"}, nil, nil,
			[]string{"k2 incident ", "a incident ", "k1 incident "}},
		{"an event is one row at its best placed report", []string{"a", "k3", "b", "k1", "k2"}, events, nil,
			[]string{"a incident ", "k3 event ×3▸", "b incident "}},
		{"an open event lists its reports in the order of the hits", []string{"a", "k3", "b", "k1"}, events, []string{"k1"},
			[]string{"a incident ", "k3 event ×2▾", "k3 report ├", "k1 report └", "b incident "}},
		{"a report alone among the hits is a row of its own", []string{"k2", "c1", "a"}, events, nil,
			[]string{"k2 incident ", "c1 incident ", "a incident "}},
		{"two events, one open", []string{"c2", "k1", "c1", "k2"}, events, []string{"k2"},
			[]string{"c2 event ×2▸", "k1 event ×2▾", "k1 report ├", "k2 report └"}},
		{"open is kept by incident: any report opens its event", []string{"k1", "k2"}, events, []string{"k3"},
			[]string{"k1 event ×2▾", "k1 report ├", "k2 report └"}},
		{"no hits", nil, events, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shown(rowsOf(tt.hits, tt.events, tt.open...))
			if !slices.Equal(got, tt.want) {
				t.Errorf("rows\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRowsStandFor(t *testing.T) {
	events := []analysis.Event{{ID: "k1", Incidents: []string{"k1", "k2", "k3"}}, {ID: "a", Incidents: []string{"a"}}}
	hits := []string{"k2", "a", "k1", "k3"}
	closed := rowsOf(hits, events)
	open := rowsOf(hits, events, "k1")

	t.Run("queue walks every incident, an event's reports together", func(t *testing.T) {
		want := []string{"k2", "k1", "k3", "a"}
		for _, l := range []listModel{closed, open} {
			if got := l.queue(); !slices.Equal(got, want) {
				t.Errorf("queue %q, want %q", got, want)
			}
		}
	})
	t.Run("an event row stands for its matching reports", func(t *testing.T) {
		if got := closed.rowIDs(closed.rows[0]); !slices.Equal(got, []string{"k2", "k1", "k3"}) {
			t.Errorf("event row stands for %q", got)
		}
		if got := open.rowIDs(open.rows[2]); !slices.Equal(got, []string{"k1"}) {
			t.Errorf("report row stands for %q", got)
		}
	})
	t.Run("ids, what an export writes, are every hit in search order", func(t *testing.T) {
		if got := closed.ids(); !slices.Equal(got, hits) {
			t.Errorf("ids %q, want %q", got, hits)
		}
	})
	rowTests := []struct {
		name string
		l    listModel
		id   string
		kind rowKind
		want int
	}{
		{"a report of a closed event is found at its event's row", closed, "k3", rowReport, 0},
		{"a report of an open event at its own row", open, "k3", rowReport, 3},
		{"the lead of an open event at its report row", open, "k2", rowReport, 1},
		{"or at the event row, when that was asked", open, "k2", rowEvent, 0},
		{"an incident alone", open, "a", rowReport, 4},
	}
	for _, tt := range rowTests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := tt.l.rowOf(tt.id, tt.kind); !ok || got != tt.want {
				t.Errorf("rowOf(%s) = %d, %v; want %d", tt.id, got, ok, tt.want)
			}
		})
	}
	if _, ok := open.rowOf("gone", rowReport); ok {
		t.Error("an incident not listed was found")
	}
}

func TestMarkOfAnEventRow(t *testing.T) {
	l := rowsOf([]string{"k1", "k2"}, []analysis.Event{{ID: "k1", Incidents: []string{"k1", "k2"}}})
	l.marked = map[string]bool{}
	ids := l.rowIDs(l.rows[0])
	for _, tt := range []struct {
		marked []string
		want   string
	}{{nil, ""}, {[]string{"k2"}, "~"}, {[]string{"k1", "k2"}, "✓"}} {
		clear(l.marked)
		for _, id := range tt.marked {
			l.marked[id] = true
		}
		if got := l.markOf(ids); got != tt.want {
			t.Errorf("marked %q: mark %q, want %q", tt.marked, got, tt.want)
		}
	}
}

func TestOpenEventKeepsTheCursorOnItsRow(t *testing.T) {
	events := []analysis.Event{{ID: "k1", Incidents: []string{"k1", "k2"}}}
	l := rowsOf([]string{"a", "k1", "k2", "b"}, events)
	l.c.keys = DefaultKeyMap()
	l.cur.to(1, 1)
	l, _, _, _ = l.openEvent(true)
	if got := shown(l); len(got) != 5 || l.cur.cursor != 1 {
		t.Fatalf("opened: rows %q, cursor %d", got, l.cur.cursor)
	}
	l.cur.to(3, 1) // the second report
	l, _, _, _ = l.openEvent(false)
	if got := shown(l); len(got) != 3 || l.cur.cursor != 1 {
		t.Fatalf("closed from a report: rows %q, cursor %d, want on the event's row", got, l.cur.cursor)
	}
	if len(l.open) != 0 {
		t.Errorf("closed, yet open holds %v", l.open)
	}
}

// At a narrow width the count of events gives way to a status message,
// and the marks stay in sight.
func TestStatusLineKeepsTheMarksBesideAMessage(t *testing.T) {
	d := drivenWith(t, newFakeBackend(eventIncidents()), 50, 18, Options{})
	if got := d.root().list.statusLine(); !strings.Contains(got, "11 of 11 incidents · 8 events") {
		t.Fatalf("status line %q, want both counts", got)
	}
	d.press(km.List.Mark).press(km.List.Mark).press(km.Triage.Star)
	got := d.root().list.statusLine()
	if !strings.Contains(got, "2 marked") || !strings.Contains(got, "starred 2 incidents") || strings.Contains(got, "events") {
		t.Errorf("status line %q, want the marks and the message without the count of events", got)
	}
}

// On the list g groups events and home goes to the top; elsewhere g
// still goes to the top.
func TestGOnTheListGroupsEvents(t *testing.T) {
	km := DefaultKeyMap()
	nav := km.listNav()
	if slices.Contains(nav.Top.Keys(), "g") || !slices.Contains(nav.Top.Keys(), "home") || nav.Top.Help().Key != "home" {
		t.Errorf("the list's top: keys %q, help %q", nav.Top.Keys(), nav.Top.Help().Key)
	}
	if !slices.Equal(nav.Down.Keys(), km.Nav.Down.Keys()) || !slices.Contains(km.Nav.Top.Keys(), "g") {
		t.Error("listNav changed more than the list's top")
	}
	d := drivenWith(t, newFakeBackend(eventIncidents()), 100, 30, Options{})
	d.press(km.Nav.Down).press(km.Nav.Down).press(km.Nav.Top, "home")
	if got := d.root().list.cur.cursor; got != 0 {
		t.Errorf("home: cursor %d", got)
	}
	d.press(km.List.GroupEvents)
	if d.root().list.grouped || d.root().list.byEvent != nil {
		t.Error("g did not switch to a row per incident")
	}
}

// Opening an event shows where each of its reports matched, though the
// result (and the scroll position) did not change.
func TestOpenEventSaysWhereItsReportsMatched(t *testing.T) {
	d := drivenWith(t, newFakeBackend(eventIncidents()), 100, 30, Options{})
	d.press(km.List.FocusQuery).typeText("power peg").press(km.Query.IntoList)
	if got := strings.Count(d.m.View(), "· in "); got != 1 {
		t.Fatalf("%d rows say where they matched, want the event's:\n%s", got, d.m.View())
	}
	d.press(km.List.ExpandEvent)
	if got := strings.Count(d.m.View(), "· in "); got != 4 {
		t.Errorf("open: %d rows say where they matched, want the event's and its 3 reports':\n%s", got, d.m.View())
	}
}

// An event's row shows its reports' status when they share one, else
// "mixed"; a triage key on it changes them all.
func TestEventRowStatus(t *testing.T) {
	d := drivenWith(t, newFakeBackend(eventIncidents()), 100, 30, Options{})
	d.press(km.List.FocusQuery).typeText("knight").press(km.Query.IntoList)
	l := d.root().list
	row := func() string {
		l := d.root().list
		in, _ := d.root().c.summary(l.selectedID())
		return l.rowStatus(l.rows[l.cur.cursor], in)
	}
	if got := row(); got != "" {
		t.Errorf("all new: %q", got)
	}
	d.press(km.List.ExpandEvent).press(km.Nav.Down).press(km.Triage.CycleStatus)
	d.press(km.List.CollapseEvent)
	if got := row(); got != "mixed" {
		t.Errorf("one reviewing: %q, want mixed", got)
	}
	d.press(km.Triage.Star)
	for _, id := range l.rowIDs(l.rows[0]) {
		if in, _ := d.root().c.summary(id); !in.Triage.Starred() {
			t.Errorf("* on the event's row left %s unstarred", id)
		}
	}
}
