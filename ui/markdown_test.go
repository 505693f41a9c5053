package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

func plainStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return DefaultStyles(r)
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name, src string
		w         int
		want      []string
	}{
		{"heading and paragraph", "## Detection\n\nThe alert\npaged at 09:04.", 40,
			[]string{"## Detection", "", "The alert paged at 09:04."}},
		{"setext heading", "Notes\n-----\ntext", 40, []string{"## Notes", "", "text"}},
		{"wrapping", "one two three four five six seven", 20, []string{"one two three four", "five six seven"}},
		{"emphasis, code and links", "a *b* **c** `d  e` [f](https://x.example) <https://y.example> \\*g\\*", 80,
			[]string{"a b c d e f (https://x.example) https://y.example *g*"}},
		{"glued punctuation stays on its word", "aaaaaaaa **bbbbbbbb**, cccc", 20, []string{"aaaaaaaa bbbbbbbb,", "cccc"}},
		{"snake_case is no emphasis", "a_b_c and _d_", 40, []string{"a_b_c and d"}},
		{"lists nest", "- one\n  continued\n- two\n  - inner\n1. first\n2. second", 40,
			[]string{"• one continued", "• two", "  • inner", "1. first", "2. second"}},
		{"hanging indent", "- alpha beta gamma delta epsilon", 20, []string{"• alpha beta gamma", "  delta epsilon"}},
		{"quote", "> quoted *text*\n> more", 40, []string{"│ quoted text more"}},
		{"fenced code kept as written", "```yaml\nuuid: 1\n  nested:  x\n```\nafter", 40,
			[]string{"  uuid: 1", "    nested:  x", "", "after"}},
		{"rule", "a\n\n---\n\nb", 20, []string{"a", "", strings.Repeat("─", 20), "", "b"}},
		{"table", "| # | Action | Owner |\n|---|:---|---|\n| 1 | Verify the chain | payments |\n| 2 | Stagger | platform |", 60,
			[]string{"# │ Action           │ Owner", "──┼──────────────────┼─────────", "1 │ Verify the chain │ payments", "2 │ Stagger          │ platform"}},
		{"narrow table cuts cells", "| a | b |\n|---|---|\n| " + strings.Repeat("x", 40) + " | y |", 24,
			[]string{"a                    │ b", "─────────────────────┼──", "xxxxxxxxxxxxxxxxxxx… │ y"}},
		{"long word broken", strings.Repeat("x", 25), 20, []string{strings.Repeat("x", 20), "xxxxx"}},
	}
	s := plainStyles()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderMarkdown(tt.src, tt.w, s)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			checkWidth(t, got, tt.w)
		})
	}
}

func checkWidth(t *testing.T, lines []string, w int) {
	t.Helper()
	for _, l := range lines {
		if width(l) > w {
			t.Errorf("line of %d cells, over %d: %q", width(l), w, l)
		}
	}
}

// hostileLines checks rendered lines: once the styles' own sequences are
// stripped, no escape, control, bidi control or invalid UTF-8 is left.
func hostileLines(t *testing.T, lines []string, w int) {
	t.Helper()
	for _, l := range lines {
		plain := ansi.Strip(l)
		if !utf8.ValidString(plain) {
			t.Fatalf("invalid UTF-8 in %q", l)
		}
		for _, r := range plain {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("control %U shown in %q", r, plain)
			}
		}
		if width(l) > w {
			t.Fatalf("line of %d cells, over %d", width(l), w)
		}
	}
}

func TestRenderMarkdownHostile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "markdown", "hostile.md"))
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := importer.ParseMarkdown(data, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	s := DefaultStyles(r)
	for _, src := range []string{string(data), in.Body, in.Summary, "\x1b]52;c;ZXZpbA==\x07`\x1b[2J`**\x9b31m**", strings.Repeat("- ", 5000) + "x", strings.Repeat("> ", 5000), strings.Repeat("|", 3000) + "\n|-|\n"} {
		for _, w := range []int{20, 80} {
			lines := renderMarkdown(src, w, s)
			hostileLines(t, lines, w)
		}
	}
	if lines := renderMarkdown(string(data), 80, s); len(lines) < 100 {
		t.Errorf("only %d lines of the hostile file", len(lines))
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	f.Add("# T\n\n- a\n  - b\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```\n> q *e* **s** `c` [l](u)")
	f.Add("\x1b[31m*\xff*`\xe2\x80\xae`")
	s := plainStyles()
	f.Fuzz(func(t *testing.T, src string) {
		hostileLines(t, renderMarkdown(src, 30, s), 30)
	})
}

// The overview of a Markdown postmortem ends with its source address,
// labels and body, laid out as Markdown.
func TestMarkdownOverviewScreen(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "markdown", "template.md"))
	if err != nil {
		t.Fatal(err)
	}
	src := "---\nurl: https://status.example/checkout-2024-03\ntags: [tls, certificates]\n---\n" + string(data)
	in, _, err := importer.ParseMarkdown([]byte(src), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, newFakeBackend([]incident.Incident{in}), 80, 40)
	s.press(km.List.OpenDetail)
	s.waitFor("Summary")
	s.press(km.Nav.Bottom)
	s.waitFor("chain requirement")
	s.golden()
}
