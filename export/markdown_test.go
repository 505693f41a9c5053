package export

import (
	"bytes"
	"strings"
	"testing"

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

func TestWriteMarkdown(t *testing.T) {
	hostile := incident.Incident{
		Title:     "Gate \x1b]52;c;ZXZpbA==\x07 fault\x1b[2J",
		Published: "2020-09-18",
		SourceID:  "2751",
		Summary:   "First paragraph\x1b[31m red.\n\n\n# Second\nline",
		Postmortem: incident.Postmortem{
			Timeline: "1. Tuesday [104834]. 2. Later on\nthe same day [104834]",
			Impacts:  "Loss of £1,000 a day",
		},
		Taxonomy: map[string]incident.Category{
			"phase":  {Options: []string{"design", "operation"}, Rationale: "(a) design | operation [104834]"},
			"domain": {Options: []string{"utilities"}},
		},
		Articles: []int64{104834},
		Triage:   tri(incident.StatusRelevant, true, []string{"ot"}, "call <them>"),
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, []incident.Incident{hostile, {Title: "Second one"}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "<them>"} {
		if strings.Contains(out, bad) {
			t.Errorf("report holds %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{
		"# Incidents\n\n2 incidents.\n",
		"\n## 1. Gate ",
		"\n## 2. Second one\n",
		"- **FAIL ID:** 2751\n",
		"- **Published:** 2020-09-18\n",
		"### Cited articles\n\n- 104834 (not imported)\n",
		"- **Status:** relevant\n",
		"- **Starred:** yes\n",
		"\n### Summary\n\nFirst paragraph",
		"\n\n\\# Second\nline\n",
		"\n**Timeline**\n\n1. Tuesday [104834].\n2. Later on the same day [104834]\n",
		"\n**Impacts**\n\n1. Loss of £1,000 a day\n",
		"| Category | Options |\n| --- | --- |\n| Phase (Design/Operation) | design, operation |\n| Domain | utilities |\n",
		"- **Phase (Design/Operation):** (a) design | operation [104834]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "**Fixes**") {
		t.Error("empty field listed")
	}
}
