package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pickerKind says what a picker chooses.
type pickerKind int

const (
	pickStatus   pickerKind = iota // one status, for one incident or many
	pickTaxonomy                   // the options of a category, several at once
	pickView                       // a saved view
	pickJoin                       // the incident whose event to join
	pickCross                      // the columns' category of a cross-tab
)

// pickItem is one choice of a picker.
type pickItem struct {
	value string
	label string
	desc  string
	on    bool // ticked, in a picker of several
}

// pickerModel is a list of choices drawn over the foot of the screen it
// was opened from: the statuses, a category's options, the saved views.
type pickerModel struct {
	c     *common
	kind  pickerKind
	title string
	items []pickItem
	cur   rowCursor
	ids   []string // the incidents it acts on
	cat   string   // the category of a taxonomy picker
}

// start opens the picker; the cursor starts on the first ticked item.
func (p *pickerModel) start(kind pickerKind, title string, items []pickItem, ids []string, cat string) {
	p.kind, p.title, p.items, p.ids, p.cat = kind, title, items, ids, cat
	p.cur = rowCursor{}
	p.setSize()
	for i, it := range items {
		if it.on {
			p.cur.to(i, 1)
			break
		}
	}
}

func (p *pickerModel) setSize() { p.cur.set(len(p.items), p.height()) }

// height is the number of choices that show at once.
func (p pickerModel) height() int { return max(min(len(p.items), p.c.height-6), 1) }

func (p pickerModel) update(msg tea.Msg) (pickerModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		p.cur.wheel(msg)
	case tea.KeyMsg:
		k := p.c.keys.Picker
		if p.cur.key(msg, p.c.keys.Nav) {
			return p, nil, request{}
		}
		switch {
		case key.Matches(msg, k.Cancel):
			return p, nil, request{kind: reqBack}
		case len(p.items) == 0:
		case key.Matches(msg, k.Toggle) && p.kind == pickTaxonomy:
			p.items[p.cur.cursor].on = !p.items[p.cur.cursor].on
		case key.Matches(msg, k.Accept):
			return p, nil, p.chosen()
		case key.Matches(msg, k.Withdraw) && p.kind == pickTaxonomy:
			return p, nil, request{kind: reqSetTaxonomy, ids: p.ids, cat: p.cat, withdraw: true}
		case key.Matches(msg, k.Delete) && p.kind == pickView:
			name := p.items[p.cur.cursor].value
			p.items = append(p.items[:p.cur.cursor:p.cur.cursor], p.items[p.cur.cursor+1:]...)
			p.setSize()
			return p, nil, request{kind: reqDeleteView, text: name}
		}
	}
	return p, nil, request{}
}

// chosen is the request of the choice made.
func (p pickerModel) chosen() request {
	it := p.items[p.cur.cursor]
	switch p.kind {
	case pickTaxonomy:
		opts := []string{}
		for _, it := range p.items {
			if it.on {
				opts = append(opts, it.value)
			}
		}
		return request{kind: reqSetTaxonomy, ids: p.ids, cat: p.cat, opts: opts}
	case pickView:
		return request{kind: reqApplyView, text: it.value}
	case pickJoin:
		return request{kind: reqSetRuling, ids: p.ids, text: it.value}
	case pickCross:
		return request{kind: reqCrossTab, cat: p.cat, cat2: it.value}
	}
	return request{kind: reqSetStatus, ids: p.ids, text: it.value}
}

// view is the picker's lines, for the foot of the screen.
func (p pickerModel) view() string {
	s := p.c.styles
	w := p.c.width
	out := []string{s.Faint.Render(strings.Repeat("─", w)), s.Heading.Render(truncate(p.title, w))}
	if len(p.items) == 0 {
		out = append(out, s.Faint.Render("  none"))
	}
	labelW := 0
	for _, it := range p.items {
		labelW = max(labelW, width(it.label))
	}
	labelW = min(labelW, w/2)
	from, to := p.cur.visible()
	for i := from; i < to; i++ {
		it := p.items[i]
		sel := i == p.cur.cursor
		cursor := "  "
		if sel {
			cursor = s.Cursor.Render("▌ ")
		}
		box := ""
		if p.kind == pickTaxonomy {
			box = "[ ] "
			if it.on {
				box = "[x] "
			}
		}
		line := cursor + s.paint(s.Title, sel)(box+fit(oneLine(it.label), labelW))
		if it.desc != "" {
			line += "  " + s.Subtle.Render(oneLine(it.desc))
		}
		out = append(out, truncate(line, w))
	}
	if n := len(p.items); n > to-from {
		out = append(out, s.Faint.Render(fmt.Sprintf("  %d–%d of %d", from+1, to, n)))
	}
	return joinLines(append(out, p.c.helpLine(pickerHelp{k: p.c.keys, kind: p.kind})))
}

// confirmModel asks a yes-or-no question before a change of many
// incidents, or before quitting with a note not saved.
type confirmModel struct {
	c        *common
	question string
	yes      request // what yes does
}

func (q confirmModel) update(msg tea.Msg) (confirmModel, tea.Cmd, request) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, q.c.keys.Confirm.Yes):
			return q, nil, q.yes
		case key.Matches(k, q.c.keys.Confirm.No):
			return q, q.c.setStatus(statusInfo, "nothing changed"), request{kind: reqBack}
		}
	}
	return q, nil, request{}
}

func (q confirmModel) view() string {
	s := q.c.styles
	return joinLines([]string{
		s.Faint.Render(strings.Repeat("─", q.c.width)),
		s.Warn.Render(truncate(q.question, q.c.width)),
		q.c.helpLine(confirmHelp{q.c.keys}),
	})
}
