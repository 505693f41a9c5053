package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/present"
	"github.com/faultline/faultline/sanitize"
)

// WriteMarkdown writes a report a reviewer can send: a title, the query,
// the date and the database; counts by triage status and star; then per
// incident its facts, its triage (every note with its author and time,
// line breaks kept), the summary and postmortem fields as lists, the
// taxonomy (a reviewer's correction beside the source's options), the body
// and the cited articles. What it shows, and in which order, is
// present.Of's; all incident text goes through sanitize and is escaped so
// that it reads as text, never as Markdown structure, links or HTML. The
// output depends only on set, so it diffs well.
func WriteMarkdown(w io.Writer, set Set) error {
	bw := bufio.NewWriter(w)
	writeReportHead(bw, set)
	for i, in := range set.Incidents {
		in = normalized(in)
		writeIncident(bw, i+1, present.Of(&in))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	return nil
}

func writeReportHead(w *bufio.Writer, set Set) {
	w.WriteString("# Incident review\n\n")
	fact := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "- **%s:** %s\n", label, value)
		}
	}
	q := code(set.Query)
	if q == "" {
		q = "all incidents"
	}
	fact("Query", q)
	if !set.At.IsZero() {
		fact("Exported", set.At.UTC().Format("2006-01-02 15:04 UTC"))
	}
	fact("By", inline(set.By))
	fact("Database", code(set.Database))
	n := len(set.Incidents)
	fmt.Fprintf(w, "\n%d %s.\n", n, plural(n, "incident", "incidents"))
	if n == 0 {
		return
	}
	counts := map[string]int{}
	starred := 0
	for _, in := range set.Incidents {
		counts[in.Triage.State()]++
		if in.Triage.Starred() {
			starred++
		}
	}
	w.WriteString("\n| Status | Incidents |\n| --- | ---: |\n")
	for _, st := range incident.Statuses {
		if counts[st] > 0 {
			fmt.Fprintf(w, "| %s | %d |\n", st, counts[st])
		}
	}
	fmt.Fprintf(w, "| starred | %d |\n", starred)
}

func writeIncident(w *bufio.Writer, n int, d present.Doc) {
	fmt.Fprintf(w, "\n## %d. %s\n\n", n, inline(d.Title))
	for _, f := range d.Facts {
		v := inline(f.Value)
		if f.Label == "ID" || f.Label == "URL" {
			v = code(f.Value)
		}
		fmt.Fprintf(w, "- **%s:** %s\n", f.Label, v)
	}
	if d.Touched {
		writeTriage(w, d.Triage)
	}
	if len(d.Summary.Items) > 0 {
		w.WriteString("\n### Summary\n\n")
		writeList(w, d.Summary.Items)
	}
	if len(d.Fields) > 0 {
		w.WriteString("\n### Postmortem\n")
	}
	for _, f := range d.Fields {
		fmt.Fprintf(w, "\n**%s**\n\n", f.Label)
		writeList(w, f.Items)
	}
	writeTaxonomy(w, d.Taxonomy)
	if b := block(d.Body); b != "" {
		fmt.Fprintf(w, "\n### Body\n\n%s\n", b)
	}
	if len(d.Articles) > 0 {
		w.WriteString("\n### Cited articles\n\n")
	}
	for _, a := range d.Articles {
		if !a.Imported {
			fmt.Fprintf(w, "- %d (not imported)\n", a.ID)
			continue
		}
		line := fmt.Sprintf("- %d: %s", a.ID, inline(a.Headline))
		for _, v := range []string{inline(a.Source), inline(a.Published), code(a.URL)} {
			if v != "" {
				line += " · " + v
			}
		}
		w.WriteString(line + "\n")
	}
}

// writeTriage writes the triage: status and star as facts, then every note
// as a quote that keeps its line breaks.
func writeTriage(w *bufio.Writer, t present.Triage) {
	status := inline(t.Status)
	if t.StatusBy != "" {
		status += " (" + inline(t.StatusBy) + ")"
	}
	fmt.Fprintf(w, "- **Status:** %s\n", status)
	if t.Starred {
		w.WriteString("- **Starred:** yes\n")
	}
	if len(t.Tags) > 0 {
		tags := make([]string, len(t.Tags))
		for i, tag := range t.Tags {
			tags[i] = code(tag)
		}
		fmt.Fprintf(w, "- **Tags:** %s\n", strings.Join(tags, ", "))
	}
	for _, n := range t.Notes {
		fmt.Fprintf(w, "\n**Note by %s**\n\n", inline(n.Who))
		for _, line := range strings.Split(block(n.Text), "\n") {
			if line == "" {
				w.WriteString(">\n")
			} else {
				w.WriteString("> " + line + "  \n")
			}
		}
	}
}

// writeList writes items as a numbered list, or one item as a paragraph.
func writeList(w *bufio.Writer, items []string) {
	if len(items) == 1 {
		w.WriteString(block(items[0]) + "\n")
		return
	}
	for i, it := range items {
		fmt.Fprintf(w, "%d. %s\n", i+1, inline(it))
	}
}

func writeTaxonomy(w *bufio.Writer, cats []present.Category) {
	if len(cats) == 0 {
		return
	}
	w.WriteString("\n### Taxonomy\n\n| Category | Options |\n| --- | --- |\n")
	var rationales []string
	for _, c := range cats {
		opts := cellList(c.Options)
		if c.Corrected {
			opts = cellList(c.Correction) + " (corrected by " + cell(c.By) + "; the source says " + opts + ")"
		}
		fmt.Fprintf(w, "| %s | %s |\n", c.Label, opts)
		if r := inline(c.Rationale); r != "" {
			rationales = append(rationales, "- **"+c.Label+":** "+r)
		}
	}
	if len(rationales) > 0 {
		w.WriteString("\n**Rationale**\n\n" + strings.Join(rationales, "\n") + "\n")
	}
}

func cellList(opts []string) string {
	if len(opts) == 0 {
		return "none"
	}
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = cell(o)
	}
	return strings.Join(out, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// inline renders untrusted text as one line of Markdown text.
func inline(s string) string {
	return escape(strings.TrimSpace(sanitize.Line(s)))
}

// cell renders untrusted text for a table cell.
func cell(s string) string {
	return strings.ReplaceAll(inline(s), "|", `\|`)
}

// code renders a value as inline code; backticks in it cannot close the span.
func code(s string) string {
	s = strings.TrimSpace(sanitize.Line(s))
	if s == "" {
		return ""
	}
	if strings.Contains(s, "`") {
		return escape(s)
	}
	return "`" + s + "`"
}

// block renders untrusted multi-line text as paragraphs: each line escaped,
// blank lines kept as paragraph breaks, runs of blank lines folded.
func block(s string) string {
	var out []string
	blank := false
	for _, line := range strings.Split(sanitize.Text(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, escape(line))
	}
	return strings.Join(out, "\n")
}

// escape backslash-escapes what would make Markdown out of text: emphasis,
// code spans, raw HTML and autolinks, and links or images ("](" and a
// reference definition's "]:"). Citations such as [104834] stay readable.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '<', '>', '~':
			b.WriteByte('\\')
		case ']':
			if i+1 < len(s) && (s[i+1] == '(' || s[i+1] == ':' || s[i+1] == '[') {
				b.WriteByte('\\')
			}
		case '_':
			// intraword underscores (non-human_actions) are not emphasis
			if i == 0 || i+1 == len(s) || !isWordByte(s[i-1]) || !isWordByte(s[i+1]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return escapeLineStart(b.String())
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// escapeLineStart keeps a line from starting a heading, quote, list, rule,
// fence or table.
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=', '|':
		return `\` + s
	}
	// "1. " or "1) " would start an ordered list
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
