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
	s, err := openForReading(path, a.notices())
	if err != nil {
		return describeOpenError(err)
	}
	in, err := s.Get(id)
	s.Close()
	if err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(jsonOut{a.stdout}).Encode(in)
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
	if !t.Untouched() {
		star := ""
		if t.Starred() {
			star = "  ★ starred"
		}
		fmt.Fprintf(w, "triage: %s%s", sanitize.Line(t.State()), star)
		if !t.Status.At.IsZero() || t.Status.By != "" {
			fmt.Fprintf(w, " (%s)", sanitize.Line(incident.Stamp{By: t.Status.By, At: t.Status.At}.Describe()))
		}
		if tags := t.TagList(); len(tags) > 0 {
			fmt.Fprintf(w, "  tags: %s", sanitize.Line(strings.Join(tags, ", ")))
		}
		fmt.Fprintln(w)
		for _, n := range t.LiveNotes() {
			fmt.Fprintf(w, "note by %s:\n%s\n", sanitize.Line(incident.Stamp{By: n.By, At: n.At}.Describe()), indent(sanitize.Text(n.Text), "  "))
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
	writeCited(w, in)
	fmt.Fprintln(w, "\nSources")
	for _, src := range in.Sources {
		fmt.Fprintf(w, "  %s\n", sanitize.Line(sourceText(src)))
	}
	if len(in.Sources) == 0 {
		fmt.Fprintln(w, "  imported before sources were recorded")
	}
}

// writeCited lists the cited articles: headline, source, date and URL of
// those stored, the ids of the others.
func writeCited(w io.Writer, in *incident.Incident) {
	if len(in.Articles) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCited articles")
	stored := map[int64]incident.CitedArticle{}
	for _, a := range in.Cited {
		stored[a.ID] = a
	}
	var missing []string
	for _, id := range in.Articles {
		a, ok := stored[id]
		if !ok {
			missing = append(missing, fmt.Sprint(id))
			continue
		}
		fmt.Fprintf(w, "  [%d] %s\n", id, sanitize.Line(a.Headline))
		meta := strings.Join(nonEmpty(a.Source, a.Published), " · ")
		if meta != "" {
			fmt.Fprintf(w, "       %s\n", sanitize.Line(meta))
		}
		if a.URL != "" {
			fmt.Fprintf(w, "       %s\n", sanitize.Line(a.URL))
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, "  not imported: %s\n", strings.Join(missing, ", "))
	}
}

// sourceText says where a record came from and when.
func sourceText(src incident.Source) string {
	parts := []string{src.Form}
	if src.File != "" {
		parts = append(parts, src.File)
	}
	if src.SourceID != "" {
		parts = append(parts, "id "+src.SourceID)
	}
	if !src.First.IsZero() {
		parts = append(parts, "first imported "+src.First.Format("2006-01-02 15:04"))
	}
	if !src.Last.IsZero() && !src.Last.Equal(src.First) {
		parts = append(parts, "last "+src.Last.Format("2006-01-02 15:04"))
	}
	return strings.Join(parts, " · ")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
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
