package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// wheelStep is how many rows one mouse wheel notch moves.
const wheelStep = 3

// rowCursor is the cursor and scroll offset of a list of rows: the
// incident list, the facets, the stats bars, a picker, the taxonomy. It
// alone moves, pages, jumps and scrolls with the wheel, so every list
// takes the same keys. Headings are never selected; the heading above the
// cursor is kept in view.
type rowCursor struct {
	cursor, offset int
	n, height      int
	headings       []bool // by row; nil: none
}

// set tells the cursor how many rows there are and how many show.
func (c *rowCursor) set(n, height int) {
	c.n, c.height = n, max(height, 1)
	c.clamp()
}

func (c rowCursor) skipped(i int) bool { return i >= 0 && i < len(c.headings) && c.headings[i] }

// to puts the cursor on row i, or the nearest selectable row in the
// direction dir (1 down, -1 up) when i is a heading.
func (c *rowCursor) to(i, dir int) {
	if c.n == 0 {
		c.cursor, c.offset = 0, 0
		return
	}
	i = max(min(i, c.n-1), 0)
	for j := i; j >= 0 && j < c.n; j += dir {
		if !c.skipped(j) {
			c.cursor = j
			c.clamp()
			return
		}
	}
	for j := i; j >= 0 && j < c.n; j -= dir {
		if !c.skipped(j) {
			c.cursor = j
			break
		}
	}
	c.clamp()
}

// move steps d selectable rows.
func (c *rowCursor) move(d int) {
	step := 1
	if d < 0 {
		step, d = -1, -d
	}
	for range d {
		next := c.cursor + step
		for next >= 0 && next < c.n && c.skipped(next) {
			next += step
		}
		if next < 0 || next >= c.n {
			break
		}
		c.cursor = next
	}
	c.clamp()
}

func (c *rowCursor) clamp() {
	if c.n == 0 {
		c.cursor, c.offset = 0, 0
		return
	}
	c.cursor = max(min(c.cursor, c.n-1), 0)
	if c.cursor < c.offset {
		c.offset = c.cursor
	}
	// keep the heading of the first row of a group in view
	if c.cursor > 0 && c.cursor-1 < c.offset && c.skipped(c.cursor-1) {
		c.offset = c.cursor - 1
	}
	if c.cursor >= c.offset+c.height {
		c.offset = c.cursor - c.height + 1
	}
	c.offset = max(min(c.offset, c.n-c.height), 0)
}

// key moves the cursor for a navigation key; it reports whether msg was
// one.
func (c *rowCursor) key(msg tea.KeyMsg, k NavKeys) bool {
	page := max(c.height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		c.move(-1)
	case key.Matches(msg, k.Down):
		c.move(1)
	case key.Matches(msg, k.PageUp):
		c.to(c.cursor-page, -1)
	case key.Matches(msg, k.PageDown):
		c.to(c.cursor+page, 1)
	case key.Matches(msg, k.Top):
		c.to(0, 1)
	case key.Matches(msg, k.Bottom):
		c.to(c.n-1, -1)
	default:
		return false
	}
	return true
}

// wheel moves the cursor for a mouse wheel notch; it reports whether msg
// was one.
func (c *rowCursor) wheel(msg tea.MouseMsg) bool {
	if msg.Action != tea.MouseActionPress {
		return false
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		c.move(-wheelStep)
	case tea.MouseButtonWheelDown:
		c.move(wheelStep)
	default:
		return false
	}
	return true
}

// visible returns the range of rows on screen.
func (c rowCursor) visible() (int, int) {
	return c.offset, min(c.offset+c.height, c.n)
}

// newViewport is a viewport driven by the explorer's own keymap (see
// scrollKey) and the mouse wheel.
func newViewport() viewport.Model {
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{}
	vp.MouseWheelEnabled = true
	vp.MouseWheelDelta = wheelStep
	return vp
}

// scrollKey scrolls vp for a navigation key, or half a page for half up
// and down; it reports whether msg was one.
func scrollKey(vp *viewport.Model, msg tea.KeyMsg, k NavKeys, halfDown, halfUp key.Binding) bool {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, halfUp):
		vp.HalfPageUp()
	case key.Matches(msg, halfDown):
		vp.HalfPageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}
