// Package ui is faultline's terminal explorer, the only package that
// imports Bubble Tea.
//
// One root model holds a state enum, one sub-model per screen (list with
// its query line and facets panel, detail, stats with its cross-tab,
// lessons, help, note editor, one-line prompt, picker and question) and a shared common struct (size,
// styles, keymap, index). The root handles global keys, resizes and the
// messages of commands, then forwards what is left to the active screen
// only; a screen asks the root for what only it can do with a request.
// Incident text reaches the screen only through package sanitize.
package ui

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// Backend is where the explorer reads incidents and writes triage, saved
// views and the query history. Its methods are called from commands, off
// the screen's goroutine.
type Backend interface {
	// Load returns the index of every incident, triage included; the
	// index fetches an incident's texts when it is opened.
	Load() (*search.Index, error)
	// Events returns the grouping of the incidents into events, with the
	// reviewers' rulings (incident.Triage.Event) laid over it: the one
	// the database keeps when it is of the incidents as they are. The
	// explorer owns what it returns and lays its own rulings over it.
	Events() (*analysis.Grouper, error)
	// SaveTriage merges t, whose changed fields carry a new stamp, into
	// the stored triage of id and returns the result, which holds what
	// other processes saved meanwhile too.
	SaveTriage(id string, t incident.Triage) (incident.Triage, error)
	ReadOnly() bool
	Path() string
	// Reviewer names who makes the changes: their stamps say so.
	Reviewer() string
	// Views returns the saved views by name.
	Views() ([]SavedView, error)
	// SaveView saves v under its name, replacing one of that name.
	SaveView(v SavedView) error
	// DeleteView removes the view called name.
	DeleteView(name string) error
	// History returns the queries typed lately, newest first.
	History() ([]string, error)
	// AddHistory puts q at the top of the history.
	AddHistory(q string) error
	// Idle is called when the user has done nothing for a while (see
	// idleAfter): a time to give back memory that searches left.
	Idle()
}

// SavedView is a query saved by name with the order of its results and
// whether the facets panel was open.
type SavedView struct {
	Name    string
	Query   string
	Sort    string // as search.Sort names it
	Reverse bool
	Facets  bool
}

// Options are how the explorer is run.
type Options struct {
	// NoColor draws without colour, as NO_COLOR does. It is set on
	// lipgloss' default renderer, which the bubbles in the screens draw
	// with too, so nothing on the screen keeps a colour.
	NoColor bool
	// Config holds the keys and theme of the user's config file; nil for
	// the defaults. ConfigProblem says why a config file was refused, to
	// show once the screen is up.
	Config        *Config
	ConfigProblem string
	// Clipboard is where copies go as OSC 52 sequences: the terminal.
	// Nil drops them.
	Clipboard io.Writer
	// Clock stamps triage changes; nil is the system clock.
	Clock func() time.Time
}

// Run runs the explorer on the terminal until the user quits.
func Run(b Backend, opts Options) error {
	if opts.NoColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	if opts.Clipboard == nil {
		opts.Clipboard = os.Stdout
	}
	p := tea.NewProgram(New(b, opts), tea.WithAltScreen(), tea.WithMouseCellMotion())
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
	statePicker
	stateConfirm
	stateFatal
	stateLessons
)

type model struct {
	c       *common
	state   state
	under   state // the screen help, editors, pickers and questions return to
	fatal   error
	list    listModel
	detail  detailModel
	stats   statsModel
	help    helpModel
	note    noteModel
	prompt  promptModel
	picker  pickerModel
	confirm confirmModel
	lessons lessonsModel
	// detailFrom is the screen the detail was opened from, which back
	// returns to: the list, or a lesson's incidents
	detailFrom state

	undo    []undoEntry
	drafts  map[string]string // notes left unsaved with ctrl+c, by incident
	problem string            // a config refused, to say once the list shows

	// events: the tags of the newest read of the grouping and of the
	// newest regrouping, and the incidents whose ruling on their event
	// changed here: every grouping read gets their rulings laid over it
	// again, as the index has them, for a read may not have seen a save
	eventsTag, groupTag int
	ruled               map[string]bool
}

// New returns the explorer's root model for backend b.
func New(b Backend, opts Options) tea.Model {
	cfg := opts.Config
	if cfg == nil {
		def := DefaultConfig()
		cfg = &def
	}
	clip := opts.Clipboard
	if clip == nil {
		clip = io.Discard
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	c := &common{
		clock:     clock,
		backend:   b,
		keys:      cfg.Keys,
		styles:    NewStyles(lipgloss.DefaultRenderer(), cfg.Palette),
		clipboard: clip,
		width:     80,
		height:    24,
	}
	return model{
		c:       c,
		state:   stateLoading,
		list:    newListModel(c),
		detail:  newDetailModel(c),
		stats:   statsModel{c: c, cross: crossTable{c: c}},
		help:    newHelpModel(c),
		note:    newNoteModel(c),
		prompt:  newPromptModel(c),
		picker:  pickerModel{c: c},
		confirm: confirmModel{c: c},
		lessons: newLessonsModel(c),
		drafts:  map[string]string{},
		ruled:   map[string]bool{},
		problem: opts.ConfigProblem,
	}
}

func (m model) Init() tea.Cmd {
	return tea.Batch(loadCmd(m.c.backend), loadHistoryCmd(m.c.backend))
}

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if msg, ok := msg.(idleMsg); ok {
		return m, m.c.idle(msg)
	}
	next, cmd := m.update(msg)
	if root, ok := next.(model); ok {
		root.syncKeys()
		if busy(msg) {
			cmd = tea.Batch(cmd, root.c.busy())
		}
		next = root
	}
	return next, cmd
}

// idleAfter is how long the explorer waits, after the user's last key
// and the last answer, before it calls the backend's Idle: a pause in
// typing, so that what a burst of searches took is given back before
// the next (at 100,000 incidents, some 100 MB each).
const idleAfter = 500 * time.Millisecond

// busy says whether msg is the user's doing or an answer to it: what the
// explorer is idle after (a cursor's blinks are neither).
func busy(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg, indexBuiltMsg, searchCompletedMsg, incidentLoadedMsg, eventsLoadedMsg,
		eventsGroupedMsg, lessonsGatheredMsg, crossTabCountedMsg:
		return true
	}
	return false
}

// busy notes the time of something done and starts the wait for
// idleness, unless one is under way: one timer at a time, however fast
// the keys come.
func (c *common) busy() tea.Cmd {
	c.lastBusy = time.Now()
	if c.idleWait {
		return nil
	}
	c.idleWait = true
	return tea.Tick(idleAfter, func(time.Time) tea.Msg { return idleMsg{} })
}

// idle ends a wait for idleness: it tells the backend, off the screen's
// goroutine, when nothing was done since idleAfter ago, else waits again
// for the rest.
func (c *common) idle(idleMsg) tea.Cmd {
	left := idleAfter - time.Since(c.lastBusy)
	if left > 0 {
		return tea.Tick(left, func(time.Time) tea.Msg { return idleMsg{} })
	}
	c.idleWait = false
	b := c.backend
	return func() tea.Msg {
		b.Idle()
		return nil
	}
}

// syncKeys switches bindings on and off with what can be done now, so the
// help line and the help screen show only keys that work.
func (m *model) syncKeys() {
	k := &m.c.keys
	hits := len(m.list.result.Hits) > 0
	k.List.OpenDetail.SetEnabled(hits)
	k.List.Mark.SetEnabled(hits)
	// all of them: not until they are all there
	k.List.MarkAll.SetEnabled(hits && !m.list.partial)
	k.App.Export.SetEnabled(hits && !m.list.partial)
	k.List.ClearQuery.SetEnabled(m.list.input.Value() != "" || len(m.list.marked) > 0 || m.list.allArmed)
	k.List.RemoveFilter.SetEnabled(len(m.list.chips()) > 0)
	k.List.SwitchFocus.SetEnabled(m.list.showFacets)
	screen := m.state
	if screen == stateHelp {
		screen = m.under
	}
	k.Triage.setEnabled((screen == stateList && hits) || screen == stateDetail)
	k.App.Undo.SetEnabled(len(m.undo) > 0)
	k.App.CopyID.SetEnabled((screen == stateList && hits) || screen == stateDetail)
	k.App.CopyRef.SetEnabled((screen == stateList && hits) || screen == stateDetail)
	pos := m.detail.position()
	k.Detail.NextIncident.SetEnabled(pos >= 0 && pos < len(m.detail.queue)-1)
	k.Detail.PrevIncident.SetEnabled(pos > 0)
	k.Detail.Select.SetEnabled((m.detail.section == secRelated && len(m.detail.relItems()) > 0) || m.detail.section == secTaxonomy)
	k.Detail.Correct.SetEnabled(m.detail.section == secTaxonomy)
	finding := m.detail.find.text != ""
	k.Detail.NextMatch.SetEnabled(finding)
	k.Detail.PrevMatch.SetEnabled(finding)
	k.Stats.FilterByBar.SetEnabled(len(m.stats.rows) > 0)
	byEvent := m.list.byEvent != nil
	k.List.ExpandEvent.SetEnabled(byEvent)
	k.List.CollapseEvent.SetEnabled(byEvent)
	k.Stats.CrossTab.SetEnabled(len(m.stats.rows) > 0)
	k.Stats.FilterByCell.SetEnabled(len(m.stats.cross.rows) > 0 && len(m.stats.cross.cols) > 0)
	k.Lessons.Open.SetEnabled(len(m.lessons.lessons) > 0)
	k.Lessons.Copy.SetEnabled(len(m.lessons.lessons) > 0 && m.lessons.open < 0)
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
		if m.state == stateFatal {
			return m, tea.Quit
		}
		if m.quits(msg) {
			return m.quit()
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
		return m.searchCompleted(msg)
	case incidentLoadedMsg:
		m.detail.loaded(msg)
		return m, nil
	case eventsLoadedMsg:
		return m.eventsLoaded(msg)
	case eventsGroupedMsg:
		return m.eventsGrouped(msg)
	case eventInfoFoundMsg:
		m.detail.eventInfoFound(msg)
		return m, nil
	case lessonsGatheredMsg:
		m.lessons.gathered(msg)
		return m, nil
	case crossTabCountedMsg:
		m.stats.counted(msg)
		return m, nil
	case historyLoadedMsg:
		m.list.hist = msg.queries
		return m, nil
	case noteEditedMsg:
		return m, m.note.edited(msg)
	case triagesSavedMsg, exportWrittenMsg, exportFailedMsg, viewsLoadedMsg, storedMsg, copiedMsg, joinCandidatesFoundMsg:
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
// anywhere but the note editor (which asks what to do with the note), q
// anywhere but text entry.
func (m model) quits(msg tea.KeyMsg) bool {
	if m.state == stateNote {
		return false
	}
	if key.Matches(msg, m.c.keys.Editor.ForceQuit) {
		return true
	}
	return !m.takesText() && key.Matches(msg, m.c.keys.App.Quit)
}

// quit ends the program unless that would lose what the user wrote: a
// note draft, or text typed in a prompt; then it asks first.
func (m model) quit() (tea.Model, tea.Cmd) {
	var lose string
	switch {
	case m.state == stateConfirm && m.confirm.yes.kind == reqQuit:
		return m, tea.Quit // ctrl+c again
	case len(m.drafts) > 0:
		lose = fmt.Sprintf("%d note draft(s) not saved", len(m.drafts))
	case m.state == statePrompt && m.prompt.changed():
		lose = "what you typed in the prompt"
	}
	if lose == "" {
		return m, tea.Quit
	}
	return m.ask("Quit and lose "+lose+"? ", request{kind: reqQuit}), nil
}

// ask shows a yes-or-no question over the current screen; yes carries out
// r.
func (m model) ask(question string, r request) model {
	if m.state != stateConfirm {
		m.under = m.state
	}
	m.confirm.question, m.confirm.yes = question, r
	m.state = stateConfirm
	return m
}

// takesText reports whether keys go to a text field.
func (m model) takesText() bool {
	switch m.state {
	case stateNote, statePrompt:
		return true
	case stateList:
		return m.list.focus == focusQuery
	case stateDetail:
		return m.detail.find.typing
	}
	return false
}

// globalKey turns the keys that work on several screens (help, stats,
// lessons, export, triage, undo, copy) into requests.
func (m model) globalKey(msg tea.KeyMsg) (request, bool) {
	a := m.c.keys.App
	if m.state != stateList && m.state != stateDetail && m.state != stateStats && m.state != stateLessons {
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
	case key.Matches(msg, a.Lessons):
		return request{kind: reqLessons}, true
	case key.Matches(msg, a.Export):
		return request{kind: reqExport}, true
	case key.Matches(msg, a.Stats) && m.state != stateStats:
		return request{kind: reqStats}, true
	case key.Matches(msg, a.Undo):
		return request{kind: reqUndo}, true
	}
	var ids []string
	sc := scopeOne
	switch {
	case m.state == stateList && m.list.focus == focusList:
		ids, sc = m.list.targets()
	case m.state == stateDetail && m.detail.id != "":
		ids = []string{m.detail.id}
	}
	if len(ids) == 0 {
		return request{}, false
	}
	return m.targetKey(msg, request{ids: ids, scope: sc})
}

// targetKey turns a key that acts on incidents (copy, triage, rulings)
// into the request for r's incidents.
func (m model) targetKey(msg tea.KeyMsg, r request) (request, bool) {
	a, t := m.c.keys.App, m.c.keys.Triage
	switch {
	case key.Matches(msg, a.CopyID):
		r.kind = reqCopyID
	case key.Matches(msg, a.CopyRef):
		r.kind = reqCopyRef
	case key.Matches(msg, t.CycleStatus), key.Matches(msg, t.PrevStatus):
		if r.scope != scopeOne {
			r.kind = reqPickStatus // one status for all of them
			break
		}
		next := incident.NextStatus
		if key.Matches(msg, t.PrevStatus) {
			next = incident.PrevStatus
		}
		r.kind, r.what = reqTriage, "status"
		r.apply = func(tr *incident.Triage, st incident.Stamp) { tr.SetStatus(next(tr.State()), st) }
	case key.Matches(msg, t.PickStatus):
		r.kind = reqPickStatus
	case key.Matches(msg, t.Star):
		r.kind, r.what = reqTriage, "star"
		on := !m.allStarred(r.ids)
		r.apply = func(tr *incident.Triage, st incident.Stamp) { tr.SetStar(on, st) }
	case key.Matches(msg, t.EditNote):
		switch r.scope {
		case scopeEvent:
			return request{kind: reqSay, text: "a note is for one incident: " + m.c.keys.List.ExpandEvent.Help().Key + " shows the event's reports"}, true
		case scopeMarked, scopeAll:
			return request{kind: reqSay, text: "a note is for one incident: open it, or press e on it without marks"}, true
		}
		r.kind = reqEditNote
	case key.Matches(msg, t.EditTags):
		r.kind = reqEditTags
	case key.Matches(msg, t.SplitEvent), key.Matches(msg, t.JoinEvent):
		if r.scope == scopeAll {
			return request{kind: reqSay, text: "events: mark the incidents (space) to split or join them, not every match"}, true
		}
		r.kind = reqSplit
		if key.Matches(msg, t.JoinEvent) {
			r.kind = reqJoin
		}
	default:
		return request{}, false
	}
	return r, true
}

// allStarred reports whether every one of ids is starred.
func (m model) allStarred(ids []string) bool {
	for _, id := range ids {
		if in, ok := m.c.summary(id); !ok || !in.Triage.Starred() {
			return false
		}
	}
	return true
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
	case stateLessons:
		m.lessons, cmd, r = m.lessons.update(msg)
	case stateHelp:
		m.help, cmd, r = m.help.update(msg)
	case stateNote:
		m.note, cmd, r = m.note.update(msg)
	case statePrompt:
		m.prompt, cmd, r = m.prompt.update(msg)
	case statePicker:
		m.picker, cmd, r = m.picker.update(msg)
	case stateConfirm:
		m.confirm, cmd, r = m.confirm.update(msg)
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
	m.picker.setSize()
	m.lessons.setSize()
}

func (m model) indexBuilt(msg indexBuiltMsg) (tea.Model, tea.Cmd) {
	reload := m.c.index != nil
	m.c.index = msg.index
	m.eventsTag++
	// the events after the first search, so as not to hold up the list
	cmds := []tea.Cmd{tea.Sequence(m.list.search(), loadEventsCmd(m.c.backend, m.eventsTag))}
	if reload {
		note := fmt.Sprintf("reloaded: %d incidents", msg.index.Len())
		return m, tea.Batch(append(cmds, m.detail.refetch(), m.c.setStatus(statusInfo, note))...)
	}
	m.state = stateList
	m.resize()
	switch {
	case m.problem != "":
		cmds = append(cmds, m.c.setStatus(statusWarn, m.problem))
	case m.c.backend.ReadOnly():
		cmds = append(cmds, m.c.setStatus(statusWarn, readOnlyNotice))
	}
	return m, tea.Batch(cmds...)
}

// searchCompleted takes a search's answer: results belong to the list
// whatever screen shows.
func (m model) searchCompleted(msg searchCompletedMsg) (tea.Model, tea.Cmd) {
	var rest tea.Cmd
	m.list, rest, _ = m.list.update(msg)
	m.syncScreens()
	if msg.damaged != nil {
		rest = tea.Batch(rest, m.c.setStatus(statusWarn, damagedNotice))
	}
	if m.state == stateStats && !m.list.partial {
		// a reload or a triage change under a cross-tab: count again
		return m, tea.Batch(rest, m.stats.recount(m.list.parsed))
	}
	return m, rest
}

// damagedNotice says that a search found the index damaged, as the
// search command says it; which segment is of no use here.
const damagedNotice = "index damaged: results may be incomplete; quit and run 'faultline check --reindex' to rebuild it"

// syncScreens refreshes the screens that show the filtered set after it
// changed. The detail's queue is not one of them: it stays as it was
// when the incident was opened.
func (m *model) syncScreens() {
	m.stats.query = m.list.query()
	res, byEvents := m.list.counted()
	m.stats.refresh(res, byEvents, m.list.result.Total)
}

// backgroundDone reports the end of a save, an export, a copy or a read
// of the views.
func (m model) backgroundDone(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case triagesSavedMsg:
		// what was saved, with what others saved meanwhile, merged into
		// the index's: a later change made here while the save ran (an
		// undo) is newer and stays
		rulings := map[string]string{}
		for id, t := range msg.saved {
			if cur, ok := m.c.summary(id); ok {
				t, _ = cur.Triage.Merge(t)
			}
			m.setTriage(id, t, rulings)
		}
		for id, prev := range msg.failed {
			m.setTriage(id, prev, rulings)
		}
		m.lessons.stale = true // a note may say a lesson
		m.detail.reload()
		cmds := []tea.Cmd{m.list.refresh(), m.regroup(rulings)}
		if msg.err != nil {
			what := "not saved: " + oneLine(msg.err.Error())
			if len(msg.failed) > 1 {
				what = fmt.Sprintf("%d not saved: %s", len(msg.failed), oneLine(msg.err.Error()))
			}
			cmds = append(cmds, m.c.setStatus(statusError, what))
		}
		return m, tea.Batch(cmds...)
	case exportWrittenMsg:
		return m, m.c.setStatus(statusInfo, fmt.Sprintf("wrote %d incidents to %s", msg.count, oneLine(msg.path)))
	case exportFailedMsg:
		return m, m.c.setStatus(statusError, oneLine(msg.err.Error()))
	case viewsLoadedMsg:
		return m.showViews(msg)
	case joinCandidatesFoundMsg:
		return m.pickJoin(msg)
	case storedMsg:
		if msg.err != nil {
			return m, m.c.setStatus(statusError, oneLine(msg.err.Error()))
		}
		if msg.note != "" {
			return m, m.c.setStatus(statusInfo, msg.note)
		}
	case copiedMsg:
		if msg.err != nil {
			return m, m.c.setStatus(statusError, "not copied: "+oneLine(msg.err.Error()))
		}
		return m, m.c.setStatus(statusInfo, "copied "+msg.what+" to the clipboard (OSC 52: the terminal's, over SSH and tmux too)")
	}
	return m, nil
}

// changeTriage applies fn, stamped by the reviewer now, to the triage of
// the incidents ids at once, on screen and in the index, saves them in the
// background and remembers the change for undo; what names it.
func (m model) changeTriage(ids []string, what string, fn func(*incident.Triage, incident.Stamp)) (tea.Model, tea.Cmd) {
	return m.changeEach(ids, what, func(_ string, t *incident.Triage, st incident.Stamp) { fn(t, st) })
}

// changeEach is changeTriage with a function told which incident it
// changes.
func (m model) changeEach(ids []string, what string, fn func(string, *incident.Triage, incident.Stamp)) (tea.Model, tea.Cmd) {
	if m.c.backend.ReadOnly() {
		return m, m.c.setStatus(statusWarn, readOnlyNotice)
	}
	st := incident.Stamp{By: m.c.backend.Reviewer(), At: m.c.clock().UTC().Truncate(time.Millisecond)}
	var changes []change
	for _, id := range ids {
		in, ok := m.c.summary(id)
		if !ok {
			continue
		}
		ch := change{id: id, before: in.Triage.Clone(), after: in.Triage.Clone()}
		fn(id, &ch.after, st)
		if ch.changed() {
			changes = append(changes, ch)
		}
	}
	if len(changes) == 0 {
		return m, m.c.setStatus(statusInfo, "nothing to change")
	}
	rulings := map[string]string{}
	for _, ch := range changes {
		m.setTriage(ch.id, ch.after, rulings)
	}
	summary := triageSummary(changes, m.c.backend.Reviewer(), m.c.titleOf)
	if what != "undo" {
		m.undo = append(m.undo, undoEntry{what: summary, changes: changes})
		if len(m.undo) > maxUndo {
			m.undo = m.undo[1:]
		}
	} else {
		summary = "undone: " + what
	}
	m.detail.reload()
	status := m.c.setStatus(statusInfo, summary)
	return m, tea.Batch(saveTriagesCmd(m.c.backend, changes), m.list.refresh(), m.regroup(rulings), status)
}

// undoLast takes back the last triage action, as a new change that sets
// what it touched back to the values before it.
func (m model) undoLast() (tea.Model, tea.Cmd) {
	if len(m.undo) == 0 {
		return m, m.c.setStatus(statusInfo, "nothing to undo")
	}
	last := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	was := map[string]change{}
	var ids []string
	for _, ch := range last.changes {
		was[ch.id] = ch
		ids = append(ids, ch.id)
	}
	reviewer := m.c.backend.Reviewer()
	next, cmd := m.changeEach(ids, "undo", func(id string, t *incident.Triage, st incident.Stamp) {
		restore(t, was[id].before, was[id].after, reviewer, st)
	})
	root := next.(model)
	return root, tea.Batch(cmd, root.c.setStatus(statusInfo, "undone: "+last.what))
}

// triageSummary says in a few words what a triage change did; title
// names an incident.
func triageSummary(changes []change, reviewer string, title func(string) string) string {
	prev, next := changes[0].before, changes[0].after
	n := ""
	if len(changes) > 1 {
		n = fmt.Sprintf(" %d incidents", len(changes))
	}
	switch {
	case prev.Starred() != next.Starred() && next.Starred():
		return "starred" + n
	case prev.Starred() != next.Starred():
		return "unstarred" + n
	case prev.State() != next.State():
		return "status: " + next.State() + strings.Replace(n, " ", ", ", 1)
	case prev.NoteBy(reviewer) != next.NoteBy(reviewer):
		return "note saved"
	case prev.Event.Value != next.Event.Value:
		return rulingSummary(changes[0], n, title)
	case prev.Reviewed() || next.Reviewed():
		return "taxonomy corrected" + n
	}
	return "tags: " + oneLine(strings.Join(next.TagList(), ", ")) + strings.Replace(n, " ", ", ", 1)
}

// request carries out what a screen asked of the root.
func (m model) request(r request) (tea.Model, tea.Cmd) {
	if r.scope == scopeAll && !r.confirmed && r.kind != reqCopyID && r.kind != reqCopyRef {
		r.confirmed = true
		q := fmt.Sprintf("Change the triage of all %d matching incidents? ", len(r.ids))
		return m.ask(q, r), nil
	}
	return m.screenRequest(r)
}

// screenRequest takes the requests that move between screens or change
// what the list shows, and passes the others on.
func (m model) screenRequest(r request) (tea.Model, tea.Cmd) {
	switch r.kind {
	case reqOpen:
		if r.id == "" {
			return m, nil
		}
		queue := m.list.queue()
		if r.queue != nil {
			queue = r.queue
		}
		m.detailFrom, m.state = m.state, stateDetail
		cmd := m.detail.open(r.id, queue, m.list.parsed)
		return m, tea.Batch(cmd, m.remember(m.list.query()))
	case reqRemember:
		return m, m.remember(r.text)
	case reqBack:
		return m.back()
	case reqQuit:
		return m, tea.Quit
	case reqSay:
		return m, m.c.setStatus(statusInfo, r.text)
	case reqHelp:
		m.under, m.state = m.state, stateHelp
		m.help.show(m.helpKeys())
		return m, nil
	case reqStats:
		m.syncScreens()
		m.state = stateStats
		return m, m.stats.recount(m.list.parsed)
	case reqLessons:
		m.state = stateLessons
		return m, m.lessons.gather(m.list.query(), m.list.ids(), m.list.resultTag)
	case reqPickCross:
		return m.pickCross(r.cat)
	case reqCrossTab:
		m = m.leaveOverlay()
		return m, m.stats.crossTab(r.cat, r.cat2, m.list.parsed)
	case reqFilterCell:
		// narrowed from the query the table counted, not from the line
		q := search.NarrowOption(search.NarrowOption(m.list.query(), r.cat, r.opt), r.cat2, r.opt2)
		m.state, m.list.focus = stateList, focusList
		return m, tea.Batch(m.list.setQuery(q), m.c.setStatus(statusInfo, "filter: "+oneLine(q)))
	case reqFilterBy:
		q := search.ToggleOption(m.list.input.Value(), r.cat, r.opt)
		status := m.c.setStatus(statusInfo, "filter: "+oneLine(q))
		return m, tea.Batch(m.list.setQuery(q), status)
	case reqReload:
		// the query, the screen and the open incident stay; the incidents
		// and their counts are read again
		return m, tea.Batch(m.c.setStatus(statusInfo, "reloading "+m.c.backend.Path()+"…"), loadCmd(m.c.backend))
	}
	return m.triageRequest(r)
}

// triageRequest takes the requests that change triage, rulings included,
// or copy what identifies incidents, and passes the others on.
func (m model) triageRequest(r request) (tea.Model, tea.Cmd) {
	switch r.kind {
	case reqTriage:
		m = m.leaveOverlay()
		m.list.allArmed = false
		return m.changeTriage(r.ids, r.what, r.apply)
	case reqUndo:
		return m.undoLast()
	case reqPickStatus:
		return m.pickStatus(r)
	case reqSetStatus:
		m = m.leaveOverlay()
		m.list.allArmed = false
		status := r.text
		return m.changeTriage(r.ids, "status", func(t *incident.Triage, st incident.Stamp) { t.SetStatus(status, st) })
	case reqCorrect:
		return m.pickOptions(r)
	case reqSetTaxonomy:
		m = m.leaveOverlay()
		cat, opts := r.cat, r.opts
		if r.withdraw {
			opts = nil
		}
		return m.changeTriage(r.ids, "taxonomy", func(t *incident.Triage, st incident.Stamp) { t.SetTaxonomy(cat, opts, st) })
	case reqSplit:
		return m.split(r)
	case reqJoin:
		return m.join(r)
	case reqSetRuling:
		m = m.leaveOverlay()
		ruling := r.text
		return m.changeTriage(r.ids, "event", func(t *incident.Triage, st incident.Stamp) { t.SetEvent(ruling, st) })
	case reqCopyID, reqCopyRef:
		return m, m.copy(r)
	}
	return m.noteRequest(r)
}

// noteRequest takes the requests of the note and tag editors, and passes
// the others on.
func (m model) noteRequest(r request) (tea.Model, tea.Cmd) {
	switch r.kind {
	case reqEditNote, reqEditTags:
		if m.c.backend.ReadOnly() {
			// say so before the user writes something that cannot be kept
			return m, m.c.setStatus(statusWarn, readOnlyNotice)
		}
		m = m.leaveOverlay()
		return m.startEdit(r)
	case reqExternalEdit:
		return m, editorCmd(r.text)
	case reqSaveNote:
		m.state = m.under
		delete(m.drafts, r.id)
		var quit tea.Cmd
		if r.quit {
			quit = tea.Quit
		}
		in, _ := m.c.summary(r.id)
		if in.Triage.NoteBy(m.c.backend.Reviewer()) == r.text {
			return m, quit
		}
		next, cmd := m.changeTriage([]string{r.id}, "note", func(t *incident.Triage, st incident.Stamp) { t.SetNote(r.text, st) })
		if r.quit {
			// the save runs before the program ends: a quit after it
			return next, tea.Sequence(cmd, tea.Quit)
		}
		return next, cmd
	case reqKeepDraft:
		m.state = m.under
		m.drafts[r.id] = r.text
		return m, m.c.setStatus(statusWarn, "note kept as a draft, not saved: "+m.c.keys.Triage.EditNote.Help().Key+" on the incident resumes it")
	case reqSaveTags:
		m.state = m.under
		tags := parseTags(r.text)
		return m.changeTriage([]string{r.id}, "tags", func(t *incident.Triage, st incident.Stamp) { t.SetTags(tags, st) })
	case reqBulkTags:
		m.state = m.under
		m.list.allArmed = false
		add, remove := bulkTags(r.text)
		return m.changeTriage(r.ids, "tags", func(t *incident.Triage, st incident.Stamp) {
			for _, tag := range add {
				t.SetTag(tag, true, st)
			}
			for _, tag := range remove {
				t.SetTag(tag, false, st)
			}
		})
	}
	return m.fileRequest(r)
}

// fileRequest takes the requests that write files or saved views.
func (m model) fileRequest(r request) (tea.Model, tea.Cmd) {
	switch r.kind {
	case reqExport:
		m.under, m.state = m.state, statePrompt
		prompt := fmt.Sprintf("Export %d incidents to (%s): ", len(m.list.result.Hits), exportExtensions())
		return m, m.prompt.start(promptExport, prompt, defaultExportName, "")
	case reqWriteExport:
		m.state = m.under
		return m, m.export(r.text)
	case reqSaveView:
		m.under, m.state = m.state, statePrompt
		return m, m.prompt.start(promptViewName, "Save this view as: ", "", "")
	case reqNameView:
		m.state = m.under
		return m, m.saveView(r.text)
	case reqViews:
		return m, loadViewsCmd(m.c.backend)
	case reqApplyView:
		m = m.leaveOverlay()
		return m.applyView(r.text)
	case reqDeleteView:
		name := r.text
		return m, storeCmd("deleted view "+oneLine(name), func() error { return m.c.backend.DeleteView(name) })
	}
	return m, nil
}

// leaveOverlay returns from a picker or a question to the screen under it.
func (m model) leaveOverlay() model {
	if m.state == statePicker || m.state == stateConfirm {
		m.state = m.under
	}
	return m
}

// remember keeps q in the query history, in memory and in the database.
func (m *model) remember(q string) tea.Cmd {
	if strings.TrimSpace(q) == "" || (len(m.list.hist) > 0 && m.list.hist[0] == q) {
		return nil
	}
	m.list.remember(q)
	if m.c.backend.ReadOnly() {
		return nil
	}
	b := m.c.backend
	return storeCmd("", func() error { return b.AddHistory(q) })
}

// pickStatus opens the status picker for r.ids.
func (m model) pickStatus(r request) (tea.Model, tea.Cmd) {
	m = m.leaveOverlay()
	current := ""
	if in, ok := m.c.summary(r.ids[0]); ok && len(r.ids) == 1 {
		current = in.Triage.State()
	}
	var items []pickItem
	for _, st := range incident.Statuses {
		items = append(items, pickItem{value: st, label: st, on: st == current})
	}
	title := "Status"
	if len(r.ids) > 1 {
		title = fmt.Sprintf("Status of %d incidents", len(r.ids))
	}
	m.under, m.state = m.state, statePicker
	m.picker.start(pickStatus, title, items, r.ids, "")
	return m, nil
}

// pickOptions opens the options picker of category r.cat of incident r.id:
// the category's vocabulary, the options in force ticked.
func (m model) pickOptions(r request) (tea.Model, tea.Cmd) {
	if m.c.backend.ReadOnly() {
		return m, m.c.setStatus(statusWarn, readOnlyNotice)
	}
	spec, ok := incident.CategoryByKey(r.cat)
	if !ok {
		return m, nil
	}
	in := m.detail.in
	source := in.Taxonomy[r.cat].Options
	current := in.Triage.EffectiveTaxonomy(in.Taxonomy)[r.cat].Options
	var items []pickItem
	for _, opt := range spec.Options {
		it := pickItem{value: opt, label: opt, on: contains(current, opt)}
		if contains(source, opt) {
			it.desc = "the source's"
		}
		items = append(items, it)
	}
	title := fmt.Sprintf("%s: the options that apply (source: %s)", categoryName(r.cat), orNone(source))
	m.under, m.state = m.state, statePicker
	m.picker.start(pickTaxonomy, title, items, []string{r.id}, r.cat)
	return m, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// copy puts the id, or a Markdown reference, of r.ids on the clipboard.
// A reference links to the source, whose address is in the incident's
// texts: they are read in the command, as an open does.
func (m model) copy(r request) tea.Cmd {
	ix, ref := m.c.index, r.kind == reqCopyRef
	open := m.detail.in
	return copyCmd(m.c.clipboard, func() (string, string) {
		var parts []string
		for _, id := range r.ids {
			in := open
			if id != open.ID || open.Title == "" {
				var ok bool
				if in, ok = ix.Get(id); !ok && in.ID == "" {
					continue
				}
			}
			if ref {
				parts = append(parts, markdownRef(in))
			} else {
				parts = append(parts, displayID(in))
			}
		}
		what := ""
		switch {
		case len(parts) > 1 && ref:
			what = fmt.Sprintf("%d references", len(parts))
		case len(parts) > 1:
			what = fmt.Sprintf("%d ids", len(parts))
		case ref:
			what = "a Markdown reference"
		case len(parts) == 1:
			what = parts[0]
		}
		return strings.Join(parts, "\n"), what
	})
}

// startEdit opens the note editor or the tags prompt on r.ids.
func (m model) startEdit(r request) (tea.Model, tea.Cmd) {
	id := r.ids[0]
	in, _ := m.c.summary(id)
	m.under = m.state
	if r.kind == reqEditNote {
		m.state = stateNote
		note := in.Triage.NoteBy(m.c.backend.Reviewer())
		if draft, ok := m.drafts[id]; ok {
			return m, m.note.resume(id, in.Title, note, draft)
		}
		return m, m.note.start(id, in.Title, note)
	}
	m.state = statePrompt
	if len(r.ids) > 1 {
		cmd := m.prompt.start(promptBulkTags, fmt.Sprintf("Tags for %d incidents (-tag removes): ", len(r.ids)), "", "")
		m.prompt.ids = r.ids
		return m, cmd
	}
	tags := in.Triage.TagList()
	for i, t := range tags {
		tags[i] = oneLine(t)
	}
	return m, m.prompt.start(promptTags, "Tags (comma separated): ", strings.Join(tags, ", "), id)
}

// back leaves the current screen for the one under it. Back on the list
// from the detail puts the cursor on the incident last shown, or where it
// was when a triage change took it out of the list.
func (m model) back() (tea.Model, tea.Cmd) {
	switch m.state {
	case stateDetail:
		if m.detailFrom == stateLessons {
			m.state = stateLessons
			m.lessons.selectIncident(m.detail.id)
			return m, nil
		}
		m.state = stateList
		if m.list.selectedID() != m.detail.id && !m.list.selectID(m.detail.id) {
			if p := m.detail.position(); p >= 0 {
				m.list.selectNear(m.detail.queue, p)
			}
		}
		return m, m.list.refresh()
	case stateHelp, stateNote, statePrompt, statePicker, stateConfirm:
		m.state = m.under
	default:
		m.state = stateList
	}
	return m, nil
}

// saveView saves the list's query, order and facets under name.
func (m model) saveView(name string) tea.Cmd {
	name = strings.TrimSpace(name)
	if name == "" {
		return m.c.setStatus(statusInfo, "no name: view not saved")
	}
	v := SavedView{Name: name, Query: m.list.input.Value(), Sort: m.list.sort.String(), Reverse: m.list.reverse, Facets: m.list.showFacets}
	b := m.c.backend
	if b.ReadOnly() {
		return m.c.setStatus(statusWarn, readOnlyNotice)
	}
	return storeCmd(fmt.Sprintf("saved view %s: %s", oneLine(name), oneLine(v.Query)), func() error { return b.SaveView(v) })
}

// showViews opens the picker of saved views.
func (m model) showViews(msg viewsLoadedMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if msg.err != nil {
		cmd = m.c.setStatus(statusError, oneLine(msg.err.Error()))
	}
	if len(msg.views) == 0 {
		return m, tea.Batch(cmd, m.c.setStatus(statusInfo, "no saved views: "+m.c.keys.List.SaveView.Help().Key+" saves the current one"))
	}
	var items []pickItem
	for _, v := range msg.views {
		desc := v.Query
		if desc == "" {
			desc = "(everything)"
		}
		if v.Sort != "" && v.Sort != search.Relevance.String() {
			desc += " · sort " + v.Sort
		}
		items = append(items, pickItem{value: v.Name, label: v.Name, desc: desc})
	}
	m.list.views = msg.views
	m.under, m.state = m.state, statePicker
	m.picker.start(pickView, "Saved views", items, nil, "")
	return m, cmd
}

// applyView puts the saved view called name on the list.
func (m model) applyView(name string) (tea.Model, tea.Cmd) {
	for _, v := range m.list.views {
		if v.Name != name {
			continue
		}
		if s, ok := search.ParseSort(v.Sort); ok {
			m.list.sort = s
		}
		m.list.reverse, m.list.showFacets = v.Reverse, v.Facets
		m.list.focus = focusList
		m.state = stateList
		return m, tea.Batch(m.list.setQuery(v.Query), m.c.setStatus(statusInfo, "view "+oneLine(name)))
	}
	return m, nil
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
		return detailHelp{k: m.c.keys}
	case stateStats:
		return statsHelp{k: m.c.keys, table: m.stats.cross.active}
	case stateLessons:
		return lessonsHelp{k: m.c.keys, open: m.lessons.open >= 0}
	}
	return listHelp{k: m.c.keys, focus: focusList}
}

func (m model) View() string {
	switch m.state {
	case stateLoading:
		return m.c.styles.Subtle.Render("loading incidents…")
	case stateFatal:
		return m.fatalView()
	case stateHelp:
		return m.help.view()
	case stateNote:
		return m.note.view()
	case statePrompt:
		return replaceLastLines(m.screenView(m.under), m.prompt.view(), m.c.height)
	case statePicker:
		return replaceLastLines(m.screenView(m.under), m.picker.view(), m.c.height)
	case stateConfirm:
		return replaceLastLines(m.screenView(m.under), m.confirm.view(), m.c.height)
	}
	return m.screenView(m.state)
}

// screenView draws one of the screens prompts and pickers open over.
func (m model) screenView(st state) string {
	switch st {
	case stateDetail:
		return m.detail.view()
	case stateStats:
		return m.stats.view()
	case stateLessons:
		return m.lessons.view()
	case stateNote:
		return m.note.view()
	}
	return m.list.view()
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
	reqQuit
	reqSay
	reqHelp
	reqStats
	reqFilterBy
	reqTriage
	reqUndo
	reqPickStatus
	reqSetStatus
	reqCorrect
	reqSetTaxonomy
	reqEditNote
	reqEditTags
	reqExternalEdit
	reqSaveNote
	reqKeepDraft
	reqSaveTags
	reqBulkTags
	reqCopyID
	reqCopyRef
	reqExport
	reqWriteExport
	reqReload
	reqRemember
	reqSaveView
	reqNameView
	reqViews
	reqApplyView
	reqDeleteView
	reqSplit
	reqJoin
	reqSetRuling
	reqLessons
	reqPickCross
	reqCrossTab
	reqFilterCell
)

// request is returned by a screen's update for what only the root can do:
// switch screens, change triage, export.
type request struct {
	kind      requestKind
	id        string
	ids       []string // the incidents a triage request acts on
	scope     scope    // how ids were chosen: all matching ones are confirmed first
	confirmed bool
	cat, opt  string
	cat2      string   // the second category of a cross-tab, or its cell's
	opt2      string   // the option of a cross-tab cell's column
	queue     []string // the incidents an opened one walks through; nil: the list's
	opts      []string // the options of a taxonomy correction
	withdraw  bool     // withdraw the correction: the source's options apply
	text      string
	what      string // the kind of triage change, for undo
	quit      bool   // quit once done
	apply     func(*incident.Triage, incident.Stamp)
}
