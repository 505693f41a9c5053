package ui

import (
	"fmt"
	"sort"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/search"
)

// yearCategory is the query key of the years rows of the stats screen.
const yearCategory = "year"

// statRow is a line of the stats screen: a heading or a bar.
type statRow struct {
	cat, opt string
	count    int
	heading  bool
}

// statsModel draws the current filtered set as bars per category and per
// year, counting events when the list shows them; enter on a bar adds it
// to the query.
type statsModel struct {
	c         *common
	rows      []statRow
	total     int // of what it counts
	incidents int // of the set
	byEvents  bool
	query     string
	cur       rowCursor
	cross     crossTable // shown instead of the bars while active
}

// StatGroup is one heading of the stats screen: a category (a taxonomy
// key, a triage key of search or "year") and its options with their
// counts, most common first (years in order).
type StatGroup struct {
	Key     string // as the query language names it: "domain", "triage", "is", "tag", "year"
	Name    string // as the screen shows it: "Domain", "Triage status", "Years"
	Options []StatCount
}

// StatCount is an option of a StatGroup and its incidents.
type StatCount struct {
	Option string
	Count  int
}

// Stats returns what the stats screen shows of a search's result for
// query: the counts of the filtered set itself, as search counts them
// with every term applied (taxonomy, then triage, then years), less the
// triage groups the query filters on itself (mostly a repeat of the
// selection) and less options with no incident. The command line's stats
// prints the same groups.
func Stats(res search.Result, query string) []StatGroup {
	counts := make(map[string]map[string]int, len(res.Counts))
	for cat, m := range res.Counts {
		if isTriageFacet(cat) && search.ClearCategory(query, cat) != query {
			continue
		}
		counts[cat] = m
	}
	var groups []StatGroup
	for _, cat := range categoryOrder(counts) {
		var opts []StatCount
		for opt, n := range counts[cat] {
			if n > 0 {
				opts = append(opts, StatCount{opt, n})
			}
		}
		if len(opts) == 0 {
			continue
		}
		sort.Slice(opts, func(i, j int) bool {
			return commonFirst(opts[i].Count, opts[j].Count, opts[i].Option, opts[j].Option)
		})
		groups = append(groups, StatGroup{Key: cat, Name: statGroupName(cat), Options: opts})
	}
	years := StatGroup{Key: yearCategory, Name: statGroupName(yearCategory)}
	labels, n := yearSeries(res.YearCounts)
	for i, l := range labels {
		if n[i] > 0 {
			years.Options = append(years.Options, StatCount{l, n[i]})
		}
	}
	if len(years.Options) > 0 {
		groups = append(groups, years)
	}
	return groups
}

// refresh counts res, the set of incidents (counted by event when
// byEvents).
func (s *statsModel) refresh(res search.Result, byEvents bool, incidents int) {
	var keep statRow
	if s.cur.cursor < len(s.rows) {
		keep = s.rows[s.cur.cursor]
	}
	s.total, s.byEvents, s.incidents = res.Total, byEvents, incidents
	s.rows = nil
	for _, g := range Stats(res, s.query) {
		s.rows = append(s.rows, statRow{cat: g.Key, heading: true})
		for _, o := range g.Options {
			s.rows = append(s.rows, statRow{cat: g.Key, opt: o.Option, count: o.Count})
		}
	}
	s.cur.headings = make([]bool, len(s.rows))
	for i, r := range s.rows {
		s.cur.headings[i] = r.heading
	}
	s.cur.set(len(s.rows), s.bodyHeight())
	for i, r := range s.rows {
		if !r.heading && r.cat == keep.cat && r.opt == keep.opt {
			s.cur.to(i, 1)
			return
		}
	}
	s.cur.to(0, 1)
}

func (s *statsModel) setSize() {
	s.cur.set(len(s.rows), s.bodyHeight())
	s.cross.setSize()
}

func (s statsModel) bodyHeight() int { return s.c.bodyHeight(2) }

func (s statsModel) update(msg tea.Msg) (statsModel, tea.Cmd, request) {
	if s.cross.active {
		var cmd tea.Cmd
		var r request
		s.cross, cmd, r = s.cross.update(msg)
		return s, cmd, r
	}
	switch msg := msg.(type) {
	case tea.MouseMsg:
		s.cur.wheel(msg)
	case tea.KeyMsg:
		k := s.c.keys.Stats
		switch {
		case s.cur.key(msg, s.c.keys.Nav):
		case key.Matches(msg, k.Back):
			return s, nil, request{kind: reqBack}
		case key.Matches(msg, k.CrossTab) && s.cur.cursor < len(s.rows):
			return s, nil, request{kind: reqPickCross, cat: s.rows[s.cur.cursor].cat}
		case key.Matches(msg, k.FilterByBar):
			if s.cur.cursor < len(s.rows) && !s.rows[s.cur.cursor].heading {
				r := s.rows[s.cur.cursor]
				return s, nil, request{kind: reqFilterBy, cat: r.cat, opt: r.opt}
			}
		}
	}
	return s, nil, request{}
}

// countLine says what the screen counts: "8 incidents", or "7 events (8
// incidents)".
func (s statsModel) countLine() string {
	if s.byEvents {
		return fmt.Sprintf("%d %s (%d %s)", s.total, plural(s.total, "event", "events"), s.incidents, plural(s.incidents, "incident", "incidents"))
	}
	return fmt.Sprintf("%d %s", s.total, plural(s.total, "incident", "incidents"))
}

func (s statsModel) view() string {
	st := s.c.styles
	w := s.c.width
	title := st.App.Render("Stats")
	if s.cross.active {
		// the table's name first: at a narrow width the counts are cut
		title += st.Subtle.Render(" · " + statGroupName(s.cross.a) + " × " + statGroupName(s.cross.b))
	}
	header := []string{
		title + st.Subtle.Render(" · "+s.countLine()) + queryNote(st, s.query),
		s.c.rule(),
	}
	if s.cross.active {
		return s.cross.view(header)
	}
	nameW := 12
	for _, r := range s.rows {
		nameW = max(nameW, width(oneLine(r.opt)))
	}
	nameW = min(nameW, max(w/3, 12), 28)
	numW := 12 // " 1234  100%"
	barW := max(w-4-nameW-1-numW, 4)
	var body []string
	from, to := s.cur.visible()
	for i := from; i < to; i++ {
		r := s.rows[i]
		if r.heading {
			body = append(body, " "+st.Heading.Render(statGroupName(r.cat)))
			continue
		}
		cursor := "  "
		if i == s.cur.cursor {
			cursor = st.Cursor.Render("▌ ")
		}
		sel := i == s.cur.cursor
		line := st.paint(st.Title, sel)(fit(oneLine(r.opt), nameW)+" ") +
			st.paint(st.Bar, sel)(fit(bar(r.count, s.total, barW), barW)) +
			st.paint(st.Title, sel)(fitLeft(fmt.Sprint(r.count), 5)+" ") +
			st.paint(st.Subtle, sel)(fitLeft(percent(r.count, s.total), 5))
		body = append(body, "  "+cursor+line)
	}
	if len(s.rows) == 0 {
		body = append(body, st.Faint.Render("  nothing to count: no incident matches"))
	}
	unit := "counted by incident"
	if s.byEvents {
		unit = "counted by event (" + s.c.keys.List.GroupEvents.Help().Key + " on the list: by incident)"
	}
	return s.c.frame(header, body, s.c.statusBar(st.Subtle.Render(unit)), s.c.helpLine(statsHelp{k: s.c.keys}))
}

// statGroupName is the heading of a stats group.
func statGroupName(cat string) string {
	if cat == yearCategory {
		return "Years"
	}
	return categoryName(cat)
}

// queryNote shows the query a screen describes, or nothing for all.
func queryNote(st Styles, q string) string {
	if q == "" {
		return st.Subtle.Render(", all of them")
	}
	return st.Subtle.Render(" matching ") + oneLine(q)
}
