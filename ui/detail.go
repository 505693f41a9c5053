package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/present"
	"github.com/faultline/faultline/search"
)

// relatedCount is how many related incidents the detail view lists.
const relatedCount = 8

// section is a tab of the detail view: its name and how it draws the
// incident at a width.
type section struct {
	name   string
	render func(d *detailModel, w int) []string
}

// sections of the detail view, in tab order.
var sections = []section{
	{"Overview", (*detailModel).overview},
	{"Causes", func(d *detailModel, w int) []string {
		out := append(d.field("Software causes", "software_causes", d.in.Postmortem.SoftwareCauses, w), "")
		return append(out, d.field("Non-software causes", "non_software_causes", d.in.Postmortem.NonSoftwareCauses, w)...)
	}},
	{"Impacts", func(d *detailModel, w int) []string { return d.field("Impacts", "impacts", d.in.Postmortem.Impacts, w) }},
	{"Preventions", func(d *detailModel, w int) []string {
		return d.field("Preventions", "preventions", d.in.Postmortem.Preventions, w)
	}},
	{"Fixes", func(d *detailModel, w int) []string { return d.field("Fixes", "fixes", d.in.Postmortem.Fixes, w) }},
	{"Taxonomy", (*detailModel).taxonomy},
	{"References", (*detailModel).references},
	{"Related", (*detailModel).relatedLines},
	{"Triage", (*detailModel).triage},
}

// sectionNamed returns the number of the section called name.
func sectionNamed(name string) int {
	return slices.IndexFunc(sections, func(s section) bool { return s.name == name })
}

var (
	secOverview = sectionNamed("Overview")
	secTaxonomy = sectionNamed("Taxonomy")
	secRelated  = sectionNamed("Related")
)

// place is an incident of the back stack, as it was left.
type place struct {
	id      string
	section int
	offset  int
}

// detailModel shows one incident in sections, scrollable, and walks the
// queue: the list it was opened from, fixed then, so that a triage change
// that takes the incident out of the list's filter leaves the walk and
// its position alone. Related incidents opened from it stack up; back
// returns through them.
type detailModel struct {
	c       *common
	id      string
	in      incident.Incident
	loading bool // the incident's texts are being read
	partial bool // in holds only what the index knows: its texts could not be read
	loadTag int  // of the newest read asked for

	queue    []string // the list it was opened from
	queuePos int      // where in the queue the walk is
	stack    []place  // incidents to go back to
	reopen   *place   // where to put the view when the incident read arrives

	parsed  search.Query // what to mark: the list's query
	also    []alsoReport // the other reports of its event
	related []search.Related
	relCur  rowCursor // over also, then related
	taxCur  rowCursor
	taxOpen map[string]bool // categories whose rationale shows

	section   int
	vp        viewport.Model
	itemLines []int // the first line of each row of a section with a cursor
	find      findState
}

// findState is a find inside the incident: the text looked for and where
// it was found, in every section.
type findState struct {
	input   textinput.Model
	typing  bool
	text    string
	matches []findMatch
	at      int
}

type findMatch struct{ section, line int }

func newDetailModel(c *common) detailModel {
	in := textinput.New()
	in.Prompt = "find: "
	in.PromptStyle = c.styles.Prompt
	in.CharLimit = 200
	return detailModel{c: c, vp: newViewport(), taxOpen: map[string]bool{}, find: findState{input: in}}
}

// open shows incident id, opened from a list of the incidents queue,
// marking what parsed matched; it returns the command that reads it.
func (d *detailModel) open(id string, queue []string, parsed search.Query) tea.Cmd {
	d.queue, d.parsed, d.stack = queue, parsed, nil
	d.queuePos = max(slices.Index(queue, id), 0)
	d.section = secOverview
	return d.show(id)
}

// show switches to incident id keeping the section; its texts arrive as
// an incidentLoadedMsg.
func (d *detailModel) show(id string) tea.Cmd {
	d.id, d.loading, d.partial = id, true, false
	d.in = incident.Incident{ID: id}
	if sum, ok := d.c.summary(id); ok {
		d.in.Title, d.in.Published, d.in.Triage = sum.Title, sum.Published, sum.Triage
	}
	d.also, d.related = nil, nil
	d.relCur, d.taxCur = rowCursor{}, rowCursor{}
	clear(d.taxOpen)
	d.clearFind()
	d.vp.GotoTop()
	d.loadTag++
	d.render()
	return loadIncidentCmd(d.c.index, d.c.events, id, d.loadTag)
}

// loaded takes the texts of the incident read, when they are those of
// the incident shown.
func (d *detailModel) loaded(msg incidentLoadedMsg) {
	if msg.tag != d.loadTag || msg.id != d.id {
		return
	}
	d.in, d.partial, d.also, d.related, d.loading = msg.in, !msg.ok, msg.also, msg.related, false
	d.render()
	if p := d.reopen; p != nil && p.id == d.id {
		d.vp.SetYOffset(p.offset)
		d.reopen = nil
	}
}

// eventInfoFound takes the other reports and related incidents worked
// out again, when they are the open incident's.
func (d *detailModel) eventInfoFound(msg eventInfoFoundMsg) {
	if msg.tag != d.loadTag || msg.id != d.id || d.loading {
		return
	}
	d.also, d.related = msg.also, msg.related
	d.render()
}

// regrouped works out again the other reports of the open incident after
// the events changed.
func (d *detailModel) regrouped() tea.Cmd {
	if d.id == "" || d.loading {
		return nil
	}
	return eventInfoCmd(d.c.index, d.c.events, d.in, d.loadTag)
}

// relItem is a row of the Related section: another report of the
// incident's event, or a related incident.
type relItem struct {
	id, reason string
	same       bool // a report of the same event
}

// relItems are the rows of the Related section, the other reports first.
func (d *detailModel) relItems() []relItem {
	out := make([]relItem, 0, len(d.also)+len(d.related))
	for _, a := range d.also {
		out = append(out, relItem{a.ID, a.Reason, true})
	}
	for _, r := range d.related {
		out = append(out, relItem{r.ID, r.Reason, false})
	}
	return out
}

// reload lays the triage of the index over the open incident, after a
// triage change: its texts are unchanged and not read again.
func (d *detailModel) reload() {
	if d.id == "" {
		return
	}
	if sum, ok := d.c.summary(d.id); ok {
		d.in.Triage = sum.Triage
	}
	d.render()
}

// refetch reads the open incident again, after the database was reloaded.
func (d *detailModel) refetch() tea.Cmd {
	if d.id == "" {
		return nil
	}
	d.reopen = &place{d.id, d.section, d.vp.YOffset}
	section := d.section
	cmd := d.show(d.id)
	d.section = section
	return cmd
}

func (d *detailModel) setSize() {
	d.vp.Width, d.vp.Height = d.c.width, d.bodyHeight()
	d.find.input.Width = max(d.c.width-width(d.find.input.Prompt)-20, 1) // room for "match i/N"
	if d.id != "" {
		d.render()
	}
}

// header is the title, a line of facts and the section tabs.
const detailHeaderLines = 3

func (d detailModel) bodyHeight() int { return d.c.bodyHeight(detailHeaderLines) }

func (d *detailModel) setSection(i int) {
	n := len(sections)
	d.section = ((i % n) + n) % n
	d.vp.GotoTop()
	d.render()
}

// position is where the walk is in the queue, -1 for none.
func (d detailModel) position() int {
	if len(d.queue) == 0 {
		return -1
	}
	return d.queuePos
}

func (d detailModel) update(msg tea.Msg) (detailModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		d.vp, _ = d.vp.Update(msg)
	case tea.KeyMsg:
		if d.find.typing {
			return d.findKey(msg)
		}
		return d.key(msg)
	}
	return d, nil, request{}
}

func (d detailModel) key(msg tea.KeyMsg) (detailModel, tea.Cmd, request) {
	k := d.c.keys.Detail
	if len(d.find.matches) > 0 || d.find.text != "" {
		switch {
		case key.Matches(msg, k.NextMatch):
			d.jumpMatch(1)
			return d, nil, request{}
		case key.Matches(msg, k.PrevMatch):
			d.jumpMatch(-1)
			return d, nil, request{}
		case key.Matches(msg, k.Back):
			d.clearFind()
			d.render()
			return d, nil, request{}
		}
	}
	if d, cmd, r, ok := d.itemKey(msg); ok {
		return d, cmd, r
	}
	switch {
	case key.Matches(msg, k.Back):
		if n := len(d.stack); n > 0 {
			p := d.stack[n-1]
			d.stack = d.stack[:n-1]
			d.reopen = &p
			cmd := d.show(p.id)
			d.section = p.section
			d.render()
			return d, cmd, request{}
		}
		return d, nil, request{kind: reqBack}
	case key.Matches(msg, k.Find):
		d.find.typing = true
		d.find.input.SetValue(d.find.text)
		d.find.input.CursorEnd()
		return d, d.find.input.Focus(), request{}
	case key.Matches(msg, k.NextSection):
		d.setSection(d.section + 1)
	case key.Matches(msg, k.PrevSection):
		d.setSection(d.section - 1)
	case key.Matches(msg, k.GotoSection):
		if n := int(msg.String()[0] - '1'); n >= 0 && n < len(sections) {
			d.setSection(n)
		}
	case scrollKey(&d.vp, msg, d.c.keys.Nav, k.HalfDown, k.HalfUp):
	case key.Matches(msg, k.NextIncident):
		return d.step(1)
	case key.Matches(msg, k.PrevIncident):
		return d.step(-1)
	}
	return d, nil, request{}
}

// itemKey handles the keys of a section whose rows have a cursor: the
// related incidents (enter opens one) and the taxonomy categories (enter
// shows the rationale, correct picks the options).
func (d detailModel) itemKey(msg tea.KeyMsg) (detailModel, tea.Cmd, request, bool) {
	k, nav := d.c.keys.Detail, d.c.keys.Nav
	var cur *rowCursor
	switch {
	case d.section == secRelated && len(d.relItems()) > 0:
		cur = &d.relCur
	case d.section == secTaxonomy && len(d.categories()) > 0:
		cur = &d.taxCur
	default:
		return d, nil, request{}, false
	}
	switch {
	case key.Matches(msg, nav.Up), key.Matches(msg, nav.Down):
		cur.key(msg, nav)
		d.render()
		d.follow(cur.cursor)
		return d, nil, request{}, true
	case key.Matches(msg, k.Select) && d.section == secRelated:
		d.stack = append(d.stack, place{d.id, d.section, d.vp.YOffset})
		id := d.relItems()[d.relCur.cursor].id
		d.section = secOverview
		return d, d.show(id), request{}, true
	case key.Matches(msg, k.Select):
		cat := d.categories()[d.taxCur.cursor]
		d.taxOpen[cat] = !d.taxOpen[cat]
		d.render()
		d.follow(d.taxCur.cursor)
		return d, nil, request{}, true
	case key.Matches(msg, k.Correct) && d.section == secTaxonomy:
		return d, nil, request{kind: reqCorrect, id: d.id, cat: d.categories()[d.taxCur.cursor]}, true
	}
	return d, nil, request{}, false
}

// follow scrolls so that row i of the section shows whole.
func (d *detailModel) follow(i int) {
	if i < 0 || i >= len(d.itemLines) {
		return
	}
	top, end := d.itemLines[i], 0
	if i+1 < len(d.itemLines) {
		end = d.itemLines[i+1]
	} else {
		end = d.vp.TotalLineCount()
	}
	switch {
	case top < d.vp.YOffset:
		d.vp.SetYOffset(max(top-1, 0))
	case end > d.vp.YOffset+d.vp.Height:
		d.vp.SetYOffset(min(top, end-d.vp.Height))
	}
}

// step moves to the next (1) or previous (-1) incident of the queue.
func (d detailModel) step(by int) (detailModel, tea.Cmd, request) {
	i := d.queuePos + by
	if len(d.queue) == 0 || i < 0 || i >= len(d.queue) {
		word := "last"
		if by < 0 {
			word = "first"
		}
		return d, d.c.setStatus(statusInfo, fmt.Sprintf("this is the %s incident of the queue (%d)", word, len(d.queue))), request{}
	}
	d.queuePos, d.stack = i, nil
	return d, d.show(d.queue[i]), request{}
}

// textWidth is the width body text wraps at: the screen, but not wider
// than reads well.
func (d detailModel) textWidth() int { return min(max(d.c.width-2, 20), 100) }

// render lays out the current section for the current width.
func (d *detailModel) render() {
	d.vp.Width, d.vp.Height = d.c.width, d.bodyHeight()
	d.itemLines = nil
	out := d.sectionLines(d.section)
	if d.find.text != "" {
		out = d.markFound(out)
	}
	lines := make([]string, len(out))
	for i, l := range out {
		lines[i] = " " + l
	}
	d.vp.SetContent(joinLines(lines))
}

// sectionLines draws section i of the incident.
func (d *detailModel) sectionLines(i int) []string {
	w := d.textWidth()
	if d.loading {
		return []string{d.c.styles.Faint.Render("loading…")}
	}
	out := sections[i].render(d, w)
	if d.partial {
		warn := d.c.styles.Warn.Render(truncate("Text unavailable: the database is busy (an import?). Open again to retry.", w))
		out = append([]string{warn, ""}, out...)
	}
	return out
}

// field renders a labelled postmortem field as a list of its numbered
// items, with the words the query matched in it marked.
func (d *detailModel) field(label, key, raw string, w int) []string {
	out := []string{d.c.styles.Heading.Render(label)}
	items := itemList(raw, w)
	if len(items) == 0 {
		return append(out, d.c.styles.Faint.Render("  —"))
	}
	for _, l := range items {
		out = append(out, markQuery(d.parsed, key, l, d.c.styles.mark))
	}
	return out
}

func (d *detailModel) prose(label, key, raw string, w int) []string {
	out := []string{d.c.styles.Heading.Render(label)}
	lines := paragraph(raw, w, "  ")
	if len(lines) == 0 {
		return append(out, d.c.styles.Faint.Render("  —"))
	}
	for _, l := range lines {
		out = append(out, markQuery(d.parsed, key, l, d.c.styles.mark))
	}
	return out
}

func (d *detailModel) overview(w int) []string {
	pm := d.in.Postmortem
	var out []string
	for i, part := range [][]string{
		d.prose("Summary", "summary", d.in.Summary, w),
		d.alsoReported(w),
		d.field("Timeline", "timeline", pm.Timeline, w),
		d.field("System", "system", pm.System, w),
		d.field("Responsible organisation", "responsible_org", pm.ResponsibleOrg, w),
		d.field("Impacted organisation", "impacted_org", pm.ImpactedOrg, w),
		d.source(w),
	} {
		if len(part) == 0 {
			continue
		}
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, part...)
	}
	return out
}

// source shows where a postmortem came from: its address, the labels its
// source gave and the Markdown body, when it has them.
func (d *detailModel) source(w int) []string {
	s := d.c.styles
	var out []string
	if d.in.URL != "" {
		out = append(out, s.Heading.Render("Source"))
		out = append(out, paragraph(d.in.URL, w, "  ")...)
	}
	if len(d.in.Labels) > 0 {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, s.Heading.Render("Labels"))
		out = append(out, paragraph(strings.Join(d.in.Labels, " · "), w, "  ")...)
	}
	if strings.TrimSpace(d.in.Body) != "" {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, s.Heading.Render("Body"))
		for _, l := range renderMarkdown(d.in.Body, w-2, s) {
			out = append(out, "  "+l)
		}
	}
	return out
}

// categories lists the taxonomy categories the Taxonomy section shows.
func (d *detailModel) categories() []string {
	var out []string
	for _, spec := range incident.Categories {
		cat, ok := d.in.Taxonomy[spec.Key]
		_, corrected := d.in.Triage.Corrected(spec.Key)
		if !corrected && (!ok || (len(cat.Options) == 0 && cat.Rationale == "" && spec.Block == incident.BlockData)) {
			continue
		}
		out = append(out, spec.Key)
	}
	return out
}

// taxonomy is the compact taxonomy: a row per category with its options,
// a reviewer's correction beside the source's options, and the rationale
// of the categories opened with enter.
func (d *detailModel) taxonomy(w int) []string {
	s := d.c.styles
	k := d.c.keys
	cats := d.categories()
	d.taxCur.set(len(cats), d.bodyHeight())
	hint := fmt.Sprintf("%s %s choose · %s rationale · %s correct", k.Nav.Down.Help().Key, k.Nav.Up.Help().Key, k.Detail.Select.Help().Key, k.Detail.Correct.Help().Key)
	out := []string{s.Subtle.Render(truncate(hint, w))}
	nameW := 14
	for i, key := range cats {
		d.itemLines = append(d.itemLines, len(out))
		cat := d.in.Taxonomy[key]
		opts := optionList(cat.Options, s)
		if fixed, ok := d.in.Triage.Corrected(key); ok {
			m := d.in.Triage.Taxonomy[key]
			opts = s.Corrected.Render("✎ "+orNone(fixed)) + s.Subtle.Render("  (source: "+orNone(cat.Options)+"; "+oneLine(incident.Stamp{By: m.By, At: m.At}.Describe())+")")
		}
		cursor, open := "  ", "▸"
		if i == d.taxCur.cursor {
			cursor = s.Cursor.Render("▌ ")
		}
		if d.taxOpen[key] {
			open = "▾"
		}
		name := fit(categoryName(key), nameW)
		out = append(out, truncate(cursor+s.Subtle.Render(open)+" "+s.paint(s.Heading, i == d.taxCur.cursor)(name)+" "+opts, w))
		if d.taxOpen[key] {
			rationale := paragraph(cat.Rationale, w, "      ")
			if len(rationale) == 0 {
				rationale = []string{s.Faint.Render("      no rationale given")}
			}
			for _, l := range rationale {
				out = append(out, markQuery(d.parsed, "rationale", l, s.mark))
			}
		}
	}
	if len(cats) == 0 {
		out = append(out, s.Faint.Render("  no taxonomy"))
	}
	return out
}

// optionList renders a category's options, or a dash for none.
func optionList(opts []string, s Styles) string {
	if len(opts) == 0 {
		return s.Faint.Render("—")
	}
	return s.Match.Render(oneLine(strings.Join(opts, ", ")))
}

func orNone(opts []string) string {
	if len(opts) == 0 {
		return "none"
	}
	return oneLine(strings.Join(opts, ", "))
}

func (d *detailModel) references(w int) []string {
	s := d.c.styles
	doc := present.Of(&d.in) // what every view shows of the references
	out := d.field("References", "references", d.in.Postmortem.References, w)
	out = append(out, "", s.Heading.Render("Cited articles"))
	if len(doc.Articles) == 0 {
		out = append(out, s.Faint.Render("  none cited"))
	}
	var missing []string
	for _, a := range doc.Articles {
		if !a.Imported {
			missing = append(missing, fmt.Sprint(a.ID))
			continue
		}
		out = append(out, paragraph(orDash(oneLine(a.Headline)), w, fmt.Sprintf("  [%d] ", a.ID))...)
		if meta := a.Meta(); meta != "" {
			out = append(out, s.Subtle.Render("      "+truncate(oneLine(meta), w-6)))
		}
	}
	if len(missing) > 0 {
		out = append(out, s.Faint.Render("  not imported: "+strings.Join(missing, ", ")))
	}
	out = append(out, "", s.Heading.Render("Sources"))
	for _, line := range doc.Sources {
		out = append(out, paragraph(line, w, "  ")...)
	}
	if len(doc.Sources) == 0 {
		out = append(out, s.Faint.Render("  imported before sources were recorded"))
	}
	out = append(out, "", s.Heading.Render("Identifiers"))
	for _, f := range doc.Facts {
		if f.Label == "ID" || f.Label == "FAIL ID" {
			out = append(out, "  "+f.Label+" "+oneLine(f.Value))
		}
	}
	return out
}

// relatedLines is the Related section: the incident's other reports, then
// the incidents related to it, on rows that enter opens.
func (d *detailModel) relatedLines(w int) []string {
	s := d.c.styles
	k := d.c.keys
	hint := fmt.Sprintf(" — %s %s choose, %s opens, %s comes back", k.Nav.Down.Help().Key, k.Nav.Up.Help().Key, k.Detail.Select.Help().Key, k.Detail.Back.Help().Key)
	items := d.relItems()
	d.relCur.set(len(items), d.bodyHeight())
	var out []string
	if len(d.also) > 0 {
		out = append(out, s.Heading.Render("Also reported as")+s.Subtle.Render(hint))
		out = d.relRows(out, items[:len(d.also)], 0, w)
		out = append(out, "", s.Heading.Render("Related incidents")+s.Subtle.Render(" — other failures like it"))
	} else {
		out = append(out, s.Heading.Render("Related incidents")+s.Subtle.Render(hint))
	}
	if len(d.related) == 0 {
		return append(out, s.Faint.Render("  none found"))
	}
	return d.relRows(out, items[len(d.also):], len(d.also), w)
}

// relRows appends the rows of items, the first of which is row from of
// the section, each with why it is there.
func (d *detailModel) relRows(out []string, items []relItem, from, w int) []string {
	s := d.c.styles
	for j, r := range items {
		i := from + j
		d.itemLines = append(d.itemLines, len(out))
		in, ok := d.c.summary(r.id)
		if !ok {
			out = append(out, "")
			continue
		}
		head := fmt.Sprintf("  %d. ", j+1)
		cursor := "  "
		sel := i == d.relCur.cursor
		if sel {
			cursor = s.Cursor.Render("▌ ")
		}
		facts := oneLine(in.Published)
		if n := len(d.c.events.others(r.id)); n > 0 && !r.same {
			facts += fmt.Sprintf(" · ×%d reports", n+1)
		}
		title := truncate(oneLine(in.Title), w-width(head)-2-width(facts)-1)
		out = append(out, cursor+strings.TrimPrefix(head, "  ")+s.paint(s.Title, sel)(title)+"  "+s.Subtle.Render(facts))
		if r.reason != "" {
			for _, l := range paragraph(r.reason, w, strings.Repeat(" ", width(head))) {
				out = append(out, s.Subtle.Render(l))
			}
		}
	}
	return out
}

// alsoReported is the overview's list of the incident's other reports,
// each with why it reports the same failure.
func (d *detailModel) alsoReported(w int) []string {
	if len(d.also) == 0 {
		return nil
	}
	s := d.c.styles
	out := []string{s.Heading.Render("Also reported as") + s.Subtle.Render(" — the same failure; Related opens them")}
	for _, a := range d.also {
		in, _ := d.c.summary(a.ID)
		title := truncate(oneLine(in.Title), w-4-12)
		if title == "" {
			title = "(untitled)"
		}
		out = append(out, "  • "+s.Title.Render(title)+"  "+s.Subtle.Render(orDash(oneLine(in.Published))))
		for _, l := range paragraph(a.Reason, w, "    ") {
			out = append(out, s.Subtle.Render(l))
		}
	}
	return out
}

func (d *detailModel) triage(w int) []string {
	s := d.c.styles
	t := d.in.Triage
	star := "no"
	if t.Starred() {
		star = s.Star.Render("★ yes")
	}
	tags := oneLine(strings.Join(t.TagList(), ", "))
	if tags == "" {
		tags = s.Faint.Render("none")
	}
	stamp := func(by string, at time.Time) string {
		if by == "" && at.IsZero() {
			return ""
		}
		return "  " + s.Faint.Render(oneLine(incident.Stamp{By: by, At: at}.Describe()))
	}
	out := []string{
		s.Heading.Render("Triage"),
		"  " + s.Label.Render("status ") + " " + oneLine(t.State()) + stamp(t.Status.By, t.Status.At),
		"  " + s.Faint.Render("         "+strings.Join(incident.Statuses, " → ")),
		"  " + s.Label.Render("starred") + " " + star + stamp(t.Star.By, t.Star.At),
		"  " + s.Label.Render("tags   ") + " " + tags,
	}
	if ev := t.Event; ev.Value != "" {
		out = append(out, "  "+s.Label.Render("event  ")+" "+d.ruling(ev.Value)+stamp(ev.By, ev.At))
	}
	if t.Reviewed() {
		var cats []string
		for _, spec := range incident.Categories {
			if _, ok := t.Corrected(spec.Key); ok {
				cats = append(cats, categoryName(spec.Key))
			}
		}
		out = append(out, "  "+s.Label.Render("taxonomy")+" "+s.Corrected.Render("✎ corrected: "+strings.Join(cats, ", ")))
	}
	out = append(out, "", s.Heading.Render("Notes"))
	notes := present.Of(&d.in).Triage.Notes
	if len(notes) == 0 {
		out = append(out, s.Faint.Render("  no note yet"))
	}
	for i, n := range notes {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, "  "+s.Label.Render(oneLine(n.Who)))
		out = append(out, paragraph(n.Text, w, "  ")...)
	}
	k := d.c.keys.Triage
	var hints []string
	for _, b := range k.bindings() {
		hints = append(hints, b.Help().Key+" "+b.Help().Desc)
	}
	out = append(out, "")
	out = append(out, paragraph(strings.Join(hints, " · "), w, "  ")...)
	for i := len(out) - 1; i >= 0 && out[i] != ""; i-- {
		out[i] = s.Subtle.Render(out[i])
	}
	if d.c.backend.ReadOnly() {
		out = append(out, s.Warn.Render("  read-only: changes are not saved"))
	}
	return out
}

// ruling says what a reviewer's ruling on the incident's event does.
func (d *detailModel) ruling(r string) string {
	dec, err := analysis.ParseDecision(r)
	switch {
	case err != nil:
		return oneLine(r)
	case dec.Alone:
		return "split from its event"
	}
	return "joined to the event of " + d.c.titleOf(dec.With)
}

// findKey edits the text looked for; every change looks again.
func (d detailModel) findKey(msg tea.KeyMsg) (detailModel, tea.Cmd, request) {
	e := d.c.keys.Editor
	switch {
	case key.Matches(msg, e.Cancel):
		d.clearFind()
		d.render()
		return d, nil, request{}
	case key.Matches(msg, e.Accept):
		d.find.typing = false
		d.find.input.Blur()
		return d, nil, request{}
	}
	var cmd tea.Cmd
	d.find.input, cmd = d.find.input.Update(msg)
	if v := d.find.input.Value(); v != d.find.text {
		d.lookFor(v)
	}
	return d, cmd, request{}
}

// lookFor finds text, case folded, in every section, and shows the first
// match at or after the current section.
func (d *detailModel) lookFor(text string) {
	d.find.text, d.find.matches, d.find.at = text, nil, 0
	if text != "" && !d.loading {
		needle := strings.ToLower(text)
		section := d.section
		for i := range sections {
			for j, l := range d.sectionLines(i) {
				if strings.Contains(strings.ToLower(ansi.Strip(l)), needle) {
					d.find.matches = append(d.find.matches, findMatch{i, j})
				}
			}
		}
		d.section = section
		d.find.at = max(slices.IndexFunc(d.find.matches, func(m findMatch) bool { return m.section >= d.section }), 0)
	}
	d.showMatch()
}

// jumpMatch moves to the next (1) or previous (-1) match.
func (d *detailModel) jumpMatch(by int) {
	if n := len(d.find.matches); n > 0 {
		d.find.at = ((d.find.at+by)%n + n) % n
	}
	d.showMatch()
}

// showMatch switches to the section of the current match and scrolls it
// into view.
func (d *detailModel) showMatch() {
	if len(d.find.matches) == 0 {
		d.render()
		return
	}
	m := d.find.matches[d.find.at]
	d.section = m.section
	d.render()
	d.vp.SetYOffset(max(m.line-2, 0))
}

func (d *detailModel) clearFind() {
	d.find.typing, d.find.text, d.find.matches, d.find.at = false, "", nil, 0
	d.find.input.Blur()
	d.find.input.SetValue("")
}

// markFound draws the lines of the section holding the text looked for
// plainly, with the text marked; the current match's line gets a bar.
func (d *detailModel) markFound(lines []string) []string {
	s := d.c.styles
	needle := strings.ToLower(d.find.text)
	var current findMatch
	if len(d.find.matches) > 0 {
		current = d.find.matches[d.find.at]
	}
	out := slices.Clone(lines)
	for i, l := range lines {
		plain := ansi.Strip(l)
		low := strings.ToLower(plain)
		if len(low) != len(plain) || !strings.Contains(low, needle) {
			continue // case folding changed the length: leave the line as it is
		}
		var offs []int
		for at := 0; ; {
			j := strings.Index(low[at:], needle)
			if j < 0 {
				break
			}
			for k := at + j; k < at+j+len(needle); k++ {
				offs = append(offs, k)
			}
			at += j + len(needle)
		}
		line := markOffsets(plain, offs, with(s.ActiveTab))
		if current.section == d.section && current.line == i {
			line = s.Cursor.Render("▌") + line
		}
		out[i] = line
	}
	return out
}

func (d detailModel) view() string {
	s := d.c.styles
	star := ""
	if d.in.Triage.Starred() {
		star = s.Star.Render("★ ")
	}
	title := oneLine(d.in.Title)
	if title == "" {
		title = "(untitled)"
	}
	facts := []string{orDash(oneLine(d.in.Published))}
	if dom := oneLine(strings.Join(d.in.Triage.EffectiveTaxonomy(d.in.Taxonomy)["domain"].Options, ", ")); dom != "" {
		facts = append(facts, dom)
	}
	if st := statusMark(d.in.Triage.State()); st != "" {
		facts = append(facts, st)
	}
	if n := len(d.also); n > 0 {
		facts = append(facts, fmt.Sprintf("×%d reports", n+1))
	}
	if tags := d.in.Triage.TagList(); len(tags) > 0 {
		facts = append(facts, "#"+oneLine(strings.Join(tags, " #")))
	}
	pos := ""
	if p := d.position(); p >= 0 {
		pos = fmt.Sprintf("%d/%d", p+1, len(d.queue))
		if len(d.stack) > 0 {
			pos = fmt.Sprintf("related, %d deep · queue %s", len(d.stack), pos)
		}
	}
	factLine := s.Subtle.Render(strings.Join(facts, " · "))
	if gap := d.c.width - width(factLine) - width(pos); pos != "" {
		factLine = truncate(factLine, d.c.width-width(pos)-2)
		gap = d.c.width - width(factLine) - width(pos)
		factLine += strings.Repeat(" ", max(gap, 2)) + s.Status.Render(pos)
	}
	names := make([]string, len(sections))
	for i, sec := range sections {
		names[i] = sec.name
	}
	header := []string{
		star + s.App.Render(truncate(title, d.c.width-width(star))),
		factLine,
		sectionTabs(names, d.section, d.c.width, with(s.ActiveTab), with(s.Tab)),
	}
	body := strings.Split(d.vp.View(), "\n")
	status := d.c.statusBar(d.scrollInfo())
	if d.find.typing {
		status = d.find.input.View() + "  " + s.Subtle.Render(d.matchInfo())
	}
	return d.c.frame(header, body, status, d.c.helpLine(detailHelp{k: d.c.keys, finding: d.find.text != ""}))
}

// matchInfo says which match of a find shows.
func (d detailModel) matchInfo() string {
	switch {
	case d.find.text == "":
		return ""
	case len(d.find.matches) == 0:
		return "no match"
	}
	return fmt.Sprintf("match %d/%d", d.find.at+1, len(d.find.matches))
}

// scrollInfo says which part of the section shows, and the find.
func (d detailModel) scrollInfo() string {
	s := d.c.styles
	name := sections[d.section].name
	info := name
	if n := d.vp.TotalLineCount(); n > d.vp.Height {
		info = fmt.Sprintf("%s · lines %d–%d of %d", name, d.vp.YOffset+1, min(d.vp.YOffset+d.vp.Height, n), n)
	}
	if d.find.text != "" {
		info += " · " + fmt.Sprintf("%q ", oneLine(d.find.text)) + d.matchInfo()
	}
	return s.Subtle.Render(info)
}

func orDash(s string) string {
	if s == "" {
		return "undated"
	}
	return s
}
