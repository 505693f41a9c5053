package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/sanitize"
)

// noteModel edits the triage note of one incident; ctrl+s and esc both
// save and close.
type noteModel struct {
	c        *common
	id       string
	title    string
	original string // the note as stored
	shown    string // the note as first shown, neutralised
	area     textarea.Model
}

func newNoteModel(c *common) noteModel {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Placeholder = "What matters about this incident for your review?"
	a.CharLimit = 0
	a.MaxHeight = 0
	a.Prompt = "│ "
	return noteModel{c: c, area: a}
}

// start opens the editor on the note of incident id. The stored note is
// shown neutralised: it may come from an imported file.
func (n *noteModel) start(id, title, note string) tea.Cmd {
	n.id, n.title, n.original = id, title, note
	n.shown = sanitize.Text(note)
	n.area.SetValue(n.shown)
	n.setSize()
	return n.area.Focus()
}

// value is the note to save: the stored one unless the user changed it.
func (n noteModel) value() string {
	if n.area.Value() == n.shown {
		return n.original
	}
	return n.area.Value()
}

func (n *noteModel) setSize() {
	n.area.SetWidth(max(n.c.width-2, 10))
	n.area.SetHeight(n.c.bodyHeight(2))
}

func (n noteModel) update(msg tea.Msg) (noteModel, tea.Cmd, request) {
	if k, ok := msg.(tea.KeyMsg); ok {
		e := n.c.keys.Editor
		if key.Matches(k, e.Save) || key.Matches(k, e.Cancel) {
			n.area.Blur()
			return n, nil, request{kind: reqSaveNote, id: n.id, text: n.value()}
		}
	}
	var cmd tea.Cmd
	n.area, cmd = n.area.Update(msg)
	return n, cmd, request{}
}

func (n noteModel) view() string {
	st := n.c.styles
	header := []string{
		st.App.Render("Note") + st.Subtle.Render(" · ") + truncate(oneLine(n.title), n.c.width-8),
		n.c.rule(),
	}
	body := strings.Split(n.area.View(), "\n")
	return n.c.frame(header, body, n.c.statusBar(""), n.c.helpLine(editorHelp{k: n.c.keys, multiline: true}))
}

// promptKind says what a one-line prompt is for.
type promptKind int

const (
	promptTags promptKind = iota
	promptExport
)

// defaultExportName is the file an export goes to unless the user names
// another; a relative name is in the current directory.
const defaultExportName = "faultline-export.md"

// promptModel asks for one line of text at the foot of the screen.
type promptModel struct {
	c     *common
	kind  promptKind
	id    string
	input textinput.Model
}

func newPromptModel(c *common) promptModel {
	in := textinput.New()
	in.PromptStyle = c.styles.Prompt
	in.CharLimit = 4096
	return promptModel{c: c, input: in}
}

func (p *promptModel) start(kind promptKind, prompt, value, id string) tea.Cmd {
	p.kind, p.id = kind, id
	p.input.Prompt = prompt
	p.input.SetValue(value)
	p.input.CursorEnd()
	p.setSize()
	return p.input.Focus()
}

func (p *promptModel) setSize() {
	p.input.Width = max(p.c.width-width(p.input.Prompt)-1, 1)
}

func (p promptModel) update(msg tea.Msg) (promptModel, tea.Cmd, request) {
	if k, ok := msg.(tea.KeyMsg); ok {
		e := p.c.keys.Editor
		switch {
		case key.Matches(k, e.Accept):
			p.input.Blur()
			kind := reqSaveTags
			if p.kind == promptExport {
				kind = reqWriteExport
			}
			return p, nil, request{kind: kind, id: p.id, text: p.input.Value()}
		case key.Matches(k, e.Cancel):
			p.input.Blur()
			return p, nil, request{kind: reqBack}
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd, request{}
}

// view is two lines: the prompt and its help.
func (p promptModel) view() string {
	return truncate(p.input.View(), p.c.width) + "\n" + p.c.helpLine(editorHelp{k: p.c.keys})
}

// parseTags reads a tag list as typed: separated by commas or spaces, a
// leading # dropped, lower case, no repeats.
func parseTags(s string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		t := strings.ToLower(strings.TrimLeft(f, "#"))
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
