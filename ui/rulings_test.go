package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
)

// idOfTitle returns the id of the incident of incs whose title starts so.
func idOfTitle(t *testing.T, incs []incident.Incident, prefix string) string {
	t.Helper()
	for _, in := range incs {
		if strings.HasPrefix(in.Title, prefix) {
			return in.ID
		}
	}
	t.Fatalf("no incident titled %q…", prefix)
	return ""
}

func TestRegroupLaysRulingsOver(t *testing.T) {
	incs := eventIncidents()
	knight := idOfTitle(t, incs, "Knight Capital's")
	glitch := idOfTitle(t, incs, "Knight Capital Trading Glitch")
	cloud := idOfTitle(t, incs, "🔥 Cloud")
	heartbleed := idOfTitle(t, incs, "Heartbleed")
	g := analysis.NewGrouper()
	g.Add(incs...)
	gr := &grouping{g: g}
	tests := []struct {
		name    string
		rulings map[string]string
		id      string
		want    int // reports in id's event; 1: alone
	}{
		{"as found", nil, glitch, 3},
		{"split", map[string]string{glitch: "alone"}, glitch, 1},
		{"the rest stay together", nil, knight, 2},
		{"withdrawn: as found again", map[string]string{glitch: ""}, glitch, 3},
		{"joined to an event of two", map[string]string{heartbleed: "with:" + cloud}, cloud, 3},
		{"a ruling of a later version counts as none", map[string]string{heartbleed: "elsewhere"}, cloud, 2},
	}
	for _, tt := range tests {
		msg := regroupCmd(gr, tt.rulings, 7)().(eventsGroupedMsg)
		if msg.tag != 7 {
			t.Fatalf("%s: tag %d", tt.name, msg.tag)
		}
		got := 1 + len(msg.set.others(tt.id))
		if got != tt.want {
			t.Errorf("%s: %d reports in the event, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRulingSummary(t *testing.T) {
	title := func(id string) string { return "«" + id + "»" }
	tests := []struct {
		after, n, want string
	}{
		{"alone", "", "split from its event"},
		{"alone", " 2 incidents", "split from its event 2 incidents"},
		{"with:abc", "", "joined to the event of «abc»"},
		{"", "", "back in its event as found"},
	}
	for _, tt := range tests {
		ch := change{after: incident.Triage{Event: incident.Mark[string]{Value: tt.after}}}
		if got := rulingSummary(ch, tt.n, title); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.after, got, tt.want)
		}
	}
}

// eventsDriven is the explorer over eventIncidents, with the list on the
// incidents matching query.
func eventsDriven(t *testing.T, query string) (*driven, *fakeBackend) {
	b := newFakeBackend(eventIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	if d.root().c.events == nil {
		t.Fatal("the events were not read")
	}
	if query != "" {
		d.press(km.List.FocusQuery).typeText(query).press(km.Query.IntoList)
	}
	return d, b
}

// TestSplitIsSavedAsTriageAndOutlivesAReload splits a report from its
// event with the key, and checks that it is triage saved through the
// Backend, that the grouping read again keeps it, and that u undoes it.
func TestSplitIsSavedAsTriageAndOutlivesAReload(t *testing.T) {
	d, b := eventsDriven(t, "knight")
	if rows := d.root().list.rows; len(rows) != 1 || rows[0].kind != rowEvent {
		t.Fatalf("knight: rows %+v, want one event", rows)
	}
	d.press(km.Triage.SplitEvent)
	if got := d.root().c.status; !strings.Contains(got, "split a report, not the event") {
		t.Errorf("split on an event row: %q", got)
	}
	d.press(km.List.ExpandEvent).press(km.Nav.Down).press(km.Nav.Down)
	id := d.root().list.selectedID()
	d.press(km.Triage.SplitEvent)
	if tr, _ := b.savedTriage(id); tr.Event.Value != "alone" || tr.Event.By != "tester" {
		t.Fatalf("saved ruling %+v, want alone by tester", tr.Event)
	}
	alone := func() bool { _, in := d.root().c.events.event(id); return !in }
	if !alone() {
		t.Fatal("split, yet still in its event")
	}
	if rows := d.root().list.rows; len(rows) != 4 || d.root().list.selectedID() != id {
		t.Errorf("after the split: %d rows, cursor on %s; want the event's row and two reports, and the split one, selected", len(rows), d.root().list.selectedID())
	}
	d.send(loadCmd(b)()) // a reload: the index and the grouping read again
	if !alone() {
		t.Error("the split did not outlive a reload")
	}
	d.press(km.App.Undo)
	if tr, _ := b.savedTriage(id); tr.Event.Value != "" {
		t.Errorf("undone, yet saved ruling %q", tr.Event.Value)
	}
	if alone() {
		t.Error("undone, yet still alone")
	}
}

// TestJoinMarkedEvents marks the rows of two events and joins them.
func TestJoinMarkedEvents(t *testing.T) {
	d, b := eventsDriven(t, "")
	var cloudRow, knightRow int
	for i, r := range d.root().list.rows {
		title := d.root().list.result.Hits[r.hit].ID
		switch in, _ := d.root().c.summary(title); {
		case r.kind == rowEvent && strings.Contains(in.Title, "Cloud"):
			cloudRow = i
		case r.kind == rowEvent && strings.Contains(in.Title, "Knight"):
			knightRow = i
		}
	}
	if cloudRow == 0 && knightRow == 0 {
		t.Fatal("no event rows")
	}
	l := d.root().list
	cloud, knight := l.rowIDs(l.rows[cloudRow]), l.rowIDs(l.rows[knightRow])
	for _, row := range []int{cloudRow, knightRow} {
		for d.root().list.cur.cursor < row {
			d.press(km.Nav.Down)
		}
		d.press(km.List.Mark)
	}
	if got := len(d.root().list.markedIDs()); got != 5 {
		t.Fatalf("marking two event rows marked %d, want their 5 reports", got)
	}
	d.press(km.Triage.JoinEvent)
	anchor := d.root().list.ids()[slices.IndexFunc(d.root().list.ids(), func(id string) bool {
		return slices.Contains(cloud, id) || slices.Contains(knight, id)
	})]
	for _, id := range append(cloud, knight...) {
		tr, _ := b.savedTriage(id)
		if slices.Contains(cloud, id) == slices.Contains(cloud, anchor) {
			if tr.Event.Value != "" {
				t.Errorf("%s, in the anchor's event, got ruling %q", id, tr.Event.Value)
			}
		} else if tr.Event.Value != "with:"+anchor {
			t.Errorf("%s: ruling %q, want with:%s", id, tr.Event.Value, anchor)
		}
	}
	if got := 1 + len(d.root().c.events.others(anchor)); got != 5 {
		t.Errorf("joined event of %d, want 5", got)
	}
	d.press(km.App.Undo)
	if got := 1 + len(d.root().c.events.others(anchor)); got == 5 {
		t.Error("undo left the events joined")
	}
}

// Without events (they could not be read) the list is by incident, g
// says why, and a split is still saved as triage, for the next grouping.
func TestWithoutEvents(t *testing.T) {
	b := newFakeBackend(eventIncidents())
	b.eventErr = errors.New("events damaged")
	d := drivenWith(t, b, 100, 30, Options{})
	root := d.root()
	if root.c.events != nil || !strings.Contains(root.c.status, "events not read: events damaged") {
		t.Fatalf("events %v, status %q", root.c.events, root.c.status)
	}
	if got, want := len(root.list.rows), len(eventIncidents()); got != want {
		t.Errorf("%d rows, want one per incident, %d", got, want)
	}
	d.press(km.List.GroupEvents).press(km.List.GroupEvents)
	if got := d.root().c.status; !strings.Contains(got, "no events to group by: events damaged") {
		t.Errorf("g said %q", got)
	}
	d.press(km.List.FocusQuery).typeText("knight").press(km.Query.IntoList)
	id := d.root().list.selectedID()
	d.press(km.List.ExpandEvent)
	d.press(km.Triage.SplitEvent)
	if tr, _ := b.savedTriage(id); tr.Event.Value != "alone" {
		t.Errorf("split without events saved %q", tr.Event.Value)
	}
	d.press(km.List.OpenDetail)
	d.send(loadIncidentCmd(d.root().c.index, d.root().c.events, id, d.root().detail.loadTag)())
	if v := d.root().View(); !strings.Contains(v, "split from its event") || strings.Contains(v, "Also reported as") {
		t.Errorf("detail without events:\n%s", v)
	}
}

// A reload lays the rulings made here over the grouping as the database
// now has them: a colleague's later ruling is not overridden by ours.
func TestReloadTakesALaterRulingOfAColleague(t *testing.T) {
	d, b := eventsDriven(t, "knight")
	d.press(km.List.ExpandEvent).press(km.Nav.Down)
	id := d.root().list.selectedID()
	d.press(km.Triage.SplitEvent)
	if _, in := d.root().c.events.event(id); in {
		t.Fatal("split, yet in its event")
	}
	b.mu.Lock()
	later := b.saved[id].Clone() // a colleague who saw our split sets it back as found
	later.SetEvent("", incident.Stamp{By: "colleague", At: time.Now().Add(time.Minute)})
	merged, _ := b.saved[id].Merge(later)
	b.saved[id] = merged
	b.mu.Unlock()
	if merged.Event.Value != "" {
		t.Fatalf("the colleague's ruling did not win the merge: %+v", merged.Event)
	}
	d.send(loadCmd(b)())
	if _, in := d.root().c.events.event(id); !in {
		t.Error("after the reload our split still holds over the colleague's later ruling")
	}
}

// A save's answer that arrives after a later change (an undo made while
// it ran) does not bring the earlier state back to the screen.
func TestLateSaveDoesNotUndoAnUndo(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tick := func() time.Time { now = now.Add(time.Second); return now } // the undo is later
	d := drivenWith(t, newFakeBackend(eventIncidents()), 100, 30, Options{Clock: tick})
	id := d.root().list.selectedID()
	d.press(km.Triage.Star)
	starred, _ := d.root().c.summary(id)
	d.press(km.App.Undo)
	d.send(triagesSavedMsg{saved: map[string]incident.Triage{id: starred.Triage}, failed: map[string]incident.Triage{}})
	if in, _ := d.root().c.summary(id); in.Triage.Starred() {
		t.Error("the star's late save starred it again after the undo")
	}
}
