package export_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/faultline/faultline/export"
)

func TestFormatOfAndNamed(t *testing.T) {
	tests := []struct {
		path, want string
	}{
		{"all.jsonl", "jsonl"},
		{"all.NDJSON", "jsonl"},
		{"dir.d/all.json", "json"},
		{"report.md", "md"},
		{"report.markdown", "md"},
		{"sheet.CSV", "csv"},
		{"notes.txt", ""},
		{"noext", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, ok := export.FormatOf(tt.path)
			if ok != (tt.want != "") || f.Name != tt.want {
				t.Errorf("FormatOf(%q) = %q %v, want %q", tt.path, f.Name, ok, tt.want)
			}
		})
	}
	for _, f := range export.Formats {
		if g, ok := export.FormatNamed(f.Name); !ok || g.Name != f.Name {
			t.Errorf("FormatNamed(%q) = %q %v", f.Name, g.Name, ok)
		}
	}
	if _, ok := export.FormatNamed("xml"); ok {
		t.Error("FormatNamed(xml) found a format")
	}
}

func TestWriteFileRefusesAnExistingFileUnlessForced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	jsonl, _ := export.FormatNamed("jsonl")
	if err := export.WriteFile(path, jsonl, export.Set{Incidents: sample()}, false); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(path)
	if len(first) == 0 {
		t.Fatal("empty export")
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	err := export.WriteFile(path, jsonl, export.Set{Incidents: sample()[:1]}, false)
	if !errors.Is(err, export.ErrExists) {
		t.Fatalf("second export: %v, want ErrExists", err)
	}
	if now, _ := os.ReadFile(path); string(now) != string(first) {
		t.Error("a refused export changed the file")
	}
	if err := export.WriteFile(path, jsonl, export.Set{Incidents: sample()[:1]}, true); err != nil {
		t.Fatalf("forced: %v", err)
	}
	if now, _ := os.ReadFile(path); string(now) == string(first) {
		t.Error("a forced export left the old content")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".faultline-export-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteFileLeavesNothingWhenTheWriteFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.md")
	failing := export.Format{Name: "broken", Write: func(w io.Writer, _ export.Set) error {
		io.WriteString(w, "half")
		return errors.New("disk on fire")
	}}
	if err := export.WriteFile(path, failing, export.Set{Incidents: sample()}, false); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
