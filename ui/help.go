package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// helpModel lists every binding of the screen it was opened from, grouped
// by purpose, in as many columns as the width allows.
type helpModel struct {
	c      *common
	keys   groupedKeyMap
	offset int
}

func (h *helpModel) show(km groupedKeyMap) {
	h.keys, h.offset = km, 0
}

func (h *helpModel) setSize() { h.offset = 0 }

func (h helpModel) bodyHeight() int { return h.c.bodyHeight(2) }

func (h helpModel) update(msg tea.Msg) (helpModel, tea.Cmd, request) {
	if msg, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(msg, h.c.keys.Help.Close):
			return h, nil, request{kind: reqBack}
		case key.Matches(msg, h.c.keys.List.Down):
			h.offset++
		case key.Matches(msg, h.c.keys.List.Up):
			h.offset = max(h.offset-1, 0)
		}
	}
	return h, nil, request{}
}

// helpBlocks renders each group as a block of lines headed by its name;
// bindings switched off are left out, and so are groups left empty.
func helpBlocks(gs []keyGroup, st Styles, keyW int) [][]string {
	var out [][]string
	for _, g := range gs {
		block := []string{st.Heading.Render(g.Name)}
		for _, b := range g.Bindings {
			if b.Enabled() {
				block = append(block, "  "+st.Status.Render(fit(b.Help().Key, keyW))+" "+b.Help().Desc)
			}
		}
		if len(block) > 1 {
			out = append(out, block)
		}
	}
	return out
}

// columns packs blocks into columns no taller than h (a block taller than
// h gets a column of its own), lays as many columns side by side as fit in
// w cells of colW each, and stacks the rest below.
func columns(blocks [][]string, h, colW, w int) []string {
	var cols [][]string
	for _, b := range blocks {
		if n := len(cols); n > 0 && len(cols[n-1])+1+len(b) <= h {
			cols[n-1] = append(append(cols[n-1], ""), b...)
			continue
		}
		cols = append(cols, append([]string(nil), b...))
	}
	perRow := max(w/colW, 1)
	var out []string
	for start := 0; start < len(cols); start += perRow {
		band := cols[start:min(start+perRow, len(cols))]
		rows := 0
		for _, c := range band {
			rows = max(rows, len(c))
		}
		if start > 0 {
			out = append(out, "")
		}
		for i := 0; i < rows; i++ {
			var b strings.Builder
			for j, c := range band {
				cell := ""
				if i < len(c) {
					cell = c[i]
				}
				if j < len(band)-1 {
					cell = fit(cell, colW)
				}
				b.WriteString(cell)
			}
			out = append(out, strings.TrimRight(b.String(), " "))
		}
	}
	return out
}

func (h helpModel) view() string {
	st := h.c.styles
	header := []string{st.App.Render("Help") + st.Subtle.Render(" — every key of this screen"), h.c.rule()}
	var body []string
	if h.keys != nil {
		keyW := 0
		descW := 0
		for _, g := range h.keys.Groups() {
			for _, b := range g.Bindings {
				keyW = max(keyW, width(b.Help().Key))
				descW = max(descW, width(b.Help().Desc))
			}
		}
		blocks := helpBlocks(h.keys.Groups(), st, keyW)
		body = columns(blocks, h.bodyHeight(), 2+keyW+1+descW+3, h.c.width)
	}
	off := max(min(h.offset, len(body)-h.bodyHeight()), 0)
	more := ""
	if len(body) > h.bodyHeight() {
		more = st.Subtle.Render(fmt.Sprintf("lines %d–%d of %d · j/k scroll", off+1, min(off+h.bodyHeight(), len(body)), len(body)))
	}
	body = body[off:]
	return h.c.frame(header, body, h.c.statusBar(more), h.c.helpLine(helpHelp{h.c.keys}))
}
