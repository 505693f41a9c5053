package ui

import (
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// statusTimeout is how long a transient message stays in the status line.
const statusTimeout = 4 * time.Second

// focus says which part of the list screen takes keys.
type focus int

const (
	focusList focus = iota
	focusQuery
	focusFacets
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusWarn
	statusError
)

// common is what every screen shares: one pointer, held by each sub-model.
type common struct {
	width, height int
	styles        Styles
	keys          KeyMap
	backend       Backend
	index         *search.Index
	// events is the grouping into events as last read or worked out
	// (nil until read, or when it could not be: eventsErr says why),
	// grouping what the rulings are laid over.
	events    *eventSet
	eventsErr string
	grouping  *grouping
	clipboard io.Writer // where OSC 52 copies go: the terminal
	clock     func() time.Time

	status     string
	statusKind statusKind
	statusTag  int
	lastBusy   time.Time // when the user last did something (see busy)
	idleWait   bool      // a wait for idleness is under way
}

// setStatus shows a transient message and returns the command that clears
// it; a later message replaces it and outlives its timer.
func (c *common) setStatus(kind statusKind, text string) tea.Cmd {
	c.statusTag++
	c.status, c.statusKind = text, kind
	tag := c.statusTag
	return tea.Tick(statusTimeout, func(time.Time) tea.Msg { return statusExpiredMsg{tag: tag} })
}

func (c *common) clearStatus(tag int) {
	if tag == c.statusTag {
		c.status = ""
	}
}

// statusText renders the transient message by its kind.
func (c *common) statusText() string {
	if c.status == "" {
		return ""
	}
	switch c.statusKind {
	case statusWarn:
		return c.styles.Warn.Render(c.status)
	case statusError:
		return c.styles.Error.Render(c.status)
	}
	return c.styles.Info.Render(c.status)
}

// incident looks an incident up in the index.
func (c *common) incident(id string) (incident.Incident, bool) {
	if c.index == nil {
		return incident.Incident{}, false
	}
	return c.index.Get(id)
}

// summary looks up what a list shows of an incident, without its texts.
func (c *common) summary(id string) (search.Summary, bool) {
	if c.index == nil {
		return search.Summary{}, false
	}
	return c.index.Summary(id)
}

// titleOf names an incident in a sentence: its title, quoted and
// shortened, or its id when it has none here (an id can come from a
// ruling in a merged triage file: it is untrusted text too).
func (c *common) titleOf(id string) string {
	in, ok := c.summary(id)
	if !ok || oneLine(in.Title) == "" {
		return truncate(oneLine(id), 40)
	}
	return "«" + truncate(oneLine(in.Title), 40) + "»"
}

// helpLine renders the short help of km on one line of the screen width.
// The last two bindings (help and quit, or what leaves the screen) always
// stay; the others are dropped from the end until the line fits.
func (c *common) helpLine(km help.KeyMap) string {
	var items []string
	for _, b := range km.ShortHelp() {
		if b.Enabled() && b.Help().Key != "" {
			items = append(items, c.styles.Subtle.Bold(true).Render(b.Help().Key)+" "+c.styles.Subtle.Render(b.Help().Desc))
		}
	}
	return fitItems(items, 2, c.width, c.styles.Faint.Render(" • "), c.styles.Faint.Render("…"))
}

// fitItems joins items with sep in at most w cells, dropping items from
// the end of all but the last keep until they fit, and marking the drop.
func fitItems(items []string, keep, w int, sep, more string) string {
	keep = min(keep, len(items))
	head, tail := items[:len(items)-keep], items[len(items)-keep:]
	for n := len(head); n >= 0; n-- {
		parts := append(append([]string(nil), head[:n]...), tail...)
		if n < len(head) {
			parts = append(append(append([]string(nil), head[:n]...), more), tail...)
		}
		line := strings.Join(parts, sep)
		if width(line) <= w {
			return line
		}
	}
	return truncate(strings.Join(tail, sep), w)
}

// frame lays a screen out: header lines, a body cut or padded to fill the
// height, then the status and help lines. Every line is cut to the width so
// nothing wraps and garbles the screen.
func (c *common) frame(header []string, body []string, status, helpLine string) string {
	bodyH := c.bodyHeight(len(header))
	lines := make([]string, 0, c.height)
	lines = append(lines, header...)
	for i := 0; i < bodyH; i++ {
		if i < len(body) {
			lines = append(lines, body[i])
		} else {
			lines = append(lines, "")
		}
	}
	lines = append(lines, status, helpLine)
	for i, l := range lines {
		lines[i] = strings.TrimRight(truncate(l, c.width), " ")
	}
	if len(lines) > c.height && c.height > 0 {
		lines = lines[:c.height]
	}
	return strings.Join(lines, "\n")
}

// bodyHeight is the number of body lines under headerLines of header, with
// a status and a help line below.
func (c *common) bodyHeight(headerLines int) int {
	h := c.height - headerLines - 2
	if h < 1 {
		h = 1
	}
	return h
}

// rule draws a horizontal line across the width.
func (c *common) rule() string {
	return c.styles.Faint.Render(strings.Repeat("─", max(c.width, 0)))
}

// statusBar joins a left part and the transient message, right aligned;
// a message too long for the room left takes the whole line until it
// expires, since it is what the user has to read now.
func (c *common) statusBar(left string) string {
	msg := c.statusText()
	if msg == "" {
		return left
	}
	room := c.width - width(left) - 2
	if left == "" || width(msg) > room {
		return truncate(msg, c.width)
	}
	return left + strings.Repeat(" ", c.width-width(left)-width(msg)) + msg
}

// readOnlyNotice says that triage cannot be saved.
const readOnlyNotice = "read-only database: triage changes are not saved"

func joinLines(ls []string) string { return strings.Join(ls, "\n") }

// replaceLastLines puts the lines of bottom over the last lines of screen,
// which is height lines tall.
func replaceLastLines(screen, bottom string, height int) string {
	lines := strings.Split(screen, "\n")
	for len(lines) < height {
		lines = append(lines, "")
	}
	b := strings.Split(bottom, "\n")
	if len(b) > len(lines) {
		b = b[len(b)-len(lines):]
	}
	copy(lines[len(lines)-len(b):], b)
	return strings.Join(lines, "\n")
}
