package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// Commands: everything that may take time runs here, off the keystroke
// path, and reports back with a message.

// loadCmd loads the index of the incidents from the backend.
func loadCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		ix, err := b.Load()
		if err != nil {
			return loadFailedMsg{fmt.Errorf("ui: load incidents from %s: %w", b.Path(), err)}
		}
		return indexBuiltMsg{index: ix}
	}
}

// searchCmd runs query q on the index; the answer carries tag so the list
// can drop answers to queries it has since replaced. With events (nil:
// none) it counts by event too and groups the hits by event.
func searchCmd(ix *search.Index, tag int, q string, opts search.Options, events *eventSet) tea.Cmd {
	return func() tea.Msg {
		if ix == nil {
			return searchCompletedMsg{tag: tag, query: q}
		}
		parsed, err := search.Parse(q)
		if err != nil {
			return searchCompletedMsg{tag: tag, query: q, err: err}
		}
		msg := searchCompletedMsg{tag: tag, query: q, opts: opts, parsed: parsed, terms: parsed.Terms(), events: events}
		if events != nil {
			res, byEvent := ix.SearchGrouped(parsed, opts, events.groups)
			msg.result, msg.byEvent = res, &byEvent
		} else {
			msg.result = ix.Search(parsed, opts)
		}
		msg.groups = groupHits(msg.result.Hits, events)
		msg.damaged = ix.Err()
		return msg
	}
}

// loadIncidentCmd reads the texts of incident id, which may mean reading
// the database, its other reports by events and its related incidents.
func loadIncidentCmd(ix *search.Index, events *eventSet, id string, tag int) tea.Cmd {
	return func() tea.Msg {
		if ix == nil {
			return incidentLoadedMsg{tag: tag, id: id}
		}
		in, ok := ix.Get(id)
		also, related := eventInfo(ix, events, in)
		return incidentLoadedMsg{tag: tag, id: id, in: in, ok: ok, also: also, related: related}
	}
}

// eventInfoCmd works out again the other reports and related incidents
// of the open incident in, after its events changed.
func eventInfoCmd(ix *search.Index, events *eventSet, in incident.Incident, tag int) tea.Cmd {
	return func() tea.Msg {
		also, related := eventInfo(ix, events, in)
		return eventInfoFoundMsg{tag: tag, id: in.ID, also: also, related: related}
	}
}

// eventInfo returns the other reports of in's event, and the incidents
// related to in but for those, one per event: the same failure is not a
// related one, nor is another failure twice.
func eventInfo(ix *search.Index, events *eventSet, in incident.Incident) ([]alsoReport, []search.Related) {
	also := otherReports(ix, events, in)
	except := make([]string, len(also))
	for i, a := range also {
		except[i] = a.ID
	}
	var related []search.Related
	seen := map[string]bool{}
	for _, r := range ix.Related(in.ID, 2*relatedCount, except...) {
		if ev := events.eventID(r.ID); !seen[ev] && len(related) < relatedCount {
			seen[ev] = true
			related = append(related, r)
		}
	}
	return also, related
}

// saveTriagesCmd writes triage changes, one incident after another; the
// index gets back the triage before the change of those the backend
// refuses.
func saveTriagesCmd(b Backend, changes []change) tea.Cmd {
	return func() tea.Msg {
		out := triagesSavedMsg{saved: map[string]incident.Triage{}, failed: map[string]incident.Triage{}}
		for _, ch := range changes {
			saved, err := b.SaveTriage(ch.id, ch.after)
			if err != nil {
				out.failed[ch.id] = ch.before
				if out.err == nil {
					out.err = err
				}
				continue
			}
			out.saved[ch.id] = saved
		}
		return out
	}
}

// loadViewsCmd reads the saved views.
func loadViewsCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		views, err := b.Views()
		return viewsLoadedMsg{views: views, err: err}
	}
}

// storeCmd runs a write of a view or the history and says note when it
// is done.
func storeCmd(note string, write func() error) tea.Cmd {
	return func() tea.Msg { return storedMsg{note: note, err: write()} }
}

// loadHistoryCmd reads the query history.
func loadHistoryCmd(b Backend) tea.Cmd {
	return func() tea.Msg {
		qs, err := b.History()
		if err != nil {
			return nil // no history to recall is no reason to interrupt
		}
		return historyLoadedMsg{queries: qs}
	}
}

// exportCmd writes the incidents ids to the file name, in the format its
// extension chooses (Markdown for any other name). A leading ~ is the
// home directory, as in a shell. It never overwrites a file.
func exportCmd(name string, ix *search.Index, ids []string, report export.Set) tea.Cmd {
	return func() tea.Msg {
		path, err := filepath.Abs(expandHome(name))
		if err != nil {
			return exportFailedMsg{fmt.Errorf("export: %s: %w", name, err)}
		}
		format, ok := export.FormatOf(path)
		if !ok {
			format, _ = export.FormatNamed("md")
		}
		// Reading the incidents may take a while at thousands: it runs
		// here, off the screen's goroutine.
		incs := make([]incident.Incident, 0, len(ids))
		for _, id := range ids {
			in, ok := ix.Get(id)
			if !ok {
				// a half-read incident must not pass for the whole record
				return exportFailedMsg{fmt.Errorf("export: %s is busy (an import?): try again", report.Database)}
			}
			incs = append(incs, in)
		}
		report.Incidents, report.At = incs, time.Now()
		err = export.WriteFile(path, format, report, false)
		if errors.Is(err, export.ErrExists) {
			return exportFailedMsg{fmt.Errorf("%s exists; name another file", path)}
		}
		if err != nil {
			return exportFailedMsg{err}
		}
		return exportWrittenMsg{path: path, count: len(incs)}
	}
}

// expandHome replaces a leading ~ of name with the home directory.
func expandHome(name string) string {
	if name != "~" && !strings.HasPrefix(name, "~/") && !strings.HasPrefix(name, "~"+string(filepath.Separator)) {
		return name
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return name
	}
	return filepath.Join(home, name[1:])
}

// exportExtensions lists the file name extensions the export prompt
// knows, for its label.
func exportExtensions() string {
	var exts []string
	for _, f := range export.Formats {
		if len(f.Exts) > 0 { // a format chosen by name only has none
			exts = append(exts, f.Exts[0])
		}
	}
	return strings.Join(exts, " ")
}
