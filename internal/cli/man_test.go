package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManPage(t *testing.T) {
	db := tempDB(t)
	r := run(t, db, "man")
	if r.code != 0 {
		t.Fatalf("man: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{".TH \"FAULTLINE\" \"1\"", `\fB--db\fP`, `\fB--reviewer\fP`, "faultline-search(1)", "FAULTLINE_DB", "COMMANDS", "faultline import [flags] PATH..."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("faultline.1 lacks %q:\n%.600s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Auto generated") {
		t.Error("cobra's auto-generated note is in the page")
	}
	dir := filepath.Join(t.TempDir(), "man1")
	if r := run(t, db, "man", "--dir", dir); r.code != 0 || r.stdout != "" {
		t.Fatalf("man --dir: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	for _, page := range []string{"faultline.1", "faultline-search.1", "faultline-export.1", "faultline-stats.1", "faultline-completion-bash.1"} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("%s: %v", page, err)
			continue
		}
		if !strings.HasPrefix(string(data), ".nh\n.TH") {
			t.Errorf("%s does not start as a man page: %.40q", page, data)
		}
	}
	search, _ := os.ReadFile(filepath.Join(dir, "faultline-search.1"))
	if !strings.Contains(string(search), "Query language") || !strings.Contains(string(search), "is:<status> too") {
		t.Error("faultline-search.1 does not hold the query language as it is laid out")
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("man created the database")
	}
}
