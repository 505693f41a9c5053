package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// crossTable is the stats screen's cross-tab: the list's set counted by
// option of one category (rows) against option of another, or year
// (columns), as search.CrossTab counts it. The cursor moves over cells;
// enter on one filters the list by both.
type crossTable struct {
	c       *common
	active  bool
	a, b    string // the categories of the rows and the columns
	tag     int    // of the newest count asked for
	working bool
	err     string
	tab     search.CrossTab
	events  bool // it counts events, not incidents
	rows    []string
	cols    []string
	rowCur  rowCursor
	colCur  rowCursor
}

// crossable reports whether a stats group can be a side of a cross-tab:
// a taxonomy category or the years.
func crossable(cat string) bool {
	_, ok := incident.CategoryByKey(cat)
	return ok || cat == yearCategory
}

// crossTab shows the cross-tab of categories a and b over the incidents
// matching q, counted in a command.
func (s *statsModel) crossTab(a, b string, q search.Query) tea.Cmd {
	x := &s.cross
	x.active, x.a, x.b = true, a, b
	x.rows, x.cols, x.tab = nil, nil, search.CrossTab{}
	x.rowCur, x.colCur = rowCursor{}, rowCursor{}
	return x.count(q, s.groups())
}

// groups are the events the screen counts by, nil when it counts
// incidents.
func (s *statsModel) groups() *search.Groups {
	if !s.byEvents || s.c.events == nil {
		return nil
	}
	return s.c.events.groups
}

// recount counts the cross-tab shown again, for a set that changed.
func (s *statsModel) recount(q search.Query) tea.Cmd {
	if !s.cross.active {
		return nil
	}
	return s.cross.count(q, s.groups())
}

// count counts the table over the incidents matching q, by the events
// of g when it is not nil.
func (x *crossTable) count(q search.Query, g *search.Groups) tea.Cmd {
	x.tag++
	x.events = g != nil
	x.working, x.err = true, ""
	ix, tag, a, b := x.c.index, x.tag, x.a, x.b
	return func() tea.Msg {
		if ix == nil {
			return crossTabCountedMsg{tag: tag}
		}
		if g != nil {
			tab, err := ix.CrossTabGrouped(q, a, b, g)
			return crossTabCountedMsg{tag: tag, tab: tab, err: err}
		}
		tab, err := ix.CrossTab(q, a, b)
		return crossTabCountedMsg{tag: tag, tab: tab, err: err}
	}
}

// counted takes the answer to the newest count; the cursor stays on the
// cell it was on when that cell is still there.
func (s *statsModel) counted(msg crossTabCountedMsg) {
	x := &s.cross
	if msg.tag != x.tag {
		return
	}
	x.working = false
	if msg.err != nil {
		x.err = oneLine(msg.err.Error())
		return
	}
	var row, col string
	if x.rowCur.cursor < len(x.rows) && x.colCur.cursor < len(x.cols) {
		row, col = x.rows[x.rowCur.cursor], x.cols[x.colCur.cursor]
	}
	x.tab = msg.tab
	x.rows, x.cols = crossOrder(msg.tab, x.a == yearCategory, x.b == yearCategory)
	x.setSize()
	x.rowCur.to(max(slices.Index(x.rows, row), 0), 1)
	x.colCur.to(max(slices.Index(x.cols, col), 0), 1)
}

// crossOrder returns the rows and the columns of a cross-tab, each by the
// incidents it counts, most first (then by name); years in order.
func crossOrder(tab search.CrossTab, rowYears, colYears bool) (rows, cols []string) {
	rowTotal, colTotal := map[string]int{}, map[string]int{}
	for r, cs := range tab.Rows {
		for c, n := range cs {
			rowTotal[r] += n
			colTotal[c] += n
		}
	}
	order := func(totals map[string]int, years bool) []string {
		out := make([]string, 0, len(totals))
		for k := range totals {
			out = append(out, k)
		}
		slices.SortFunc(out, func(a, b string) int {
			if years {
				return strings.Compare(a, b)
			}
			return cmp.Or(cmp.Compare(totals[b], totals[a]), strings.Compare(a, b))
		})
		return out
	}
	return order(rowTotal, rowYears), order(colTotal, colYears)
}

// crossLayout is how a cross-tab fits w cells: the width of the row
// labels, of each column (a cell is a column and a bracket each side) and
// how many columns show at once. Column labels get more room on a wider
// screen; the status line names the cursor's row and column in full.
type crossLayout struct {
	label, col, shown int
}

func layoutCross(rows, cols []string, tab search.CrossTab, w int) crossLayout {
	label := 6
	for _, r := range rows {
		label = max(label, width(oneLine(r)))
	}
	label = min(label, max(w/3, 10), 24)
	col := 3
	for _, c := range cols {
		col = max(col, width(oneLine(c)))
	}
	for _, cs := range tab.Rows {
		for _, n := range cs {
			col = max(col, len(fmt.Sprint(n)))
		}
	}
	col = min(col, max(w/8, 6), 14)
	// the cursor's two cells, the labels and a space, the columns, then a
	// cell for ›
	shown := max((w-2-label-1-1)/(col+2), 1)
	return crossLayout{label: label, col: col, shown: shown}
}

func (x *crossTable) setSize() {
	l := layoutCross(x.rows, x.cols, x.tab, x.c.width)
	x.rowCur.set(len(x.rows), x.c.bodyHeight(2)-1) // under the column labels
	x.colCur.set(len(x.cols), l.shown)
}

func (x crossTable) update(msg tea.Msg) (crossTable, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		x.rowCur.wheel(msg)
	case tea.KeyMsg:
		k := x.c.keys.Stats
		switch {
		case x.rowCur.key(msg, x.c.keys.Nav):
		case key.Matches(msg, k.PrevColumn):
			x.colCur.move(-1)
		case key.Matches(msg, k.NextColumn):
			x.colCur.move(1)
		case key.Matches(msg, k.Back):
			x.active = false
		case key.Matches(msg, k.CrossTab):
			return x, nil, request{kind: reqPickCross, cat: x.a}
		case key.Matches(msg, k.FilterByCell) && !x.working && len(x.rows) > 0 && len(x.cols) > 0:
			row, col := x.rows[x.rowCur.cursor], x.cols[x.colCur.cursor]
			if x.tab.Rows[row][col] == 0 {
				return x, x.c.setStatus(statusInfo, "no incident holds both "+oneLine(row)+" and "+oneLine(col)), request{}
			}
			return x, nil, request{kind: reqFilterCell, cat: x.a, opt: row, cat2: x.b, opt2: col}
		}
	}
	return x, nil, request{}
}

// view draws the table: the column labels, then a row per option of the
// rows' category, scrolled to the cursor both ways.
func (x crossTable) view(header []string) string {
	st := x.c.styles
	var body []string
	switch {
	case x.err != "":
		body = []string{st.Error.Render("  " + x.err)}
	case x.working && x.rows == nil:
		body = []string{st.Faint.Render("  working…")}
	case len(x.rows) == 0 || len(x.cols) == 0:
		body = []string{st.Faint.Render("  nothing to count: no matching incident holds both")}
	default:
		body = x.table()
	}
	left := ""
	if len(x.rows) > 0 && len(x.cols) > 0 && x.err == "" {
		row, col := x.rows[x.rowCur.cursor], x.cols[x.colCur.cursor]
		n := x.tab.Rows[row][col]
		unit := plural(n, "incident", "incidents")
		if x.events {
			unit = plural(n, "event", "events")
		}
		left = st.Subtle.Render(fmt.Sprintf("%s × %s: %d %s · row %d/%d, column %d/%d", oneLine(row), oneLine(col), n,
			unit, x.rowCur.cursor+1, len(x.rows), x.colCur.cursor+1, len(x.cols)))
	}
	return x.c.frame(header, body, x.c.statusBar(left), x.c.helpLine(statsHelp{k: x.c.keys, table: true}))
}

func (x crossTable) table() []string {
	st := x.c.styles
	l := layoutCross(x.rows, x.cols, x.tab, x.c.width)
	from, to := x.colCur.visible()
	more := func(on bool, glyph string) string {
		if on {
			return st.Faint.Render(glyph)
		}
		return " "
	}
	head := "  " + st.Heading.Render(fit(statGroupName(x.a), l.label)) + more(from > 0, "‹")
	for c := from; c < to; c++ {
		label := fitLeft(oneLine(x.cols[c]), l.col+1)
		if c == x.colCur.cursor {
			head += st.Status.Render(label) + " "
		} else {
			head += st.Subtle.Render(label) + " "
		}
	}
	out := []string{head + more(to < len(x.cols), "›")}
	rFrom, rTo := x.rowCur.visible()
	for r := rFrom; r < rTo; r++ {
		row := x.rows[r]
		onRow := r == x.rowCur.cursor
		line := "  "
		label := st.Title.Render(fit(oneLine(row), l.label))
		if onRow {
			line, label = st.Cursor.Render("▌ "), st.Status.Render(fit(oneLine(row), l.label))
		}
		line += label + " "
		for c := from; c < to; c++ {
			n := x.tab.Rows[row][x.cols[c]]
			cell := "·"
			if n > 0 {
				cell = fmt.Sprint(n)
			}
			// the brackets of the cursor hug the count, which lines up
			// with the counts above and below
			switch {
			case onRow && c == x.colCur.cursor:
				line += st.Selected.Render(fitLeft("["+cell, l.col+1) + "]")
			case n == 0:
				line += st.Faint.Render(fitLeft(cell, l.col+1)) + " "
			default:
				line += st.Bar.Render(fitLeft(cell, l.col+1)) + " "
			}
		}
		out = append(out, line)
	}
	return out
}

// pickCross opens the picker of the columns' category of a cross-tab
// whose rows are category first.
func (m model) pickCross(first string) (tea.Model, tea.Cmd) {
	if !crossable(first) {
		return m, m.c.setStatus(statusInfo, "a cross-tab counts taxonomy categories and years: move to one of them")
	}
	var items []pickItem
	for _, c := range incident.Categories {
		if c.Key != first {
			items = append(items, pickItem{value: c.Key, label: categoryName(c.Key), on: m.stats.cross.active && m.stats.cross.b == c.Key})
		}
	}
	if first != yearCategory {
		items = append(items, pickItem{value: yearCategory, label: statGroupName(yearCategory), on: m.stats.cross.active && m.stats.cross.b == yearCategory})
	}
	m.under, m.state = m.state, statePicker
	m.picker.start(pickCross, "Cross-tab "+statGroupName(first)+" by", items, nil, first)
	return m, nil
}
