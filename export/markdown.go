package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
)

// WriteMarkdown writes a readable report: one section per incident with its
// facts, summary, postmortem fields as numbered lists, a taxonomy table and
// the body (as escaped text: the report never passes Markdown through).
// All incident text goes through sanitize and is escaped so that it reads
// as text, never as Markdown structure, links or HTML.
func WriteMarkdown(w io.Writer, incs []incident.Incident) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Incidents\n\n%d %s.\n", len(incs), plural(len(incs), "incident", "incidents"))
	for i, in := range incs {
		writeIncident(bw, i+1, normalized(in))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	return nil
}

func writeIncident(w *bufio.Writer, n int, in incident.Incident) {
	title := inline(in.Title)
	if title == "" {
		title = "(untitled)"
	}
	fmt.Fprintf(w, "\n## %d. %s\n\n", n, title)
	fact := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "- **%s:** %s\n", label, value)
		}
	}
	fact("ID", code(in.ID))
	fact("FAIL ID", inline(in.SourceID))
	fact("Published", inline(in.Published))
	fact("URL", code(in.URL))
	if len(in.Labels) > 0 {
		labels := make([]string, len(in.Labels))
		for i, l := range in.Labels {
			labels[i] = inline(l)
		}
		fact("Labels", strings.Join(labels, ", "))
	}
	if t := in.Triage; !t.Untouched() {
		fact("Status", inline(t.State()))
		if t.Starred() {
			fact("Starred", "yes")
		}
		tags := t.TagList()
		for i, tag := range tags {
			tags[i] = inline(tag)
		}
		fact("Tags", strings.Join(tags, ", "))
		for _, n := range t.LiveNotes() {
			fact("Note", inline(n.Text)+" ("+inline(incident.Stamp{By: n.By, At: n.At}.Describe())+")")
		}
	}
	if s := block(in.Summary); s != "" {
		fmt.Fprintf(w, "\n### Summary\n\n%s\n", s)
	}
	wrote := false
	for _, f := range incident.Fields {
		items := incident.Items(*f.Get(&in.Postmortem))
		if len(items) == 0 {
			continue
		}
		if !wrote {
			w.WriteString("\n### Postmortem\n")
			wrote = true
		}
		fmt.Fprintf(w, "\n**%s**\n\n", f.Label)
		for i, it := range items {
			fmt.Fprintf(w, "%d. %s\n", i+1, inline(it))
		}
	}
	writeTaxonomy(w, in)
	if b := block(in.Body); b != "" {
		fmt.Fprintf(w, "\n### Body\n\n%s\n", b)
	}
	writeCited(w, in)
}

func writeTaxonomy(w *bufio.Writer, in incident.Incident) {
	var rows, rationales []string
	for _, c := range incident.Categories {
		cat := in.Taxonomy[c.Key]
		if len(cat.Options) == 0 && strings.TrimSpace(cat.Rationale) == "" {
			continue
		}
		opts := make([]string, len(cat.Options))
		for i, o := range cat.Options {
			opts[i] = cell(o)
		}
		rows = append(rows, "| "+c.Label+" | "+strings.Join(opts, ", ")+" |")
		if r := inline(cat.Rationale); r != "" {
			rationales = append(rationales, "- **"+c.Label+":** "+r)
		}
	}
	if len(rows) == 0 {
		return
	}
	w.WriteString("\n### Taxonomy\n\n| Category | Options |\n| --- | --- |\n")
	w.WriteString(strings.Join(rows, "\n") + "\n")
	if len(rationales) > 0 {
		w.WriteString("\n**Rationale**\n\n" + strings.Join(rationales, "\n") + "\n")
	}
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

// writeCited lists the articles the incident cites: headline, source,
// date and address of those imported, the ids of the others.
func writeCited(w *bufio.Writer, in incident.Incident) {
	if len(in.Articles) == 0 {
		return
	}
	stored := map[int64]incident.CitedArticle{}
	for _, a := range in.Cited {
		stored[a.ID] = a
	}
	w.WriteString("\n### Cited articles\n\n")
	for _, id := range in.Articles {
		a, ok := stored[id]
		if !ok {
			fmt.Fprintf(w, "- %d (not imported)\n", id)
			continue
		}
		line := fmt.Sprintf("- %d: %s", id, inline(a.Headline))
		for _, v := range []string{inline(a.Source), inline(a.Published), code(a.URL)} {
			if v != "" {
				line += " · " + v
			}
		}
		w.WriteString(line + "\n")
	}
}
