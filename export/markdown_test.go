package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "River Avon sluice gate", "River Avon sluice gate"},
		{"citation stays readable", "fault [104834, 5]", "fault [104834, 5]"},
		{"link", "see [here](http://evil)", `see [here\](http://evil)`},
		{"image", "![x](http://evil/p.png)", `![x\](http://evil/p.png)`},
		{"reference definition", "[x]: http://evil", `[x\]: http://evil`},
		{"html", "<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"emphasis", "*bold* and `code`", "\\*bold\\* and \\`code\\`"},
		{"intraword underscore", "non-human_actions", "non-human_actions"},
		{"leading underscore", "_x_", `\_x\_`},
		{"heading", "# not a heading", `\# not a heading`},
		{"list", "- not a list", `\- not a list`},
		{"ordered list", "12. not a list", `12\. not a list`},
		{"table", "| not | a table", `\| not | a table`},
		{"backslash", `a\b`, `a\\b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// The report as a reviewer sends it, byte for byte: testdata/report.md
// (go test ./export -run WriteMarkdown -update rewrites it).
func TestWriteMarkdown(t *testing.T) {
	hostile := incident.Incident{
		ID:        "acf386fadb41",
		Title:     "Gate \x1b]52;c;ZXZpbA==\x07 fault\x1b[2J",
		Published: "2020-09-18",
		SourceID:  "2751",
		URL:       "https://example.org/pm?a=1&b=<2>",
		Labels:    []string{"config-change"},
		Summary:   "First paragraph\x1b[31m red.\n\n\n# Second\nline",
		Postmortem: incident.Postmortem{
			Timeline: "1. Tuesday [104834]. 2. Later on\nthe same day [104834]",
			Impacts:  "Loss of £1,000 a day",
		},
		Taxonomy: map[string]incident.Category{
			"phase":  {Options: []string{"design", "operation"}, Rationale: "(a) design | operation [104834]"},
			"domain": {Options: []string{"utilities"}},
		},
		Articles: []int64{104834, 5},
		Cited:    []incident.CitedArticle{{ID: 104834, Headline: "Boat firm *sinks*", Source: "https://news.example", Published: "2020-09-19", URL: "https://news.example/a"}},
		Sources:  []incident.Source{{Form: "csv", File: "/data/fail/incidents_a.csv", SourceID: "2751"}},
		Triage:   tri(incident.StatusRelevant, true, []string{"ot"}, "call <them>\nthen the vendor"),
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	hostile.Triage.SetNote("a second opinion", incident.Stamp{By: "bob", At: at.Add(time.Hour)})
	hostile.Triage.SetTaxonomy("phase", []string{"operation"}, incident.Stamp{By: "bob", At: at.Add(time.Hour)})
	set := Set{Incidents: []incident.Incident{hostile, {ID: "31b034343908", Title: "Second one"}},
		Query: "domain:utilities is:starred", Database: "/data/team.db", At: at, By: "ann"}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, set); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "<them>", "](", "*sinks*"} {
		if strings.Contains(out, bad) {
			t.Errorf("report holds %q:\n%s", bad, out)
		}
	}
	golden := filepath.Join("testdata", "report.md")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if out != string(want) {
		t.Errorf("report differs from %s (run with -update to accept):\n%s", golden, out)
	}
}
