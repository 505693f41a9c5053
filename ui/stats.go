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
// year; enter on a bar adds it to the query.
type statsModel struct {
	c              *common
	rows           []statRow
	total          int
	query          string
	cursor, offset int
}

// setCounts returns the counts of the filtered set itself, as search
// counts them with every term applied, less the triage groups the query
// filters on itself (mostly a repeat of the selection).
func setCounts(res search.Result, query string) map[string]map[string]int {
	out := make(map[string]map[string]int, len(res.Counts))
	for cat, m := range res.Counts {
		if isTriageFacet(cat) && search.ClearCategory(query, cat) != query {
			continue
		}
		out[cat] = m
	}
	return out
}

func (s *statsModel) refresh(res search.Result) {
	var keep statRow
	if s.cursor < len(s.rows) {
		keep = s.rows[s.cursor]
	}
	s.total = res.Total
	s.rows = s.rows[:0]
	counts := setCounts(res, s.query)
	for _, cat := range categoryOrder(counts) {
		var opts []statRow
		for opt, n := range counts[cat] {
			if n > 0 {
				opts = append(opts, statRow{cat: cat, opt: opt, count: n})
			}
		}
		if len(opts) == 0 {
			continue
		}
		sort.Slice(opts, func(i, j int) bool {
			return commonFirst(opts[i].count, opts[j].count, opts[i].opt, opts[j].opt)
		})
		s.rows = append(s.rows, statRow{cat: cat, heading: true})
		s.rows = append(s.rows, opts...)
	}
	if labels, counts := yearSeries(res.YearCounts); len(labels) > 0 {
		s.rows = append(s.rows, statRow{cat: yearCategory, heading: true})
		for i, l := range labels {
			if counts[i] > 0 {
				s.rows = append(s.rows, statRow{cat: yearCategory, opt: l, count: counts[i]})
			}
		}
	}
	s.cursor = -1
	for i, r := range s.rows {
		if !r.heading && r.cat == keep.cat && r.opt == keep.opt {
			s.cursor = i
		}
	}
	if s.cursor < 0 {
		s.cursor = 0
		s.move(1)
	}
	s.clamp()
}

func (s *statsModel) setSize() { s.clamp() }

func (s statsModel) bodyHeight() int { return s.c.bodyHeight(2) }

func (s *statsModel) move(d int) {
	for i := s.cursor + d; i >= 0 && i < len(s.rows); i += d {
		if !s.rows[i].heading {
			s.cursor = i
			break
		}
	}
	s.clamp()
}

func (s *statsModel) clamp() {
	s.cursor = max(min(s.cursor, len(s.rows)-1), 0)
	h := s.bodyHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor > 0 && s.cursor-1 < s.offset && s.rows[s.cursor-1].heading {
		s.offset = s.cursor - 1
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = max(min(s.offset, len(s.rows)-h), 0)
}

func (s statsModel) update(msg tea.Msg) (statsModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				s.move(-wheelStep)
			case tea.MouseButtonWheelDown:
				s.move(wheelStep)
			}
		}
	case tea.KeyMsg:
		k := s.c.keys.Stats
		switch {
		case key.Matches(msg, k.Up):
			s.move(-1)
		case key.Matches(msg, k.Down):
			s.move(1)
		case key.Matches(msg, k.Back):
			return s, nil, request{kind: reqBack}
		case key.Matches(msg, k.FilterByBar):
			if s.cursor < len(s.rows) && !s.rows[s.cursor].heading {
				r := s.rows[s.cursor]
				return s, nil, request{kind: reqFilterBy, cat: r.cat, opt: r.opt}
			}
		}
	}
	return s, nil, request{}
}

func (s statsModel) view() string {
	st := s.c.styles
	w := s.c.width
	header := []string{
		st.App.Render("Stats") + st.Subtle.Render(fmt.Sprintf(" · %d incidents", s.total)) + queryNote(st, s.query),
		s.c.rule(),
	}
	nameW := 12
	for _, r := range s.rows {
		nameW = max(nameW, width(oneLine(r.opt)))
	}
	nameW = min(nameW, max(w/3, 12), 28)
	numW := 12 // " 1234  100%"
	barW := max(w-4-nameW-1-numW, 4)
	var body []string
	end := min(s.offset+s.bodyHeight(), len(s.rows))
	for i := s.offset; i < end; i++ {
		r := s.rows[i]
		if r.heading {
			name := categoryName(r.cat)
			if r.cat == yearCategory {
				name = "Years"
			}
			body = append(body, " "+st.Heading.Render(name))
			continue
		}
		cursor := "  "
		if i == s.cursor {
			cursor = st.Cursor.Render("▌ ")
		}
		sel := i == s.cursor
		line := st.paint(st.Title, sel)(fit(oneLine(r.opt), nameW)+" ") +
			st.paint(st.Bar, sel)(fit(bar(r.count, s.total, barW), barW)) +
			st.paint(st.Title, sel)(fitLeft(fmt.Sprint(r.count), 5)+" ") +
			st.paint(st.Subtle, sel)(fitLeft(percent(r.count, s.total), 5))
		body = append(body, "  "+cursor+line)
	}
	if len(s.rows) == 0 {
		body = append(body, st.Faint.Render("  nothing to count: no incident matches"))
	}
	return s.c.frame(header, body, s.c.statusBar(""), s.c.helpLine(statsHelp{s.c.keys}))
}

// queryNote shows the query a screen describes, or nothing for all.
func queryNote(st Styles, q string) string {
	if q == "" {
		return st.Subtle.Render(", all of them")
	}
	return st.Subtle.Render(" matching ") + oneLine(q)
}
