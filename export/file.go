package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/faultline/faultline/incident"
)

// Set is what an export writes: the incidents, and what a report says of
// them (the data formats use the incidents alone).
type Set struct {
	Incidents []incident.Incident
	Query     string    // the query that chose them; "" for all
	Database  string    // the file they came from
	At        time.Time // when the export was made
	By        string    // who made it
}

// Format is one form an export can take.
type Format struct {
	Name  string   // as a --format flag names it
	Exts  []string // file name extensions that choose it, lower case, with the dot
	Write func(io.Writer, Set) error
}

// Formats lists every export form, the command line's default first.
var Formats = []Format{
	{"jsonl", []string{".jsonl", ".ndjson"}, incidentsOnly(WriteJSONL)},
	{"json", []string{".json"}, incidentsOnly(WriteJSON)},
	{"md", []string{".md", ".markdown"}, WriteMarkdown},
	{"csv", []string{".csv"}, incidentsOnly(WriteCSV)},
	{"triage", nil, incidentsOnly(WriteTriage)}, // JSON Lines of triage alone: chosen by name only
}

func incidentsOnly(write func(io.Writer, []incident.Incident) error) func(io.Writer, Set) error {
	return func(w io.Writer, s Set) error { return write(w, s.Incidents) }
}

// FormatNamed returns the format called name ("jsonl", "md", ...).
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == strings.ToLower(name) {
			return f, true
		}
	}
	return Format{}, false
}

// FormatOf returns the format a file name's extension chooses.
func FormatOf(path string) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		for _, e := range f.Exts {
			if e == ext {
				return f, true
			}
		}
	}
	return Format{}, false
}

// ErrExists is returned by WriteFile, without force, for a path that
// already names a file.
var ErrExists = errors.New("export: file exists")

// WriteFile writes set to path in format f. The export is written to a
// temporary file beside path, synced, and only then put in its place, so
// path holds either what it held before or the whole export, never half of
// one. An existing path is refused with ErrExists unless force is set; the
// new file has mode 0644, as exports are for sharing.
func WriteFile(path string, f Format, set Set, force bool) error {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".faultline-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once it has been put in place
	if err := writeSynced(tmp, f, set); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = placeNew(tmp.Name(), path)
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
		return fmt.Errorf("export to %s: %w", path, err)
	}
	return nil
}

// writeSynced writes the export to tmp, flushes it to disk and closes it.
func writeSynced(tmp *os.File, f Format, set Set) error {
	bw := bufio.NewWriter(tmp)
	err := f.Write(bw, set)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return err
}

// placeNew gives the finished file tmp the name path unless path exists.
// A hard link fails, atomically, when path exists, which a rename would
// replace; where the file system has no hard links, a check before the
// rename is the best there is.
func placeNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, statErr := os.Lstat(path); statErr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, path)
}
