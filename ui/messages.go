package ui

import (
	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// Every message the explorer passes to itself. Work that may take time
// (loading, searching, saving, exporting) runs in a command and comes back
// as one of these, so a keystroke never waits on it.

// indexBuiltMsg carries the incidents loaded from the backend, indexed.
type indexBuiltMsg struct {
	index *search.Index
}

// loadFailedMsg is fatal: there is nothing to browse.
type loadFailedMsg struct{ err error }

// searchCompletedMsg carries the result of the query the list asked for;
// tag identifies the request so results of an older query are dropped.
type searchCompletedMsg struct {
	tag    int
	query  string
	opts   search.Options
	result search.Result
	parsed search.Query // for the matches of each listed title and what the detail marks
	terms  []string     // free words of the query
	err    error
	// damaged is the damage searches have found in the index so far
	// (search.Index.Err), nil for none
	damaged error

	// With events shown: the events the hits were grouped by, the hits
	// grouped, and the counts by event.
	events  *eventSet
	groups  hitGroups
	byEvent *search.Grouped
}

// exportWrittenMsg reports a finished export.
type exportWrittenMsg struct {
	path  string
	count int
}

// exportFailedMsg reports an export that could not be written.
type exportFailedMsg struct{ err error }

// statusExpiredMsg clears the transient status message with the same tag;
// a newer message has a newer tag and stays.
type idleMsg struct{}

type statusExpiredMsg struct{ tag int }

// incidentLoadedMsg carries the texts of an incident opened in the detail
// view, read off the screen's goroutine; tag drops a read the view no
// longer waits for. ok is false when the texts could not be read.
type incidentLoadedMsg struct {
	tag     int
	id      string
	in      incident.Incident
	ok      bool
	also    []alsoReport // the other reports of its event
	related []search.Related
}

// eventInfoFoundMsg carries the other reports and related incidents of
// the open incident, worked out again after its events changed.
type eventInfoFoundMsg struct {
	tag     int
	id      string
	also    []alsoReport
	related []search.Related
}

// triagesSavedMsg reports a change of several incidents' triage: what
// the backend kept of each, and those it refused.
type triagesSavedMsg struct {
	saved  map[string]incident.Triage
	failed map[string]incident.Triage // id → the triage before the change
	err    error                      // the first refusal
}

// viewsLoadedMsg carries the saved views, for the views picker.
type viewsLoadedMsg struct {
	views []SavedView
	err   error
}

// historyLoadedMsg carries the query history, newest first.
type historyLoadedMsg struct{ queries []string }

// storedMsg reports a write of a view or of the history: err when it
// failed, and what to say when it did not.
type storedMsg struct {
	note string
	err  error
}

// noteEditedMsg carries the note as $EDITOR left it.
type noteEditedMsg struct {
	text string
	err  error
}

// copiedMsg reports what was put on the clipboard.
type copiedMsg struct {
	what string
	err  error
}

// eventsLoadedMsg carries the grouping of the incidents into events, read
// from the backend; tag drops a read a later one replaced.
type eventsLoadedMsg struct {
	tag      int
	grouping *grouping
	set      *eventSet
	err      error
}

// eventsGroupedMsg carries the events worked out again after a ruling.
type eventsGroupedMsg struct {
	tag int
	set *eventSet
}

// joinCandidatesFoundMsg carries the incidents most like id, outside its
// event, for the join picker.
type joinCandidatesFoundMsg struct {
	id         string
	candidates []search.Related
}

// lessonsGatheredMsg carries the lessons of the incidents the lessons
// screen asked for; tag drops the answer to a set it no longer shows.
type lessonsGatheredMsg struct {
	tag        int
	lessons    []analysis.Lesson
	incidents  int            // the incidents read
	unread     int            // those whose texts could not be read
	byIncident bool           // no events: each incident counts as one
	order      map[string]int // each incident's place in the set
}

// crossTabCountedMsg carries the cross-tab the stats screen asked for;
// tag drops the answer to an older request.
type crossTabCountedMsg struct {
	tag int
	tab search.CrossTab
	err error
}
