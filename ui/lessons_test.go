package ui

import (
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
)

// lessonIncidents are the test incidents with preventions that say one
// thing in other words (Equifax and Heartbleed: patch known flaws), a
// second report of the Knight Capital failure, and a reviewer's note
// whose "Lesson:" line says what a prevention of Knight's says.
func lessonIncidents() []incident.Incident {
	incs := testIncidents()
	incs[3].Postmortem.Preventions = "1. Apply security patches to known vulnerabilities promptly. 2. Renew certificates before they expire."
	incs[7].Postmortem.Preventions = "1. Apply security patches for known vulnerabilities promptly. 2. Fuzz the parsers of network input."
	incs[2].Postmortem.Preventions = "1. Test restores of the backups regularly."
	incs[6].Triage = tri("", false, nil, "Seen this before.\nLesson: remove dead code before reusing a feature flag")
	again := mk("Knight Capital Trading Glitch Floods NYSE With Orders", "2012-08-01",
		"Old order-routing code came back to life on one server after a deployment.",
		incident.Postmortem{Preventions: "1. Automated and verified deployments across every server.", Fixes: "1. Removed the old code."},
		map[string][]string{"domain": {"finance"}, "phase": {"operation"}})
	return append(incs, again)
}

// eventsBackend is a fakeBackend whose grouping also joins the incidents
// of events.
type eventsBackend struct {
	*fakeBackend
	events []analysis.Event
}

func (b eventsBackend) Events() (*analysis.Grouper, error) {
	g, err := b.fakeBackend.Events()
	if err != nil {
		return nil, err
	}
	for _, ev := range b.events {
		for _, id := range ev.Incidents[1:] {
			g.Decide(id, analysis.Decision{With: ev.Incidents[0]})
		}
	}
	return g, nil
}

// knightEvents makes the two Knight Capital reports one event.
func knightEvents(incs []incident.Incident) []analysis.Event {
	return []analysis.Event{{ID: incs[1].ID, Incidents: []string{incs[1].ID, incs[len(incs)-1].ID}}}
}

// startBackend is start over any backend.
func startBackend(t *testing.T, b Backend, w, h int) *tui {
	t.Helper()
	tm := teatest.NewTestModel(t, New(b, Options{Clock: fixedClock}), teatest.WithInitialTermSize(w, h))
	s := &tui{t: t, tm: tm}
	counted := regexp.MustCompile(`\d+ of \d+ incidents`)
	teatest.WaitFor(t, s.out(), counted.Match, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	return s
}

func TestLessonsScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		drive func(s *tui)
	}{
		{"lessons", 120, 36, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
		}},
		{"lessons_80x24", 80, 24, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
		}},
		{"lessons_60x18", 60, 18, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
		}},
		{"lessons_of_a_query", 80, 24, func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("domain:finance")
			s.waitFor("4 of 9")
			s.press(km.Query.IntoList)
			s.press(km.App.Lessons)
			s.waitFor("from 4 incidents")
		}},
		{"lesson_incidents", 80, 24, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
			s.press(km.Lessons.Open)
			s.waitFor("Lesson 1 of")
		}},
		{"lesson_incident_opened", 80, 24, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
			s.press(km.Lessons.Open)
			s.waitFor("Lesson 1 of")
			s.press(km.Nav.Down)
			s.press(km.Lessons.Open)
			s.waitFor("Summary", "2/3")
		}},
		{"lesson_back_from_detail", 80, 24, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
			s.press(km.Lessons.Open)
			s.waitFor("Lesson 1 of")
			s.press(km.Nav.Down)
			s.press(km.Lessons.Open)
			s.waitFor("Summary")
			s.press(km.Detail.Back)
			s.waitFor("2/3 incidents")
		}},
		{"lessons_help", 80, 24, func(s *tui) {
			s.press(km.App.Lessons)
			s.waitFor("from 9 incidents")
			s.press(km.App.Help)
			s.waitFor("Navigation")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			incs := lessonIncidents()
			b := eventsBackend{newFakeBackend(incs), knightEvents(incs)}
			s := startBackend(t, b, tt.w, tt.h)
			tt.drive(s)
			s.golden()
		})
	}
}

// lessonsOf presses the lessons key on a driven explorer and returns what
// the screen gathered.
func lessonsOf(t *testing.T, b Backend) []analysis.Lesson {
	t.Helper()
	d := &driven{t: t, m: New(b, Options{})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30}, loadCmd(b)())
	d.press(km.App.Lessons)
	l := d.root().lessons
	if d.root().state != stateLessons || l.working {
		t.Fatalf("state %v, working %v", d.root().state, l.working)
	}
	return l.lessons
}

func findLesson(ls []analysis.Lesson, text string) (analysis.Lesson, bool) {
	for _, l := range ls {
		if strings.Contains(l.Text, text) {
			return l, true
		}
	}
	return analysis.Lesson{}, false
}

func TestLessonsAreTheCommandsLessons(t *testing.T) {
	incs := lessonIncidents()
	got := lessonsOf(t, eventsBackend{newFakeBackend(incs), knightEvents(incs)})
	// what the lessons command gathers from the same incidents
	want := analysis.Lessons(incs, knightEvents(incs), analysis.NoteLessons(incs))
	if len(got) != len(want) {
		t.Fatalf("%d lessons, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Text != want[i].Text || got[i].Events != want[i].Events || !slices.Equal(got[i].Incidents, want[i].Incidents) {
			t.Errorf("lesson %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	patch, ok := findLesson(got, "security patches")
	if !ok || patch.Events != 2 || len(patch.Incidents) != 2 {
		t.Errorf("patches: %+v, want 2 failures of 2 incidents", patch)
	}
	deploy, ok := findLesson(got, "verified deployments")
	if !ok || deploy.Events != 1 || len(deploy.Incidents) != 2 {
		t.Errorf("deployments: %+v, want 1 failure of 2 reports", deploy)
	}
	dead, ok := findLesson(got, "dead code")
	if !ok || !slices.Contains(dead.Fields, "notes") || !slices.Contains(dead.Incidents, incs[6].ID) {
		t.Errorf("dead code: %+v, want Knight's prevention merged with the reviewer's note", dead)
	}
}

func TestLessonsWithoutEventsCountIncidents(t *testing.T) {
	got := lessonsOf(t, newFakeBackend(lessonIncidents()))
	deploy, ok := findLesson(got, "verified deployments")
	if !ok || deploy.Events != 2 {
		t.Errorf("deployments: %+v, want each report its own failure", deploy)
	}
}

func TestLessonsDropStaleAnswers(t *testing.T) {
	c := &common{keys: km, styles: DefaultStyles(lipgloss.DefaultRenderer()), width: 80, height: 24, backend: newFakeBackend(nil)}
	l := newLessonsModel(c)
	l.gather("a", nil, 1)
	if cmd := l.gather("a", nil, 1); cmd != nil {
		t.Error("the set being gathered was asked for again")
	}
	l.gather("b", nil, 2) // a new set before the first answer
	l.gathered(lessonsGatheredMsg{tag: 1, lessons: []analysis.Lesson{{Text: "old"}}})
	if !l.working || l.lessons != nil {
		t.Fatal("the answer for an older set was taken")
	}
	l.gathered(lessonsGatheredMsg{tag: 2, lessons: []analysis.Lesson{{Text: "new", Events: 1}}})
	if l.working || len(l.lessons) != 1 || l.lessons[0].Text != "new" {
		t.Fatalf("the newest answer was not taken: %+v", l.lessons)
	}
	if cmd := l.gather("b", nil, 2); cmd != nil {
		t.Error("the same set was gathered again")
	}
	l.stale = true // a note changed
	if cmd := l.gather("b", nil, 2); cmd == nil {
		t.Error("lessons not gathered again after triage changed")
	}
}

func TestLessonsWorkOffTheScreen(t *testing.T) {
	b := newFakeBackend(lessonIncidents())
	m := New(b, Options{})
	m = feed(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = feed(t, m, loadCmd(b)())
	// the key only asks: the lessons come in a command's message
	next, cmd := m.Update(keyMsg(km.App.Lessons.Keys()[0]))
	if cmd == nil {
		t.Fatal("no command gathers the lessons")
	}
	if v := next.View(); !strings.Contains(v, "working…") {
		t.Errorf("no working note while the lessons are gathered:\n%s", v)
	}
}

func TestInListOrder(t *testing.T) {
	order := map[string]int{"c": 0, "a": 1, "b": 2}
	tests := []struct {
		name string
		ids  []string
		want []string
	}{
		{"list order", []string{"a", "b", "c"}, []string{"c", "a", "b"}},
		{"unknown last, by id", []string{"z", "b", "y", "c"}, []string{"c", "b", "y", "z"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inListOrder(tt.ids, order)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLessonNote(t *testing.T) {
	tests := []struct {
		name       string
		l          analysis.Lesson
		byIncident bool
		want       string
	}{
		{"one", analysis.Lesson{Incidents: []string{"a"}, Events: 1, Items: 1, Fields: []string{"fixes"}}, false,
			"1/3 · 1 failure · 1 item from fixes"},
		{"reports of one failure", analysis.Lesson{Incidents: []string{"a", "b"}, Events: 1, Items: 2, Fields: []string{"preventions", "notes"}}, false,
			"1/3 · 1 failure (2 reports) · 2 items from preventions, notes"},
		{"no events", analysis.Lesson{Incidents: []string{"a", "b"}, Events: 2, Items: 3, Fields: []string{"fixes"}}, true,
			"1/3 · 2 incidents · 3 items from fixes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lessonNote(tt.l, 0, 3, tt.byIncident); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLessonsCopyAsAChecklist(t *testing.T) {
	var clip strings.Builder
	b := newFakeBackend(lessonIncidents())
	d := &driven{t: t, m: New(b, Options{Clipboard: &clip})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30}, loadCmd(b)())
	d.press(km.List.FocusQuery).typeText("domain:finance").press(km.Query.IntoList)
	d.press(km.App.Lessons).press(km.Lessons.Copy)
	if v := d.m.View(); !strings.Contains(v, "copied a checklist of") {
		t.Errorf("no word of the copy:\n%s", v)
	}
	seq := clip.String()
	start, end := strings.Index(seq, ";c;"), strings.LastIndex(seq, "\x07")
	if start < 0 || end < start {
		t.Fatalf("no OSC 52 sequence: %q", seq)
	}
	text, err := base64.StdEncoding.DecodeString(seq[start+3 : end])
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	l := d.root().lessons
	export.WriteLessons(&want, "domain:finance", 4, l.lessons)
	if string(text) != want.String() || !strings.Contains(want.String(), "- [ ] ") {
		t.Errorf("copied:\n%s\nwant the checklist lessons --md writes:\n%s", text, want.String())
	}
}

func TestAppKeysWorkOnTheLessonsScreen(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.App.Lessons).press(km.App.Stats)
	if st := d.root().state; st != stateStats {
		t.Errorf("stats from the lessons: state %v", st)
	}
	d.press(km.App.Lessons).press(km.App.Export)
	if st := d.root().state; st != statePrompt || d.root().under != stateLessons {
		t.Errorf("export from the lessons: state %v over %v", st, d.root().under)
	}
}
