package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// errExportExists is returned rather than overwrite a file.
var errExportExists = errors.New("file exists; name another")

// exportCmd writes incs to the file name, as JSONL, JSON or Markdown by
// its extension. It never overwrites a file.
func exportCmd(name string, ix *search.Index, ids []string, busy string) tea.Cmd {
	return func() tea.Msg {
		path, err := filepath.Abs(name)
		if err != nil {
			return exportFailedMsg{fmt.Errorf("export: %s: %w", name, err)}
		}
		// Reading the incidents may take a while at thousands: it runs
		// here, off the screen's goroutine.
		incs := make([]incident.Incident, 0, len(ids))
		for _, id := range ids {
			in, ok := ix.Get(id)
			if !ok {
				// a half-read incident must not pass for the whole record
				return exportFailedMsg{fmt.Errorf("export: %s is busy (an import?): try again", busy)}
			}
			incs = append(incs, in)
		}
		if err := writeExport(path, incs); err != nil {
			return exportFailedMsg{fmt.Errorf("export: %s: %w", path, err)}
		}
		return exportWrittenMsg{path: path, count: len(incs)}
	}
}

func writeExport(path string, incs []incident.Incident) (err error) {
	write := export.WriteMarkdown
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		write = export.WriteJSONL
	case ".json":
		write = export.WriteJSON
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return errExportExists
	}
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path) // leave no half-written export behind
		}
	}()
	w := bufio.NewWriter(f)
	if err := write(io.Writer(w), incs); err != nil {
		return err
	}
	return w.Flush()
}
