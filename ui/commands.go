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
// can drop answers to queries it has since replaced.
func searchCmd(ix *search.Index, tag int, q string, opts search.Options) tea.Cmd {
	return func() tea.Msg {
		if ix == nil {
			return searchCompletedMsg{tag: tag, query: q}
		}
		parsed, err := search.Parse(q)
		if err != nil {
			return searchCompletedMsg{tag: tag, query: q, err: err}
		}
		return searchCompletedMsg{tag: tag, query: q, result: ix.Search(parsed, opts), parsed: parsed, terms: parsed.Terms()}
	}
}

// saveTriageCmd writes a triage change; prev is restored in the index if
// the backend refuses it.
func saveTriageCmd(b Backend, id string, t, prev incident.Triage) tea.Cmd {
	return func() tea.Msg {
		saved, err := b.SaveTriage(id, t)
		if err != nil {
			return triageFailedMsg{id: id, prev: prev, err: err}
		}
		return triageSavedMsg{id: id, triage: saved}
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
