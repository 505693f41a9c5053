package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// lessonsModel is the lessons screen: what the preventions and fixes of
// the list's set say should be done, merged as the lessons command merges
// them (package analysis), ranked by the failures they come from. Enter
// on a lesson lists its incidents; enter on one of them opens it.
type lessonsModel struct {
	c       *common
	query   string        // the list's query the lessons are of
	result  int           // the tag of the list's result they are of
	ix      *search.Index // the index they were gathered from
	events  *eventSet     // and the events they were counted by
	tag     int           // of the newest gathering asked for
	working bool
	asked   int  // the incidents being read
	stale   bool // triage changed since: notes may say other lessons
	lessons []analysis.Lesson
	read    int // incidents whose texts were read
	// byIncident: the events were not read, each incident counts as a
	// failure of its own
	byIncident bool
	unread     int            // those that could not be
	order      map[string]int // the set's incidents by place in the list
	cur        rowCursor

	open   int      // the lesson whose incidents show; -1 for none
	incs   []string // its incidents, in list order
	incCur rowCursor
}

func newLessonsModel(c *common) lessonsModel { return lessonsModel{c: c, open: -1} }

// gather shows the lessons of the incidents ids, the list's result
// (tagged result) for query, working them out afresh unless they are
// those of the same result.
func (l *lessonsModel) gather(query string, ids []string, result int) tea.Cmd {
	if !l.stale && l.ix == l.c.index && l.events == l.c.events && l.result == result && (l.working || l.lessons != nil) {
		return nil
	}
	l.tag++
	l.query, l.result, l.ix, l.events, l.working, l.stale = query, result, l.c.index, l.c.events, true, false
	l.lessons, l.open, l.cur, l.asked = nil, -1, rowCursor{}, len(ids)
	l.setSize()
	return lessonsCmd(l.c.events, l.c.index, l.tag, ids)
}

// lessonsCmd reads the texts of the incidents ids and gathers their
// lessons, with those of the reviewers' notes. For a large set reading
// is most of the time: it runs here, off the screen's goroutine.
func lessonsCmd(events *eventSet, ix *search.Index, tag int, ids []string) tea.Cmd {
	return func() tea.Msg {
		msg := lessonsGatheredMsg{tag: tag, order: make(map[string]int, len(ids))}
		if ix == nil {
			return msg
		}
		incs := make([]incident.Incident, 0, len(ids))
		for i, id := range ids {
			msg.order[id] = i
			in, ok := ix.Get(id)
			if !ok {
				msg.unread++
				continue
			}
			incs = append(incs, in)
		}
		msg.incidents = len(incs)
		events, ok := lessonEvents(events)
		msg.byIncident = !ok
		msg.lessons = analysis.Lessons(incs, events, analysis.NoteLessons(incs))
		if msg.lessons == nil {
			msg.lessons = []analysis.Lesson{}
		}
		return msg
	}
}

// lessonEvents says which incidents report one failure, so that a lesson
// counts the failures it comes from rather than their reports; ok is
// false before the events are read (or when they could not be), and then
// each incident is its own event (analysis.Lessons counts an incident in
// no event so).
func lessonEvents(events *eventSet) (evs []analysis.Event, ok bool) {
	if events == nil {
		return nil, false
	}
	return events.events, true
}

// gathered takes the lessons of the newest request.
func (l *lessonsModel) gathered(msg lessonsGatheredMsg) {
	if msg.tag != l.tag {
		return
	}
	l.working = false
	l.lessons, l.read, l.unread, l.order = msg.lessons, msg.incidents, msg.unread, msg.order
	l.byIncident = msg.byIncident
	l.cur = rowCursor{}
	l.setSize()
}

func (l *lessonsModel) setSize() {
	l.cur.set(len(l.lessons), l.bodyHeight())
	l.incCur.set(len(l.incs), l.incBodyHeight())
}

func (l lessonsModel) bodyHeight() int { return l.c.bodyHeight(2) }

// incBodyHeight is the room for a lesson's incidents, under its text.
func (l lessonsModel) incBodyHeight() int { return l.c.bodyHeight(len(l.lessonText()) + 2) }

// lessonText is the opened lesson's text, wrapped, at most three lines.
func (l lessonsModel) lessonText() []string {
	if l.open < 0 || l.open >= len(l.lessons) {
		return nil
	}
	lines := paragraph(l.lessons[l.open].Text, l.c.width-2, "  ")
	if len(lines) > 3 {
		rest := lines[2]
		for _, more := range lines[3:] {
			rest += " " + strings.TrimSpace(more)
		}
		lines = append(lines[:2], truncate(rest, l.c.width))
	}
	return lines
}

func (l lessonsModel) update(msg tea.Msg) (lessonsModel, tea.Cmd, request) {
	cur := &l.cur
	if l.open >= 0 {
		cur = &l.incCur
	}
	switch msg := msg.(type) {
	case tea.MouseMsg:
		cur.wheel(msg)
	case tea.KeyMsg:
		k := l.c.keys.Lessons
		switch {
		case cur.key(msg, l.c.keys.Nav):
		case key.Matches(msg, k.Back) && l.open >= 0:
			l.open = -1
		case key.Matches(msg, k.Back):
			return l, nil, request{kind: reqBack}
		case key.Matches(msg, k.Open) && l.open >= 0 && l.incCur.cursor < len(l.incs):
			return l, nil, request{kind: reqOpen, id: l.incs[l.incCur.cursor], queue: l.incs}
		case key.Matches(msg, k.Copy) && l.open < 0 && len(l.lessons) > 0:
			return l, l.copyChecklist(), request{}
		case key.Matches(msg, k.Open) && l.open < 0 && l.cur.cursor < len(l.lessons):
			l.open = l.cur.cursor
			l.incs = inListOrder(l.lessons[l.open].Incidents, l.order)
			l.incCur = rowCursor{}
			l.setSize()
		}
	}
	return l, nil, request{}
}

// checklistLessons is how many lessons a copied checklist holds, the
// most said first, as lessons --md prints by default: a checklist of
// every lesson of a large set would be no checklist.
const checklistLessons = 30

// copyChecklist puts the lessons on the clipboard as the Markdown
// checklist lessons --md writes.
func (l lessonsModel) copyChecklist() tea.Cmd {
	lessons, query, read := l.lessons[:min(len(l.lessons), checklistLessons)], l.query, l.read
	return copyCmd(l.c.clipboard, func() (string, string) {
		var b strings.Builder
		if err := export.WriteLessons(&b, query, read, lessons); err != nil {
			return "", ""
		}
		return b.String(), fmt.Sprintf("a checklist of %d %s", len(lessons), plural(len(lessons), "lesson", "lessons"))
	})
}

// selectIncident puts the cursor on incident id of the opened lesson.
func (l *lessonsModel) selectIncident(id string) {
	if i := slices.Index(l.incs, id); i >= 0 {
		l.incCur.to(i, 1)
	}
}

// inListOrder returns ids ordered by their place in the list, those it
// does not hold last, by id.
func inListOrder(ids []string, order map[string]int) []string {
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b string) int {
		pa, oka := order[a]
		pb, okb := order[b]
		switch {
		case oka && okb:
			return pa - pb
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

func (l lessonsModel) view() string {
	st := l.c.styles
	if l.open >= 0 && l.open < len(l.lessons) {
		return l.incidentsView()
	}
	what := fmt.Sprintf(" · %d from %d %s", len(l.lessons), l.read, plural(l.read, "incident", "incidents"))
	if l.working {
		what = fmt.Sprintf(" · working on %d %s", l.asked, plural(l.asked, "incident", "incidents"))
	}
	header := []string{st.App.Render("Lessons") + st.Subtle.Render(what) + queryNote(st, l.query), l.c.rule()}
	var body []string
	switch {
	case l.working:
		body = append(body, st.Faint.Render("  working… reading their preventions and fixes"))
	case len(l.lessons) == 0:
		body = append(body, st.Faint.Render("  no lessons: no matching incident lists preventions or fixes"))
	default:
		body = l.lessonRows()
	}
	left := ""
	if !l.working && len(l.lessons) > 0 {
		left = st.Subtle.Render(lessonNote(l.lessons[l.cur.cursor], l.cur.cursor, len(l.lessons), l.byIncident))
	}
	if l.unread > 0 {
		left = st.Warn.Render(fmt.Sprintf("%d incidents not read (the database is busy?): ctrl+r tries again", l.unread))
	}
	return l.c.frame(header, body, l.c.statusBar(left), l.c.helpLine(lessonsHelp{k: l.c.keys}))
}

// lessonRows renders the visible lessons: the failures each comes from,
// then its text on one line.
func (l lessonsModel) lessonRows() []string {
	st := l.c.styles
	numW := len(fmt.Sprint(l.lessons[0].Events)) // ranked: the first is the largest
	var out []string
	from, to := l.cur.visible()
	for i := from; i < to; i++ {
		les := l.lessons[i]
		sel := i == l.cur.cursor
		cursor := "  "
		if sel {
			cursor = st.Cursor.Render("▌ ")
		}
		reports := ""
		if len(les.Incidents) != les.Events {
			reports = fmt.Sprintf(" · %d reports", len(les.Incidents))
		}
		room := max(l.c.width-width(cursor)-numW-2-width(reports), 8)
		line := st.paint(st.Status, sel)(fitLeft(fmt.Sprint(les.Events), numW)) +
			st.paint(st.Title, sel)("  "+truncate(oneLine(les.Text), room)) + st.paint(st.Subtle, sel)(reports)
		out = append(out, truncate(cursor+line, l.c.width))
	}
	return out
}

// lessonNote says where lesson i of n comes from, for the status line.
func lessonNote(les analysis.Lesson, i, n int, byIncident bool) string {
	reports := ""
	if len(les.Incidents) != les.Events {
		reports = fmt.Sprintf(" (%d reports)", len(les.Incidents))
	}
	return fmt.Sprintf("%d/%d · %s%s · %d %s from %s", i+1, n, failures(les.Events, byIncident), reports,
		les.Items, plural(les.Items, "item", "items"), strings.Join(les.Fields, ", "))
}

// failures counts the failures a lesson comes from: its events, or its
// incidents when there are no events to count by.
func failures(n int, byIncident bool) string {
	if byIncident {
		return fmt.Sprintf("%d %s", n, plural(n, "incident", "incidents"))
	}
	return fmt.Sprintf("%d %s", n, plural(n, "failure", "failures"))
}

// incidentsView lists the incidents of the opened lesson under its text.
func (l lessonsModel) incidentsView() string {
	st := l.c.styles
	les := l.lessons[l.open]
	head := st.App.Render(fmt.Sprintf("Lesson %d of %d", l.open+1, len(l.lessons))) +
		st.Subtle.Render(" · "+failures(les.Events, l.byIncident)) + queryNote(st, l.query)
	header := append([]string{head}, l.lessonText()...)
	header = append(header, l.c.rule())
	var body []string
	dateW := 10
	from, to := l.incCur.visible()
	for i := from; i < to; i++ {
		sel := i == l.incCur.cursor
		cursor := "  "
		if sel {
			cursor = st.Cursor.Render("▌ ")
		}
		in, _ := l.c.summary(l.incs[i])
		title := oneLine(in.Title)
		if title == "" {
			title = "(untitled)"
		}
		line := st.paint(st.Subtle, sel)(fit(oneLine(in.Published), dateW)) + st.paint(st.Title, sel)("  "+title)
		body = append(body, truncate(cursor+line, l.c.width))
	}
	left := st.Subtle.Render(fmt.Sprintf("%d/%d incidents · from %s", l.incCur.cursor+1, len(l.incs), strings.Join(les.Fields, ", ")))
	return l.c.frame(header, body, l.c.statusBar(left), l.c.helpLine(lessonsHelp{k: l.c.keys, open: true}))
}
