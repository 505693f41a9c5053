package ui

import (
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
	result search.Result
	parsed search.Query // for the matches of each listed title
	terms  []string     // free words of the query, for marking
	err    error
}

// triageSavedMsg reports a triage change written by the backend.
type triageSavedMsg struct {
	id     string
	triage incident.Triage
}

// triageFailedMsg reports a triage change the backend refused; the index
// gets prev back and the status line says why.
type triageFailedMsg struct {
	id   string
	prev incident.Triage
	err  error
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
type statusExpiredMsg struct{ tag int }
