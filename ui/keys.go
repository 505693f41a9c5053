package ui

import (
	"github.com/charmbracelet/bubbles/key"
)

// keyGroup is a named set of bindings, shown together in the help screen.
type keyGroup struct {
	Name     string
	Bindings []key.Binding
}

// Help groups, in the order the help screen lists them.
const (
	groupNavigation = "Navigation"
	groupFilter     = "Filter"
	groupTriage     = "Triage"
	groupApp        = "App"
)

// AppKeys work on every screen that is not taking text.
type AppKeys struct {
	Help   key.Binding
	Quit   key.Binding
	Stats  key.Binding
	Export key.Binding
	Reload key.Binding
}

// TriageKeys edit the triage of the incident under the cursor.
type TriageKeys struct {
	CycleStatus key.Binding
	Star        key.Binding
	EditNote    key.Binding
	EditTags    key.Binding
}

// ListKeys drive the incident list.
type ListKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	OpenDetail       key.Binding
	FocusQuery       key.Binding
	ClearQuery       key.Binding
	RemoveFilter     key.Binding
	Sort             key.Binding
	ReverseSort      key.Binding
	ToggleFacets     key.Binding
	SwitchFocus      key.Binding
}

// QueryKeys are live while the query line takes text.
type QueryKeys struct {
	OpenDetail key.Binding
	IntoList   key.Binding
	Clear      key.Binding
	ForceQuit  key.Binding
}

// FacetKeys drive the facets panel when it has focus.
type FacetKeys struct {
	Up, Down      key.Binding
	NextCategory  key.Binding
	PrevCategory  key.Binding
	ToggleFacet   key.Binding
	ExcludeFacet  key.Binding
	ClearCategory key.Binding
	SwitchFocus   key.Binding
	Close         key.Binding
}

// DetailKeys drive the incident detail view.
type DetailKeys struct {
	NextSection, PrevSection key.Binding
	GotoSection              key.Binding
	Down, Up                 key.Binding
	HalfDown, HalfUp         key.Binding
	Top, Bottom              key.Binding
	NextIncident             key.Binding
	PrevIncident             key.Binding
	OpenRelated              key.Binding
	Back                     key.Binding
}

// StatsKeys drive the stats screen.
type StatsKeys struct {
	Up, Down    key.Binding
	FilterByBar key.Binding
	Back        key.Binding
}

// HelpKeys close the help screen.
type HelpKeys struct {
	Close key.Binding
}

// EditorKeys are live in the note editor and the one-line prompts.
type EditorKeys struct {
	Save      key.Binding
	Accept    key.Binding
	Cancel    key.Binding
	ForceQuit key.Binding
}

// KeyMap holds one keymap per screen. Nothing outside this file binds a
// literal key.
type KeyMap struct {
	App    AppKeys
	Triage TriageKeys
	List   ListKeys
	Query  QueryKeys
	Facets FacetKeys
	Detail DetailKeys
	Stats  StatsKeys
	Help   HelpKeys
	Editor EditorKeys
}

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns the bindings faultline ships with.
func DefaultKeyMap() KeyMap {
	forceQuit := bind("ctrl+c", "quit", "ctrl+c")
	return KeyMap{
		App: AppKeys{
			Help:   bind("?", "help", "?"),
			Quit:   bind("q", "quit", "q", "ctrl+c"),
			Stats:  bind("v", "stats", "v"),
			Export: bind("E", "export", "E"),
			Reload: bind("ctrl+r", "reload the database", "ctrl+r"),
		},
		Triage: TriageKeys{
			CycleStatus: bind("t", "status", "t"),
			Star:        bind("*", "star", "*"),
			EditNote:    bind("e", "note", "e"),
			EditTags:    bind("#", "tags", "#"),
		},
		List: ListKeys{
			Up:           bind("↑/k", "up", "up", "k"),
			Down:         bind("↓/j", "down", "down", "j"),
			PageUp:       bind("pgup", "page up", "pgup", "ctrl+u"),
			PageDown:     bind("pgdn", "page down", "pgdown", "ctrl+d"),
			Top:          bind("g", "top", "g", "home"),
			Bottom:       bind("G", "bottom", "G", "end"),
			OpenDetail:   bind("enter", "open", "enter"),
			FocusQuery:   bind("/", "search", "/"),
			ClearQuery:   bind("esc", "clear query", "esc"),
			RemoveFilter: bind("⌫", "drop last filter", "backspace"),
			Sort:         bind("s", "sort", "s"),
			ReverseSort:  bind("S", "reverse", "S"),
			ToggleFacets: bind("f", "facets", "f"),
			SwitchFocus:  bind("tab", "list/facets", "tab"),
		},
		Query: QueryKeys{
			OpenDetail: bind("enter", "open", "enter"),
			IntoList:   bind("↓", "to list", "down"),
			Clear:      bind("esc", "clear/leave", "esc"),
			ForceQuit:  forceQuit,
		},
		Facets: FacetKeys{
			Up:            bind("↑/k", "up", "up", "k"),
			Down:          bind("↓/j", "down", "down", "j"),
			NextCategory:  bind("]/pgdn", "next category", "]", "pgdown", "J"),
			PrevCategory:  bind("[/pgup", "prev category", "[", "pgup", "K"),
			ToggleFacet:   bind("space", "toggle", " "),
			ExcludeFacet:  bind("x", "exclude", "x"),
			ClearCategory: bind("c", "clear category", "c"),
			SwitchFocus:   bind("tab", "list/facets", "tab"),
			Close:         bind("f/esc", "close", "f", "esc"),
		},
		Detail: DetailKeys{
			NextSection:  bind("tab", "next section", "tab", "right", "l"),
			PrevSection:  bind("shift+tab", "prev section", "shift+tab", "left", "h"),
			GotoSection:  bind("1-9", "section", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
			Down:         bind("j/↓", "scroll down", "j", "down"),
			Up:           bind("k/↑", "scroll up", "k", "up"),
			HalfDown:     bind("ctrl+d", "half page down", "ctrl+d", "pgdown", " "),
			HalfUp:       bind("ctrl+u", "half page up", "ctrl+u", "pgup"),
			Top:          bind("g", "top", "g", "home"),
			Bottom:       bind("G", "bottom", "G", "end"),
			NextIncident: bind("n", "next incident", "n"),
			PrevIncident: bind("p", "prev incident", "p"),
			OpenRelated:  bind("enter", "open related", "enter"),
			Back:         bind("esc", "back", "esc", "backspace"),
		},
		Stats: StatsKeys{
			Up:          bind("↑/k", "up", "up", "k"),
			Down:        bind("↓/j", "down", "down", "j"),
			FilterByBar: bind("enter", "filter by bar", "enter"),
			Back:        bind("esc", "back", "esc", "v"),
		},
		Help: HelpKeys{
			Close: bind("esc/?", "close help", "esc", "?"),
		},
		Editor: EditorKeys{
			Save:      bind("ctrl+s", "save", "ctrl+s"),
			Accept:    bind("enter", "accept", "enter"),
			Cancel:    bind("esc", "cancel", "esc"),
			ForceQuit: forceQuit,
		},
	}
}

// setEnabled switches triage bindings on when there is an incident to act
// on.
func (k *TriageKeys) setEnabled(on bool) {
	k.CycleStatus.SetEnabled(on)
	k.Star.SetEnabled(on)
	k.EditNote.SetEnabled(on)
	k.EditTags.SetEnabled(on)
}

func (k TriageKeys) bindings() []key.Binding {
	return []key.Binding{k.CycleStatus, k.Star, k.EditNote, k.EditTags}
}

// listHelp is the help.KeyMap of the list screen; which part is live
// depends on focus (query line, list or facets panel).
type listHelp struct {
	k     KeyMap
	focus focus
}

func (h listHelp) ShortHelp() []key.Binding {
	switch h.focus {
	case focusQuery:
		q := h.k.Query
		return []key.Binding{q.OpenDetail, q.IntoList, q.Clear, q.ForceQuit}
	case focusFacets:
		f := h.k.Facets
		return []key.Binding{f.ToggleFacet, f.ExcludeFacet, f.ClearCategory, f.NextCategory, f.SwitchFocus, f.Close, h.k.App.Help}
	}
	l := h.k.List
	return []key.Binding{l.OpenDetail, l.FocusQuery, l.ToggleFacets, l.Sort, h.k.Triage.CycleStatus, h.k.Triage.Star, h.k.App.Stats, h.k.App.Help, h.k.App.Quit}
}

func (h listHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

// Groups lists every binding of the list screen by purpose.
func (h listHelp) Groups() []keyGroup {
	l, f, q := h.k.List, h.k.Facets, h.k.Query
	return []keyGroup{
		{groupNavigation, []key.Binding{l.Up, l.Down, l.PageUp, l.PageDown, l.Top, l.Bottom, l.OpenDetail, q.IntoList, l.SwitchFocus}},
		{groupFilter, []key.Binding{l.FocusQuery, l.ClearQuery, l.RemoveFilter, l.Sort, l.ReverseSort, l.ToggleFacets, f.NextCategory, f.PrevCategory, f.ToggleFacet, f.ExcludeFacet, f.ClearCategory}},
		{groupTriage, h.k.Triage.bindings()},
		{groupApp, []key.Binding{h.k.App.Stats, h.k.App.Export, h.k.App.Reload, h.k.App.Help, h.k.App.Quit}},
	}
}

// detailHelp is the help.KeyMap of the detail screen.
type detailHelp struct{ k KeyMap }

func (h detailHelp) ShortHelp() []key.Binding {
	d := h.k.Detail
	return []key.Binding{d.NextSection, d.GotoSection, d.Down, d.OpenRelated, d.NextIncident, d.Back, h.k.Triage.CycleStatus, h.k.Triage.Star, h.k.Triage.EditNote, h.k.App.Help}
}

func (h detailHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

func (h detailHelp) Groups() []keyGroup {
	d := h.k.Detail
	return []keyGroup{
		{groupNavigation, []key.Binding{d.NextSection, d.PrevSection, d.GotoSection, d.Down, d.Up, d.HalfDown, d.HalfUp, d.Top, d.Bottom, d.NextIncident, d.PrevIncident, d.OpenRelated, d.Back}},
		{groupTriage, h.k.Triage.bindings()},
		{groupApp, []key.Binding{h.k.App.Stats, h.k.App.Export, h.k.App.Reload, h.k.App.Help, h.k.App.Quit}},
	}
}

// statsHelp is the help.KeyMap of the stats screen.
type statsHelp struct{ k KeyMap }

func (h statsHelp) ShortHelp() []key.Binding {
	s := h.k.Stats
	return []key.Binding{s.Up, s.Down, s.FilterByBar, s.Back, h.k.App.Help, h.k.App.Quit}
}

func (h statsHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

func (h statsHelp) Groups() []keyGroup {
	s := h.k.Stats
	return []keyGroup{
		{groupNavigation, []key.Binding{s.Up, s.Down, s.Back}},
		{groupFilter, []key.Binding{s.FilterByBar}},
		{groupApp, []key.Binding{h.k.App.Export, h.k.App.Help, h.k.App.Quit}},
	}
}

// helpHelp is the help.KeyMap of the help screen itself.
type helpHelp struct{ k KeyMap }

func (h helpHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Help.Close, h.k.App.Quit}
}

func (h helpHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// editorHelp is the help.KeyMap of the note editor and prompts.
type editorHelp struct {
	k         KeyMap
	multiline bool
}

func (h editorHelp) ShortHelp() []key.Binding {
	e := h.k.Editor
	if h.multiline {
		return []key.Binding{e.Save, bind("esc", "save and close", "esc"), e.ForceQuit}
	}
	return []key.Binding{e.Accept, e.Cancel, e.ForceQuit}
}

func (h editorHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// groupedKeyMap is a help.KeyMap whose full help is grouped by purpose.
type groupedKeyMap interface {
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	Groups() []keyGroup
}

func groupsToColumns(gs []keyGroup) [][]key.Binding {
	cols := make([][]key.Binding, 0, len(gs))
	for _, g := range gs {
		cols = append(cols, g.Bindings)
	}
	return cols
}
