package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/faultline/faultline/store"
)

// complete drives cobra's hidden __complete command as the shell scripts
// do and returns the completions (without the directive line).
func complete(t *testing.T, db string, args ...string) []string {
	t.Helper()
	r := run(t, db, append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", args, r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("__complete %q: no directive in %q", args, r.stdout)
	}
	return lines[:len(lines)-1]
}

func TestCompletionOfIncidentIDs(t *testing.T) {
	db := tempDB(t)
	if got := complete(t, db, "show", ""); len(got) != 0 {
		t.Errorf("completion created or read a database that does not exist: %q", got)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("completion created the database")
	}
	if r := run(t, db, "stats"); r.code != 0 { // creates it with the starter set
		t.Fatal(r.stderr)
	}
	all := complete(t, db, "show", "")
	if len(all) < 12 {
		t.Fatalf("%d ids offered for the starter set", len(all))
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	incs, err := s.All()
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	in := incs[0]
	got := complete(t, db, "show", in.ID[:4])
	want := in.ID + "\t" + completionText(in.Title)
	found := false
	for _, g := range got {
		if !strings.HasPrefix(g, in.ID[:4]) {
			t.Errorf("%q does not start with %q", g, in.ID[:4])
		}
		found = found || g == want
	}
	if !found {
		t.Errorf("show %s<TAB>: %q, want %q among them", in.ID[:4], got, want)
	}
	if got := complete(t, db, "show", in.ID, ""); len(got) != 0 {
		t.Errorf("a second id offered: %q", got)
	}
}

func TestCompletionOfTheQueryLanguage(t *testing.T) {
	db := tempDB(t)
	if r := run(t, db, "stats"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.All()
	s.MergeTriage(all[0].ID, tri("", false, []string{"auth", "bgp"}, ""))
	s.Close()
	tests := []struct {
		name string
		args []string
		want []string // each must be offered
		not  []string // none of these may be
	}{
		{"field names", []string{"search", "fi"}, []string{"fixes:\ta word in Fixes"}, []string{"domain:"}},
		{"cause fields", []string{"search", "ca"}, []string{"capability:", "causes:"}, nil},
		{"every key for nothing typed", []string{"search", ""}, []string{"domain:", "triage:", "is:", "tag:", "year:", "title:"}, nil},
		{"category option", []string{"search", "domain:fin"}, []string{"domain:finance"}, []string{"domain:health"}},
		{"after a comma", []string{"export", "domain:finance,he"}, []string{"domain:finance,health"}, nil},
		{"exclusion", []string{"search", "-phase:de"}, []string{"-phase:design"}, []string{"-phase:operation"}},
		{"exclusion after a word", []string{"stats", "ransomware", "-phase:de"}, []string{"-phase:design"}, nil},
		{"excluded key", []string{"search", "!dom"}, []string{"!domain:"}, nil},
		{"triage status", []string{"search", "triage:re"}, []string{"triage:reviewing", "triage:relevant"}, []string{"triage:new"}},
		{"is:", []string{"search", "is:"}, []string{"is:starred", "is:new"}, nil},
		{"tags from the database", []string{"search", "tag:"}, []string{"tag:auth", "tag:bgp"}, nil},
		{"sort orders", []string{"search", "--sort", ""}, []string{"relevance", "date", "title"}, nil},
		{"export formats", []string{"export", "--format", ""}, []string{"jsonl", "csv", "md"}, nil},
		{"flags", []string{"search", "-x", "--li"}, []string{"--limit"}, nil},
		{"commands", []string{"s"}, []string{"search", "show", "stats"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := complete(t, db, tt.args...)
			for _, w := range tt.want {
				if !containsCompletion(got, w) {
					t.Errorf("%q not offered: %q", w, got)
				}
			}
			for _, n := range tt.not {
				if containsCompletion(got, n) {
					t.Errorf("%q offered: %q", n, got)
				}
			}
		})
	}
}

// containsCompletion reports whether want is among got, with its
// description or, if want has none, with any.
func containsCompletion(got []string, want string) bool {
	for _, g := range got {
		if g == want || !strings.Contains(want, "\t") && strings.HasPrefix(g, want+"\t") {
			return true
		}
	}
	return false
}

// TestBashCompletionLoads sources the bash script in a real bash.
func TestBashCompletionLoads(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	r := run(t, tempDB(t), "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "__complete") {
		t.Fatalf("completion bash: exit %d: %s", r.code, r.stderr)
	}
	cmd := exec.Command(bash, "--norc", "-c", `source /dev/stdin && complete -p faultline`)
	cmd.Stdin = strings.NewReader(r.stdout)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "faultline") {
		t.Errorf("bash could not load the script: %v\n%s", err, out)
	}
	for _, sh := range []string{"zsh", "fish", "powershell"} {
		if r := run(t, tempDB(t), "completion", sh); r.code != 0 || !strings.Contains(r.stdout, "__complete") {
			t.Errorf("completion %s: exit %d: %s", sh, r.code, r.stderr)
		}
	}
}
