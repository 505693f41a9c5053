package ui

import (
	"fmt"
	"io"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
)

// copyCmd puts text on the terminal's clipboard with an OSC 52 sequence:
// it works over SSH, and in tmux with set-clipboard on, where no local
// clipboard program could. copy gives the text, and what to call it.
func copyCmd(w io.Writer, copy func() (text, what string)) tea.Cmd {
	return func() tea.Msg {
		text, what := copy()
		if text == "" {
			return copiedMsg{err: fmt.Errorf("nothing to copy")}
		}
		_, err := osc52.New(text).WriteTo(w)
		return copiedMsg{what: what, err: err}
	}
}

// displayID is how an incident is named for a colleague: its FAIL id when
// it has one, which every machine shares, else its record id.
func displayID(in incident.Incident) string {
	if k := in.SourceKey(); k != "" {
		return oneLine(k)
	}
	return oneLine(in.ID)
}

// markdownRef is a Markdown reference to an incident: its title (a link
// to its source when it has one), date and id, safe to paste anywhere.
func markdownRef(in incident.Incident) string {
	title := oneLine(in.Title)
	if title == "" {
		title = "(untitled)"
	}
	ref := "**" + title + "**"
	if in.URL != "" {
		ref = fmt.Sprintf("[%s](%s)", title, oneLine(in.URL))
	}
	return fmt.Sprintf("%s (%s, faultline %s)", ref, orDash(oneLine(in.Published)), displayID(in))
}
