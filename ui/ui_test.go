package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
	"github.com/faultline/faultline/search"
)

func TestMain(m *testing.M) {
	// Goldens must not depend on the terminal running the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

var km = DefaultKeyMap()

// fixedClock stamps the changes of golden tests, so that the screens that
// show stamps stay the same.
func fixedClock() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) }

// keyTypes maps the names Bubble Tea gives keys ("enter", "shift+tab") to
// their types, so tests press keys by the names the keymap holds.
var keyTypes = func() map[string]tea.KeyType {
	m := map[string]tea.KeyType{}
	for t := tea.KeyType(-200); t < 200; t++ {
		if name := t.String(); name != "" {
			if _, ok := m[name]; !ok {
				m[name] = t
			}
		}
	}
	return m
}()

// keyMsg is the message a terminal sends for the key called name.
func keyMsg(name string) tea.KeyMsg {
	if t, ok := keyTypes[name]; ok && name != " " {
		return tea.KeyMsg{Type: t}
	}
	if name == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// tui is a running explorer under test.
type tui struct {
	t   *testing.T
	tm  *teatest.TestModel
	b   *fakeBackend
	all bytes.Buffer // every byte written to the terminal so far
}

// out reads the terminal output, keeping a copy of all of it.
func (s *tui) out() io.Reader { return io.TeeReader(s.tm.Output(), &s.all) }

func start(t *testing.T, b *fakeBackend, w, h int) *tui {
	t.Helper()
	tm := teatest.NewTestModel(t, New(b, Options{Clock: fixedClock}), teatest.WithInitialTermSize(w, h))
	s := &tui{t: t, tm: tm, b: b}
	// the first results are in when the status line counts them, and
	// the events (read after the index) when it counts those too: a
	// screen that quits before would race the list's regrouping
	counted := regexp.MustCompile(`\d+ of \d+ incidents · \d+ events?`)
	teatest.WaitFor(t, s.out(), counted.Match,
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	return s
}

// press sends the first key of binding b, or the key named by which when
// it is one of b's keys.
func (s *tui) press(b key.Binding, which ...string) {
	s.t.Helper()
	name := b.Keys()[0]
	if len(which) > 0 {
		if !slices.Contains(b.Keys(), which[0]) {
			s.t.Fatalf("%q is not a key of binding %q", which[0], b.Help().Desc)
		}
		name = which[0]
	}
	s.tm.Send(keyMsg(name))
}

func (s *tui) typeText(text string) { s.tm.Type(text) }

// waitFor waits until the screen, as written since the last wait, shows
// marker.
func (s *tui) waitFor(markers ...string) {
	s.t.Helper()
	teatest.WaitFor(s.t, s.out(), func(b []byte) bool {
		for _, m := range markers {
			if !bytes.Contains(b, []byte(m)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// finish quits and returns the last frame.
func (s *tui) finish() string {
	s.t.Helper()
	if err := s.tm.Quit(); err != nil {
		s.t.Fatal(err)
	}
	m := s.tm.FinalModel(s.t, teatest.WithFinalTimeout(5*time.Second))
	return m.View()
}

func (s *tui) golden() {
	s.t.Helper()
	teatest.RequireEqualOutput(s.t, []byte(s.finish()+"\n"))
}

func TestScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		drive func(s *tui)
	}{
		{"list", 100, 30, func(s *tui) {}},
		{"list_query", 100, 30, func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("twtr secur")
			s.waitFor("1 of 8")
		}},
		{"list_sorted_by_title", 100, 30, func(s *tui) {
			s.press(km.List.Sort)
			s.press(km.List.Sort)
			s.waitFor("sort: title")
		}},
		{"facets", 100, 30, func(s *tui) {
			s.press(km.List.ToggleFacets)
			s.waitFor("[ ]")
			s.press(km.Nav.Down)
			s.press(km.Facets.ToggleFacet)
			s.waitFor("[x]")
		}},
		{"facets_query_sync", 100, 30, func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("domain:finance")
			s.waitFor("3 of 8")
			s.press(km.Query.IntoList)
			s.press(km.List.ToggleFacets)
			s.waitFor("[x] finance")
		}},
		{"detail_overview", 100, 30, func(s *tui) {
			s.openKnight()
		}},
		{"detail_causes", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.NextSection)
			s.waitFor("Non-software causes")
		}},
		{"detail_fixes", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "5")
			s.waitFor("Rolled back")
		}},
		{"detail_taxonomy", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "6")
			s.waitFor("Recurring")
		}},
		{"detail_references", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "7")
			s.waitFor("Cited articles")
		}},
		{"detail_related", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.PrevSection)
			s.press(km.Detail.PrevSection)
			s.waitFor("Related incidents")
		}},
		{"detail_triage", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "9")
			s.waitFor("no note yet")
		}},
		{"help", 100, 30, func(s *tui) {
			s.press(km.App.Help)
			s.waitFor("Navigation")
		}},
		{"help_detail", 100, 30, func(s *tui) {
			s.press(km.Nav.Down)
			s.press(km.List.OpenDetail)
			s.waitFor("2/8")
			s.press(km.App.Help)
			s.waitFor("next in queue")
		}},
		{"stats", 100, 30, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Years")
		}},
		{"narrow_list", 60, 18, func(s *tui) {}},
		{"narrow_facets", 60, 18, func(s *tui) {
			s.press(km.List.ToggleFacets)
			s.waitFor("[ ]")
		}},
		{"narrow_detail", 60, 18, func(s *tui) {
			s.openKnight()
			s.press(km.Detail.GotoSection, "2")
			s.waitFor("Non-software")
		}},
		{"narrow_stats", 60, 18, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Stats")
		}},
		{"narrow_help", 60, 18, func(s *tui) {
			s.press(km.App.Help)
			s.waitFor("Navigation")
		}},
		{"note_editor", 100, 30, func(s *tui) {
			s.openKnight()
			s.press(km.Triage.EditNote)
			s.waitFor("Note ·")
			s.typeText("Deployments need a second pair of eyes.")
			s.waitFor("eyes.")
		}},
		{"export_prompt", 80, 24, func(s *tui) {
			s.press(km.App.Export)
			s.waitFor("incidents to (")
		}},
		{"resized_to_narrow", 100, 30, func(s *tui) {
			s.openKnight()
			s.tm.Send(tea.WindowSizeMsg{Width: 60, Height: 18})
			s.waitFor("lines")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, newFakeBackend(testIncidents()), tt.w, tt.h)
			tt.drive(s)
			s.golden()
		})
	}
}

// openKnight finds and opens the Knight Capital incident.
func (s *tui) openKnight() {
	s.t.Helper()
	s.press(km.List.FocusQuery)
	s.typeText("knight")
	s.waitFor("1 of 8")
	s.press(km.Query.OpenDetail)
	s.waitFor("Summary") // its texts are read
}

func TestEveryFrameFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}, {60, 18}, {40, 12}} {
		incs := append(eventIncidents(), hostileIncident(), teamPage(t, "hostile.txt"), teamPage(t, "wide.txt"))
		b := newFakeBackend(incs)
		m := New(b, Options{})
		m = feed(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = feed(t, m, loadCmd(b)())
		screens := [][]string{
			nil,
			{"f"},
			{"f", "tab"},
			{"enter"},
			{"enter", "tab", "tab", "tab", "tab", "tab"},
			{"enter", "6"},
			{"enter", "9"},
			{"v"},
			{"?"},
			{"e"},
			{"#"},
			{"E"},
			{"s"},
			{" ", " ", "t"},
			{"A", "*"},
			{"enter", "6", "j", "c"},
			{"enter", "6", "enter", "enter"},
			{"enter", "/", "o", "u"},
			{"enter", "e", "x", "ctrl+c"},
			{"/", "d", "o", "m", "a", "i", "n", ":", "tab"},
			{"/", "k", "n", "i", "g", "h", "t", " ", "-"},
			{"w"},
			{"f", "tab"},
			// Knight Capital's event: open in the list, its detail, Related, the join picker
			{"/", "k", "n", "i", "g", "h", "t", "down", "right"},
			{"/", "k", "n", "i", "g", "h", "t", "enter"},
			{"/", "k", "n", "i", "g", "h", "t", "enter", "8"},
			{"/", "k", "n", "i", "g", "h", "t", "down", "+"},
			{"L"},
			{"L", "enter"},
			{"L", "enter", "enter"},
			{"L", "enter", "enter", "esc"},
			{"L", "?"},
			{"v", "x"},
			{"v", "x", "enter"},
			{"v", "x", "G", "enter", "l", "l", "l", "j"},
			{"v", "G", "x", "G", "k", "enter", "l"},
		}
		for _, keys := range screens {
			mm := m
			for _, k := range keys {
				mm = feed(t, mm, keyMsg(k))
			}
			view := mm.View()
			lines := strings.Split(view, "\n")
			if len(lines) > size[1] {
				t.Errorf("%dx%d after %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for _, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%dx%d after %v: line %q is %d wide", size[0], size[1], keys, l, w)
				}
			}
		}
	}
}

// feed updates m with msg and the messages of the commands it returns,
// except those that wait on a timer.
func feed(t *testing.T, m tea.Model, msg tea.Msg) tea.Model {
	t.Helper()
	m, cmd := m.Update(msg)
	for _, next := range runCmd(cmd) {
		m = feed(t, m, next)
	}
	return m
}

// runCmd runs a command and the commands of a batch, giving up on those
// that do not answer at once (timers, cursor blinks).
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if batch, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range batch {
				out = append(out, runCmd(c)...)
			}
			return out
		}
		// tea.Sequence's message, of a type of its own: its commands in order
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			var out []tea.Msg
			for i := range v.Len() {
				c, _ := v.Index(i).Interface().(tea.Cmd)
				out = append(out, runCmd(c)...)
			}
			return out
		}
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(50 * time.Millisecond):
		return nil
	}
}

// TestHostileTextNeverReachesTheTerminal walks every screen over an
// incident whose every text carries terminal escape sequences and checks
// that no byte of them reaches the frames or the terminal stream.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	paths := []struct {
		name   string
		keys   []string // names of keys of the bindings pressed, in order
		marker string
	}{
		{"list", nil, ""},
		{"facets", []string{km.List.ToggleFacets.Keys()[0]}, "Years"},
		{"detail overview", []string{km.List.OpenDetail.Keys()[0]}, "Summary"},
		{"detail body", []string{km.List.OpenDetail.Keys()[0], km.Nav.Bottom.Keys()[0]}, "Front matter"},
		{"detail causes", []string{km.List.OpenDetail.Keys()[0], km.Detail.NextSection.Keys()[0]}, "Non-software causes"},
		{"detail fixes", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[4]}, "[5 Fixes]"},
		{"detail taxonomy", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[5]}, "[6 Taxonomy]"},
		{"detail references", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[6]}, "Cited articles"},
		{"detail related", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[7]}, "Related incidents"},
		{"detail triage", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[8]}, "[9 Triage]"},
		{"stats", []string{km.App.Stats.Keys()[0]}, "Stats"},
		{"help", []string{km.App.Help.Keys()[0]}, "Navigation"},
		{"note editor", []string{km.Triage.EditNote.Keys()[0]}, "Note ·"},
		{"tags prompt", []string{km.Triage.EditTags.Keys()[0]}, "Tags"},
		{"taxonomy rationale", []string{km.List.OpenDetail.Keys()[0], km.Detail.GotoSection.Keys()[5], km.Detail.Select.Keys()[0]}, "▾"},
		{"find", []string{km.List.OpenDetail.Keys()[0], km.Detail.Find.Keys()[0], "e"}, "match"},
		{"status picker", []string{km.Triage.PickStatus.Keys()[0]}, "dismissed"},
		{"copied", []string{km.App.CopyRef.Keys()[0]}, "clipboard"},
		{"lessons", []string{km.App.Lessons.Keys()[0]}, " from 1 incident"},
		{"lesson incidents", []string{km.App.Lessons.Keys()[0], km.Lessons.Open.Keys()[0]}, "Lesson 1 of"},
		{"cross-tab", []string{km.App.Stats.Keys()[0], km.Stats.CrossTab.Keys()[0], km.Nav.Bottom.Keys()[0], km.Nav.Up.Keys()[0],
			km.Nav.Up.Keys()[0], km.Picker.Accept.Keys()[0]}, "row 1/"},
	}
	sources := []struct {
		name string
		in   incident.Incident
	}{
		{"crafted", hostileIncident()},
		{"page", teamPage(t, "hostile.txt")},
		{"markdown", teamMarkdown(t, "hostile.md")},
	}
	for _, src := range sources {
		for _, p := range paths {
			if p.name == "detail body" && src.name != "markdown" {
				continue // only a Markdown postmortem has a body
			}
			if src.name == "markdown" && (p.name == "lessons" || p.name == "lesson incidents" || p.name == "cross-tab") {
				continue // it lists no preventions or fixes, and has no taxonomy
			}
			t.Run(src.name+"/"+p.name, func(t *testing.T) {
				// help shows no incident text; stats of the page and the
				// Markdown only their canonical options
				shows := p.name != "help" && p.name != "status picker" && p.name != "copied" &&
					!(src.name != "crafted" && (p.name == "stats" || p.name == "cross-tab"))
				marker := p.marker
				if src.name == "markdown" && p.name == "detail causes" {
					marker = "[2 Causes]" // its long software causes fill the screen
				}
				walkHostile(t, src.in, p.keys, marker, shows)
			})
		}
	}
}

// teamPage parses one of the team's pages under testdata/pages.
func teamPage(t *testing.T, name string) incident.Incident {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "pages", name))
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := importer.ParsePage(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return in
}

// teamMarkdown parses one of the team's postmortems under testdata/markdown.
func teamMarkdown(t *testing.T, name string) incident.Incident {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "markdown", name))
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := importer.ParseMarkdown(data, importer.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return in
}

// rendererSeq matches the escape sequences Bubble Tea's renderer writes.
var rendererSeq = regexp.MustCompile(`\x1b\[(?:\d*A|2K|K|\?\d+[hl])`)

// walkHostile presses keys over a one-incident explorer, waits for marker
// and checks the frame and the terminal stream.
func walkHostile(t *testing.T, in incident.Incident, keys []string, marker string, showsText bool) {
	t.Helper()
	s := start(t, newFakeBackend([]incident.Incident{in}), 100, 30)
	for i, k := range keys {
		s.tm.Send(keyMsg(k))
		switch {
		case i == len(keys)-1:
		case k == km.App.Lessons.Keys()[0]:
			s.waitFor(" from 1 incident") // the lessons are gathered
		case k == km.List.OpenDetail.Keys()[0] && !slices.Contains(keys[:i], km.App.Stats.Keys()[0]) && !slices.Contains(keys[:i], km.App.Lessons.Keys()[0]):
			s.waitFor("Summary") // the incident's texts are read
		}
	}
	if marker != "" {
		s.waitFor(marker)
	}
	view := s.finish()
	io.Copy(io.Discard, s.out())
	stream := s.all.Bytes()
	if !bytes.Contains(stream, []byte("␛")) {
		t.Fatal("the stream checked holds no neutralised text: it is not the whole output")
	}
	if i := strings.IndexFunc(view, func(r rune) bool {
		return r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e)
	}); i >= 0 {
		t.Errorf("frame holds control character %q at %d:\n%s", view[i], i, view)
	}
	if r, at := firstC1OrInvalid(stream); at >= 0 {
		t.Errorf("terminal stream holds %U at byte %d", r, at)
	}
	// With the Ascii profile the only escape sequences in the stream are
	// the renderer's own: cursor up, erase line, mode switches.
	rest := rendererSeq.ReplaceAll(stream, nil)
	if i := bytes.IndexByte(rest, 0x1b); i >= 0 {
		t.Errorf("escape sequence not from the renderer: %q", rest[i:min(i+24, len(rest))])
	}
	if n := bytes.Count(stream, []byte("\x1b[?25l")); n != 1 {
		t.Errorf("cursor hidden %d times, want once, by the renderer", n)
	}
	for _, bad := range []string{"\x1b]", "\x07", "\x1bP", "\x1b\\", "\x1bc", "38;5;196", "\x1b[2J", "\x1b[10;10H", "\x1b[6n", "\x1b[1;31m", "\u202e", "pwned\x07"} {
		if strings.Contains(view, bad) || bytes.Contains(stream, []byte(bad)) {
			t.Errorf("%q reached the terminal", bad)
		}
	}
	if showsText && !strings.Contains(view, "␛") {
		t.Errorf("neutralised sequences should show as ␛:\n%s", view)
	}
}

// firstC1OrInvalid finds the first 8-bit control character (U+0080 to
// U+009F, among them the one-byte CSI) or invalid UTF-8 byte in b.
func firstC1OrInvalid(b []byte) (rune, int) {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) {
			return rune(b[i]), i
		}
		i += size
	}
	return 0, -1
}

func TestLiveFilterDropsStaleResults(t *testing.T) {
	var l listModel
	c := &common{keys: km, styles: DefaultStyles(lipgloss.DefaultRenderer()), width: 80, height: 24,
		backend: newFakeBackend(nil)}
	l = newListModel(c)
	l.tag = 2
	l, _, _ = l.update(searchCompletedMsg{tag: 1, query: "old"})
	if l.loaded {
		t.Fatal("an answer to an older query was taken")
	}
	l, _, _ = l.update(searchCompletedMsg{tag: 2, query: ""})
	if !l.loaded {
		t.Fatal("the answer to the newest query was dropped")
	}
}

func TestTriageIsSavedThroughTheBackend(t *testing.T) {
	b := newFakeBackend(testIncidents())
	s := start(t, b, 100, 30)
	s.openKnight()
	s.press(km.Triage.Star)
	s.waitFor("starred")
	s.press(km.Triage.CycleStatus)
	s.waitFor("status: reviewing")
	s.press(km.Triage.EditNote)
	s.waitFor("Note ·")
	s.typeText("check our deploys")
	s.press(km.Editor.Save)
	s.waitFor("note saved")
	s.press(km.Triage.EditTags)
	s.waitFor("Tags")
	s.typeText("deploy, #Finance deploy")
	s.press(km.Editor.Accept)
	s.waitFor("tags: deploy, finance")
	s.press(km.Detail.Back)
	s.press(km.List.FocusQuery)
	s.press(km.Query.Clear)
	s.typeText("is:starred")
	s.waitFor("1 of 8")
	view := s.finish()
	if !strings.Contains(view, "★") || !strings.Contains(view, "reviewing") {
		t.Errorf("list does not show the triage:\n%s", view)
	}
	id := testIncidents()[1].ID
	got, ok := b.savedTriage(id)
	if !ok {
		t.Fatal("nothing saved")
	}
	want := tri("reviewing", true, []string{"deploy", "finance"}, "check our deploys")
	if got.State() != want.State() || got.Starred() != want.Starred() || got.NoteBy("tester") != want.NoteBy("tester") ||
		!slices.Equal(got.TagList(), want.TagList()) || got.Status.By != "tester" || got.Status.At.IsZero() {
		t.Errorf("saved %+v, want %+v", got, want)
	}
}

func TestReadOnlySaysSoAndKeepsBrowsing(t *testing.T) {
	b := newFakeBackend(testIncidents())
	b.readOnly = true
	s := start(t, b, 100, 30)
	s.press(km.Triage.Star)
	s.press(km.Nav.Down)
	s.press(km.List.OpenDetail)
	s.waitFor("Overview")
	view := s.finish()
	if len(b.saved) != 0 {
		t.Errorf("read-only backend was written: %v", b.saved)
	}
	if strings.Contains(view, "★") {
		t.Errorf("star shown though not saved:\n%s", view)
	}
	if !strings.Contains(view, "read-only") {
		t.Errorf("read-only not said:\n%s", view)
	}
}

func TestFailedSaveIsUndoneAndReported(t *testing.T) {
	b := newFakeBackend(testIncidents())
	b.saveErr = os.ErrDeadlineExceeded
	s := start(t, b, 100, 30)
	s.press(km.Triage.Star)
	s.waitFor("not saved")
	view := s.finish()
	if strings.Contains(view, "★") {
		t.Errorf("star still shown after the save failed:\n%s", view)
	}
}

func TestNextAndPreviousIncident(t *testing.T) {
	s := start(t, newFakeBackend(testIncidents()), 100, 30)
	s.press(km.List.OpenDetail) // newest first: the Twitter incident
	s.waitFor("1/8")
	s.press(km.Detail.NextIncident)
	s.waitFor("2/8")
	s.press(km.Detail.NextIncident)
	s.waitFor("3/8")
	s.press(km.Detail.PrevIncident)
	s.waitFor("2/8")
	s.press(km.Detail.Back)
	view := s.finish()
	// back on the list, the cursor is on the incident last shown
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "▌") && !strings.Contains(l, "Twitter") {
			t.Errorf("cursor on %q, want the second incident", l)
		}
	}
}

func TestStatsBarFiltersTheList(t *testing.T) {
	s := start(t, newFakeBackend(testIncidents()), 100, 30)
	s.press(km.App.Stats)
	s.waitFor("Years")
	s.press(km.Stats.FilterByBar) // the first bar: the largest option of the first category
	s.waitFor("filter:")
	s.press(km.Stats.Back)
	view := s.finish()
	if !strings.Contains(view, "/ phase:operation") {
		t.Errorf("query not set from the bar:\n%s", view)
	}
	if !strings.Contains(view, "3 of 8") {
		t.Errorf("list not filtered:\n%s", view)
	}
}

func TestExportWritesTheFilteredSet(t *testing.T) {
	dir := t.TempDir()
	s := start(t, newFakeBackend(testIncidents()), 100, 30)
	s.press(km.List.FocusQuery)
	s.typeText("domain:finance")
	s.waitFor("3 of 8")
	s.press(km.Query.IntoList)
	s.press(km.App.Export)
	s.waitFor("incidents to (")
	// replace the default name
	for range len(defaultExportName) {
		s.tm.Send(keyMsg("backspace"))
	}
	path := filepath.Join(dir, "finance.jsonl")
	s.typeText(path)
	s.press(km.Editor.Accept)
	s.waitFor("wrote 3 incidents")
	s.finish()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Errorf("export has %d lines, want 3:\n%s", n, data)
	}
	// a second export to the same file is refused, and the file kept
	msg := exportCmd(path, nil, nil, export.Set{Database: "db"})()
	if f, ok := msg.(exportFailedMsg); !ok || !strings.Contains(f.err.Error(), "exists") {
		t.Errorf("second export to the same file: %#v, want exportFailedMsg saying it exists", msg)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Error("a refused export changed the file")
	}
}

func TestExportExpandsHomeAndPicksTheFormat(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	b := newFakeBackend(testIncidents())
	ix, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{testIncidents()[0].ID}
	tests := []struct{ name, file, start string }{
		{"~/x.csv", "x.csv", "Incident ID,"},
		{"~/x.json", "x.json", "[\n{"},
		{"~/notes.txt", "notes.txt", "# Incident review"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := exportCmd(tt.name, ix, ids, export.Set{Database: "db"})()
			w, ok := msg.(exportWrittenMsg)
			if !ok || w.path != filepath.Join(home, tt.file) {
				t.Fatalf("export to %s: %#v", tt.name, msg)
			}
			data, err := os.ReadFile(w.path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), tt.start) {
				t.Errorf("%s starts %.40q, want %q", tt.file, data, tt.start)
			}
		})
	}
}

func TestQuitKeys(t *testing.T) {
	s := start(t, newFakeBackend(testIncidents()), 80, 24)
	s.press(km.List.FocusQuery)
	s.press(km.App.Quit) // text entry: q is a letter
	s.waitFor("/ q")
	s.press(km.Query.Clear)
	s.press(km.Query.Clear)
	s.press(km.App.Quit)
	s.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestLoadFailureIsShownAndAnyKeyQuits(t *testing.T) {
	b := newFakeBackend(nil)
	b.loadErr = os.ErrPermission
	tm := teatest.NewTestModel(t, New(b, Options{}), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		return bytes.Contains(out, []byte("cannot start"))
	}, teatest.WithDuration(10*time.Second))
	tm.Send(keyMsg("x"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// driven is an explorer driven synchronously, for tests of behaviour
// rather than of screens.
type driven struct {
	t *testing.T
	m tea.Model
}

func drive(t *testing.T, w, h int) *driven {
	b := newFakeBackend(testIncidents())
	d := &driven{t: t, m: New(b, Options{})}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.send(loadCmd(b)())
	return d
}

func (d *driven) send(msgs ...tea.Msg) *driven {
	for _, msg := range msgs {
		d.m = feed(d.t, d.m, msg)
	}
	return d
}

func (d *driven) press(b key.Binding, which ...string) *driven {
	name := b.Keys()[0]
	if len(which) > 0 {
		name = which[0]
	}
	return d.send(keyMsg(name))
}

func (d *driven) root() model { return d.m.(model) }

func TestFacetsEditTheQuery(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.List.ToggleFacets) // cursor on phase:operation, the largest option of the first category
	d.press(km.Facets.ToggleFacet)
	if q := d.root().list.input.Value(); q != "phase:operation" {
		t.Fatalf("after toggle, query %q", q)
	}
	d.press(km.Nav.Down).press(km.Facets.ExcludeFacet)
	if q := d.root().list.input.Value(); q != "phase:operation -phase:design" {
		t.Fatalf("after exclude, query %q", q)
	}
	if got := d.root().list.result.Total; got != 3 {
		t.Errorf("%d matches, want 3", got)
	}
	if v := d.m.View(); !strings.Contains(v, "[-] design") || !strings.Contains(v, "-phase:design ×") {
		t.Errorf("exclusion not shown:\n%s", v)
	}
	d.press(km.Facets.ClearCategory)
	if q := d.root().list.input.Value(); q != "" {
		t.Fatalf("after clear, query %q", q)
	}
	// the query line drives the panel the other way round
	d.press(km.Facets.SwitchFocus).press(km.List.FocusQuery)
	d.send(keyMsg("domain:finance,health"))
	d.press(km.Query.IntoList)
	if v := d.m.View(); !strings.Contains(v, "[x] finance") {
		t.Errorf("typed filter not ticked in the panel:\n%s", v)
	}
	// the last chip goes first
	d.press(km.List.RemoveFilter)
	if q := d.root().list.input.Value(); q != "domain:finance" {
		t.Errorf("after dropping a chip, query %q", q)
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	d := drive(t, 100, 30)
	wheel := func(b tea.MouseButton) tea.MouseMsg {
		return tea.MouseMsg{X: 10, Y: 10, Button: b, Action: tea.MouseActionPress}
	}
	d.send(wheel(tea.MouseButtonWheelDown))
	if c := d.root().list.cur.cursor; c != wheelStep {
		t.Errorf("list cursor %d after a wheel notch, want %d", c, wheelStep)
	}
	d.send(wheel(tea.MouseButtonWheelUp), wheel(tea.MouseButtonWheelUp))
	if c := d.root().list.cur.cursor; c != 0 {
		t.Errorf("list cursor %d, want 0", c)
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 12}).press(km.List.OpenDetail)
	d.send(wheel(tea.MouseButtonWheelDown))
	if o := d.root().detail.vp.YOffset; o != wheelStep {
		t.Errorf("detail offset %d after a wheel notch, want %d", o, wheelStep)
	}
}

func TestQueryErrorKeepsTheLastMatches(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.List.FocusQuery).send(keyMsg("year:20"))
	v := d.m.View()
	if !strings.Contains(v, "8 of 8 incidents") || !strings.Contains(v, "four-digit year") {
		t.Errorf("want the last matches and the error:\n%s", v)
	}
}

func TestSortCyclesAndReverses(t *testing.T) {
	d := drive(t, 100, 30)
	first := func() string {
		l := d.root().list
		in, _ := l.c.incident(l.result.Hits[0].ID)
		return in.Title
	}
	if !strings.HasPrefix(first(), "東京") {
		t.Errorf("relevance without words: newest first, got %q", first())
	}
	d.press(km.List.Sort).press(km.List.Sort) // title
	if !strings.HasPrefix(first(), "Ariane") {
		t.Errorf("title order: got %q first", first())
	}
	d.press(km.List.ReverseSort)
	if !strings.HasPrefix(first(), "東京") && !strings.HasPrefix(first(), "🔥") {
		t.Errorf("reversed title order: got %q first", first())
	}
}

func TestTriageFacets(t *testing.T) {
	incs := testIncidents()
	incs[0].Triage = tri(incident.StatusRelevant, true, []string{"auth"}, "")
	incs[1].Triage = tri(incident.StatusReviewing, false, []string{"deploy", "auth"}, "")
	b := newFakeBackend(incs)
	d := &driven{t: t, m: New(b, Options{})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 60}, loadCmd(b)())
	f := d.root().list.result.Facets
	if f["triage"]["new"] != 6 || f["triage"]["relevant"] != 1 || f["is"]["starred"] != 1 || f["tag"]["auth"] != 2 {
		t.Fatalf("triage facets %v %v %v", f["triage"], f["is"], f["tag"])
	}
	d.press(km.List.FocusQuery).send(keyMsg("triage:relevant"))
	f = d.root().list.result.Facets
	if d.root().list.result.Total != 1 || f["triage"]["reviewing"] != 1 || f["tag"]["auth"] != 1 {
		t.Errorf("with triage:relevant: %d matches, facets %v %v", d.root().list.result.Total, f["triage"], f["tag"])
	}
	d.press(km.Query.IntoList).press(km.List.ToggleFacets)
	v := d.m.View()
	for _, want := range []string{"Triage status", "[x] relevant", "[ ] reviewing", "Tags", "[ ] auth"} {
		if !strings.Contains(v, want) {
			t.Errorf("panel lacks %q:\n%s", want, v)
		}
	}
}

func TestReadOnlyRefusesToOpenTheNoteEditor(t *testing.T) {
	b := newFakeBackend(testIncidents())
	b.readOnly = true
	d := &driven{t: t, m: New(b, Options{})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30}, loadCmd(b)())
	d.press(km.Triage.EditNote)
	if st := d.root().state; st != stateList {
		t.Errorf("state %v after asking for the note editor of a read-only database", st)
	}
	if v := d.m.View(); !strings.Contains(v, readOnlyNotice) {
		t.Errorf("no read-only notice:\n%s", v)
	}
}

func TestEmptyDatabaseSaysHowToFillIt(t *testing.T) {
	d := &driven{t: t}
	b := newFakeBackend(nil)
	d.m = New(b, Options{})
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30}, loadCmd(b)())
	if v := d.m.View(); !strings.Contains(v, "faultline import") || !strings.Contains(v, "0 of 0 incidents") {
		t.Errorf("empty database:\n%s", v)
	}
	// nothing to open, star or export: those keys are off and do nothing
	d.press(km.List.OpenDetail).press(km.Triage.Star).press(km.App.Export)
	if st := d.root().state; st != stateList {
		t.Errorf("state %v", st)
	}
}

func TestStatusMessageExpiresUnlessReplaced(t *testing.T) {
	c := &common{styles: DefaultStyles(lipgloss.DefaultRenderer()), width: 80}
	c.setStatus(statusInfo, "first")
	firstTag := c.statusTag
	c.setStatus(statusInfo, "second")
	c.clearStatus(firstTag)
	if c.status != "second" {
		t.Fatalf("an older timer cleared a newer message: %q", c.status)
	}
	c.clearStatus(c.statusTag)
	if c.status != "" {
		t.Fatalf("message %q outlived its timer", c.status)
	}
}

func TestRelatedIncidentOpens(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.List.FocusQuery).send(keyMsg("knight")).press(km.Query.OpenDetail)
	d.press(km.Detail.GotoSection, "8")
	rel := d.root().detail.related
	if len(rel) < 2 {
		t.Fatalf("want two related incidents, got %v", rel)
	}
	d.press(km.Nav.Down).press(km.Detail.Select)
	det := d.root().detail
	if det.id != rel[1].ID || det.section != secOverview {
		t.Errorf("showing %s in section %d, want %s in the overview", det.id, det.section, rel[1].ID)
	}
}

func TestReloadReadsWhatAnotherProcessImported(t *testing.T) {
	b := newFakeBackend(testIncidents())
	s := start(t, b, 100, 30)
	n := len(testIncidents())
	s.press(km.List.FocusQuery)
	s.typeText("quasar")
	s.waitFor(fmt.Sprintf("0 of %d incidents", n))
	b.add(mk("Quasar Relay Firmware Bricks Gateways", "2023-05-01", "A firmware push bricked every gateway.",
		incident.Postmortem{Fixes: "1. Roll back the firmware."}, map[string][]string{"domain": {"information"}}))
	s.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlR})
	// the query stays, and now finds the new incident
	s.waitFor(fmt.Sprintf("1 of %d incidents", n+1))
	if v := s.finish(); !strings.Contains(v, "Quasar Relay Firmware") || !strings.Contains(v, "quasar") {
		t.Errorf("after the reload the list does not show the new incident under the same query:\n%s", v)
	}
}

// A search asks for a screen's worth of hits first, and the rest follow
// at once; marking or exporting them all waits for the rest.
func TestFirstSearchThenTheRest(t *testing.T) {
	b := newFakeBackend(gencorpus.Incidents(firstHits+100, 1))
	ix, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := New(b, Options{}).(model)
	m.c.index, m.state = ix, stateList
	m.list.tag = 5
	first := m.list.search()().(searchCompletedMsg)
	var rest tea.Cmd
	m.list, rest, _ = m.list.update(first)
	m.syncKeys()
	if l := m.list; !l.partial || len(l.result.Hits) != firstHits || l.result.Total != firstHits+100 || rest == nil {
		t.Fatalf("first search: partial %v, %d hits of %d", l.partial, len(l.result.Hits), l.result.Total)
	}
	if k := m.c.keys; k.List.MarkAll.Enabled() || k.App.Export.Enabled() {
		t.Error("every hit can be marked or exported before they are all there")
	}
	if ids, queue := m.list.ids(), m.list.queue(); len(ids) != firstHits+100 || len(queue) != firstHits+100 {
		t.Errorf("before the rest: %d ids, a queue of %d, want every hit", len(ids), len(queue))
	}
	m.list, _, _ = m.list.update(rest())
	m.syncKeys()
	if l := m.list; l.partial || len(l.result.Hits) != firstHits+100 {
		t.Fatalf("then: partial %v, %d hits", l.partial, len(l.result.Hits))
	}
	if k := m.c.keys; !k.List.MarkAll.Enabled() || !k.App.Export.Enabled() {
		t.Error("every hit cannot be marked or exported once they are all there")
	}
}

// The backend hears that the explorer is idle once nothing came for a
// while, and not while keys come.
func TestIdleAfterTheLastKey(t *testing.T) {
	b := newFakeBackend(testIncidents())
	m := New(b, Options{}).(model)
	next, wait := m.Update(keyMsg("down"))
	m = next.(model)
	if wait == nil || !m.c.idleWait {
		t.Fatal("no wait for idleness after a key")
	}
	m.c.lastBusy = time.Time{}
	next, _ = m.Update(keyMsg("up")) // the wait under way serves
	m = next.(model)
	if m.c.lastBusy.IsZero() {
		t.Fatal("a second key is not noted")
	}
	if cmd := m.c.idle(idleMsg{}); cmd == nil || b.idled.Load() != 0 {
		t.Fatal("idle, or no wait for the rest, right after a key")
	}
	m.c.lastBusy = time.Now().Add(-idleAfter)
	cmd := m.c.idle(idleMsg{})
	if cmd == nil {
		t.Fatal("not idle after the wait")
	}
	cmd()
	if b.idled.Load() != 1 || m.c.idleWait {
		t.Errorf("the backend heard of %d idle times, want 1; waiting still: %v", b.idled.Load(), m.c.idleWait)
	}
}

// A search that finds the index damaged says so, as the search command
// does, and how to rebuild it.
func TestDamagedIndexIsSaid(t *testing.T) {
	incs := gencorpus.Incidents(200, 1)
	var stored [][]byte
	b := search.NewBuilder(func(data []byte) (uint64, error) {
		stored = append(stored, bytes.Clone(data))
		return uint64(len(stored)), nil
	})
	for _, in := range incs {
		if err := b.Add(in); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(search.EncodeManifest(b.Refs()), func(id uint64) ([]byte, func(int, int) bool, error) {
		data := stored[id-1]
		return data, func(off, n int) bool { return off+n < len(data)*3/4 }, nil // the tail is damaged
	}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	fb := newFakeBackend(incs)
	fb.index = ix
	m := New(fb, Options{}).(model)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	next, _ = next.Update(indexBuiltMsg{index: ix})
	m = next.(model)
	for _, q := range []string{"outage", "s", `"software failure"`, "fixes:encryption"} {
		m.list.input.SetValue(q)
		msg := m.list.search()().(searchCompletedMsg)
		next, _ = m.Update(msg)
		m = next.(model)
		if msg.damaged != nil {
			break
		}
	}
	if ix.Err() == nil {
		t.Fatal("the searches read no damaged part")
	}
	if !strings.Contains(m.c.status, "damaged") || !strings.Contains(m.c.status, "faultline check --reindex") {
		t.Errorf("status %q", m.c.status)
	}
}
