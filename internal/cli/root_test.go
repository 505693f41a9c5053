package cli

import (
	"encoding/json"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

func TestGlobalFlagsGoBeforeOrAfterTheCommand(t *testing.T) {
	db := tempDB(t)
	other := tempDB(t) // $FAULTLINE_DB, which --db must win over
	for _, args := range [][]string{
		{"--db", db, "stats", "domain:finance", "--json"},
		{"stats", "--db", db, "domain:finance", "--json"},
		{"stats", "domain:finance", "--json", "--db=" + db},
		{"--no-color", "stats", "--reviewer", "ann", "--db", db, "--json", "domain:finance"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := run(t, other, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var st struct {
				Query     string
				Incidents int
			}
			if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
				t.Fatal(err)
			}
			if st.Query != "domain:finance" || st.Incidents == 0 {
				t.Errorf("stats: %+v", st)
			}
		})
	}
	if r := run(t, "", "--db", db, "stats"); r.code != 0 || !strings.Contains(r.stdout, db) {
		t.Errorf("--db before stats: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("$FAULTLINE_DB was used although --db was given")
	}
}

func TestReviewerResolvesInOnePlace(t *testing.T) {
	tests := []struct {
		name  string
		flag  string
		vars  map[string]string
		login string
		want  string
	}{
		{"flag first", "ann", map[string]string{"FAULTLINE_REVIEWER": "bob", "USER": "carl"}, "dora", "ann"},
		{"then $FAULTLINE_REVIEWER", "", map[string]string{"FAULTLINE_REVIEWER": "bob", "USER": "carl"}, "dora", "bob"},
		{"then $USER", "", map[string]string{"USER": "carl", "USERNAME": "eve"}, "dora", "carl"},
		{"then $USERNAME", "", map[string]string{"USERNAME": "eve"}, "dora", "eve"},
		{"then the user database", "", nil, "dora", "dora"},
		{"nothing known", "", nil, "", ""},
		{"control characters neutralised", "ann\x1b[31m\nx", nil, "", "ann␛ x"},
		{"blank flag falls through", "  ", map[string]string{"FAULTLINE_REVIEWER": "bob"}, "", "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testEnv(tt.vars)
			e.login = func() string { return tt.login }
			a := &app{env: e}
			var args []string
			if tt.flag != "" {
				args = []string{"--reviewer", tt.flag}
			}
			if err := newRoot(a).ParseFlags(args); err != nil {
				t.Fatal(err)
			}
			if got := a.reviewer(); got != tt.want {
				t.Errorf("reviewer %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNoColor(t *testing.T) {
	tests := []struct {
		flag bool
		vars map[string]string
		want bool
	}{
		{false, nil, false},
		{true, nil, true},
		{false, map[string]string{"NO_COLOR": "1"}, true},
		{false, map[string]string{"NO_COLOR": ""}, false},
	}
	for _, tt := range tests {
		a := &app{env: testEnv(tt.vars), noColorFlag: tt.flag}
		if got := a.noColor(); got != tt.want {
			t.Errorf("flag %v, env %v: noColor %v, want %v", tt.flag, tt.vars, got, tt.want)
		}
	}
}

// TestHelpIsPrintedOnceToStdout checks every command's -h: once, on
// standard output, with examples, exit 0.
func TestHelpIsPrintedOnceToStdout(t *testing.T) {
	db := tempDB(t)
	root := newRoot(&app{env: testEnv(nil)})
	cmds := [][]string{{}}
	for _, c := range root.Commands() {
		cmds = append(cmds, []string{c.Name()})
		for _, sub := range c.Commands() {
			cmds = append(cmds, []string{c.Name(), sub.Name()})
		}
	}
	for _, path := range cmds {
		for _, h := range []string{"-h", "--help"} {
			args := append(append([]string{}, path...), h)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				r := run(t, db, args...)
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
				}
				if n := strings.Count(r.stdout, "Usage:"); n != 1 {
					t.Errorf("Usage: %d times in\n%s", n, r.stdout)
				}
				if !strings.Contains(r.stdout, "Examples:") {
					t.Errorf("no examples:\n%s", r.stdout)
				}
			})
		}
	}
	if r := run(t, db, "help", "search"); r.code != 0 || !strings.Contains(r.stdout, "Query language") {
		t.Errorf("help search: exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, db, "help", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "frobnicate") {
		t.Errorf("help frobnicate: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestErrorsHaveOnePrefixAndTheRightStatus(t *testing.T) {
	db := tempDB(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"query error", []string{"search", "colour:blue"}, 2, "faultline search: query at column 1: unknown field"},
		{"query error in stats", []string{"stats", "year:abc"}, 2, "faultline stats: query at column"},
		{"unknown command", []string{"frobnicate"}, 2, "faultline: unknown command \"frobnicate\""},
		{"suggestion", []string{"serch"}, 2, "faultline: unknown command \"serch\" (did you mean search?)"},
		{"bad sort", []string{"search", "--sort", "size"}, 2, "faultline search: --sort \"size\": want relevance, date or title"},
		{"explorer takes no words", []string{"explore", "x"}, 2, "faultline explore: unexpected argument \"x\""},
		{"not found", []string{"show", "ffffffffffff"}, 1, "faultline show: "},
		{"completion of no shell", []string{"completion", "tcsh"}, 2, "faultline completion: no completion for \"tcsh\": want bash, fish, powershell or zsh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, db, tt.args...)
			if r.code != tt.code || !strings.HasPrefix(r.stderr, tt.stderr) {
				t.Errorf("exit %d, want %d, stderr starting %q:\n%s", r.code, tt.code, tt.stderr, r.stderr)
			}
			first, _, _ := strings.Cut(r.stderr, "\n")
			if strings.Count(first, "faultline") != 1 || strings.Contains(first, "search: search:") {
				t.Errorf("prefix repeated: %q", first)
			}
			if hint := strings.Contains(r.stderr, "for help."); hint != (tt.code == 2) {
				t.Errorf("hint to -h %v for exit %d:\n%s", hint, tt.code, r.stderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := run(t, tempDB(t), "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "faultline ") || !strings.Contains(r.stdout, "commit") {
		t.Errorf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"work tree with VCS", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "f27653e0aa"}, {Key: "vcs.time", Value: "2025-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel), commit f27653e0aa with uncommitted changes, of 2025-01-02T03:04:05Z, go1.26.8 "},
		{"clean tree", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "f27653e0aa"}, {Key: "vcs.modified", Value: "false"}}},
			"(devel), commit f27653e0aa, go1.26.8 "},
		{"go install of a release", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			"v1.2.0, commit unknown (built without VCS information), go1.26.8 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeBuild(&tt.info); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want prefix %q", got, tt.want)
			}
		})
	}
}
