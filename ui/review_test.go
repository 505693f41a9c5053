package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/faultline/faultline/incident"
)

// reviewIncidents are the test incidents with three already reviewed, so
// that triage:new holds five.
func reviewIncidents() []incident.Incident {
	incs := testIncidents()
	for _, i := range []int{0, 1, 2} { // Twitter, Knight, GitLab
		incs[i].Triage = tri(incident.StatusReviewing, false, nil, "")
	}
	return incs
}

// TestReviewScreens are the goldens of the review session: each numbered
// behaviour of the explorer's review features as it looks.
func TestReviewScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		incs  func() []incident.Incident
		views []SavedView
		drive func(s *tui)
	}{
		{name: "queue_holds", w: 100, h: 30, incs: reviewIncidents, drive: func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("triage:new")
			s.waitFor("5 of 8")
			s.press(km.Query.OpenDetail)
			s.waitFor("1/5")
			s.press(km.Triage.CycleStatus)
			s.waitFor("status: reviewing")
			s.press(km.Detail.NextIncident)
			s.waitFor("2/5", "Apache Struts flaw")
		}},
		{name: "back_from_related", w: 100, h: 30, drive: func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "8")
			s.waitFor("Related incidents")
			s.press(km.Detail.Select)
			s.waitFor("related, 1 deep")
			s.press(km.Detail.Back)
			s.waitFor("1/1", "words: trading, manual")
		}},
		{name: "bulk_starred", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.Mark)
			s.press(km.List.Mark)
			s.press(km.List.Mark)
			s.waitFor("3 marked")
			s.press(km.Triage.Star)
			s.waitFor("starred 3 incidents")
		}},
		{name: "bulk_undone", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.Mark)
			s.press(km.List.Mark)
			s.press(km.Triage.Star)
			s.waitFor("starred 2 incidents")
			s.press(km.App.Undo)
			s.waitFor("undone: starred 2 incidents")
		}},
		{name: "confirm_all_matching", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.MarkAll)
			s.waitFor("all 8 matching")
			s.press(km.Triage.Star)
			s.waitFor("all 8 matching incidents?")
		}},
		{name: "status_picker", w: 80, h: 24, drive: func(s *tui) {
			s.press(km.Triage.PickStatus)
			s.waitFor("dismissed")
		}},
		{name: "taxonomy_picker", w: 100, h: 30, drive: func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "6")
			s.waitFor("rationale")
			s.press(km.Nav.Down)
			s.press(km.Detail.Correct)
			s.waitFor("the options that apply")
		}},
		{name: "taxonomy_corrected", w: 100, h: 30, drive: func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "6")
			s.waitFor("rationale")
			s.press(km.Nav.Down)
			s.press(km.Detail.Correct)
			s.waitFor("the options that apply")
			s.press(km.Nav.Down)
			s.press(km.Picker.Toggle)
			s.press(km.Picker.Accept)
			s.waitFor("taxonomy corrected")
			s.press(km.Detail.Select)
			s.waitFor("The reports describe it")
		}},
		{name: "note_ctrl_c_asks", w: 100, h: 30, drive: func(s *tui) {
			s.openKnight()
			s.press(km.Triage.EditNote)
			s.waitFor("Note ·")
			s.typeText("half a thought")
			s.waitFor("thought")
			s.press(km.Editor.ForceQuit)
			s.waitFor("keep it as a draft")
		}},
		{name: "find_in_incident", w: 100, h: 30, drive: func(s *tui) {
			s.openKnight()
			s.press(km.Detail.Find)
			s.typeText("deploy")
			s.waitFor("match 1/")
			s.press(km.Editor.Accept)
			s.press(km.Detail.NextMatch)
			s.waitFor("match 2/")
		}},
		{name: "copied", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.App.CopyID)
			s.waitFor("to the clipboard")
		}},
		{name: "query_incomplete", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("domain:fin")
			// the hint and the count on one line: the search of what was
			// typed is in, not one of a half-typed word
			s.waitFor("8 of 8 incidents · 8 events  domain:fin… finance · tab completes")
		}},
		{name: "query_completion", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("domain:")
			s.waitFor("needs a value")
			s.press(km.Query.Complete)
			s.waitFor("transportation")
		}},
		{name: "why_matched", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("replication")
			s.waitFor("1 of 8")
		}},
		{name: "views_picker", w: 80, h: 24, views: []SavedView{
			{Name: "finance, newest", Query: "domain:finance", Sort: "date"},
			{Name: "my stars", Query: "is:starred"},
		}, drive: func(s *tui) {
			s.press(km.List.Views)
			s.waitFor("Saved views")
		}},
		{name: "layout_80x24", w: 80, h: 24, incs: reviewIncidents, drive: func(s *tui) {}},
		{name: "layout_60x18", w: 60, h: 18, incs: reviewIncidents, drive: func(s *tui) {}},
		{name: "focus_list_beside_facets", w: 100, h: 30, drive: func(s *tui) {
			s.press(km.List.ToggleFacets)
			s.waitFor("▶ Facets")
			s.press(km.Facets.SwitchFocus)
			s.waitFor("▶   Title")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			incs := testIncidents()
			if tt.incs != nil {
				incs = tt.incs()
			}
			b := newFakeBackend(incs)
			b.views = tt.views
			s := start(t, b, tt.w, tt.h)
			tt.drive(s)
			s.golden()
		})
	}
}

// drivenWith is drive over incs.
func drivenWith(t *testing.T, b *fakeBackend, w, h int, opts Options) *driven {
	d := &driven{t: t, m: New(b, opts)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.send(loadCmd(b)())
	return d
}

func (d *driven) typeText(s string) *driven {
	for _, r := range s {
		d.send(keyMsg(string(r)))
	}
	return d
}

func (d *driven) openSelected() *driven {
	d.press(km.List.OpenDetail)
	root := d.root()
	return d.send(loadIncidentCmd(root.c.index, root.c.events, root.detail.id, root.detail.loadTag)())
}

func TestQueueHoldsWhenTriageMovesTheIncidentOut(t *testing.T) {
	b := newFakeBackend(reviewIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	d.press(km.List.FocusQuery).typeText("triage:new").press(km.Query.IntoList)
	queue := d.root().list.ids()
	if len(queue) != 5 {
		t.Fatalf("triage:new lists %d, want 5", len(queue))
	}
	d.openSelected()
	for i := range 3 {
		d.press(km.Triage.CycleStatus)
		det := d.root().detail
		if !slices.Equal(det.queue, queue) || det.position() != i {
			t.Fatalf("after t on %d: queue %v at %d, want the opening list at %d", i, det.queue, det.position(), i)
		}
		if !strings.Contains(d.m.View(), "/5") {
			t.Fatalf("k/N lost:\n%s", d.m.View())
		}
		d.press(km.Detail.NextIncident)
		if got := d.root().detail.id; got != queue[i+1] {
			t.Fatalf("n went to %s, want %s", got, queue[i+1])
		}
	}
	d.press(km.Detail.Back)
	l := d.root().list
	if l.result.Total != 2 {
		t.Errorf("the list was not refreshed on return: %d listed, want 2", l.result.Total)
	}
	if l.selectedID() != queue[3] {
		t.Errorf("cursor on %s, want %s, the incident last shown", l.selectedID(), queue[3])
	}
}

func TestBackStackReturnsThroughRelated(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.List.FocusQuery).typeText("knight").press(km.Query.IntoList).openSelected()
	knight := d.root().detail.id
	d.press(km.Detail.GotoSection, "8")
	rel := d.root().detail.related
	if len(rel) < 2 {
		t.Fatalf("want related incidents, got %v", rel)
	}
	d.press(km.Detail.Select)
	first := d.root().detail.id
	d.send(loadIncidentCmd(d.root().c.index, d.root().c.events, first, d.root().detail.loadTag)())
	d.press(km.Detail.GotoSection, "8").press(km.Detail.Select)
	if len(d.root().detail.stack) != 2 {
		t.Fatalf("stack %v, want two places", d.root().detail.stack)
	}
	d.press(km.Detail.Back)
	if got := d.root().detail; got.id != first || got.section != secRelated {
		t.Errorf("back shows %s in section %d, want %s in Related", got.id, got.section, first)
	}
	d.press(km.Detail.Back)
	if got := d.root().detail.id; got != knight || d.root().state != stateDetail {
		t.Errorf("back shows %s, want %s, the incident it started from", got, knight)
	}
	d.press(km.Detail.Back)
	if d.root().state != stateList {
		t.Errorf("state %v, want the list at the bottom of the stack", d.root().state)
	}
}

func TestBulkStatusAndUndoMergeAsNewChanges(t *testing.T) {
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	d.press(km.List.Mark).press(km.List.Mark)
	ids := d.root().list.markedIDs()
	d.press(km.Triage.CycleStatus) // with marks: one status for all
	if d.root().state != statePicker {
		t.Fatalf("state %v, want the status picker", d.root().state)
	}
	d.press(km.Nav.Bottom).press(km.Picker.Accept) // actioned
	for _, id := range ids {
		if got, _ := b.savedTriage(id); got.State() != incident.StatusActioned {
			t.Fatalf("%s saved as %q, want actioned", id, got.State())
		}
	}
	set, _ := b.savedTriage(ids[0])
	d.press(km.App.Undo)
	for _, id := range ids {
		got, _ := b.savedTriage(id)
		if got.State() != incident.StatusNew {
			t.Errorf("%s is %q after undo, want new", id, got.State())
		}
		if !got.Status.At.After(set.Status.At) && !got.Status.At.Equal(set.Status.At) || got.Status.Replaced.IsZero() {
			t.Errorf("undo rewrote history: %+v", got.Status)
		}
	}
	if n := len(d.root().undo); n != 0 {
		t.Errorf("%d entries left to undo, want 0", n)
	}
}

func TestUndoLeavesWhatItDidNotTouch(t *testing.T) {
	before := tri(incident.StatusReviewing, false, []string{"auth"}, "")
	after := before.Clone()
	st := incident.NewStamp("tester")
	after.SetStar(true, st)
	// meanwhile a colleague's change arrived: another tag
	current := after.Clone()
	current.SetTag("ops", true, incident.NewStamp("bob"))
	restore(&current, before, after, "tester", incident.NewStamp("tester"))
	if current.Starred() || !current.HasTag("ops") || !current.HasTag("auth") || current.State() != incident.StatusReviewing {
		t.Errorf("restore: %+v", current)
	}
}

func TestAllMatchingAsksFirst(t *testing.T) {
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	d.press(km.List.MarkAll).press(km.Triage.Star)
	if d.root().state != stateConfirm {
		t.Fatalf("state %v, want the question", d.root().state)
	}
	d.press(km.Confirm.No)
	if len(b.saved) != 0 {
		t.Fatalf("saved %d before yes", len(b.saved))
	}
	d.press(km.Triage.Star).press(km.Confirm.Yes) // still all matching
	if d.root().list.allArmed {
		t.Error("all matching still armed after the change")
	}
	if len(b.saved) != 8 {
		t.Errorf("starred %d, want all 8", len(b.saved))
	}
}

func TestNoteDraftSurvivesCtrlC(t *testing.T) {
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	d.press(km.Triage.EditNote).typeText("not lost")
	d.press(km.Editor.ForceQuit)
	if d.root().state != stateNote || !d.root().note.asking {
		t.Fatal("ctrl+c in the editor did not ask")
	}
	d.press(km.Editor.Draft)
	id := d.root().list.selectedID()
	if d.root().drafts[id] != "not lost" {
		t.Fatalf("draft %q", d.root().drafts[id])
	}
	// quitting now asks too
	d.press(km.App.Quit)
	if d.root().state != stateConfirm {
		t.Fatalf("q with a draft: state %v, want the question", d.root().state)
	}
	d.press(km.Confirm.No).press(km.Triage.EditNote)
	if v := d.root().note.area.Value(); v != "not lost" {
		t.Fatalf("e offers %q, want the draft", v)
	}
	d.press(km.Editor.Cancel) // esc saves
	if got, _ := b.savedTriage(id); got.NoteBy("tester") != "not lost" {
		t.Errorf("saved note %q", got.NoteBy("tester"))
	}
	if len(d.root().drafts) != 0 {
		t.Error("the draft outlived its save")
	}
}

func TestFindStepsThroughMatches(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.List.FocusQuery).typeText("knight").press(km.Query.IntoList).openSelected()
	d.press(km.Detail.Find).typeText("deploy").press(km.Editor.Accept)
	f := d.root().detail.find
	if len(f.matches) < 3 {
		t.Fatalf("%d matches of deploy, want several across sections", len(f.matches))
	}
	sections := map[int]bool{}
	for range f.matches {
		sections[d.root().detail.section] = true
		d.press(km.Detail.NextMatch)
	}
	if len(sections) < 2 {
		t.Errorf("n stayed in one section: %v", sections)
	}
	if at := d.root().detail.find.at; at != 0 {
		t.Errorf("after a round, at match %d, want back at 0", at)
	}
	d.press(km.Detail.PrevMatch)
	if !strings.Contains(d.m.View(), fmt.Sprintf("match %d/", len(f.matches))) {
		t.Errorf("N from the first does not wrap to the last:\n%s", d.m.View())
	}
	d.press(km.Detail.Back) // clears the find first
	if d.root().state != stateDetail || d.root().detail.find.text != "" {
		t.Error("esc left the incident instead of clearing the find")
	}
}

func TestCopyWritesOSC52(t *testing.T) {
	var clip bytes.Buffer
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{Clipboard: &clip})
	id := d.root().list.selectedID()
	d.press(km.App.CopyID)
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(id)) + "\a"
	if clip.String() != want {
		t.Errorf("clipboard got %q, want %q", clip.String(), want)
	}
	clip.Reset()
	d.press(km.App.CopyRef)
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(clip.String(), "\x1b]52;c;"), "\a"))
	if !strings.HasPrefix(string(raw), "**東京証券取引所") || !strings.Contains(string(raw), "2020-10-01") || !strings.Contains(string(raw), id) {
		t.Errorf("reference %q", raw)
	}
	if !strings.Contains(d.m.View(), "copied a Markdown reference") {
		t.Errorf("copy not said:\n%s", d.m.View())
	}
}

func TestQueryLineHelpsWhileTyping(t *testing.T) {
	b := newFakeBackend(testIncidents())
	b.history = []string{"domain:finance", "outage"}
	d := drivenWith(t, b, 100, 30, Options{})
	d.send(loadHistoryCmd(b)())
	d.press(km.List.FocusQuery).press(km.Query.History)
	if q := d.root().list.input.Value(); q != "domain:finance" {
		t.Fatalf("↑ recalls %q, want the newest query", q)
	}
	d.press(km.Query.History)
	if q := d.root().list.input.Value(); q != "outage" {
		t.Fatalf("↑↑ recalls %q", q)
	}
	d.press(km.Query.IntoList) // ↓ goes back toward the query being typed
	d.press(km.Query.IntoList)
	if q := d.root().list.input.Value(); q != "" {
		t.Fatalf("↓↓ shows %q, want the empty query typed", q)
	}
	d.press(km.Query.Clear)
	d.press(km.List.FocusQuery).typeText("knight -")
	if l := d.root().list; l.result.Total != 1 || l.queryErr != "" || l.hint == "" {
		t.Errorf("knight -: %d matches, error %q, hint %q; want knight's match and a hint", l.result.Total, l.queryErr, l.hint)
	}
	d.press(km.Query.Clear).typeText("domain:fin")
	if l := d.root().list; l.result.Total != 8 || !strings.Contains(l.hint, "finance") {
		t.Errorf("domain:fin: %d matches, hint %q; want the last results and finance offered", l.result.Total, l.hint)
	}
	d.press(km.Query.Complete)
	if q := d.root().list.input.Value(); q != "domain:finance " {
		t.Errorf("tab made %q", q)
	}
	before := d.root().list.cur.cursor
	d.press(km.Query.NextRow).press(km.Query.NextRow, "ctrl+j")
	if got := d.root().list.cur.cursor; got != before+2 || d.root().list.focus != focusQuery {
		t.Errorf("ctrl+n, ctrl+j: cursor %d focus %v", got, d.root().list.focus)
	}
	d.press(km.Query.PrevRow, "ctrl+k")
	if got := d.root().list.cur.cursor; got != before+1 {
		t.Errorf("ctrl+k: cursor %d", got)
	}
	d.press(km.Query.OpenDetail)
	if h, _ := b.History(); len(h) == 0 || h[0] != "domain:finance " {
		t.Errorf("history after opening: %q", h)
	}
}

func TestSavedViewRoundTrip(t *testing.T) {
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{})
	d.press(km.List.FocusQuery).typeText("domain:finance").press(km.Query.IntoList)
	d.press(km.List.Sort).press(km.List.ToggleFacets).press(km.Facets.SwitchFocus)
	d.press(km.List.SaveView).typeText("money").press(km.Editor.Accept)
	views, _ := b.Views()
	if len(views) != 1 || views[0] != (SavedView{Name: "money", Query: "domain:finance", Sort: "date", Facets: true}) {
		t.Fatalf("saved %+v", views)
	}
	d.press(km.List.ClearQuery).press(km.List.ToggleFacets)
	d.press(km.List.Views).press(km.Picker.Accept)
	l := d.root().list
	if l.input.Value() != "domain:finance" || l.sort.String() != "date" || !l.showFacets || l.result.Total != 3 {
		t.Errorf("view applied as %q sort %s facets %v: %d", l.input.Value(), l.sort, l.showFacets, l.result.Total)
	}
	d.press(km.List.Views).press(km.Picker.Delete)
	if views, _ := b.Views(); len(views) != 0 {
		t.Errorf("views after delete: %+v", views)
	}
}

func TestNavigationKeysEverywhere(t *testing.T) {
	d := drive(t, 100, 12)
	d.press(km.App.Stats).press(km.Nav.Bottom)
	st := d.root().stats
	if st.cur.cursor != len(st.rows)-1 {
		t.Errorf("G in stats: cursor %d of %d", st.cur.cursor, len(st.rows))
	}
	d.press(km.Nav.Top)
	if c := d.root().stats.cur.cursor; c != 1 {
		t.Errorf("g in stats: cursor %d, want the first bar", c)
	}
	d.press(km.Nav.PageDown)
	if c := d.root().stats.cur.cursor; c <= 2 {
		t.Errorf("pgdn in stats: cursor %d", c)
	}
	d.press(km.Stats.Back).press(km.List.ToggleFacets).press(km.Nav.Bottom)
	f := d.root().list.facets
	if f.cur.cursor != len(f.rows)-1 {
		t.Errorf("G in facets: cursor %d of %d", f.cur.cursor, len(f.rows))
	}
	for range 20 {
		d.press(km.Nav.PageUp)
	}
	if c := d.root().list.facets.cur.cursor; c != 1 {
		t.Errorf("pgup to the top of facets: cursor %d, want the first option", c)
	}
	d.press(km.Facets.Close).press(km.Nav.Bottom)
	if c := d.root().list.cur.cursor; c != 7 {
		t.Errorf("G in the list: %d", c)
	}
	d.press(km.List.OpenDetail).press(km.Nav.Bottom)
	if det := d.root().detail; det.vp.YOffset == 0 && det.vp.TotalLineCount() > det.vp.Height {
		t.Error("G in the detail did not scroll")
	}
}

// TestColumnsStayAligned lists titles holding a ZWJ emoji sequence,
// combining marks, zero-width characters and wide characters: the date
// column starts at the same cell on every row.
func TestColumnsStayAligned(t *testing.T) {
	titles := []string{
		"👩‍💻 Developer laptops lose VPN",
		"Cafe\u0301 POS outage after re\u0301sume\u0301 update",
		"Zero\u200bwidth\u200d joiners\u2060 in a title",
		"東京証券取引所 halted",
		"🏳️‍🌈 flag sequence in a title",
		"Plain ASCII title of an incident",
	}
	var incs []incident.Incident
	for i, title := range titles {
		incs = append(incs, mk(title, "2021-0"+string(rune('1'+i))+"-01", "s", incident.Postmortem{}, map[string][]string{"domain": {"finance"}}))
	}
	for _, w := range []int{100, 80, 60} {
		b := newFakeBackend(incs)
		d := drivenWith(t, b, w, 24, Options{})
		col := -1
		for _, line := range strings.Split(d.m.View(), "\n")[3:9] {
			plain := ansi.Strip(line)
			i := strings.Index(plain, "2021-")
			if i < 0 {
				t.Fatalf("%d: no date in %q", w, plain)
			}
			at := ansi.StringWidth(plain[:i])
			if col >= 0 && at != col {
				t.Errorf("width %d: date at cell %d in %q, at %d above", w, at, plain, col)
			}
			col = at
		}
	}
}
