package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// relatedCount is how many related incidents the detail view lists.
const relatedCount = 8

// sections of the detail view, in tab order.
var sections = []string{"Overview", "Causes", "Impacts", "Preventions", "Fixes", "Taxonomy", "References", "Related", "Triage"}

const (
	secOverview = iota
	secCauses
	secImpacts
	secPreventions
	secFixes
	secTaxonomy
	secReferences
	secRelated
	secTriage
)

// detailModel shows one incident in sections, scrollable, and steps to the
// next or previous incident of the list without going back.
type detailModel struct {
	c       *common
	id      string
	in      incident.Incident
	partial bool     // in holds only what the index knows: its texts could not be read
	order   []string // the list's incidents, for next and previous
	terms   []string // query words to mark
	related []search.Related
	relSel  int // the related incident enter opens
	section int
	offset  int
	lines   []string // the current section, rendered for the width
}

// open shows incident id; order is the list it was opened from.
func (d *detailModel) open(id string, order, terms []string) {
	d.order, d.terms = order, terms
	d.section = secOverview
	d.show(id)
}

// show switches to incident id keeping the section.
func (d *detailModel) show(id string) {
	d.id = id
	d.readIncident()
	d.related, d.relSel = nil, 0
	if d.c.index != nil {
		d.related = d.c.index.Related(id, relatedCount)
	}
	d.offset = 0
	d.render()
}

// setOrder replaces the list next and previous step through, after the
// list changed under the open incident.
func (d *detailModel) setOrder(order []string) { d.order = order }

// reload re-reads the open incident, after its triage changed.
func (d *detailModel) reload() {
	if d.id == "" {
		return
	}
	d.readIncident()
	d.render()
}

// readIncident reads the open incident; its texts come from the database,
// which another faultline may be holding for an import.
func (d *detailModel) readIncident() {
	var ok bool
	d.in, ok = d.c.incident(d.id)
	d.partial = !ok && d.in.ID != ""
}

func (d *detailModel) setSize() {
	if d.id != "" {
		d.render()
	}
}

// header is the title, a line of facts and the section tabs.
const detailHeaderLines = 3

func (d detailModel) bodyHeight() int { return d.c.bodyHeight(detailHeaderLines) }

func (d *detailModel) scroll(by int) {
	d.offset = max(min(d.offset+by, len(d.lines)-d.bodyHeight()), 0)
}

func (d *detailModel) setSection(i int) {
	n := len(sections)
	d.section = ((i % n) + n) % n
	d.offset = 0
	d.render()
}

func (d detailModel) position() int {
	for i, id := range d.order {
		if id == d.id {
			return i
		}
	}
	return -1
}

func (d detailModel) update(msg tea.Msg) (detailModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				d.scroll(-wheelStep)
			case tea.MouseButtonWheelDown:
				d.scroll(wheelStep)
			}
		}
	case tea.KeyMsg:
		return d.key(msg)
	}
	return d, nil, request{}
}

func (d detailModel) key(msg tea.KeyMsg) (detailModel, tea.Cmd, request) {
	k := d.c.keys.Detail
	half := max(d.bodyHeight()/2, 1)
	if d.section == secRelated && len(d.related) > 0 {
		switch {
		case key.Matches(msg, k.Down):
			d.relSel = min(d.relSel+1, len(d.related)-1)
			d.render()
			return d, nil, request{}
		case key.Matches(msg, k.Up):
			d.relSel = max(d.relSel-1, 0)
			d.render()
			return d, nil, request{}
		case key.Matches(msg, k.OpenRelated):
			d.show(d.related[d.relSel].ID)
			d.setSection(secOverview)
			return d, nil, request{}
		}
	}
	switch {
	case key.Matches(msg, k.Back):
		return d, nil, request{kind: reqBack}
	case key.Matches(msg, k.NextSection):
		d.setSection(d.section + 1)
	case key.Matches(msg, k.PrevSection):
		d.setSection(d.section - 1)
	case key.Matches(msg, k.GotoSection):
		if n := int(msg.String()[0] - '1'); n >= 0 && n < len(sections) {
			d.setSection(n)
		}
	case key.Matches(msg, k.Down):
		d.scroll(1)
	case key.Matches(msg, k.Up):
		d.scroll(-1)
	case key.Matches(msg, k.HalfDown):
		d.scroll(half)
	case key.Matches(msg, k.HalfUp):
		d.scroll(-half)
	case key.Matches(msg, k.Top):
		d.offset = 0
	case key.Matches(msg, k.Bottom):
		d.scroll(len(d.lines))
	case key.Matches(msg, k.NextIncident):
		return d.step(1)
	case key.Matches(msg, k.PrevIncident):
		return d.step(-1)
	}
	return d, nil, request{}
}

// step moves to the next (1) or previous (-1) incident of the list.
func (d detailModel) step(by int) (detailModel, tea.Cmd, request) {
	i := d.position() + by
	if d.position() < 0 || i < 0 || i >= len(d.order) {
		word := "last"
		if by < 0 {
			word = "first"
		}
		return d, d.c.setStatus(statusInfo, "this is the "+word+" incident of the list"), request{}
	}
	d.show(d.order[i])
	return d, nil, request{}
}

// textWidth is the width body text wraps at: the screen, but not wider
// than reads well.
func (d detailModel) textWidth() int { return min(max(d.c.width-2, 20), 100) }

// render lays out the current section for the current width.
func (d *detailModel) render() {
	w := d.textWidth()
	var out []string
	switch d.section {
	case secOverview:
		out = d.overview(w)
	case secCauses:
		out = append(d.field("Software causes", d.in.Postmortem.SoftwareCauses, w), "")
		out = append(out, d.field("Non-software causes", d.in.Postmortem.NonSoftwareCauses, w)...)
	case secImpacts:
		out = d.field("Impacts", d.in.Postmortem.Impacts, w)
	case secPreventions:
		out = d.field("Preventions", d.in.Postmortem.Preventions, w)
	case secFixes:
		out = d.field("Fixes", d.in.Postmortem.Fixes, w)
	case secTaxonomy:
		out = d.taxonomy(w)
	case secReferences:
		out = d.references(w)
	case secRelated:
		out = d.relatedLines(w)
	case secTriage:
		out = d.triage(w)
	}
	if d.partial {
		warn := d.c.styles.Warn.Render(truncate("Text unavailable: the database is busy (an import?). Open again to retry.", w))
		out = append([]string{warn, ""}, out...)
	}
	d.lines = out
	d.scroll(0)
}

// field renders a labelled postmortem field as a list of its numbered
// items, with query words marked.
func (d detailModel) field(label, raw string, w int) []string {
	out := []string{d.c.styles.Heading.Render(label)}
	items := itemList(raw, w)
	if len(items) == 0 {
		return append(out, d.c.styles.Faint.Render("  —"))
	}
	for _, l := range items {
		out = append(out, markTerms(l, d.terms, d.c.styles.mark))
	}
	return out
}

func (d detailModel) prose(label, raw string, w int) []string {
	out := []string{d.c.styles.Heading.Render(label)}
	lines := paragraph(raw, w, "  ")
	if len(lines) == 0 {
		return append(out, d.c.styles.Faint.Render("  —"))
	}
	for _, l := range lines {
		out = append(out, markTerms(l, d.terms, d.c.styles.mark))
	}
	return out
}

func (d detailModel) overview(w int) []string {
	pm := d.in.Postmortem
	var out []string
	for i, part := range [][]string{
		d.prose("Summary", d.in.Summary, w),
		d.field("Timeline", pm.Timeline, w),
		d.field("System", pm.System, w),
		d.field("Responsible organisation", pm.ResponsibleOrg, w),
		d.field("Impacted organisation", pm.ImpactedOrg, w),
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
func (d detailModel) source(w int) []string {
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

func (d detailModel) taxonomy(w int) []string {
	s := d.c.styles
	var out []string
	for _, spec := range incident.Categories {
		cat, ok := d.in.Taxonomy[spec.Key]
		if !ok || (len(cat.Options) == 0 && cat.Rationale == "" && spec.Block == incident.BlockData) {
			continue
		}
		opts := oneLine(strings.Join(cat.Options, ", "))
		if opts == "" {
			opts = s.Faint.Render("—")
		} else {
			opts = s.Match.Render(opts)
		}
		out = append(out, fit(s.Heading.Render(categoryName(spec.Key)), 16)+" "+opts)
		for _, l := range paragraph(cat.Rationale, w, "    ") {
			out = append(out, markTerms(l, d.terms, s.mark))
		}
	}
	return out
}

func (d detailModel) references(w int) []string {
	s := d.c.styles
	out := d.field("References", d.in.Postmortem.References, w)
	out = append(out, "", s.Heading.Render("Cited articles"))
	switch {
	case len(d.in.Articles) == 0:
		out = append(out, s.Faint.Render("  none cited"))
	default:
		out = append(out, d.citedLines(w)...)
	}
	out = append(out, "", s.Heading.Render("Sources"))
	for _, src := range d.in.Sources {
		out = append(out, paragraph(sourceLine(src), w, "  ")...)
	}
	if len(d.in.Sources) == 0 {
		out = append(out, s.Faint.Render("  imported before sources were recorded"))
	}
	out = append(out, "", s.Heading.Render("Identifiers"), "  id "+oneLine(d.in.ID))
	if d.in.SourceID != "" {
		out = append(out, "  FAIL id "+oneLine(d.in.SourceID))
	}
	return out
}

// citedLines lists the cited articles: headline, source, date and URL of
// those stored, the bare id of the others.
func (d detailModel) citedLines(w int) []string {
	s := d.c.styles
	stored := map[int64]incident.CitedArticle{}
	for _, a := range d.in.Cited {
		stored[a.ID] = a
	}
	var out, missing []string
	for _, id := range d.in.Articles {
		a, ok := stored[id]
		if !ok {
			missing = append(missing, fmt.Sprint(id))
			continue
		}
		head := fmt.Sprintf("  [%d] ", id)
		out = append(out, paragraph(orDash(oneLine(a.Headline)), w, head)...)
		meta := strings.Join(nonEmpty(oneLine(a.Source), oneLine(a.Published)), " · ")
		if meta != "" {
			out = append(out, s.Subtle.Render("      "+truncate(meta, w-6)))
		}
		if a.URL != "" {
			out = append(out, s.Subtle.Render("      "+truncate(oneLine(a.URL), w-6)))
		}
	}
	if len(missing) > 0 {
		out = append(out, s.Faint.Render("  not imported: "+strings.Join(missing, ", ")))
	}
	return out
}

// sourceLine says where a record came from and when.
func sourceLine(src incident.Source) string {
	parts := []string{oneLine(src.Form)}
	if src.File != "" {
		parts = append(parts, oneLine(src.File))
	}
	if src.SourceID != "" {
		parts = append(parts, "id "+oneLine(src.SourceID))
	}
	if !src.First.IsZero() {
		parts = append(parts, "first "+src.First.Format("2006-01-02"))
	}
	if !src.Last.IsZero() && !src.Last.Equal(src.First) {
		parts = append(parts, "last "+src.Last.Format("2006-01-02"))
	}
	return strings.Join(parts, " · ")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d detailModel) relatedLines(w int) []string {
	s := d.c.styles
	k := d.c.keys.Detail
	hint := fmt.Sprintf(" — %s %s choose, %s opens", k.Down.Help().Key, k.Up.Help().Key, k.OpenRelated.Help().Key)
	out := []string{s.Heading.Render("Related incidents") + s.Subtle.Render(hint)}
	if len(d.related) == 0 {
		return append(out, s.Faint.Render("  none found"))
	}
	for i, r := range d.related {
		in, ok := d.c.summary(r.ID)
		if !ok {
			continue
		}
		head := fmt.Sprintf("  %d. ", i+1)
		cursor := "  "
		if i == d.relSel {
			cursor = s.Cursor.Render("▌ ")
		}
		title := truncate(oneLine(in.Title), w-width(head)-13)
		out = append(out, cursor+strings.TrimPrefix(head, "  ")+s.paint(s.Title, i == d.relSel)(title)+"  "+s.Subtle.Render(oneLine(in.Published)))
		if r.Reason != "" {
			for _, l := range paragraph(r.Reason, w, strings.Repeat(" ", width(head))) {
				out = append(out, s.Subtle.Render(l))
			}
		}
	}
	return out
}

func (d detailModel) triage(w int) []string {
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
		"",
		s.Heading.Render("Notes"),
	}
	notes := t.LiveNotes()
	if len(notes) == 0 {
		out = append(out, s.Faint.Render("  no note yet"))
	}
	for i, n := range notes {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, "  "+s.Label.Render(oneLine(incident.Stamp{By: n.By, At: n.At}.Describe())))
		out = append(out, paragraph(n.Text, w, "  ")...)
	}
	k := d.c.keys.Triage
	var hints []string
	for _, b := range []key.Binding{k.CycleStatus, k.Star, k.EditNote, k.EditTags} {
		hints = append(hints, b.Help().Key+" "+b.Help().Desc)
	}
	out = append(out, "", s.Subtle.Render("  "+strings.Join(hints, " · ")))
	if d.c.backend.ReadOnly() {
		out = append(out, s.Warn.Render("  read-only: changes are not saved"))
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
	if dom := oneLine(strings.Join(d.in.Taxonomy["domain"].Options, ", ")); dom != "" {
		facts = append(facts, dom)
	}
	if st := statusMark(d.in.Triage.State()); st != "" {
		facts = append(facts, st)
	}
	if tags := d.in.Triage.TagList(); len(tags) > 0 {
		facts = append(facts, "#"+oneLine(strings.Join(tags, " #")))
	}
	pos := ""
	if p := d.position(); p >= 0 {
		pos = fmt.Sprintf("%d/%d", p+1, len(d.order))
	}
	factLine := s.Subtle.Render(strings.Join(facts, " · "))
	if gap := d.c.width - width(factLine) - width(pos); gap >= 2 && pos != "" {
		factLine += strings.Repeat(" ", gap) + s.Subtle.Render(pos)
	}
	header := []string{
		star + s.App.Render(truncate(title, d.c.width-width(star))),
		factLine,
		sectionTabs(sections, d.section, d.c.width, with(s.ActiveTab), with(s.Tab)),
	}
	h := d.bodyHeight()
	end := min(d.offset+h, len(d.lines))
	body := make([]string, 0, h)
	for _, l := range d.lines[d.offset:end] {
		body = append(body, " "+l)
	}
	return d.c.frame(header, body, d.c.statusBar(d.scrollInfo()), d.c.helpLine(detailHelp{d.c.keys}))
}

// scrollInfo says which part of the section shows.
func (d detailModel) scrollInfo() string {
	s := d.c.styles
	h := d.bodyHeight()
	if len(d.lines) <= h {
		return s.Subtle.Render(sections[d.section])
	}
	last := min(d.offset+h, len(d.lines))
	return s.Subtle.Render(fmt.Sprintf("%s · lines %d–%d of %d", sections[d.section], d.offset+1, last, len(d.lines)))
}

func orDash(s string) string {
	if s == "" {
		return "undated"
	}
	return s
}
