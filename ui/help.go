package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// helpModel lists every binding of the screen it was opened from, grouped
// by purpose, in as many columns as the width allows.
type helpModel struct {
	c    *common
	keys groupedKeyMap
	vp   viewport.Model
}

func newHelpModel(c *common) helpModel { return helpModel{c: c, vp: newViewport()} }

func (h *helpModel) show(km groupedKeyMap) {
	h.keys = km
	h.setSize()
	h.vp.GotoTop()
}

func (h *helpModel) setSize() {
	h.vp.Width, h.vp.Height = h.c.width, h.bodyHeight()
	h.vp.SetContent(joinLines(h.lines()))
}

func (h helpModel) bodyHeight() int { return h.c.bodyHeight(2) }

func (h helpModel) update(msg tea.Msg) (helpModel, tea.Cmd, request) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, h.c.keys.Help.Close) {
			return h, nil, request{kind: reqBack}
		}
		scrollKey(&h.vp, msg, h.c.keys.Nav, key.Binding{}, key.Binding{})
	case tea.MouseMsg:
		h.vp, _ = h.vp.Update(msg)
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

// lines lays out the groups for the width.
func (h helpModel) lines() []string {
	if h.keys == nil {
		return nil
	}
	keyW, descW := 0, 0
	for _, g := range h.keys.Groups() {
		for _, b := range g.Bindings {
			keyW = max(keyW, width(b.Help().Key))
			descW = max(descW, width(b.Help().Desc))
		}
	}
	blocks := helpBlocks(h.keys.Groups(), h.c.styles, keyW)
	return columns(blocks, h.bodyHeight(), 2+keyW+1+descW+3, h.c.width)
}

func (h helpModel) view() string {
	st := h.c.styles
	header := []string{st.App.Render("Help") + st.Subtle.Render(" — every key of this screen"), h.c.rule()}
	more := ""
	if n := h.vp.TotalLineCount(); n > h.vp.Height {
		more = st.Subtle.Render(fmt.Sprintf("lines %d–%d of %d", h.vp.YOffset+1, min(h.vp.YOffset+h.vp.Height, n), n))
	}
	return h.c.frame(header, strings.Split(h.vp.View(), "\n"), h.c.statusBar(more), h.c.helpLine(helpHelp{h.c.keys}))
}
