package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/store"
)

func TestExportPicksTheFormatAndRefusesToOverwrite(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		file  string
		start string
	}{
		{"by extension md", []string{"-o", "r.md"}, "r.md", "# Incident review"},
		{"by extension csv", []string{"domain:finance", "-o", "r.csv"}, "r.csv", "Incident ID,"},
		{"by extension json", []string{"--output", "r.json"}, "r.json", "[\n{"},
		{"--format wins", []string{"-o", "r2.md", "--format", "jsonl"}, "r2.md", `{"id":`},
		{"unknown extension: jsonl", []string{"-o", "r.txt"}, "r.txt", `{"id":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"export"}, tt.args...)
			for i, a := range args {
				if strings.HasPrefix(a, "r") && strings.Contains(a, ".") {
					args[i] = filepath.Join(dir, a)
				}
			}
			if r := run(t, db, args...); r.code != 0 || r.stdout != "" {
				t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil || !strings.HasPrefix(string(data), tt.start) {
				t.Errorf("%s: %v, starts %.30q, want %q", tt.file, err, data, tt.start)
			}
		})
	}
	path := filepath.Join(dir, "r.md")
	before, _ := os.ReadFile(path)
	r := run(t, db, "export", "-o", path, "domain:finance")
	if r.code != 1 || !strings.Contains(r.stderr, "exists: --force replaces it") {
		t.Errorf("export over a file: exit %d: %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused export changed the file")
	}
	if r := run(t, db, "export", "-o", path, "--force", "domain:finance"); r.code != 0 {
		t.Errorf("--force: exit %d: %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(path); string(after) == string(before) {
		t.Error("--force left the old file")
	}
}

// TestCSVExportImportsBack exports as CSV, imports that into a new
// database and compares what FAIL's layout carries.
func TestCSVExportImportsBack(t *testing.T) {
	db := tempDB(t)
	if _, err := os.Stat(sharedFail); err == nil {
		if r := run(t, db, "import", filepath.Join(sharedFail, "csv", "incidents_a.csv")); r.code != 0 {
			t.Fatalf("import: %s", r.stderr)
		}
	} else {
		run(t, db, "stats") // the starter set
	}
	file := filepath.Join(t.TempDir(), "all.csv")
	if r := run(t, db, "export", "--format", "csv", "-o", file); r.code != 0 {
		t.Fatalf("export: %s", r.stderr)
	}
	db2 := tempDB(t)
	if r := run(t, db2, "import", file); r.code != 0 {
		t.Fatalf("import of the CSV: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	want, got := exportedRecords(t, db), exportedRecords(t, db2)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("%d records back, want %d", len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("%s %q not imported back", id, w.Title)
			continue
		}
		if g.Title != w.Title || g.Published != w.Published || g.SourceID != w.SourceID || g.Summary != w.Summary || !slices.Equal(g.Articles, w.Articles) {
			t.Errorf("%s: %q %q %q, want %q %q %q", id, g.Title, g.Published, g.SourceID, w.Title, w.Published, w.SourceID)
		}
		if g.Postmortem != w.Postmortem {
			t.Errorf("%s: postmortem differs", id)
		}
		for _, c := range incident.Categories {
			gc, wc := g.Taxonomy[c.Key], w.Taxonomy[c.Key]
			if !slices.Equal(gc.Options, wc.Options) || gc.Rationale != wc.Rationale {
				t.Errorf("%s %s: %v %.40q, want %v %.40q", id, c.Key, gc.Options, gc.Rationale, wc.Options, wc.Rationale)
			}
		}
	}
}

func exportedRecords(t *testing.T, db string) map[string]incident.Incident {
	t.Helper()
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]incident.Incident{}
	for _, in := range all {
		m[in.ID] = in
	}
	return m
}
