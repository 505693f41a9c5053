package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

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
	// grouped shows one row per event (the default): the hits of one
	// event under its best placed one, open shows them (by event id).
	grouped bool
	open    map[string]bool

	tag        int // of the newest search asked for
	refreshTag int // of a search after a triage change, which keeps the cursor's place
	resultTag  int // of the search the result answers
	result     search.Result
	searched   string       // the query the newest search asked for: the input less a term being typed
	terms      []string     // free words of the query the result is for
	parsed     search.Query // the query the result is for
	hint       string       // what the term being typed needs
	queryErr   string
	loaded     bool // a first result arrived
	// partial: the result holds only the first hits, the rest on their
	// way (see firstHits); resultOpts are the options it was asked with
	partial    bool
	resultOpts search.Options

	// By event, when the result is grouped: the events it was grouped
	// by, its hits by event and the counts by event.
	events  *eventSet
	groups  hitGroups
	byEvent *search.Grouped

	rows   []listRow // what the list shows, the cursor's rows
	eventW int       // the event column's width, of the largest event: steady as the list scrolls
	cur    rowCursor

	// marked holds the incidents marked for a bulk change; allArmed, set
	// by MarkAll, makes the next triage key act on every match.
	marked   map[string]bool
	allArmed bool

	// completion of the word being typed: its start, the choices and the
	// one tab put in, -1 before the first tab
	comp      []compItem
	compStart int
	compSel   int

	// history of queries, newest first; histPos is the entry shown, -1
	// the query being typed, kept in histDraft meanwhile
	hist      []string
	histPos   int
	histDraft string

	views []SavedView // as last read, for the views picker

	why *whyCache
}

// whyCache keeps where the rows on screen matched, worked out once per
// result and scroll position rather than per frame.
type whyCache struct {
	tag, offset int
	matched     map[string]search.Matched
}

func newListModel(c *common) listModel {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "search: words, domain:finance, year:2012.., is:starred — tab completes, f facets"
	in.CharLimit = search.MaxQueryLen
	in.PromptStyle = c.styles.Prompt
	in.PlaceholderStyle = c.styles.Faint
	return listModel{c: c, input: in, facets: newFacetsModel(c), marked: map[string]bool{}, histPos: -1, why: &whyCache{tag: -1},
		grouped: true, open: map[string]bool{}}
}

// search asks for the results of the current query; only the answer to
// the newest request is kept. A term still being typed is left out, and a
// query that does not parse keeps the last results.
func (l *listModel) search() tea.Cmd { return l.searchFor(firstHits) }

// firstHits is how many hits a search asks for first: a screen's worth,
// and more. Its answer asks for the rest (see resultsArrived): ranking
// every hit of a broad query, and at the first screen copying their
// titles out of the file, is most of what the answer would wait for.
const firstHits = 300

// searchFor searches for the query typed, the first limit hits (all for
// 0).
func (l *listModel) searchFor(limit int) tea.Cmd {
	t, err := readQuery(l.input.Value())
	l.hint, l.queryErr = t.hint, ""
	if err != nil {
		l.queryErr = syntaxMessage(err)
		l.tag++ // an answer to an earlier query is no longer wanted
		return nil
	}
	l.tag++
	l.searched = t.usable
	opts := search.Options{Sort: l.sort, Reverse: l.reverse, Limit: limit}
	var events *eventSet
	if l.grouped {
		events = l.c.events
	}
	return searchCmd(l.c.index, l.tag, t.usable, opts, events)
}

// refresh searches again after a triage change: an incident that left
// the list leaves the cursor where it was.
func (l *listModel) refresh() tea.Cmd {
	cmd := l.search()
	l.refreshTag = l.tag
	return cmd
}

// query is the query the list shows the results of.
func (l listModel) query() string { return l.searched }

// setQuery replaces the query, as facets and stats do, and searches.
func (l *listModel) setQuery(q string) tea.Cmd {
	l.input.SetValue(q)
	l.input.CursorEnd()
	l.comp = nil
	return l.search()
}

func (l *listModel) setSize() {
	l.input.Width = max(l.c.width-width(l.input.Prompt)-1, 1)
	l.facets.setSize(l.panelWidth(), l.bodyHeight())
	l.cur.set(len(l.rows), l.bodyHeight())
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
	if l.cur.cursor >= 0 && l.cur.cursor < len(l.rows) {
		return l.result.Hits[l.rows[l.cur.cursor].hit].ID
	}
	return ""
}

// ids lists the incidents of the current result in the order of the
// search, every one, as an export writes them.
func (l listModel) ids() []string {
	l = l.whole()
	ids := make([]string, len(l.result.Hits))
	for i, h := range l.result.Hits {
		ids[i] = h.ID
	}
	return ids
}

// whole is the list with every hit of its result: itself, or, while the
// rest are on their way, with them searched for now. What acts on every
// hit (an export, the detail's queue, every incident marked) reads the
// hits through it.
func (l listModel) whole() listModel {
	if !l.partial || l.c.index == nil {
		return l
	}
	opts := l.resultOpts
	opts.Limit = 0
	l.result.Hits = l.c.index.Search(l.parsed, opts).Hits
	l.groups = groupHits(l.result.Hits, l.events)
	l.partial = false
	return l // its rows stay those shown: callers read the hits and groups only
}

// selectID moves the cursor to the row of the incident (its event's,
// when that is closed), when it is in the list, and reports whether it
// is.
func (l *listModel) selectID(id string) bool {
	return l.selectRowOf(id, rowReport)
}

// selectRowOf moves the cursor to the row of incident id, one of kind
// when it has two.
func (l *listModel) selectRowOf(id string, kind rowKind) bool {
	i, ok := l.rowOf(id, kind)
	if ok {
		l.cur.to(i, 1)
	}
	return ok
}

// selectNear moves the cursor to the row of queue[p], else of the
// nearest incident of queue after it, else before it, that is in the
// list: where a walk that ended on an incident a triage change took out
// comes back to.
func (l *listModel) selectNear(queue []string, p int) {
	for i := p; i < len(queue); i++ {
		if l.selectID(queue[i]) {
			return
		}
	}
	for i := min(p, len(queue)) - 1; i >= 0; i-- {
		if l.selectID(queue[i]) {
			return
		}
	}
}

// markedIDs lists the marked incidents in list order.
func (l listModel) markedIDs() []string {
	var out []string
	for _, h := range l.result.Hits {
		if l.marked[h.ID] {
			out = append(out, h.ID)
		}
	}
	return out
}

// scope is what a triage key on the list acts on.
type scope int

const (
	scopeOne    scope = iota // the incident under the cursor
	scopeEvent               // the reports of the event under the cursor
	scopeMarked              // the marked incidents
	scopeAll                 // every match, once confirmed
)

// targets returns the incidents a triage key acts on, and how they were
// chosen.
func (l listModel) targets() ([]string, scope) {
	switch {
	case l.allArmed:
		return l.ids(), scopeAll
	case len(l.markedIDs()) > 0:
		return l.markedIDs(), scopeMarked
	case l.cur.cursor < len(l.rows) && l.rows[l.cur.cursor].kind == rowEvent:
		return l.rowIDs(l.rows[l.cur.cursor]), scopeEvent
	case l.selectedID() != "":
		return []string{l.selectedID()}, scopeOne
	}
	return nil, scopeOne
}

func (l listModel) update(msg tea.Msg) (listModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case searchCompletedMsg:
		l, cmd := l.resultsArrived(msg)
		return l, cmd, request{}
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

func (l listModel) resultsArrived(msg searchCompletedMsg) (listModel, tea.Cmd) {
	if msg.tag != l.tag {
		return l, nil // an older query's answer
	}
	if msg.err != nil {
		l.queryErr = syntaxMessage(msg.err)
		return l, nil
	}
	var rest tea.Cmd
	l.partial, l.resultOpts = len(msg.result.Hits) < msg.result.Total, msg.opts
	if l.partial {
		opts := msg.opts
		opts.Limit = 0
		rest = searchCmd(l.c.index, msg.tag, msg.query, opts, msg.events)
	}
	keep, at := l.selectedID(), l.cur.cursor
	kind := rowIncident
	if at < len(l.rows) {
		kind = l.rows[at].kind
	}
	l.resultTag = msg.tag
	l.result, l.parsed, l.terms, l.loaded = msg.result, msg.parsed, msg.terms, true
	l.events, l.groups, l.byEvent = msg.events, msg.groups, msg.byEvent
	l.buildRows()
	switch {
	case keep != "" && msg.query == l.searched && l.selectRowOf(keep, kind):
	case msg.tag == l.refreshTag:
		// the incident left the list (a triage change): stay where it was
		l.cur.to(at, 1)
	default:
		l.cur.cursor, l.cur.offset = 0, 0
		l.cur.clamp()
	}
	if !l.partial { // marks beyond the first hits stay
		in := map[string]bool{}
		for _, h := range l.result.Hits {
			in[h.ID] = true
		}
		for id := range l.marked {
			if !in[id] {
				delete(l.marked, id)
			}
		}
	}
	counted, _ := l.counted()
	l.facets.refresh(counted, msg.query)
	return l, rest
}

func (l listModel) mouse(msg tea.MouseMsg) listModel {
	if l.showFacets && ((l.narrow() && l.focus == focusFacets) || (!l.narrow() && msg.X >= l.c.width-l.panelWidth())) {
		l.facets.cur.wheel(msg)
		return l
	}
	l.cur.wheel(msg)
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
			if cmd := l.searchFor(0); cmd != nil {
				if msg, ok := cmd().(searchCompletedMsg); ok {
					l, _ = l.resultsArrived(msg) // every hit: nothing to follow
				}
			}
		}
		return l, nil, request{kind: reqOpen, id: l.selectedID()}
	case key.Matches(msg, k.Complete):
		return l.complete()
	case key.Matches(msg, k.NextRow):
		l.cur.move(1)
		return l, nil, request{}
	case key.Matches(msg, k.PrevRow):
		l.cur.move(-1)
		return l, nil, request{}
	case key.Matches(msg, k.History) && (l.input.Value() == "" || l.histPos >= 0):
		return l.recall(1)
	case key.Matches(msg, k.IntoList):
		if l.histPos >= 0 {
			return l.recall(-1)
		}
		l.blurQuery()
		return l, nil, request{kind: reqRemember, text: l.query()}
	case key.Matches(msg, k.Clear):
		l.histPos = -1
		if l.comp != nil {
			l.comp = nil
			return l, nil, request{}
		}
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
		l.comp, l.histPos = nil, -1
		cmd = tea.Batch(cmd, l.search())
	}
	return l, cmd, request{}
}

// recall shows the query history entry by entries older (1) or newer
// (-1) than the one shown; past the newest is the query being typed.
func (l listModel) recall(by int) (listModel, tea.Cmd, request) {
	if l.histPos < 0 {
		l.histDraft = l.input.Value()
	}
	next := l.histPos + by
	switch {
	case next >= len(l.hist):
		return l, l.c.setStatus(statusInfo, fmt.Sprintf("no older query (%d kept)", len(l.hist))), request{}
	case next < 0:
		l.histPos = -1
		return l, l.setQuery(l.histDraft), request{}
	}
	l.histPos = next
	cmd := l.setQuery(l.hist[next])
	return l, cmd, request{}
}

// remember puts q at the top of the history kept in memory.
func (l *listModel) remember(q string) {
	if strings.TrimSpace(q) == "" {
		return
	}
	l.hist = append([]string{q}, slices.DeleteFunc(l.hist, func(h string) bool { return h == q })...)
}

// complete completes the word being typed: a key, or an option of its key
// with its count. One choice is put in whole; several put in what they
// share and list themselves, and each tab then puts in the next.
func (l listModel) complete() (listModel, tea.Cmd, request) {
	q := l.input.Value()
	if l.comp != nil {
		l.compSel = (l.compSel + 1) % len(l.comp)
		l.input.SetValue(q[:l.compStart] + l.comp[l.compSel].text)
		l.input.CursorEnd()
		return l, l.search(), request{}
	}
	start, items := completions(q, search.Keys(), l.result.Facets)
	switch len(items) {
	case 0:
		return l, l.c.setStatus(statusInfo, "nothing to complete here"), request{}
	case 1:
		text := items[0].text
		if !strings.HasSuffix(text, ":") {
			text += " "
		}
		return l, l.setQuery(q[:start] + text), request{}
	}
	l.comp, l.compStart, l.compSel = items, start, -1
	if p := commonPrefix(items); len(p) > len(q)-start {
		l.input.SetValue(q[:start] + p)
		l.input.CursorEnd()
		return l, l.search(), request{}
	}
	return l, nil, request{}
}

func (l *listModel) blurQuery() {
	l.focus = focusList
	l.comp = nil
	l.input.Blur()
}

func (l *listModel) focusQuery() tea.Cmd {
	l.focus = focusQuery
	l.histPos = -1
	return l.input.Focus()
}

func (l listModel) listKey(msg tea.KeyMsg) (listModel, tea.Cmd, request) {
	k := l.c.keys.List
	if l.cur.key(msg, l.c.keys.listNav()) {
		return l, nil, request{}
	}
	if l, cmd, r, ok := l.eventKey(msg); ok {
		return l, cmd, r
	}
	switch {
	case key.Matches(msg, k.OpenDetail):
		return l, nil, request{kind: reqOpen, id: l.selectedID()}
	case key.Matches(msg, k.FocusQuery):
		return l, l.focusQuery(), request{}
	case key.Matches(msg, k.Mark):
		l.toggleMark()
	case key.Matches(msg, k.MarkAll):
		l.allArmed = !l.allArmed && len(l.result.Hits) > 0
	case key.Matches(msg, k.ClearQuery):
		switch {
		case l.allArmed || len(l.marked) > 0:
			l.allArmed = false
			clear(l.marked)
		case l.input.Value() != "":
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
	case key.Matches(msg, k.SaveView):
		return l, nil, request{kind: reqSaveView}
	case key.Matches(msg, k.Views):
		return l, nil, request{kind: reqViews}
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

// countedBy says what the facets count.
func (l listModel) countedBy() string {
	if l.byEvent != nil {
		return "by event"
	}
	return "by incident"
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
		body = l.rowLines(l.c.width)
	case l.showFacets:
		pw := l.panelWidth()
		rows := l.rowLines(l.c.width - pw - 1)
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
		body = l.rowLines(l.c.width)
	}
	if l.comp != nil && l.focus == focusQuery {
		body = overlay(body, l.completionMenu())
	}
	return l.c.frame(header, body, l.statusLine(), l.c.helpLine(l.helpKeys()))
}

// completionMenu lists the completions of the word being typed.
func (l listModel) completionMenu() []string {
	s := l.c.styles
	const shown = 8
	first := 0
	if l.compSel >= shown {
		first = l.compSel - shown + 1
	}
	labelW := 0
	for _, it := range l.comp {
		labelW = max(labelW, width(oneLine(it.label)))
	}
	labelW = min(labelW, 30)
	var out []string
	for i := first; i < min(first+shown, len(l.comp)); i++ {
		it := l.comp[i]
		cursor := "  "
		if i == l.compSel {
			cursor = s.Cursor.Render("▌ ")
		}
		extra := it.desc
		if it.count >= 0 {
			extra = fmt.Sprint(it.count)
		}
		out = append(out, cursor+s.paint(s.Title, i == l.compSel)(fit(oneLine(it.label), labelW))+"  "+s.Subtle.Render(oneLine(extra)))
	}
	if len(l.comp) > shown {
		out = append(out, s.Faint.Render(fmt.Sprintf("  … %d choices · tab for the next", len(l.comp))))
	}
	return append(out, s.Faint.Render(strings.Repeat("─", min(l.c.width, labelW+24))))
}

// overlay puts top over the first lines of body.
func overlay(body, top []string) []string {
	out := slices.Clone(body)
	for len(out) < len(top) {
		out = append(out, "")
	}
	copy(out, top)
	return out
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

// rowLayout is the width of each column of a list row; event is the
// event column's before the title ("×3▸"), 0 when no row belongs to an
// event of several.
type rowLayout struct {
	event, title, date, domain, status int
}

// rowPrefix is the cursor, mark and star before a title, and colGap the
// space between columns.
const (
	rowPrefix = 4
	colGap    = 2
	dateW     = 10
)

// layoutRow shares w cells among the columns: the date keeps its width,
// the domain and triage columns take what their widest value on screen
// needs (none for a triage column of new incidents), and the title the
// rest. When the title would get less than a little over half, the
// domain shrinks and then goes, then the triage column.
func layoutRow(w, eventNeed, domainNeed, statusNeed int) rowLayout {
	r := rowLayout{event: eventNeed, date: dateW, domain: min(domainNeed, 14), status: min(statusNeed, 10)}
	titleOf := func() int {
		rest := w - rowPrefix - colGap - r.date
		if r.event > 0 {
			rest -= r.event + 1
		}
		if r.domain > 0 {
			rest -= colGap + r.domain
		}
		if r.status > 0 {
			rest -= colGap + r.status
		}
		return rest
	}
	enough := w/2 + 2
	for titleOf() < enough && r.domain > 8 {
		r.domain--
	}
	if titleOf() < enough {
		r.domain = 0
	}
	if titleOf() < enough {
		r.status = 0
	}
	r.title = max(titleOf(), 8)
	return r
}

// listWidth is the width of the list beside the facets panel.
func (l listModel) listWidth() int {
	if l.showFacets && !l.narrow() {
		return l.c.width - l.panelWidth() - 2 // and a space before the panel
	}
	return l.c.width
}

// layout lays out the rows on screen.
func (l listModel) layout() rowLayout {
	domainNeed, statusNeed := 0, 0
	from, to := l.cur.visible()
	for _, r := range l.rows[from:to] {
		if in, ok := l.c.summary(l.result.Hits[r.hit].ID); ok {
			domainNeed = max(domainNeed, width(domainText(in)))
			statusNeed = max(statusNeed, width(l.rowStatus(r, in)))
		}
	}
	if domainNeed > 0 {
		domainNeed = max(domainNeed, width("Domain"))
	}
	if statusNeed > 0 {
		statusNeed = max(statusNeed, width("Triage"))
	}
	return layoutRow(l.listWidth(), l.eventW, domainNeed, statusNeed)
}

func domainText(in search.Summary) string { return oneLine(strings.Join(in.Options["domain"], ",")) }

func (l listModel) columnsLine() string {
	s := l.c.styles
	if l.showFacets && l.narrow() && l.focus == focusFacets {
		return s.PanelFocus.Render("▶ Facets") + s.Subtle.Render(" "+l.countedBy()+" — tab back to the list")
	}
	r := l.layout()
	lead := "    "
	if l.showFacets {
		lead = "    " // the panel heading says which side has focus
		if l.focus == focusList {
			lead = "▶   "
		}
	}
	line := fit("Title", r.title) + "  " + fit("Published", r.date)
	if r.event > 0 {
		line = strings.Repeat(" ", r.event+1) + line
	}
	if r.domain > 0 {
		line += "  " + fit("Domain", r.domain)
	}
	if r.status > 0 {
		line += "  " + fit("Triage", r.status)
	}
	head := s.Subtle.Render(lead + line)
	if l.showFacets && l.focus == focusList {
		head = s.PanelFocus.Render(lead) + s.Subtle.Render(line)
	}
	if !l.showFacets || l.narrow() {
		return head
	}
	by := " " + l.countedBy()
	panelHead := s.Panel.Render(fit("  Facets"+by, l.panelWidth()))
	if l.focus == focusFacets {
		panelHead = fit(s.PanelFocus.Render("▶ Facets")+s.Subtle.Render(by), l.panelWidth())
	}
	return fit(head, l.listWidth()+1) + s.Faint.Render("│") + panelHead
}

// rowLines renders the visible rows of the list at width w.
func (l listModel) rowLines(w int) []string {
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
	r := l.layout()
	from, to := l.cur.visible()
	why := l.whyMatched(from)
	focused := l.focus != focusFacets
	var out []string
	for i := from; i < to; i++ {
		out = append(out, l.row(l.rows[i], r, i == l.cur.cursor, focused, why[l.result.Hits[l.rows[i].hit].ID]))
	}
	return out
}

// whyMatched returns where the rows from offset on matched the query.
func (l listModel) whyMatched(offset int) map[string]search.Matched {
	if l.why.tag == l.resultTag && l.why.offset == offset && l.why.matched != nil {
		return l.why.matched
	}
	_, to := l.cur.visible()
	var ids []string
	for _, r := range l.rows[offset:to] {
		ids = append(ids, l.result.Hits[r.hit].ID)
	}
	m := map[string]search.Matched{}
	if l.c.index != nil {
		m = l.c.index.MatchedIn(l.parsed, ids)
	}
	*l.why = whyCache{tag: l.resultTag, offset: offset, matched: m}
	return m
}

func (l listModel) row(lr listRow, r rowLayout, selected, focused bool, why search.Matched) string {
	s := l.c.styles
	h := l.result.Hits[lr.hit]
	in, ok := l.c.summary(h.ID)
	if !ok {
		return ""
	}
	ids := l.rowIDs(lr)
	cursor := " "
	switch {
	case selected && focused:
		cursor = s.Cursor.Render("▌")
	case selected:
		cursor = s.Subtle.Render("›")
	}
	mark := " "
	if l.allArmed {
		mark = s.Marked.Render("✓")
	} else if m := l.markOf(ids); m != markNone {
		mark = s.Marked.Render(m)
	}
	star := "  "
	if l.anyStarred(ids) {
		star = s.Star.Render("★ ")
	}
	hl := selected && focused
	text, sub := s.paint(s.Title, hl), s.paint(s.Subtle, hl)
	lead := ""
	if r.event > 0 {
		lead = sub(fitLeft(l.eventCell(lr), r.event)) + text(" ")
	}
	offs := l.c.index.TitleMatches(l.parsed, h.ID)
	title := markMatches(in.Title, offs, s.paint(s.Match, hl), text)
	if width(title) == 0 {
		title = s.paint(s.Faint, hl)("(untitled)")
	}
	if reason := whyText(why, len(offs) > 0); reason != "" {
		room := max(r.title-min(width(reason)+1, r.title/2), 1)
		title = truncate(title, room) + sub(" "+truncate(reason, r.title-min(width(title), room)-1))
	}
	title = truncate(title, r.title)
	line := lead + title + text(strings.Repeat(" ", max(r.title-width(title), 0))+"  ") + sub(fit(oneLine(in.Published), r.date))
	if r.domain > 0 {
		line += text("  ") + sub(fit(domainText(in), r.domain))
	}
	if r.status > 0 {
		line += text("  " + fit(l.rowStatus(lr, in), r.status))
	}
	return cursor + mark + star + line
}

// fieldShort names a field of search.Matched as a row says it.
var fieldShort = map[string]string{
	"responsible_org": "org", "impacted_org": "org",
	"software_causes": "causes", "non_software_causes": "causes",
}

// whyText says where a row matched when its title shows no match: the
// fields holding the words, or an abbreviation of its headline.
func whyText(m search.Matched, titleShows bool) string {
	if titleShows {
		return ""
	}
	if m.Abbrev {
		return "· abbrev. of system/org"
	}
	var names []string
	for _, f := range m.Fields {
		if n, ok := fieldShort[f]; ok {
			f = n
		}
		if f != "title" && !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "· in " + strings.Join(names, ", ")
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
	counts := s.Status.Render(fmt.Sprintf("%d of %d incidents", l.result.Total, total))
	events := ""
	if l.byEvent != nil {
		events = s.Subtle.Render(fmt.Sprintf(" · %d %s", l.byEvent.Total, plural(l.byEvent.Total, "event", "events")))
	}
	left := counts + events + l.statusTail()
	if msg := l.c.statusText(); msg != "" && width(left)+2+width(msg) > l.c.width {
		// the count of events gives way to a status message: beside it,
		// the marks and the query's state matter more
		left = counts + l.statusTail()
	}
	return l.c.statusBar(left)
}

// statusTail is what the status line says after the counts: the marks,
// then the query's error, the hint of the term being typed, or the
// query's filters.
func (l listModel) statusTail() string {
	s := l.c.styles
	out := ""
	switch {
	case l.allArmed:
		t := l.c.keys.Triage
		out += "  " + s.Marked.Render(fmt.Sprintf("all %d matching:", l.result.Total)) +
			s.Subtle.Render(fmt.Sprintf(" %s %s %s %s act on them · esc cancels", t.CycleStatus.Help().Key, t.PickStatus.Help().Key, t.Star.Help().Key, t.EditTags.Help().Key))
	case len(l.marked) > 0:
		out += "  " + s.Marked.Render(fmt.Sprintf("%d marked", len(l.marked)))
	}
	switch {
	case l.queryErr != "":
		// the list still shows the last good query's matches
		return out + "  " + s.Error.Render(oneLine(l.queryErr))
	case l.hint != "" && l.focus == focusQuery:
		return out + "  " + s.Subtle.Render(oneLine(l.hint))
	}
	for _, ch := range l.chips() {
		out += " " + s.Chip.Render(" "+oneLine(ch.String())+" ×")
	}
	return out
}
