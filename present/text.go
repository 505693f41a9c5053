package present

import (
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/sanitize"
)

// WriteText draws d as plain text for a terminal, `faultline show`'s form:
// every text through the sanitiser, numbered items as lists.
func WriteText(w io.Writer, d Doc) {
	title := sanitize.Line(d.Title)
	fmt.Fprintf(w, "%s\n%s\n", title, strings.Repeat("=", min(max(len([]rune(title)), 3), 80)))
	for _, f := range d.Facts {
		fmt.Fprintf(w, "%-10s %s\n", f.Label+":", sanitize.Line(f.Value))
	}
	if d.Touched {
		writeTriageText(w, d.Triage)
	}
	if len(d.Summary.Items) > 0 {
		fmt.Fprintf(w, "\nSummary\n")
		writeItems(w, d.Summary.Items)
	}
	for _, f := range d.Fields {
		fmt.Fprintf(w, "\n%s\n", f.Label)
		writeItems(w, f.Items)
	}
	if len(d.Taxonomy) > 0 {
		fmt.Fprintln(w, "\nTaxonomy")
	}
	for _, c := range d.Taxonomy {
		opts := sanitize.Line(OptionList(c.Options))
		if c.Corrected {
			opts = fmt.Sprintf("%s (corrected by %s; the source says %s)", sanitize.Line(OptionList(c.Correction)),
				sanitize.Line(c.By), opts)
		}
		fmt.Fprintf(w, "  %-13s %s\n", c.Key, opts)
		if c.Rationale != "" {
			fmt.Fprintf(w, "%s\n", indentText(sanitize.Text(c.Rationale), "                "))
		}
	}
	if strings.TrimSpace(d.Body) != "" {
		fmt.Fprintf(w, "\nBody\n%s\n", indentText(sanitize.Text(strings.TrimSpace(d.Body)), "  "))
	}
	if len(d.Articles) > 0 {
		fmt.Fprintln(w, "\nCited articles")
	}
	for _, a := range d.Articles {
		fmt.Fprintf(w, "  %s\n", sanitize.Line(a.String()))
		if m := a.Meta(); a.Imported && m != "" {
			fmt.Fprintf(w, "       %s\n", sanitize.Line(m))
		}
	}
	fmt.Fprintln(w, "\nSources")
	for _, s := range d.Sources {
		fmt.Fprintf(w, "  %s\n", sanitize.Line(s))
	}
	if len(d.Sources) == 0 {
		fmt.Fprintln(w, "  imported before sources were recorded")
	}
}

func writeTriageText(w io.Writer, t Triage) {
	line := "triage:    " + t.Status
	if t.StatusBy != "" {
		line += " (" + t.StatusBy + ")"
	}
	if t.Starred {
		line += "  ★ starred"
	}
	if len(t.Tags) > 0 {
		line += "  tags: " + strings.Join(t.Tags, ", ")
	}
	fmt.Fprintln(w, sanitize.Line(line))
	for _, n := range t.Notes {
		fmt.Fprintf(w, "note by %s:\n%s\n", sanitize.Line(n.Who), indentText(sanitize.Text(n.Text), "  "))
	}
}

func writeItems(w io.Writer, items []string) {
	if len(items) == 1 {
		fmt.Fprintf(w, "%s\n", indentText(sanitize.Text(items[0]), "  "))
		return
	}
	for i, it := range items {
		body := indentText(sanitize.Text(it), "     ")
		fmt.Fprintf(w, "  %2d. %s\n", i+1, strings.TrimLeft(body, " "))
	}
}

// indentText puts prefix before every line of s that is not empty.
func indentText(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
