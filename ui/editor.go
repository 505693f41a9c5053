package ui

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/sanitize"
)

// noteModel edits the triage note of one incident; ctrl+s and esc both
// save and close. ctrl+c never throws the text away: it asks whether to
// save it and quit, or keep it as a draft for the next edit.
type noteModel struct {
	c        *common
	id       string
	title    string
	original string // the note as stored
	shown    string // the note as first shown, neutralised
	area     textarea.Model
	asking   bool // ctrl+c was pressed: the question is shown
	draft    bool // the text shown is a draft kept from an earlier edit
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
	n.asking, n.draft = false, false
	n.setSize()
	return n.area.Focus()
}

// resume opens the editor on a draft kept from an earlier edit of the
// note.
func (n *noteModel) resume(id, title, note, draft string) tea.Cmd {
	cmd := n.start(id, title, note)
	n.area.SetValue(draft)
	n.draft = true
	return cmd
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
		e, q := n.c.keys.Editor, n.c.keys.Confirm
		if n.asking {
			switch {
			case key.Matches(k, q.Yes):
				n.area.Blur()
				return n, nil, request{kind: reqSaveNote, id: n.id, text: n.value(), quit: true}
			case key.Matches(k, e.Draft):
				n.area.Blur()
				return n, nil, request{kind: reqKeepDraft, id: n.id, text: n.area.Value()}
			case key.Matches(k, e.Cancel), key.Matches(k, q.No):
				n.asking = false
			}
			return n, nil, request{}
		}
		switch {
		case key.Matches(k, e.ForceQuit):
			if n.value() == n.original {
				return n, tea.Quit, request{} // nothing typed: nothing to lose
			}
			n.asking = true
			return n, nil, request{}
		case key.Matches(k, e.Save), key.Matches(k, e.Cancel):
			n.area.Blur()
			return n, nil, request{kind: reqSaveNote, id: n.id, text: n.value()}
		case key.Matches(k, e.External):
			return n, nil, request{kind: reqExternalEdit, id: n.id, text: n.area.Value()}
		}
	}
	var cmd tea.Cmd
	n.area, cmd = n.area.Update(msg)
	return n, cmd, request{}
}

// edited takes the note back from $EDITOR.
func (n *noteModel) edited(msg noteEditedMsg) tea.Cmd {
	if msg.err != nil {
		return n.c.setStatus(statusError, "$EDITOR: "+oneLine(msg.err.Error())+"; the note is as it was")
	}
	n.area.SetValue(strings.TrimRight(msg.text, "\n"))
	return tea.Batch(n.area.Focus(), n.c.setStatus(statusInfo, "note from $EDITOR: esc saves it"))
}

func (n noteModel) view() string {
	st := n.c.styles
	header := []string{
		st.App.Render("Note") + st.Subtle.Render(" · ") + truncate(oneLine(n.title), n.c.width-8),
		n.c.rule(),
	}
	body := strings.Split(n.area.View(), "\n")
	status := ""
	if n.draft {
		status = st.Warn.Render("a draft kept from before, not yet saved")
	}
	if n.asking {
		e, q := n.c.keys.Editor, n.c.keys.Confirm
		ask := fmt.Sprintf("Quit? %s save the note and quit · %s keep it as a draft (e resumes it) · %s keep writing",
			q.Yes.Help().Key, e.Draft.Help().Key, e.Cancel.Help().Key)
		return n.c.frame(header, body, st.Warn.Render(ask), n.c.helpLine(editorHelp{k: n.c.keys, multiline: true}))
	}
	return n.c.frame(header, body, n.c.statusBar(status), n.c.helpLine(editorHelp{k: n.c.keys, multiline: true}))
}

// promptKind says what a one-line prompt is for.
type promptKind int

const (
	promptTags promptKind = iota
	promptBulkTags
	promptExport
	promptViewName
)

// defaultExportName is the file an export goes to unless the user names
// another; a relative name is in the current directory.
const defaultExportName = "faultline-export.md"

// promptModel asks for one line of text at the foot of the screen.
type promptModel struct {
	c     *common
	kind  promptKind
	id    string
	ids   []string // the incidents of a bulk change
	input textinput.Model
	first string // the value it opened with
}

func newPromptModel(c *common) promptModel {
	in := textinput.New()
	in.PromptStyle = c.styles.Prompt
	in.CharLimit = 4096
	return promptModel{c: c, input: in}
}

func (p *promptModel) start(kind promptKind, prompt, value, id string) tea.Cmd {
	p.kind, p.id, p.ids, p.first = kind, id, nil, value
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
			kind := map[promptKind]requestKind{promptTags: reqSaveTags, promptBulkTags: reqBulkTags,
				promptExport: reqWriteExport, promptViewName: reqNameView}[p.kind]
			return p, nil, request{kind: kind, id: p.id, ids: p.ids, text: p.input.Value()}
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

// changed reports whether the user typed something in the prompt.
func (p promptModel) changed() bool { return p.input.Value() != p.first }

// bulkTags reads a bulk tag change as typed: words to add, and words
// with a leading - to remove.
func bulkTags(s string) (add, remove []string) {
	for _, t := range parseTags(s) {
		if r, ok := strings.CutPrefix(t, "-"); ok {
			if r != "" {
				remove = append(remove, r)
			}
			continue
		}
		add = append(add, t)
	}
	return add, remove
}

// editorCmd hands text to the user's editor ($VISUAL, else $EDITOR, else
// vi) in a temporary file, and reads it back when the editor exits.
func editorCmd(text string) tea.Cmd {
	f, err := os.CreateTemp("", "faultline-note-*.md")
	if err != nil {
		return func() tea.Msg { return noteEditedMsg{err: err} }
	}
	path := f.Name()
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return func() tea.Msg { return noteEditedMsg{err: err} }
	}
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command(editor, path)
	if runtime.GOOS != "windows" {
		// an editor given with its flags ("code --wait"), as git runs it
		cmd = exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
	}
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return noteEditedMsg{err: err}
		}
		data, err := os.ReadFile(path)
		return noteEditedMsg{text: string(data), err: err}
	})
}
