package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
)

func init() { register(newShowCmd) }

type showOptions struct {
	json bool
}

func newShowCmd(a *app) *cobra.Command {
	var o showOptions
	c := &cobra.Command{
		Use:   "show [flags] ID",
		Short: "print one incident as readable text, or as its canonical JSON record",
		Long: `Print one incident: as text for a terminal (every text neutralised), or with
--json as its canonical record, texts byte for byte. A unique prefix of the
id is enough.`,
		Example: `  faultline show 3f2a9c1b7d04
  faultline show 3f2a            # a unique prefix of the id is enough
  faultline show --json 3f2a9c1b7d04 | jq .taxonomy.domain`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"want exactly one incident id"}
			}
			return nil
		},
		ValidArgsFunction: a.completeIncidentID,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args[0]) },
	}
	c.Flags().BoolVar(&o.json, "json", false, "print the canonical JSON record, texts byte for byte")
	return c
}

func (o *showOptions) run(a *app, id string) error {
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	s, err := openForReading(path)
	if err != nil {
		return describeOpenError(err)
	}
	in, err := s.Get(id)
	s.Close()
	if err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(a.stdout).Encode(in)
	}
	writeIncidentText(a.stdout, &in)
	return nil
}

// writeIncidentText prints an incident for a reader at a terminal: every
// text through the sanitiser, numbered items as lists.
func writeIncidentText(w io.Writer, in *incident.Incident) {
	title := sanitize.Line(in.Title)
	fmt.Fprintf(w, "%s\n%s\n", title, strings.Repeat("=", min(max(len([]rune(title)), 3), 80)))
	fmt.Fprintf(w, "id: %s", in.ID)
	if in.SourceID != "" {
		fmt.Fprintf(w, "   FAIL id: %s", sanitize.Line(in.SourceID))
	}
	if in.Published != "" {
		fmt.Fprintf(w, "   published: %s", sanitize.Line(in.Published))
	}
	fmt.Fprintln(w)
	t := in.Triage
	if !t.IsZero() {
		star := ""
		if t.Starred {
			star = "  ★ starred"
		}
		fmt.Fprintf(w, "triage: %s%s", sanitize.Line(t.Status), star)
		if len(t.Tags) > 0 {
			fmt.Fprintf(w, "  tags: %s", sanitize.Line(strings.Join(t.Tags, ", ")))
		}
		fmt.Fprintln(w)
		if t.Note != "" {
			fmt.Fprintf(w, "note:\n%s\n", indent(sanitize.Text(t.Note), "  "))
		}
	}
	if in.Summary != "" {
		fmt.Fprintf(w, "\nSummary\n%s\n", indent(sanitize.Text(in.Summary), "  "))
	}
	for _, f := range incident.Fields {
		items := incident.Items(*f.Get(&in.Postmortem))
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", f.Label)
		writeItems(w, items)
	}
	fmt.Fprintln(w, "\nTaxonomy")
	for _, c := range incident.Categories {
		cat := in.Taxonomy[c.Key]
		if len(cat.Options) == 0 && cat.Rationale == "" {
			continue
		}
		opts := "-"
		if len(cat.Options) > 0 {
			opts = sanitize.Line(strings.Join(cat.Options, ", "))
		}
		fmt.Fprintf(w, "  %-13s %s\n", c.Key, opts)
		if cat.Rationale != "" {
			fmt.Fprintf(w, "%s\n", indent(sanitize.Text(cat.Rationale), "                "))
		}
	}
	if len(in.Articles) > 0 {
		ids := make([]string, len(in.Articles))
		for i, a := range in.Articles {
			ids[i] = fmt.Sprint(a)
		}
		fmt.Fprintf(w, "\nCited articles: %s\n", strings.Join(ids, ", "))
	}
}

func writeItems(w io.Writer, items []string) {
	if len(items) == 1 {
		fmt.Fprintf(w, "%s\n", indent(sanitize.Text(items[0]), "  "))
		return
	}
	for i, it := range items {
		body := indent(sanitize.Text(it), "     ")
		fmt.Fprintf(w, "  %2d. %s\n", i+1, strings.TrimLeft(body, " "))
	}
}
