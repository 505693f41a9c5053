package ui

import (
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

	status     string
	statusKind statusKind
	statusTag  int
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

// helpLine renders the short help of km on one line of the screen width.
func (c *common) helpLine(km help.KeyMap) string {
	h := help.New()
	h.Width = c.width
	h.Styles.ShortKey = c.styles.Subtle.Bold(true)
	h.Styles.ShortDesc = c.styles.Subtle
	h.Styles.ShortSeparator = c.styles.Faint
	h.Styles.Ellipsis = c.styles.Faint
	return truncate(h.ShortHelpView(km.ShortHelp()), c.width)
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
		lines[i] = truncate(l, c.width)
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
