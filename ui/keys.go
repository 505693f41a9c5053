package ui

import (
	"slices"

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
	Help    key.Binding
	Quit    key.Binding
	Stats   key.Binding
	Lessons key.Binding
	Export  key.Binding
	Reload  key.Binding
	Undo    key.Binding
	CopyID  key.Binding
	CopyRef key.Binding
}

// NavKeys move a cursor over rows, or scroll text, on every screen.
type NavKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// TriageKeys edit the triage of the incident under the cursor, or of the
// marked incidents.
type TriageKeys struct {
	CycleStatus key.Binding
	PrevStatus  key.Binding
	PickStatus  key.Binding
	Star        key.Binding
	EditNote    key.Binding
	EditTags    key.Binding
	SplitEvent  key.Binding
	JoinEvent   key.Binding
}

// ListKeys drive the incident list.
type ListKeys struct {
	OpenDetail   key.Binding
	FocusQuery   key.Binding
	ClearQuery   key.Binding
	RemoveFilter key.Binding
	Sort         key.Binding
	ReverseSort  key.Binding
	ToggleFacets key.Binding
	SwitchFocus  key.Binding
	Mark         key.Binding
	MarkAll      key.Binding
	SaveView     key.Binding
	Views        key.Binding
	// GroupEvents shows one row per event; on the list it takes the keys
	// of Nav.Top it uses (see listNav).
	GroupEvents   key.Binding
	ExpandEvent   key.Binding
	CollapseEvent key.Binding
}

// QueryKeys are live while the query line takes text.
type QueryKeys struct {
	OpenDetail key.Binding
	IntoList   key.Binding
	Clear      key.Binding
	Complete   key.Binding
	NextRow    key.Binding
	PrevRow    key.Binding
	History    key.Binding
	ForceQuit  key.Binding
}

// FacetKeys drive the facets panel when it has focus.
type FacetKeys struct {
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
	HalfDown, HalfUp         key.Binding
	NextIncident             key.Binding
	PrevIncident             key.Binding
	Select                   key.Binding
	Correct                  key.Binding
	Find                     key.Binding
	NextMatch, PrevMatch     key.Binding
	Back                     key.Binding
}

// StatsKeys drive the stats screen, its bars and its cross-tab.
type StatsKeys struct {
	FilterByBar  key.Binding
	CrossTab     key.Binding
	PrevColumn   key.Binding
	NextColumn   key.Binding
	FilterByCell key.Binding
	Back         key.Binding
}

// LessonsKeys drive the lessons screen: its lessons, and the incidents of
// the one opened.
type LessonsKeys struct {
	Open key.Binding
	Copy key.Binding
	Back key.Binding
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
	External  key.Binding
	Draft     key.Binding
	ForceQuit key.Binding
}

// PickerKeys drive a list of choices: statuses, taxonomy options, views.
type PickerKeys struct {
	Toggle   key.Binding
	Accept   key.Binding
	Withdraw key.Binding
	Delete   key.Binding
	Cancel   key.Binding
}

// ConfirmKeys answer a question.
type ConfirmKeys struct {
	Yes, No key.Binding
}

// KeyMap holds one keymap per screen, and the navigation they share.
// Nothing outside this file binds a literal key; a config file rebinds
// any of them by group and name (see config.go).
type KeyMap struct {
	App     AppKeys
	Nav     NavKeys
	Triage  TriageKeys
	List    ListKeys
	Query   QueryKeys
	Facets  FacetKeys
	Detail  DetailKeys
	Stats   StatsKeys
	Lessons LessonsKeys
	Help    HelpKeys
	Editor  EditorKeys
	Picker  PickerKeys
	Confirm ConfirmKeys
}

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns the bindings faultline ships with.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		App: AppKeys{
			Help:    bind("?", "help", "?"),
			Quit:    bind("q", "quit", "q", "ctrl+c"),
			Stats:   bind("v", "stats", "v"),
			Lessons: bind("L", "lessons", "L"),
			Export:  bind("E", "export", "E"),
			Reload:  bind("ctrl+r", "reload the database", "ctrl+r"),
			Undo:    bind("u", "undo triage", "u"),
			CopyID:  bind("y", "copy id", "y"),
			CopyRef: bind("Y", "copy Markdown reference", "Y"),
		},
		Nav: NavKeys{
			Up:       bind("↑/k", "up", "up", "k"),
			Down:     bind("↓/j", "down", "down", "j"),
			PageUp:   bind("pgup", "page up", "pgup", "ctrl+b"),
			PageDown: bind("pgdn", "page down", "pgdown", "ctrl+f"),
			Top:      bind("g/home", "top", "g", "home"),
			Bottom:   bind("G/end", "bottom", "G", "end"),
		},
		Triage: TriageKeys{
			CycleStatus: bind("t", "next status", "t"),
			PrevStatus:  bind("T", "previous status", "T"),
			PickStatus:  bind("s", "set status", "s"),
			Star:        bind("*", "star", "*"),
			EditNote:    bind("e", "note", "e"),
			EditTags:    bind("#", "tags", "#"),
			SplitEvent:  bind("-", "split from its event", "-"),
			JoinEvent:   bind("+", "join with another event", "+"),
		},
		List: ListKeys{
			OpenDetail:    bind("enter", "open", "enter"),
			FocusQuery:    bind("/", "search", "/"),
			ClearQuery:    bind("esc", "clear marks/query", "esc"),
			RemoveFilter:  bind("⌫", "drop last filter", "backspace"),
			Sort:          bind("o", "sort", "o"),
			ReverseSort:   bind("O", "reverse", "O"),
			ToggleFacets:  bind("f", "facets", "f"),
			SwitchFocus:   bind("tab", "list/facets", "tab"),
			Mark:          bind("space", "mark", " "),
			MarkAll:       bind("A", "act on all matching", "A"),
			SaveView:      bind("w", "save view", "w"),
			Views:         bind("V", "saved views", "V"),
			GroupEvents:   bind("g", "one row per event", "g"),
			ExpandEvent:   bind("→/l", "show the reports", "right", "l"),
			CollapseEvent: bind("←/h", "hide the reports", "left", "h"),
		},
		Query: QueryKeys{
			OpenDetail: bind("enter", "open", "enter"),
			IntoList:   bind("↓", "to list", "down"),
			Clear:      bind("esc", "clear/leave", "esc"),
			Complete:   bind("tab", "complete", "tab"),
			NextRow:    bind("ctrl+n/j", "next row", "ctrl+n", "ctrl+j"),
			PrevRow:    bind("ctrl+p/k", "previous row", "ctrl+p", "ctrl+k"),
			History:    bind("↑", "history", "up"),
			ForceQuit:  bind("ctrl+c", "quit", "ctrl+c"),
		},
		Facets: FacetKeys{
			NextCategory:  bind("]", "next category", "]", "J"),
			PrevCategory:  bind("[", "prev category", "[", "K"),
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
			HalfDown:     bind("ctrl+d", "half page down", "ctrl+d", " "),
			HalfUp:       bind("ctrl+u", "half page up", "ctrl+u"),
			NextIncident: bind("n", "next in queue", "n"),
			PrevIncident: bind("p", "prev in queue", "p"),
			Select:       bind("enter", "open/expand", "enter"),
			Correct:      bind("c", "correct options", "c"),
			Find:         bind("/", "find", "/"),
			NextMatch:    bind("n", "next match", "n"),
			PrevMatch:    bind("N", "prev match", "N"),
			Back:         bind("esc", "back", "esc", "backspace"),
		},
		Stats: StatsKeys{
			FilterByBar:  bind("enter", "filter by bar", "enter"),
			CrossTab:     bind("x", "cross-tab by…", "x"),
			PrevColumn:   bind("←/h", "left", "left", "h"),
			NextColumn:   bind("→/l", "right", "right", "l"),
			FilterByCell: bind("enter", "filter by cell", "enter"),
			Back:         bind("esc", "back", "esc", "v"),
		},
		Lessons: LessonsKeys{
			Open: bind("enter", "open", "enter"),
			Copy: bind("c", "copy checklist", "c"),
			Back: bind("esc", "back", "esc", "backspace"),
		},
		Help: HelpKeys{
			Close: bind("esc/?", "close help", "esc", "?"),
		},
		Editor: EditorKeys{
			Save:      bind("ctrl+s", "save", "ctrl+s"),
			Accept:    bind("enter", "accept", "enter"),
			Cancel:    bind("esc", "cancel", "esc"),
			External:  bind("ctrl+e", "$EDITOR", "ctrl+e"),
			Draft:     bind("d", "keep as draft", "d"),
			ForceQuit: bind("ctrl+c", "quit", "ctrl+c"),
		},
		Picker: PickerKeys{
			Toggle:   bind("space", "toggle", " "),
			Accept:   bind("enter", "choose", "enter"),
			Withdraw: bind("x", "back to the source's", "x"),
			Delete:   bind("d", "delete", "d"),
			Cancel:   bind("esc", "cancel", "esc"),
		},
		Confirm: ConfirmKeys{
			Yes: bind("y", "yes", "y", "Y"),
			No:  bind("n/esc", "no", "n", "N", "esc"),
		},
	}
}

// setEnabled switches triage bindings on when there is an incident to act
// on.
func (k *TriageKeys) setEnabled(on bool) {
	for _, b := range []*key.Binding{&k.CycleStatus, &k.PrevStatus, &k.PickStatus, &k.Star, &k.EditNote, &k.EditTags, &k.SplitEvent, &k.JoinEvent} {
		b.SetEnabled(on)
	}
}

func (k TriageKeys) bindings() []key.Binding {
	return []key.Binding{k.CycleStatus, k.PrevStatus, k.PickStatus, k.Star, k.EditNote, k.EditTags, k.SplitEvent, k.JoinEvent}
}

func (k NavKeys) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// listNav is the navigation of the incident list: the shared one with
// Top giving up the keys the list's GroupEvents takes (g, by default,
// there toggles events; home still goes to the top). Only Top may share
// a key with GroupEvents (see shadows).
func (k KeyMap) listNav() NavKeys {
	n := k.Nav
	if !k.List.GroupEvents.Enabled() {
		return n
	}
	taken := k.List.GroupEvents.Keys()
	keys := slices.DeleteFunc(slices.Clone(n.Top.Keys()), func(k string) bool { return slices.Contains(taken, k) })
	if len(keys) < len(n.Top.Keys()) {
		n.Top = key.NewBinding(key.WithKeys(keys...), key.WithHelp(keysHelp(keys), n.Top.Help().Desc))
		n.Top.SetEnabled(len(keys) > 0)
	}
	return n
}

// appGroup is the App group of every screen's help.
func (k KeyMap) appGroup() keyGroup {
	a := k.App
	return keyGroup{groupApp, []key.Binding{a.Undo, a.CopyID, a.CopyRef, a.Stats, a.Lessons, a.Export, a.Reload, a.Help, a.Quit}}
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
		return []key.Binding{q.OpenDetail, q.Complete, q.NextRow, q.IntoList, q.History, q.Clear, q.ForceQuit}
	case focusFacets:
		f := h.k.Facets
		return []key.Binding{f.ToggleFacet, f.ExcludeFacet, f.ClearCategory, f.NextCategory, f.SwitchFocus, f.Close, h.k.App.Help, h.k.App.Quit}
	}
	l, t := h.k.List, h.k.Triage
	return []key.Binding{l.OpenDetail, l.FocusQuery, l.Mark, t.CycleStatus, t.Star, h.k.App.Undo, l.ToggleFacets, l.ExpandEvent, l.GroupEvents, l.Views, l.Sort, h.k.App.Stats, h.k.App.Help, h.k.App.Quit}
}

func (h listHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

// Groups lists every binding of the list screen by purpose.
func (h listHelp) Groups() []keyGroup {
	l, f, q := h.k.List, h.k.Facets, h.k.Query
	nav := append(h.k.listNav().bindings(), l.OpenDetail, l.ExpandEvent, l.CollapseEvent, q.IntoList, q.NextRow, q.PrevRow, l.SwitchFocus)
	return []keyGroup{
		{groupNavigation, nav},
		{groupFilter, []key.Binding{l.FocusQuery, q.Complete, q.History, l.ClearQuery, l.RemoveFilter, l.Sort, l.ReverseSort,
			l.GroupEvents, l.ToggleFacets, f.NextCategory, f.PrevCategory, f.ToggleFacet, f.ExcludeFacet, f.ClearCategory, l.SaveView, l.Views}},
		{groupTriage, append([]key.Binding{l.Mark, l.MarkAll}, h.k.Triage.bindings()...)},
		h.k.appGroup(),
	}
}

// detailHelp is the help.KeyMap of the detail screen.
type detailHelp struct {
	k       KeyMap
	finding bool // a find is active: n and N step through its matches
}

func (h detailHelp) ShortHelp() []key.Binding {
	d, t := h.k.Detail, h.k.Triage
	if h.finding {
		return []key.Binding{d.NextMatch, d.PrevMatch, d.Find, d.Back, h.k.App.Help, h.k.App.Quit}
	}
	return []key.Binding{d.NextIncident, d.PrevIncident, t.CycleStatus, t.Star, t.EditNote, h.k.App.Undo, d.NextSection, d.Select, d.Correct, d.Find, d.Back, h.k.App.CopyID, h.k.App.Help, h.k.App.Quit}
}

func (h detailHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

func (h detailHelp) Groups() []keyGroup {
	d := h.k.Detail
	nav := append(h.k.Nav.bindings(), d.HalfDown, d.HalfUp, d.NextSection, d.PrevSection, d.GotoSection,
		d.NextIncident, d.PrevIncident, d.Select, d.Back)
	return []keyGroup{
		{groupNavigation, nav},
		{groupFilter, []key.Binding{d.Find, d.NextMatch, d.PrevMatch}},
		{groupTriage, append(h.k.Triage.bindings(), d.Correct)},
		h.k.appGroup(),
	}
}

// statsHelp is the help.KeyMap of the stats screen; table says the
// cross-tab shows rather than the bars.
type statsHelp struct {
	k     KeyMap
	table bool
}

func (h statsHelp) ShortHelp() []key.Binding {
	s := h.k.Stats
	if h.table {
		return []key.Binding{s.FilterByCell, s.NextColumn, s.Back, h.k.Nav.Down, s.CrossTab, h.k.App.Help, h.k.App.Quit}
	}
	return []key.Binding{s.FilterByBar, s.Back, s.CrossTab, h.k.Nav.Down, h.k.Nav.PageDown, h.k.App.Help, h.k.App.Quit}
}

func (h statsHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

func (h statsHelp) Groups() []keyGroup {
	s := h.k.Stats
	nav := append(h.k.Nav.bindings(), s.Back)
	filter := []key.Binding{s.FilterByBar, s.CrossTab}
	if h.table {
		nav = append(h.k.Nav.bindings(), s.PrevColumn, s.NextColumn, s.Back)
		filter = []key.Binding{s.FilterByCell, s.CrossTab}
	}
	return []keyGroup{
		{groupNavigation, nav},
		{groupFilter, filter},
		{groupApp, []key.Binding{h.k.App.Lessons, h.k.App.Export, h.k.App.Help, h.k.App.Quit}},
	}
}

// lessonsHelp is the help.KeyMap of the lessons screen; open says a
// lesson's incidents show.
type lessonsHelp struct {
	k    KeyMap
	open bool
}

func (h lessonsHelp) ShortHelp() []key.Binding {
	l := h.k.Lessons
	if h.open {
		return []key.Binding{h.k.Nav.Down, l.Open, l.Back, h.k.App.Help, h.k.App.Quit}
	}
	return []key.Binding{l.Open, l.Back, l.Copy, h.k.Nav.Down, h.k.App.Help, h.k.App.Quit}
}

func (h lessonsHelp) FullHelp() [][]key.Binding { return groupsToColumns(h.Groups()) }

func (h lessonsHelp) Groups() []keyGroup {
	l := h.k.Lessons
	return []keyGroup{
		{groupNavigation, append(h.k.Nav.bindings(), l.Open, l.Back)},
		{groupApp, []key.Binding{l.Copy, h.k.App.Undo, h.k.App.Stats, h.k.App.Lessons, h.k.App.Export, h.k.App.Reload, h.k.App.Help, h.k.App.Quit}},
	}
}

// helpHelp is the help.KeyMap of the help screen itself.
type helpHelp struct{ k KeyMap }

func (h helpHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Nav.Down, h.k.Nav.PageDown, h.k.Help.Close, h.k.App.Quit}
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
		return []key.Binding{e.Save, bind("esc", "save and close", "esc"), e.External, e.ForceQuit}
	}
	return []key.Binding{e.Accept, e.Cancel, e.ForceQuit}
}

func (h editorHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// pickerHelp is the help.KeyMap of a picker.
type pickerHelp struct {
	k    KeyMap
	kind pickerKind
}

func (h pickerHelp) ShortHelp() []key.Binding {
	p := h.k.Picker
	switch h.kind {
	case pickTaxonomy:
		return []key.Binding{p.Toggle, p.Accept, p.Withdraw, p.Cancel}
	case pickView:
		return []key.Binding{p.Accept, p.Delete, p.Cancel}
	}
	return []key.Binding{h.k.Nav.Down, p.Accept, p.Cancel}
}

func (h pickerHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// confirmHelp is the help.KeyMap of a question.
type confirmHelp struct{ k KeyMap }

func (h confirmHelp) ShortHelp() []key.Binding { return []key.Binding{h.k.Confirm.Yes, h.k.Confirm.No} }

func (h confirmHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

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
