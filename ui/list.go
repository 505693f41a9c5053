package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// wheelStep is how many rows one mouse wheel notch moves.
const wheelStep = 3

// listModel is the main screen: the query line, the incident list, the
// facets panel beside it and the status line below.
type listModel struct {
	c      *common
	focus  focus
	input  textinput.Model
	facets facetsModel

	showFacets bool
	sort       search.Sort
	reverse    bool

	tag       int // of the newest search asked for
	resultTag int // of the search the result answers
	result    search.Result
	terms     []string     // free words of the query the result is for
	parsed    search.Query // the query the result is for
	queryErr  string
	loaded    bool // a first result arrived

	cursor, offset int
}

func newListModel(c *common) listModel {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "search: words, domain:finance, year:2012.., is:starred — f for facets"
	in.CharLimit = search.MaxQueryLen
	in.PromptStyle = c.styles.Prompt
	in.PlaceholderStyle = c.styles.Faint
	return listModel{c: c, input: in, facets: facetsModel{c: c}}
}

// search asks for the results of the current query; only the answer to
// the newest request is kept.
func (l *listModel) search() tea.Cmd {
	l.tag++
	opts := search.Options{Sort: l.sort, Reverse: l.reverse}
	return searchCmd(l.c.index, l.tag, l.input.Value(), opts)
}

// setQuery replaces the query, as facets and stats do, and searches.
func (l *listModel) setQuery(q string) tea.Cmd {
	l.input.SetValue(q)
	l.input.CursorEnd()
	return l.search()
}

func (l *listModel) setSize() {
	l.input.Width = max(l.c.width-width(l.input.Prompt)-1, 1)
	l.facets.setSize(l.panelWidth(), l.bodyHeight())
	l.scrollTo(l.cursor)
}

func (l listModel) bodyHeight() int { return l.c.bodyHeight(3) }

// panelWidth is the width of the facets panel; on a narrow screen the panel
// takes the whole width while it is open.
func (l listModel) panelWidth() int {
	if l.narrow() {
		return l.c.width
	}
	return min(max(l.c.width/3, 30), 40)
}

func (l listModel) narrow() bool { return l.c.width < 90 }

func (l listModel) selectedID() string {
	if l.cursor >= 0 && l.cursor < len(l.result.Hits) {
		return l.result.Hits[l.cursor].ID
	}
	return ""
}

// ids lists the incidents of the current result in list order.
func (l listModel) ids() []string {
	ids := make([]string, len(l.result.Hits))
	for i, h := range l.result.Hits {
		ids[i] = h.ID
	}
	return ids
}

// selectID moves the cursor to the incident, when it is in the list.
func (l *listModel) selectID(id string) {
	for i, h := range l.result.Hits {
		if h.ID == id {
			l.scrollTo(i)
			return
		}
	}
}

func (l *listModel) scrollTo(i int) {
	n := len(l.result.Hits)
	if i >= n {
		i = n - 1
	}
	if i < 0 {
		i = 0
	}
	l.cursor = i
	h := l.bodyHeight()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	if maxOff := max(n-h, 0); l.offset > maxOff {
		l.offset = maxOff
	}
}

func (l listModel) update(msg tea.Msg) (listModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case searchCompletedMsg:
		return l.resultsArrived(msg), nil, request{}
	case tea.MouseMsg:
		return l.mouse(msg), nil, request{}
	case tea.KeyMsg:
		switch l.focus {
		case focusQuery:
			return l.queryKey(msg)
		case focusFacets:
			return l.facetKey(msg)
		}
		return l.listKey(msg)
	}
	if l.focus == focusQuery {
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		return l, cmd, request{}
	}
	return l, nil, request{}
}

func (l listModel) resultsArrived(msg searchCompletedMsg) listModel {
	if msg.tag != l.tag {
		return l // an older query's answer
	}
	if msg.err != nil {
		l.queryErr = msg.err.Error()
		return l
	}
	keep := l.selectedID()
	l.resultTag = msg.tag
	l.queryErr = ""
	l.result, l.parsed, l.terms, l.loaded = msg.result, msg.parsed, msg.terms, true
	l.cursor, l.offset = 0, 0
	if keep != "" && msg.query == l.input.Value() {
		l.selectID(keep)
	}
	l.scrollTo(l.cursor)
	l.facets.refresh(l.result, msg.query)
	return l
}

func (l listModel) mouse(msg tea.MouseMsg) listModel {
	if msg.Action != tea.MouseActionPress {
		return l
	}
	if l.showFacets && ((l.narrow() && l.focus == focusFacets) || (!l.narrow() && msg.X >= l.c.width-l.panelWidth())) {
		l.facets.mouse(msg)
		return l
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		l.scrollTo(l.cursor - wheelStep)
	case tea.MouseButtonWheelDown:
		l.scrollTo(l.cursor + wheelStep)
	}
	return l
}

func (l listModel) queryKey(msg tea.KeyMsg) (listModel, tea.Cmd, request) {
	k := l.c.keys.Query
	switch {
	case key.Matches(msg, k.OpenDetail):
		l.blurQuery()
		if l.resultTag != l.tag {
			// The list still shows an older query's matches. Enter means
			// the best match of the query as typed: search now, in memory,
			// rather than open the wrong incident.
			if msg, ok := l.search()().(searchCompletedMsg); ok {
				l = l.resultsArrived(msg)
			}
		}
		return l, nil, request{kind: reqOpen, id: l.selectedID()}
	case key.Matches(msg, k.IntoList):
		l.blurQuery()
		return l, nil, request{}
	case key.Matches(msg, k.Clear):
		if l.input.Value() != "" {
			return l, l.setQuery(""), request{}
		}
		l.blurQuery()
		return l, nil, request{}
	}
	before := l.input.Value()
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	if l.input.Value() != before {
		cmd = tea.Batch(cmd, l.search())
	}
	return l, cmd, request{}
}

func (l *listModel) blurQuery() {
	l.focus = focusList
	l.input.Blur()
}

func (l *listModel) focusQuery() tea.Cmd {
	l.focus = focusQuery
	return l.input.Focus()
}

func (l listModel) listKey(msg tea.KeyMsg) (listModel, tea.Cmd, request) {
	k := l.c.keys.List
	page := max(l.bodyHeight()-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		l.scrollTo(l.cursor - 1)
	case key.Matches(msg, k.Down):
		l.scrollTo(l.cursor + 1)
	case key.Matches(msg, k.PageUp):
		l.scrollTo(l.cursor - page)
	case key.Matches(msg, k.PageDown):
		l.scrollTo(l.cursor + page)
	case key.Matches(msg, k.Top):
		l.scrollTo(0)
	case key.Matches(msg, k.Bottom):
		l.scrollTo(len(l.result.Hits) - 1)
	case key.Matches(msg, k.OpenDetail):
		return l, nil, request{kind: reqOpen, id: l.selectedID()}
	case key.Matches(msg, k.FocusQuery):
		return l, l.focusQuery(), request{}
	case key.Matches(msg, k.ClearQuery):
		if l.input.Value() != "" {
			return l, l.setQuery(""), request{}
		}
	case key.Matches(msg, k.RemoveFilter):
		if chips := l.chips(); len(chips) > 0 {
			last := chips[len(chips)-1]
			return l, l.setQuery(dropChip(l.input.Value(), last)), request{}
		}
	case key.Matches(msg, k.Sort):
		l.sort = (l.sort + 1) % 3
		return l, l.search(), request{}
	case key.Matches(msg, k.ReverseSort):
		l.reverse = !l.reverse
		return l, l.search(), request{}
	case key.Matches(msg, k.ToggleFacets):
		l.showFacets = !l.showFacets
		if l.showFacets {
			l.focus = focusFacets
			l.facets.home()
		}
	case key.Matches(msg, k.SwitchFocus):
		if l.showFacets {
			l.focus = focusFacets
		}
	}
	return l, nil, request{}
}

func (l listModel) facetKey(msg tea.KeyMsg) (listModel, tea.Cmd, request) {
	k := l.c.keys.Facets
	switch {
	case key.Matches(msg, k.SwitchFocus):
		l.focus = focusList
		return l, nil, request{}
	case key.Matches(msg, k.Close):
		l.showFacets, l.focus = false, focusList
		return l, nil, request{}
	}
	if q, changed := l.facets.key(msg, l.input.Value()); changed {
		return l, l.setQuery(q), request{}
	}
	return l, nil, request{}
}

// chip is one category:option filter of the query.
type chip struct {
	cat, opt string
	excluded bool
}

func (c chip) String() string {
	s := c.cat + ":" + c.opt
	if c.excluded {
		s = "-" + s
	}
	return s
}

// chips lists the option filters of the query, in the order categories
// are listed, for the status line.
func (l listModel) chips() []chip {
	var out []chip
	for _, neg := range []bool{false, true} {
		sel := search.Selected(l.input.Value())
		if neg {
			sel = search.Excluded(l.input.Value())
		}
		for _, cat := range categoryOrder(sel) {
			for _, opt := range sel[cat] {
				out = append(out, chip{cat, opt, neg})
			}
		}
	}
	return out
}

// dropChip removes a filter from the query.
func dropChip(q string, c chip) string {
	if c.excluded {
		return search.ExcludeOption(q, c.cat, c.opt)
	}
	return search.ToggleOption(q, c.cat, c.opt)
}

func (l listModel) view() string {
	s := l.c.styles
	header := []string{l.titleBar(), l.queryLine(), l.columnsLine()}
	var body []string
	switch {
	case l.showFacets && l.narrow() && l.focus == focusFacets:
		body = l.facets.view(true)
	case l.showFacets && l.narrow():
		body = l.rows(l.c.width)
	case l.showFacets:
		pw := l.panelWidth()
		rows := l.rows(l.c.width - pw - 1)
		panel := l.facets.view(l.focus == focusFacets)
		sep := s.Faint.Render("│")
		for i := 0; i < l.bodyHeight(); i++ {
			left, right := "", ""
			if i < len(rows) {
				left = rows[i]
			}
			if i < len(panel) {
				right = panel[i]
			}
			body = append(body, fit(left, l.c.width-pw-1)+sep+right)
		}
	default:
		body = l.rows(l.c.width)
	}
	return l.c.frame(header, body, l.statusLine(), l.c.helpLine(l.helpKeys()))
}

func (l listModel) helpKeys() listHelp {
	return listHelp{k: l.c.keys, focus: l.focus}
}

func (l listModel) titleBar() string {
	s := l.c.styles
	left := s.App.Render("faultline") + " " + s.AppPath.Render(oneLine(l.c.backend.Path()))
	if l.c.backend.ReadOnly() {
		left += " " + s.Warn.Render("[read-only]")
	}
	arrow := "↓"
	if l.reverse {
		arrow = "↑"
	}
	sorting := l.sort
	if sorting == search.Relevance && len(l.terms) == 0 {
		sorting = search.Date // what search does for a query without words
	}
	right := s.Subtle.Render("sort: " + sorting.String() + " " + arrow)
	gap := l.c.width - width(left) - width(right)
	if gap < 1 {
		return truncate(left, l.c.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (l listModel) queryLine() string {
	return l.input.View()
}

// row layout: the columns a list row has at a given width.
type rowLayout struct {
	title, date, domain, status int
}

func layoutRow(w int) rowLayout {
	r := rowLayout{date: 10, domain: 14, status: 9}
	// cursor (2) + star (2) + gaps of 2 between columns
	fixed := 4 + 2 + r.date
	if w < 76 {
		r.domain = 0
	} else {
		fixed += 2 + r.domain
	}
	if w < 52 {
		r.status = 0
	} else {
		fixed += 2 + r.status
	}
	r.title = max(w-fixed, 8)
	return r
}

func (l listModel) columnsLine() string {
	w := l.c.width
	if l.showFacets && !l.narrow() {
		w -= l.panelWidth() + 1
	}
	if l.showFacets && l.narrow() && l.focus == focusFacets {
		return l.c.styles.Heading.Render("Facets") + l.c.styles.Subtle.Render(" — tab back to the list")
	}
	r := layoutRow(w)
	line := "    " + fit("Title", r.title) + "  " + fit("Published", r.date)
	if r.domain > 0 {
		line += "  " + fit("Domain", r.domain)
	}
	if r.status > 0 {
		line += "  " + fit("Triage", r.status)
	}
	return l.c.styles.Subtle.Render(strings.TrimRight(line, " "))
}

// rows renders the visible part of the list at width w.
func (l listModel) rows(w int) []string {
	s := l.c.styles
	if !l.loaded {
		return []string{s.Faint.Render("  searching…")}
	}
	if l.c.index != nil && l.c.index.Len() == 0 {
		return []string{"", s.Faint.Render("  no incidents yet: add some with  faultline import PATH")}
	}
	if len(l.result.Hits) == 0 {
		return []string{"", s.Faint.Render("  no incident matches; esc clears the query")}
	}
	r := layoutRow(w)
	var out []string
	end := min(l.offset+l.bodyHeight(), len(l.result.Hits))
	for i := l.offset; i < end; i++ {
		out = append(out, l.row(l.result.Hits[i], r, i == l.cursor))
	}
	return out
}

func (l listModel) row(h search.Hit, r rowLayout, selected bool) string {
	s := l.c.styles
	in, ok := l.c.summary(h.ID)
	if !ok {
		return ""
	}
	cursor := "  "
	if selected {
		cursor = s.Cursor.Render("▌ ")
	}
	star := "  "
	if in.Triage.Starred() {
		star = s.Star.Render("★ ")
	}
	text, sub := s.paint(s.Title, selected), s.paint(s.Subtle, selected)
	title := markMatches(in.Title, l.c.index.TitleMatches(l.parsed, h.ID), s.paint(s.Match, selected), text)
	if width(title) == 0 {
		title = s.paint(s.Faint, selected)("(untitled)")
	}
	title = truncate(title, r.title)
	line := title + text(strings.Repeat(" ", r.title-width(title))+"  ") + sub(fit(oneLine(in.Published), r.date))
	if r.domain > 0 {
		line += text("  ") + sub(fit(oneLine(strings.Join(in.Options["domain"], ",")), r.domain))
	}
	if r.status > 0 {
		line += text("  " + fit(statusMark(in.Triage.State()), r.status))
	}
	return cursor + star + line
}

// statusMark is how a triage status shows in the list: new shows nothing.
func statusMark(st string) string {
	if st == "" || st == incident.StatusNew {
		return ""
	}
	return oneLine(st)
}

func (l listModel) statusLine() string {
	s := l.c.styles
	total := 0
	if l.c.index != nil {
		total = l.c.index.Len()
	}
	if !l.loaded {
		return l.c.statusBar(s.Subtle.Render("searching…"))
	}
	left := s.Status.Render(fmt.Sprintf("%d of %d incidents", l.result.Total, total))
	if l.queryErr != "" {
		// the list still shows the last good query's matches
		return l.c.statusBar(left + "  " + s.Error.Render(oneLine(l.queryErr)))
	}
	for _, ch := range l.chips() {
		left += " " + s.Chip.Render(" "+oneLine(ch.String())+" ×")
	}
	return l.c.statusBar(left)
}
