package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

func init() { register(newExportCmd) }

type exportOptions struct {
	format string
	out    string
	force  bool
	triage bool
}

func newExportCmd(a *app) *cobra.Command {
	var o exportOptions
	c := &cobra.Command{
		Use:   "export [flags] [QUERY...]",
		Short: "write incidents (all, or those matching a query) as " + formatNames(),
		Long: `Write every incident, or those matching a query, to standard output or to a
file. The format is --format, else the extension of -o FILE (` + formatExts() + `),
else jsonl. An existing file is replaced only with --force; a file is written
whole or not at all.

  jsonl, json  faultline's own form: importing it restores every record and
               its triage exactly, so export | import | export gives the
               same bytes
  csv          the FAIL CSV export's layout, for spreadsheets and FAIL's
               tools: it imports back to the same records, without triage
  md           a report for people, every text neutralised
  triage       (--triage) only triage, one line per incident in id order:
               a review file that diffs and merges well in git; importing
               it merges the triage into the incidents it names

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline export > backup.jsonl               # every record, triage included
  faultline export -o finance.md domain:finance
  faultline export --format csv -o fail.csv --force
  faultline export --format json is:starred | jq length
  faultline export --triage -o review/ann.jsonl --force   # share a review`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	f := c.Flags()
	f.StringVar(&o.format, "format", "", "output `form`: "+formatNames()+" (default: by -o's extension, else jsonl)")
	f.StringVarP(&o.out, "output", "o", "", "write to `file` instead of standard output")
	f.BoolVar(&o.force, "force", false, "replace the -o file if it exists")
	f.BoolVar(&o.triage, "triage", false, "write only triage, one line per incident (as --format triage)")
	c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formatList(), cobra.ShellCompDirectiveNoFileComp))
	return c
}

func (o *exportOptions) run(a *app, args []string) error {
	format, err := o.pickFormat()
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	incs, err := exportSet(path, args, a.notices())
	if err != nil {
		return err
	}
	set := export.Set{Incidents: incs, Query: strings.Join(args, " "), Database: path, At: a.now()}
	if format.Name == "md" { // a report says who made it
		set.By = a.reviewer()
	}
	if o.out == "" || o.out == "-" {
		bw := bufio.NewWriter(a.stdout)
		if err := format.Write(bw, set); err != nil {
			return err
		}
		return bw.Flush()
	}
	err = export.WriteFile(o.out, format, set, o.force)
	if errors.Is(err, export.ErrExists) {
		return fmt.Errorf("%s exists: --force replaces it", o.out)
	}
	return err
}

// pickFormat is --format, else the format -o's extension chooses, else
// jsonl, the form that keeps everything.
func (o *exportOptions) pickFormat() (export.Format, error) {
	if o.triage {
		if o.format != "" && o.format != "triage" {
			return export.Format{}, usageError{"--triage and --format " + o.format + ": choose one"}
		}
		o.format = "triage"
	}
	if o.format != "" {
		f, ok := export.FormatNamed(o.format)
		if !ok {
			return f, usageError{fmt.Sprintf("--format %q: want %s", o.format, formatNames())}
		}
		return f, nil
	}
	if f, ok := export.FormatOf(o.out); ok {
		return f, nil
	}
	return export.Formats[0], nil
}

// exportSet reads every incident of the database at path, or with a
// query those it matches, best first.
func exportSet(path string, args []string, n notice) ([]incident.Incident, error) {
	if strings.TrimSpace(strings.Join(args, " ")) == "" {
		return loadAll(path, n)
	}
	q, err := parseQuery(args)
	if err != nil {
		return nil, err
	}
	var incs []incident.Incident
	err = withIndex(path, n, func(ix *search.Index) error {
		for _, h := range ix.Search(q, search.Options{}).Hits {
			if in, ok := ix.Get(h.ID); ok {
				incs = append(incs, in)
			}
		}
		return nil
	})
	return incs, err
}

// formatNames lists the export formats for a sentence: "jsonl, json, md or csv".
func formatNames() string { return orList(formatList()) }

func formatList() []string {
	names := make([]string, len(export.Formats))
	for i, f := range export.Formats {
		names[i] = f.Name
	}
	return names
}

// formatExts lists the extensions that choose a format: ".jsonl .json .md .csv".
func formatExts() string {
	var exts []string
	for _, f := range export.Formats {
		exts = append(exts, f.Exts...)
	}
	return strings.Join(exts, " ")
}
