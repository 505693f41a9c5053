// Package ui is faultline's terminal explorer, the only package that
// imports Bubble Tea.
//
// One root model holds a state enum, one sub-model per screen (list with
// its query line and facets panel, detail, stats, help, note editor and
// one-line prompt) and a shared common struct (size, styles, keymap, index,
// the filter). The root handles global keys, resizes and the messages of
// commands, then forwards what is left to the active screen only. Incident
// text reaches the screen only through package sanitize.
package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// Backend is where the explorer reads incidents and writes triage.
type Backend interface {
	// Load returns the index of every incident, triage included; the
	// index fetches an incident's texts when it is opened.
	Load() (*search.Index, error)
	// SaveTriage merges t, whose changed fields carry a new stamp, into
	// the stored triage of id and returns the result, which holds what
	// other processes saved meanwhile too.
	SaveTriage(id string, t incident.Triage) (incident.Triage, error)
	ReadOnly() bool
	Path() string
	// Reviewer names who makes the changes: their stamps say so.
	Reviewer() string
}

// Options are how the explorer is run.
type Options struct {
	// NoColor draws without colour, as NO_COLOR does. It is set on
	// lipgloss' default renderer, which the bubbles in the screens draw
	// with too, so nothing on the screen keeps a colour.
	NoColor bool
}

// Run runs the explorer on the terminal until the user quits.
func Run(b Backend, opts Options) error {
	if opts.NoColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	p := tea.NewProgram(New(b), tea.WithAltScreen(), tea.WithMouseCellMotion())
	m, err := p.Run()
	if err != nil {
		return fmt.Errorf("ui: %w", err)
	}
	if root, ok := m.(model); ok && root.fatal != nil {
		return root.fatal
	}
	return nil
}

// state is the screen the explorer shows.
type state int

const (
	stateLoading state = iota
	stateList
	stateDetail
	stateStats
	stateHelp
	stateNote
	statePrompt
	stateFatal
)

type model struct {
	c      *common
	state  state
	under  state // the screen help, the note editor and prompts return to
	fatal  error
	list   listModel
	detail detailModel
	stats  statsModel
	help   helpModel
	note   noteModel
	prompt promptModel
}

// New returns the explorer's root model for backend b.
func New(b Backend) tea.Model {
	c := &common{
		backend: b,
		keys:    DefaultKeyMap(),
		styles:  DefaultStyles(lipgloss.DefaultRenderer()),
		width:   80,
		height:  24,
	}
	return model{
		c:      c,
		state:  stateLoading,
		list:   newListModel(c),
		detail: detailModel{c: c},
		stats:  statsModel{c: c},
		help:   helpModel{c: c},
		note:   newNoteModel(c),
		prompt: newPromptModel(c),
	}
}

func (m model) Init() tea.Cmd {
	return loadCmd(m.c.backend)
}

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	if root, ok := next.(model); ok {
		root.syncKeys()
		next = root
	}
	return next, cmd
}

// syncKeys switches bindings on and off with what can be done now, so the
// help line and the help screen show only keys that work.
func (m *model) syncKeys() {
	k := &m.c.keys
	hits := len(m.list.result.Hits) > 0
	k.List.OpenDetail.SetEnabled(hits)
	k.App.Export.SetEnabled(hits)
	k.List.ClearQuery.SetEnabled(m.list.input.Value() != "")
	k.List.RemoveFilter.SetEnabled(len(m.list.chips()) > 0)
	k.List.SwitchFocus.SetEnabled(m.list.showFacets)
	screen := m.state
	if screen == stateHelp {
		screen = m.under
	}
	k.Triage.setEnabled((screen == stateList && hits) || screen == stateDetail)
	pos := m.detail.position()
	k.Detail.NextIncident.SetEnabled(pos >= 0 && pos < len(m.detail.order)-1)
	k.Detail.PrevIncident.SetEnabled(pos > 0)
	k.Detail.OpenRelated.SetEnabled(m.detail.section == secRelated && len(m.detail.related) > 0)
	k.Stats.FilterByBar.SetEnabled(len(m.stats.rows) > 0)
}

func (m model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.typed(msg.Runes)
		}
		if m.state == stateFatal || m.quits(msg) {
			return m, tea.Quit
		}
		if r, ok := m.globalKey(msg); ok {
			return m.request(r)
		}
	case indexBuiltMsg:
		return m.indexBuilt(msg)
	case loadFailedMsg:
		if m.c.index != nil {
			// a reload: keep browsing what was read, and say why not
			return m, m.c.setStatus(statusError, "not reloaded: "+oneLine(msg.err.Error()))
		}
		m.fatal, m.state = msg.err, stateFatal
		return m, nil
	case statusExpiredMsg:
		m.c.clearStatus(msg.tag)
		return m, nil
	case searchCompletedMsg:
		// results belong to the list whatever screen shows
		m.list, _, _ = m.list.update(msg)
		m.syncScreens()
		return m, nil
	case triageSavedMsg, triageFailedMsg, exportWrittenMsg, exportFailedMsg:
		return m.backgroundDone(msg)
	}
	return m.forward(msg)
}

// typed handles runes that arrived in one read (fast typing, keys sent by
// a multiplexer) as the keys they are, one after another, so "/" followed
// by a word focuses the query and types the word.
func (m model) typed(runes []rune) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var next tea.Model = m
	for _, r := range runes {
		var cmd tea.Cmd
		next, cmd = next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
		if root, ok := next.(model); ok && (root.state == stateFatal) {
			break
		}
	}
	return next, tea.Batch(cmds...)
}

// quits reports whether msg is a quit key where one is allowed: ctrl+c
// anywhere, q anywhere but text entry.
func (m model) quits(msg tea.KeyMsg) bool {
	if key.Matches(msg, m.c.keys.Editor.ForceQuit) {
		return true
	}
	return !m.takesText() && key.Matches(msg, m.c.keys.App.Quit)
}

// takesText reports whether keys go to a text field.
func (m model) takesText() bool {
	switch m.state {
	case stateNote, statePrompt:
		return true
	case stateList:
		return m.list.focus == focusQuery
	}
	return false
}

// globalKey turns the keys that work on several screens (help, stats,
// export, triage) into requests.
func (m model) globalKey(msg tea.KeyMsg) (request, bool) {
	a, t := m.c.keys.App, m.c.keys.Triage
	if m.state != stateList && m.state != stateDetail && m.state != stateStats {
		return request{}, false
	}
	if key.Matches(msg, a.Reload) { // a control key: the query line may have focus
		return request{kind: reqReload}, true
	}
	if m.takesText() {
		return request{}, false
	}
	switch {
	case key.Matches(msg, a.Help):
		return request{kind: reqHelp}, true
	case key.Matches(msg, a.Export):
		return request{kind: reqExport}, true
	case key.Matches(msg, a.Stats) && m.state != stateStats:
		return request{kind: reqStats}, true
	}
	id := m.detail.id
	if m.state == stateList && m.list.focus == focusList {
		id = m.list.selectedID()
	} else if m.state != stateDetail {
		return request{}, false
	}
	if id == "" {
		return request{}, false
	}
	switch {
	case key.Matches(msg, t.CycleStatus):
		return request{kind: reqTriage, id: id, apply: func(tr *incident.Triage, st incident.Stamp) {
			tr.SetStatus(incident.NextStatus(tr.State()), st)
		}}, true
	case key.Matches(msg, t.Star):
		return request{kind: reqTriage, id: id, apply: func(tr *incident.Triage, st incident.Stamp) {
			tr.SetStar(!tr.Starred(), st)
		}}, true
	case key.Matches(msg, t.EditNote):
		return request{kind: reqEditNote, id: id}, true
	case key.Matches(msg, t.EditTags):
		return request{kind: reqEditTags, id: id}, true
	}
	return request{}, false
}

// forward hands msg to the active screen only, then carries out what the
// screen asked for.
func (m model) forward(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	var r request
	switch m.state {
	case stateList:
		m.list, cmd, r = m.list.update(msg)
	case stateDetail:
		m.detail, cmd, r = m.detail.update(msg)
	case stateStats:
		m.stats, cmd, r = m.stats.update(msg)
	case stateHelp:
		m.help, cmd, r = m.help.update(msg)
	case stateNote:
		m.note, cmd, r = m.note.update(msg)
	case statePrompt:
		m.prompt, cmd, r = m.prompt.update(msg)
	}
	if r.kind == reqNone {
		return m, cmd
	}
	next, rcmd := m.request(r)
	return next, tea.Batch(cmd, rcmd)
}

func (m *model) resize() {
	m.list.setSize()
	m.detail.setSize()
	m.stats.setSize()
	m.help.setSize()
	m.note.setSize()
	m.prompt.setSize()
}

func (m model) indexBuilt(msg indexBuiltMsg) (tea.Model, tea.Cmd) {
	reload := m.c.index != nil
	m.c.index = msg.index
	cmds := []tea.Cmd{m.list.search()}
	if reload {
		m.detail.reload()
		note := fmt.Sprintf("reloaded: %d incidents", msg.index.Len())
		return m, tea.Batch(append(cmds, m.c.setStatus(statusInfo, note))...)
	}
	m.state = stateList
	m.resize()
	if m.c.backend.ReadOnly() {
		cmds = append(cmds, m.c.setStatus(statusWarn, readOnlyNotice))
	}
	return m, tea.Batch(cmds...)
}

// syncScreens refreshes the screens that show the filtered set after it
// changed.
func (m *model) syncScreens() {
	m.stats.query = m.list.input.Value()
	m.stats.refresh(m.list.result)
	m.detail.setOrder(m.list.ids())
}

// backgroundDone reports the end of a save or an export.
func (m model) backgroundDone(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case triageSavedMsg:
		// what was saved, with what others saved meanwhile
		m.c.index.SetTriage(msg.id, msg.triage)
		m.detail.reload()
		return m, m.list.search()
	case triageFailedMsg:
		m.c.index.SetTriage(msg.id, msg.prev)
		m.detail.reload()
		cmd := m.c.setStatus(statusError, "not saved: "+oneLine(msg.err.Error()))
		return m, tea.Batch(cmd, m.list.search())
	case exportWrittenMsg:
		return m, m.c.setStatus(statusInfo, fmt.Sprintf("wrote %d incidents to %s", msg.count, oneLine(msg.path)))
	case exportFailedMsg:
		return m, m.c.setStatus(statusError, oneLine(msg.err.Error()))
	}
	return m, nil
}

// changeTriage applies fn, stamped by the reviewer now, to the triage of
// incident id at once, on screen and in the index, and saves it in the
// background.
func (m model) changeTriage(id string, fn func(*incident.Triage, incident.Stamp)) (tea.Model, tea.Cmd) {
	if m.c.backend.ReadOnly() {
		return m, m.c.setStatus(statusWarn, readOnlyNotice)
	}
	in, ok := m.c.summary(id)
	if !ok {
		return m, nil
	}
	prev := in.Triage.Clone()
	next := in.Triage.Clone()
	fn(&next, incident.NewStamp(m.c.backend.Reviewer()))
	m.c.index.SetTriage(id, next)
	m.detail.reload()
	status := m.c.setStatus(statusInfo, triageSummary(prev, next, m.c.backend.Reviewer()))
	return m, tea.Batch(saveTriageCmd(m.c.backend, id, next, prev), m.list.search(), status)
}

// triageSummary says in a few words what a triage change did.
func triageSummary(prev, next incident.Triage, reviewer string) string {
	switch {
	case prev.Starred() != next.Starred() && next.Starred():
		return "starred"
	case prev.Starred() != next.Starred():
		return "unstarred"
	case prev.State() != next.State():
		return "status: " + next.State()
	case prev.NoteBy(reviewer) != next.NoteBy(reviewer):
		return "note saved"
	}
	return "tags: " + oneLine(strings.Join(next.TagList(), ", "))
}

// request carries out what a screen asked of the root.
func (m model) request(r request) (tea.Model, tea.Cmd) {
	switch r.kind {
	case reqOpen:
		if r.id != "" {
			m.detail.open(r.id, m.list.ids(), m.list.terms)
			m.state = stateDetail
		}
	case reqBack:
		m.back()
	case reqHelp:
		m.under, m.state = m.state, stateHelp
		m.help.show(m.helpKeys())
	case reqStats:
		m.syncScreens()
		m.state = stateStats
	case reqFilterBy:
		q := search.ToggleOption(m.list.input.Value(), r.cat, r.opt)
		status := m.c.setStatus(statusInfo, "filter: "+oneLine(q))
		return m, tea.Batch(m.list.setQuery(q), status)
	case reqTriage:
		return m.changeTriage(r.id, r.apply)
	case reqEditNote, reqEditTags:
		if m.c.backend.ReadOnly() {
			// say so before the user writes something that cannot be kept
			return m, m.c.setStatus(statusWarn, readOnlyNotice)
		}
		return m.startEdit(r)
	case reqSaveNote:
		m.state = m.under
		in, _ := m.c.summary(r.id)
		if in.Triage.NoteBy(m.c.backend.Reviewer()) == r.text {
			return m, nil
		}
		return m.changeTriage(r.id, func(t *incident.Triage, st incident.Stamp) { t.SetNote(r.text, st) })
	case reqSaveTags:
		m.state = m.under
		tags := parseTags(r.text)
		return m.changeTriage(r.id, func(t *incident.Triage, st incident.Stamp) { t.SetTags(tags, st) })
	case reqExport:
		m.under, m.state = m.state, statePrompt
		prompt := fmt.Sprintf("Export %d incidents to (%s): ", len(m.list.result.Hits), exportExtensions())
		return m, m.prompt.start(promptExport, prompt, defaultExportName, "")
	case reqReload:
		// the query, the screen and the open incident stay; the incidents
		// and their counts are read again
		return m, tea.Batch(m.c.setStatus(statusInfo, "reloading "+m.c.backend.Path()+"…"), loadCmd(m.c.backend))
	case reqWriteExport:
		m.state = m.under
		return m, m.export(r.text)
	}
	return m, nil
}

// startEdit opens the note editor or the tags prompt on incident r.id.
func (m model) startEdit(r request) (tea.Model, tea.Cmd) {
	in, _ := m.c.summary(r.id)
	m.under = m.state
	if r.kind == reqEditNote {
		m.state = stateNote
		return m, m.note.start(r.id, in.Title, in.Triage.NoteBy(m.c.backend.Reviewer()))
	}
	tags := in.Triage.TagList()
	for i, t := range tags {
		tags[i] = oneLine(t)
	}
	m.state = statePrompt
	return m, m.prompt.start(promptTags, "Tags (comma separated): ", strings.Join(tags, ", "), r.id)
}

// back leaves the current screen for the one under it.
func (m *model) back() {
	switch m.state {
	case stateDetail:
		m.list.selectID(m.detail.id)
		m.state = stateList
	case stateHelp, stateNote, statePrompt:
		m.state = m.under
	default:
		m.state = stateList
	}
}

// export starts writing the current filtered set to the named file.
func (m model) export(name string) tea.Cmd {
	name = strings.TrimSpace(name)
	if name == "" {
		name = defaultExportName
	}
	ids := m.list.ids()
	return tea.Batch(m.c.setStatus(statusInfo, fmt.Sprintf("exporting %d incidents…", len(ids))),
		exportCmd(name, m.c.index, ids, export.Set{Query: m.list.input.Value(), Database: m.c.backend.Path(), By: m.c.backend.Reviewer()}))
}

// helpKeys returns the keymap of the screen help was asked from.
func (m model) helpKeys() groupedKeyMap {
	switch m.under {
	case stateDetail:
		return detailHelp{m.c.keys}
	case stateStats:
		return statsHelp{m.c.keys}
	}
	return listHelp{k: m.c.keys, focus: focusList}
}

func (m model) View() string {
	switch m.state {
	case stateLoading:
		return m.c.styles.Subtle.Render("loading incidents…")
	case stateFatal:
		return m.fatalView()
	case stateDetail:
		return m.detail.view()
	case stateStats:
		return m.stats.view()
	case stateHelp:
		return m.help.view()
	case stateNote:
		return m.note.view()
	case statePrompt:
		return m.promptView()
	}
	return m.list.view()
}

// promptView draws the prompt over the bottom of the screen it was
// opened from.
func (m model) promptView() string {
	var under string
	switch m.under {
	case stateDetail:
		under = m.detail.view()
	case stateStats:
		under = m.stats.view()
	default:
		under = m.list.view()
	}
	return replaceLastLines(under, m.prompt.view(), m.c.height)
}

func (m model) fatalView() string {
	s := m.c.styles
	msg := paragraph(m.fatal.Error(), m.c.width-4, "  ")
	out := []string{"", "  " + s.Error.Render("faultline cannot start"), ""}
	out = append(out, msg...)
	out = append(out, "", "  "+s.Subtle.Render("press any key to quit"))
	return joinLines(out)
}

// requestKind is what a screen asks of the root model.
type requestKind int

const (
	reqNone requestKind = iota
	reqOpen
	reqBack
	reqHelp
	reqStats
	reqFilterBy
	reqTriage
	reqEditNote
	reqEditTags
	reqSaveNote
	reqSaveTags
	reqExport
	reqWriteExport
	reqReload
)

// request is returned by a screen's update for what only the root can do:
// switch screens, change triage, export.
type request struct {
	kind     requestKind
	id       string
	cat, opt string
	text     string
	apply    func(*incident.Triage, incident.Stamp)
}
