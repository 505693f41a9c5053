package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/internal/ingest"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/starter"
	"github.com/faultline/faultline/store"
)

func init() { register(newImportCmd) }

// importHeap is the heap an import asks the Go runtime to keep to (unless
// GOMEMLIMIT says otherwise): what it holds at once is bounded (a batch of
// records, a segment of the index), and without a limit the collector
// lets the heap grow to twice that.
const importHeap = 160 << 20

type importOptions struct {
	starter bool
	maxSize int64
	verbose bool
	json    bool
}

func newImportCmd(a *app) *cobra.Command {
	o := importOptions{maxSize: importer.DefaultMaxFileSize}
	c := &cobra.Command{
		Use:   "import [flags] PATH...",
		Short: "import incidents and articles from FAIL files, Markdown postmortems or faultline exports",
		Long: `Import files and directories (recursively). The form of each file is told
from its content: FAIL page text, CSV and dumpdata JSON (incidents, and
FAIL's article tables), Markdown postmortems and lists of them, and
faultline's own JSON Lines and JSON.

An incident with a FAIL id is that FAIL incident, found again whatever its
title; page text, which has no id, finds its incident by title, date and
text. A file that gives what it gave last time changes nothing, so an
import run twice reports 0 new and 0 updated. Triage carried by an export
is merged field by field: a later setting wins, an absent one erases
nothing, every reviewer's notes are kept; the summary counts the merged
fields and lists the conflicts.

A file that cannot be read is refused by name, with the reason, and the
others still import; the exit status is then 1. The file is written in
short bursts, one batch of records at a time, so other faultline commands
can read it while an import runs.`,
		Example: `  faultline import ~/fail/pages/            # a directory, recursively
  faultline import incidents.csv dump.json      # files of any known form
  faultline import team/*.jsonl                 # colleagues' exports: triage merges
  faultline import --json new.csv | jq .new     # a summary for scripts
  faultline import --starter                    # add the built-in incidents`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 && !o.starter {
				return usageError{"no files or directories to import"}
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	f := c.Flags()
	f.BoolVar(&o.starter, "starter", false, "also import the built-in starter incidents")
	f.Int64Var(&o.maxSize, "max-size", o.maxSize, "refuse files read whole, and records, larger than `bytes`")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "list every warning, not only their count")
	f.BoolVar(&o.json, "json", false, "print the summary as JSON")
	return c
}

func (o *importOptions) run(a *app, paths []string) error {
	if o.maxSize <= 0 {
		return usageError{"--max-size must be positive"}
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importHeap)
	}
	n := a.notices()
	// Open once first, so that a foreign or damaged file is refused before
	// anything is read, and an older one is migrated.
	s, err := openForWriting(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	from, err := s.Generation()
	s.Close()
	if err != nil {
		return err
	}
	// The index takes in the incidents as batches store them, a segment
	// at a time in the file of the batch. The events are brought up to
	// date at the end, once the index no longer holds a segment in
	// memory: the grouping holds something of every incident.
	idx := indexer.Start(nil)
	sink := &ingest.Sink{
		Open:   func() (*store.Store, error) { return openForWriting(path, n) },
		Stored: func(s *store.Store, in incident.Incident) error { idx.Use(s); return idx.Add(in) },
	}
	if o.starter {
		if err := putStarter(sink); err != nil {
			return err
		}
	}
	var sum importer.Summary
	if len(paths) > 0 {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		bar := newProgressBar(a.stderr)
		sum, err = importer.Run(ctx, paths, importer.Options{MaxFileSize: o.maxSize}, sink.Put, bar.update)
		bar.done()
		if err != nil {
			return fmt.Errorf("import into %s: %w", path, err)
		}
	}
	if err := finishIndex(path, n, idx); err != nil {
		return fmt.Errorf("import into %s: %w", path, err)
	}
	ch := eventChanges{from: from, changed: sink.Stats.Changed, removed: sink.Stats.Rekeyed}
	if err := refreshEvents(path, n, ch); err != nil {
		return fmt.Errorf("import into %s: %w", path, err)
	}
	rep := importReport{db: path, sum: sum, stats: sink.Stats, articles: sink.Articles}
	if o.json {
		err = rep.writeJSON(a.stdout)
	} else {
		rep.writeText(a.stdout, a.stderr, o.verbose)
	}
	if err == nil && len(sum.Refused) > 0 {
		err = errReported
	}
	return err
}

// putStarter adds the built-in incidents.
func putStarter(sink *ingest.Sink) error {
	incs, err := starter.Incidents()
	if err != nil {
		return fmt.Errorf("starter set: %w", err)
	}
	s, err := sink.Open()
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	st, err := s.PutEach(starterInputs(incs), func(in incident.Incident) error { return sink.Stored(s, in) })
	if err != nil {
		return err
	}
	sink.Stats.Add(st)
	return nil
}

// importReport is what an import did, for people and for scripts.
type importReport struct {
	db       string
	sum      importer.Summary
	stats    store.PutStats
	articles store.ArticleStats
}

func (r importReport) writeText(stdout, stderr io.Writer, verbose bool) {
	st := r.stats
	fmt.Fprintf(stdout, "%s: %d files read: %d incident records (%s)", sanitize.Line(r.db), r.sum.Files,
		st.New+st.Updated+st.Unchanged, formatPutStats(st))
	if a := r.articles; a.New+a.Updated+a.Unchanged > 0 {
		fmt.Fprintf(stdout, ", %d articles (%d new, %d updated, %d unchanged)", a.New+a.Updated+a.Unchanged, a.New, a.Updated, a.Unchanged)
	}
	fmt.Fprintln(stdout)
	if st.TriageMerged > 0 || len(st.Conflicts) > 0 {
		fmt.Fprintf(stdout, "triage: %d %s merged, %d %s\n", st.TriageMerged, plural(st.TriageMerged, "field", "fields"),
			len(st.Conflicts), plural(len(st.Conflicts), "conflict", "conflicts"))
		for _, c := range st.Conflicts {
			fmt.Fprintf(stdout, "  %s %s: %s\n", c.ID, sanitize.Line(clipTitle(c.Title)), sanitize.Line(c.Conflict.String()))
		}
	}
	for _, nt := range st.Notices {
		fmt.Fprintf(stdout, "note: %s %s: %s\n", nt.ID, sanitize.Line(clipTitle(nt.Title)), sanitize.Line(nt.Text))
	}
	if n := len(r.sum.Warnings); n > 0 {
		if verbose {
			for _, w := range r.sum.Warnings {
				fmt.Fprintf(stderr, "warning: %s\n", sanitize.Line(w.Error()))
			}
		}
		fmt.Fprintf(stdout, "%d warnings (-v lists them)\n", n)
	}
	if r.sum.Skipped > 0 {
		fmt.Fprintf(stdout, "%d objects of other kinds skipped\n", r.sum.Skipped)
	}
	if n := len(r.sum.SkippedFiles); n > 0 {
		names := make([]string, n)
		for i, f := range r.sum.SkippedFiles {
			names[i] = sanitize.Line(filepath.Base(f))
		}
		fmt.Fprintf(stdout, "%d %s skipped as documentation: %s\n", n, plural(n, "file", "files"), strings.Join(names, ", "))
	}
	if len(r.sum.Refused) > 0 {
		for _, f := range r.sum.Refused {
			fmt.Fprintf(stderr, "refused: %s\n", sanitize.Line(f.Error()))
		}
		fmt.Fprintf(stdout, "%d refused: files or records that could not be read (listed on stderr)\n", len(r.sum.Refused))
	}
}

// writeJSON prints the summary for scripts. Texts are as given, JSON-escaped.
func (r importReport) writeJSON(w io.Writer) error {
	type place struct {
		Path   string `json:"path"`
		Line   int    `json:"line"`
		Reason string `json:"reason"`
	}
	type conflict struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Field string `json:"field"`
		Kept  string `json:"kept"`
		Lost  string `json:"lost"`
	}
	type note struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	out := struct {
		Database       string             `json:"database"`
		Files          int                `json:"files"`
		New            int                `json:"new"`
		Updated        int                `json:"updated"`
		Unchanged      int                `json:"unchanged"`
		Articles       store.ArticleStats `json:"articles"`
		Refused        []place            `json:"refused"`
		Warnings       int                `json:"warnings"`
		TriageMerged   int                `json:"triage_merged"`
		TriageConflict []conflict         `json:"triage_conflicts"`
		Notices        []note             `json:"notices"`
		SkippedFiles   []string           `json:"skipped_files"`
	}{Database: r.db, Files: r.sum.Files, New: r.stats.New, Updated: r.stats.Updated, Unchanged: r.stats.Unchanged,
		Articles: r.articles, Refused: []place{}, Warnings: len(r.sum.Warnings), TriageMerged: r.stats.TriageMerged,
		TriageConflict: []conflict{}, Notices: []note{}, SkippedFiles: r.sum.SkippedFiles}
	if out.SkippedFiles == nil {
		out.SkippedFiles = []string{}
	}
	for _, f := range r.sum.Refused {
		out.Refused = append(out.Refused, place{f.Path, f.Line, f.Reason})
	}
	for _, c := range r.stats.Conflicts {
		out.TriageConflict = append(out.TriageConflict, conflict{c.ID, c.Title, c.Field, c.Kept, c.Lost})
	}
	for _, nt := range r.stats.Notices {
		out.Notices = append(out.Notices, note{nt.ID, nt.Title, nt.Text})
	}
	enc := json.NewEncoder(jsonOut{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func formatPutStats(st store.PutStats) string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged", st.New, st.Updated, st.Unchanged)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clipTitle shortens a title quoted in a summary line.
func clipTitle(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
