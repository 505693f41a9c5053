package importer_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
)

func TestWalk(t *testing.T) {
	const rec = `{"title":"T"}` + "\n"
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", rec)
	writeFile(t, dir, "sub/deeper/b.jsonl", rec)
	writeFile(t, dir, ".hidden.jsonl", rec)
	writeFile(t, dir, ".git/c.jsonl", rec)
	writeFile(t, dir, "sub/.cache/d.jsonl", rec)
	writeFile(t, dir, "notes.rtf", "meeting notes\n")
	outside := t.TempDir()
	writeFile(t, outside, "linked.jsonl", rec)
	links := map[string]string{
		"sub/loop":     dir,                                 // a loop back to the root
		"sub/self":     ".",                                 // a loop to itself
		"linkdir":      outside,                             // a directory elsewhere: followed
		"again.jsonl":  filepath.Join(dir, "a.jsonl"),       // the same file twice: read once
		"broken.jsonl": filepath.Join(dir, "missing.jsonl"), // dangling
		"sub/up/..x":   dir,                                 // hidden link: skipped
	}
	for name, target := range links {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	recs, sum := importAll(t, importer.Options{}, dir)
	var got []string
	for _, r := range recs {
		rel, _ := filepath.Rel(dir, r.Path)
		got = append(got, rel)
	}
	sort.Strings(got)
	want := []string{"a.jsonl", "linkdir/linked.jsonl", "sub/deeper/b.jsonl"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("imported %q, want %q", got, want)
	}
	var refused []string
	for _, r := range sum.Refused {
		rel, _ := filepath.Rel(dir, r.Path)
		refused = append(refused, rel+": "+r.Reason)
	}
	sort.Strings(refused)
	wantRefused := []string{"broken.jsonl: broken symbolic link", "notes.rtf: unknown format: not a FAIL page, CSV, dumpdata, faultline JSON or Markdown"}
	if strings.Join(refused, "|") != strings.Join(wantRefused, "|") {
		t.Errorf("refused %q, want %q", refused, wantRefused)
	}
	if sum.Files != 4 || sum.FilesRefused != 1 {
		t.Errorf("Files %d FilesRefused %d, want 4 and 1", sum.Files, sum.FilesRefused)
	}
}

// A path named on the command line is read even when hidden; a missing
// one is refused by name.
func TestWalkNamedPaths(t *testing.T) {
	dir := t.TempDir()
	hidden := writeFile(t, dir, ".x.jsonl", `{"title":"T"}`+"\n")
	missing := filepath.Join(dir, "nope.csv")
	recs, sum := importAll(t, importer.Options{}, hidden, missing)
	if len(recs) != 1 {
		t.Errorf("%d records from a named hidden file, want 1", len(recs))
	}
	if len(sum.Refused) != 1 || sum.Refused[0].Path != missing || !strings.Contains(sum.Refused[0].Reason, "no such file") {
		t.Errorf("refused %v, want %s: no such file", sum.Refused, missing)
	}
}
