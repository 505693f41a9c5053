package cli

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestQueryArgs is the rule for dashed words as a table: what cobra is
// given for each command line.
func TestQueryArgs(t *testing.T) {
	tests := []struct {
		name string
		args string
		want string
	}{
		{"exclusion stays a query word", "search ransomware -atlanta", "search -- ransomware -atlanta"},
		{"flags stay in front, words keep their order", "search a -b --limit 5 c --json", "search --limit 5 --json -- a -b c"},
		{"category exclusion", "search -phase:design year:2015..2020", "search -- -phase:design year:2015..2020"},
		{"unknown long flag is left for cobra to refuse", "search --bogus x", "search --bogus -- x"},
		{"a flag's value may look like a word", "search --sort date x", "search --sort date -- x"},
		{"--name=value", "search --limit=3 -x", "search --limit=3 -- -x"},
		{"-- ends the flags", "search --json -- --limit -h", "search --json -- --limit -h"},
		{"a known shorthand is a flag", "export -o out.md -outage", "export -o out.md -- -outage"},
		{"a shorthand with its value glued on is a word", "export -oout.md", "export -- -oout.md"},
		{"-x=value for a known shorthand", "export -o=out.md x", "export -o=out.md -- x"},
		{"help anywhere", "search x -h", "search -h -- x"},
		{"global flags before the command", "--db f.db stats -domain:finance", "--db f.db stats -- -domain:finance"},
		{"global flags after the command", "stats --db f.db --json x", "stats --db f.db --json -- x"},
		{"no words", "stats --json", "stats --json"},
		{"not a query command", "show -abc", "show -abc"},
		{"no command", "--db x", "--db x"},
		{"completing a word", "__complete search -x --json -phase:de", "__complete search --json -- -x -phase:de"},
		{"completing a flag drops dashed words", "__complete search -x a --so", "__complete search a --so"},
		{"completing a flag's value", "__complete search -x --sort ", "__complete search --sort "},
		{"completing an empty word", "__complete search a ", "__complete search -- a "},
		{"completing after --", "__complete search -- -phase:d", "__complete search -- -phase:d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := strings.Split(tt.args, " ")
			got := queryArgs(newRoot(&app{env: testEnv(nil)}), args)
			if want := strings.Split(tt.want, " "); !slices.Equal(got, want) {
				t.Errorf("queryArgs(%q)\n got %q\nwant %q", args, got, want)
			}
		})
	}
}

// TestDashedWordsAreQueryTerms runs both sides of the rule end to end:
// dashed words exclude, unknown --flags are refused.
func TestDashedWordsAreQueryTerms(t *testing.T) {
	db := tempDB(t)
	total := func(args ...string) int {
		t.Helper()
		r := run(t, db, append([]string{"search", "--json", "--limit", "0"}, args...)...)
		if r.code != 0 {
			t.Fatalf("search %q: exit %d: %s", args, r.code, r.stderr)
		}
		var out struct{ Total int }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		return out.Total
	}
	all, design := total(), total("phase:design")
	if design == 0 || design == all {
		t.Fatalf("the starter set should have some but not all incidents in phase:design: %d of %d", design, all)
	}
	if got := total("-phase:design"); got != all-design {
		t.Errorf("-phase:design: %d, want %d", got, all-design)
	}
	if got := total("--", "-phase:design"); got != all-design {
		t.Errorf("-- -phase:design: %d, want %d", got, all-design)
	}
	software := total("software")
	if got := total("software", "-software"); got != 0 || software == 0 {
		t.Errorf("software -software: %d (software alone %d)", got, software)
	}
	// -outage begins with -o, export's one-letter flag, but is a word
	r := run(t, db, "export", "-outage")
	if r.code != 0 {
		t.Fatalf("export -outage: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat("utage"); err == nil {
		os.Remove("utage")
		t.Error("export -outage wrote to a file named utage")
	}
	if n, outage := strings.Count(r.stdout, "\n"), total("outage"); n != all-outage || outage == 0 {
		t.Errorf("export -outage wrote %d incidents, want %d less %d", n, all, outage)
	}
}

func TestUnknownFlagsAreUsageErrors(t *testing.T) {
	db := tempDB(t)
	tests := []struct {
		args []string
		flag string
	}{
		{[]string{"search", "--bogus", "x"}, "--bogus"},
		{[]string{"export", "--bogus"}, "--bogus"},
		{[]string{"search", "--limt", "5", "outage"}, "--limt"},
		{[]string{"stats", "outage", "--jsn"}, "--jsn"},
		{[]string{"show", "-x", "abc"}, "-x"},
		{[]string{"import", "--max-size", "ten", "x"}, "--max-size"},
		{[]string{"--bogus"}, "--bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, db, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.flag) || !strings.Contains(r.stderr, "-h' for help") {
				t.Errorf("exit %d, want 2 naming %s with a hint\nstdout: %s\nstderr: %s", r.code, tt.flag, r.stdout, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("a usage error wrote to stdout: %q", r.stdout)
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused command line created the database")
	}
}
