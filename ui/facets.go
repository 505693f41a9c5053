package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// facetState is how an option takes part in the query.
type facetState int

const (
	facetOff facetState = iota
	facetOn
	facetExcluded
)

// facetRow is a line of the facets panel: a category heading or an option.
type facetRow struct {
	cat, opt string
	count    int
	state    facetState
	heading  bool
}

// facetsModel is the facets panel: every category with its options and
// their counts for the current query. It edits the query, never a filter of
// its own, so the panel and the query line cannot disagree.
type facetsModel struct {
	c             *common
	rows          []facetRow
	years         map[string]int
	cur           rowCursor
	width, height int
}

func newFacetsModel(c *common) facetsModel { return facetsModel{c: c} }

func (f *facetsModel) setSize(w, h int) {
	f.width, f.height = w, h
	f.cur.set(len(f.rows), f.listHeight())
}

// listHeight is the number of rows the panel shows above the years.
func (f facetsModel) listHeight() int { return max(f.height-3, 1) }

// refresh rebuilds the rows from a result and the query it answers,
// keeping the cursor on the same option when it is still there.
func (f *facetsModel) refresh(res search.Result, query string) {
	var keep facetRow
	if f.cur.cursor < len(f.rows) {
		keep = f.rows[f.cur.cursor]
	}
	sel := selection(query)
	cats := map[string]bool{}
	for c := range res.Facets {
		cats[c] = true
	}
	for c := range sel {
		cats[c] = true
	}
	f.rows = f.rows[:0]
	for _, cat := range categoryOrder(cats) {
		if _, taxonomy := incident.CategoryByKey(cat); !taxonomy {
			for opt := range res.Facets[cat] {
				if sel[cat] == nil {
					sel[cat] = map[string]facetState{}
				}
				sel[cat][opt] = optionState(query, cat, opt)
			}
		}
		var opts []facetRow
		seen := map[string]bool{}
		for opt, n := range res.Facets[cat] {
			if n > 0 || sel[cat][opt] != facetOff {
				opts = append(opts, facetRow{cat: cat, opt: opt, count: n, state: sel[cat][opt]})
				seen[opt] = true
			}
		}
		for opt, st := range sel[cat] {
			if !seen[opt] {
				opts = append(opts, facetRow{cat: cat, opt: opt, state: st})
			}
		}
		if len(opts) == 0 {
			continue
		}
		sort.Slice(opts, func(i, j int) bool {
			return commonFirst(opts[i].count, opts[j].count, opts[i].opt, opts[j].opt)
		})
		f.rows = append(f.rows, facetRow{cat: cat, heading: true})
		f.rows = append(f.rows, opts...)
	}
	f.years = res.Years
	f.cur.headings = make([]bool, len(f.rows))
	for i, r := range f.rows {
		f.cur.headings[i] = r.heading
	}
	f.cur.set(len(f.rows), f.listHeight())
	for i, r := range f.rows {
		if !r.heading && r.cat == keep.cat && r.opt == keep.opt {
			f.cur.to(i, 1)
			return
		}
	}
	f.cur.to(0, 1)
}

// selection reads which options the query selects or excludes.
func selection(query string) map[string]map[string]facetState {
	out := map[string]map[string]facetState{}
	add := func(m map[string][]string, st facetState) {
		for cat, opts := range m {
			if out[cat] == nil {
				out[cat] = map[string]facetState{}
			}
			for _, o := range opts {
				out[cat][o] = st
			}
		}
	}
	add(search.Selected(query), facetOn)
	add(search.Excluded(query), facetExcluded)
	return out
}

// optionState tells whether the query selects or excludes an option of a
// category search.Selected does not cover (triage, is, tag), from what the
// query editing functions would do with it: toggling an option the query
// holds removes it; excluding it removes it only if it is excluded.
func optionState(query, cat, opt string) facetState {
	if len(search.ToggleOption(query, cat, opt)) >= len(query) {
		return facetOff
	}
	if len(search.ExcludeOption(query, cat, opt)) < len(query) {
		return facetExcluded
	}
	return facetOn
}

// commonFirst orders options the way the facets panel and the stats screen
// list them: the most frequent first, then by name.
func commonFirst(countA, countB int, nameA, nameB string) bool {
	if countA != countB {
		return countA > countB
	}
	return nameA < nameB
}

// categoryOrder lists the keys of m: taxonomy categories in page order,
// then triage status, starred, tags and corrections, then any other
// sorted.
func categoryOrder[V any](m map[string]V) []string {
	var out []string
	for _, c := range incident.Categories {
		if _, ok := m[c.Key]; ok {
			out = append(out, c.Key)
		}
	}
	var rest []string
	for k := range m {
		if _, ok := incident.CategoryByKey(k); !ok && !isTriageFacet(k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range triageFacets {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return append(out, rest...)
}

// triageFacets are the triage pseudo-categories search counts, in the
// order the panel lists them.
var triageFacets = []string{search.FacetTriage, search.FacetStarred, search.FacetTag, search.FacetReviewed}

func isTriageFacet(k string) bool { return slices.Contains(triageFacets, k) }

// categoryName is the short display name of a category: "Phase" for
// "Phase (Design/Operation)".
func categoryName(cat string) string {
	spec, ok := incident.CategoryByKey(cat)
	if !ok {
		switch cat {
		case search.FacetTriage:
			return "Triage status"
		case search.FacetStarred:
			return "Starred"
		case search.FacetTag:
			return "Tags"
		case search.FacetReviewed:
			return "Taxonomy corrected"
		case search.FacetLabel:
			return "Labels"
		}
		// a key search counts that this list does not know yet: named as
		// the query language spells it, capitalised
		name := oneLine(cat)
		if name == "" {
			return ""
		}
		r, size := utf8.DecodeRuneInString(name)
		return string(unicode.ToUpper(r)) + name[size:]
	}
	name, _, _ := strings.Cut(spec.Label, " (")
	return name
}

// home puts the cursor on the first option.
func (f *facetsModel) home() {
	f.cur.offset = 0
	f.cur.to(0, 1)
}

// jump moves the cursor to the first option of the next (1) or previous
// (-1) category.
func (f *facetsModel) jump(d int) {
	if len(f.rows) == 0 {
		return
	}
	cur := f.rows[f.cur.cursor].cat
	if d < 0 {
		// to the heading of this category, then on to the one before
		i := f.cur.cursor
		for i > 0 && f.rows[i].cat == cur {
			i--
		}
		prev := f.rows[i].cat
		for i > 0 && f.rows[i-1].cat == prev {
			i--
		}
		f.cur.to(i, 1)
		return
	}
	for i := f.cur.cursor; i < len(f.rows); i++ {
		if f.rows[i].heading && f.rows[i].cat != cur {
			f.cur.to(i, 1)
			return
		}
	}
}

// key handles a key of the panel; it returns the edited query and whether
// it changed.
func (f *facetsModel) key(msg tea.KeyMsg, query string) (string, bool) {
	k := f.c.keys.Facets
	if f.cur.key(msg, f.c.keys.Nav) {
		return query, false
	}
	cursor := f.cur.cursor
	switch {
	case key.Matches(msg, k.NextCategory):
		f.jump(1)
	case key.Matches(msg, k.PrevCategory):
		f.jump(-1)
	case cursor >= len(f.rows) || f.rows[cursor].heading:
		return query, false
	case key.Matches(msg, k.ToggleFacet):
		r := f.rows[cursor]
		if r.state == facetExcluded {
			query = search.ExcludeOption(query, r.cat, r.opt)
		} else {
			query = search.ToggleOption(query, r.cat, r.opt)
		}
		return query, true
	case key.Matches(msg, k.ExcludeFacet):
		r := f.rows[cursor]
		return search.ExcludeOption(query, r.cat, r.opt), true
	case key.Matches(msg, k.ClearCategory):
		return search.ClearCategory(query, f.rows[cursor].cat), true
	}
	return query, false
}

// view draws the panel as lines of exactly its width.
func (f facetsModel) view(focused bool) []string {
	s := f.c.styles
	w := f.width
	var out []string
	if len(f.rows) == 0 {
		out = append(out, fit(s.Faint.Render(" no facets for this query"), w))
	}
	from, to := f.cur.visible()
	for i := from; i < to; i++ {
		out = append(out, f.row(f.rows[i], i == f.cur.cursor, focused, w))
	}
	for len(out) < f.listHeight() {
		out = append(out, strings.Repeat(" ", w))
	}
	out = append(out, fit("", w))
	labels, counts := yearSeries(f.years)
	if len(labels) == 0 {
		out = append(out, fit(s.Heading.Render(" Years")+s.Faint.Render(" none dated"), w), fit("", w))
		return out
	}
	spark := sparkline(bucket(counts, w-2))
	out = append(out,
		fit(s.Heading.Render(" Years ")+s.Subtle.Render(labels[0]+"–"+labels[len(labels)-1]), w),
		fit(" "+s.Bar.Render(spark), w))
	return out
}

func (f facetsModel) row(r facetRow, selected, focused bool, w int) string {
	s := f.c.styles
	if r.heading {
		return fit(" "+s.Heading.Render(categoryName(r.cat)), w)
	}
	box := "[ ]"
	switch r.state {
	case facetOn:
		box = "[x]"
	case facetExcluded:
		box = "[-]"
	}
	cursor := "  "
	switch {
	case selected && focused:
		cursor = s.Cursor.Render("▌ ")
	case selected:
		cursor = s.Subtle.Render("› ")
	}
	hl := selected && focused
	count := fmt.Sprint(r.count)
	name := fit(box+" "+oneLine(r.opt), w-2-len(count)-1)
	return cursor + s.paint(s.Title, hl)(name+" ") + s.paint(s.Subtle, hl)(count)
}
