// Package starter holds the incidents faultline ships with: postmortems of
// well-known public failures, written by the project in the FAIL page layout
// and embedded in the binary, so a fresh database has something to explore.
package starter

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

//go:embed incidents/*.txt
var pages embed.FS

const dir = "incidents"

// Files returns the embedded page texts keyed by file name. The map and its
// byte slices are fresh copies, so callers may change them freely.
func Files() map[string][]byte {
	names := fileNames()
	out := make(map[string][]byte, len(names))
	for _, name := range names {
		data, err := pages.ReadFile(path.Join(dir, name))
		if err != nil {
			// Cannot happen: the name came from the same embedded FS.
			panic(fmt.Sprintf("starter: read embedded %s: %v", name, err))
		}
		out[name] = data
	}
	return out
}

// Incidents parses every embedded page, in file-name order. A page the
// importer refuses fails the whole set with an error naming the file: the
// pages are part of the program, so a bad one is a build defect.
func Incidents() ([]incident.Incident, error) {
	return parseAll(Files())
}

// parseAll parses page texts in file-name order; the first refused page
// fails the set with an error naming its file.
func parseAll(files map[string][]byte) ([]incident.Incident, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]incident.Incident, 0, len(names))
	for _, name := range names {
		in, _, err := importer.ParsePage(files[name])
		if err != nil {
			return nil, fmt.Errorf("starter: parse %s: %w", name, err)
		}
		out = append(out, in)
	}
	return out, nil
}

// fileNames lists the embedded page files, sorted.
func fileNames() []string {
	entries, err := fs.ReadDir(pages, dir)
	if err != nil {
		panic(fmt.Sprintf("starter: list embedded pages: %v", err))
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}
