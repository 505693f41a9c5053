package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/store"
)

func init() { register(newTriageCmd) }

type triageOptions struct {
	status     string
	star       bool
	unstar     bool
	tags       []string
	untags     []string
	note       string
	noteFile   string
	taxonomy   []string
	split      bool
	join       string
	asFound    bool
	json       bool
	noteGiven  bool
	statusSeen bool
}

func newTriageCmd(a *app) *cobra.Command {
	var o triageOptions
	c := &cobra.Command{
		Use:   "triage [flags] ID...",
		Short: "set or show the triage of incidents: status, star, tags, note",
		Long: `Set the triage of the incidents named (an id, a unique prefix of one, or a
FAIL id as fail:2743), or with no change flags show it. Each change is
recorded with who made it (--reviewer, else $FAULTLINE_REVIEWER, else the
login name) and when, so that reviews merge: see 'faultline import -h'.

--note sets your note on each incident (an empty one deletes it); other
reviewers' notes stay as they are.

--taxonomy corrects the source's taxonomy: KEY=OPTION,OPTION picks the
options of a category from its vocabulary, KEY=none says none applies, and
KEY= withdraws the correction. The source's options stay beside it, and
search, facets and stats count the corrected ones (reviewed:yes finds
incidents with a correction).

Statuses: ` + strings.Join(incident.Statuses, ", ") + `.`,
		Example: `  faultline triage 3f2a --status reviewing --tag auth --tag dns
  faultline triage fail:2743 --star --note 'same as our 2019 outage'
  faultline --reviewer ann triage 3f2a 9c1b --status dismissed
  faultline triage 3f2a --note-file review.md
  faultline triage fail:2743 --taxonomy phase=design,operation --taxonomy cps=
  faultline triage 3f2a --json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"name at least one incident"}
			}
			return nil
		},
		ValidArgsFunction: a.completeIncidentID,
		RunE: func(c *cobra.Command, args []string) error {
			o.noteGiven = c.Flags().Changed("note")
			o.statusSeen = c.Flags().Changed("status")
			return o.run(a, args)
		},
	}
	f := c.Flags()
	f.StringVar(&o.status, "status", "", "set the status: "+strings.Join(incident.Statuses, ", "))
	f.BoolVar(&o.star, "star", false, "star")
	f.BoolVar(&o.unstar, "unstar", false, "remove the star")
	f.StringArrayVar(&o.tags, "tag", nil, "add a `tag` (repeat for more)")
	f.StringArrayVar(&o.untags, "untag", nil, "remove a `tag` (repeat for more)")
	f.StringVar(&o.note, "note", "", "set your note to `text` (\"\" deletes it)")
	f.StringVar(&o.noteFile, "note-file", "", "set your note to the text of `file` (- for standard input)")
	f.StringArrayVar(&o.taxonomy, "taxonomy", nil, "correct a category: `key=option,...`, key=none, or key= to withdraw")
	f.BoolVar(&o.split, "split", false, "take the incident out of its event: it reports a failure of its own")
	f.StringVar(&o.join, "join", "", "put the incident in the event of incident `id`")
	f.BoolVar(&o.asFound, "as-found", false, "withdraw a --split or --join: the event as grouping finds it")
	f.BoolVar(&o.json, "json", false, "print the resulting triage as JSON, one object per incident")
	c.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(incident.Statuses, cobra.ShellCompDirectiveNoFileComp))
	return c
}

// changes reports whether any flag changes triage.
func (o *triageOptions) changes() bool {
	return o.statusSeen || o.star || o.unstar || len(o.tags) > 0 || len(o.untags) > 0 || o.noteGiven || o.noteFile != "" ||
		len(o.taxonomy) > 0 || o.split || o.join != "" || o.asFound
}

// corrections reads the --taxonomy flags: category key → canonical
// options ([] for none, nil to withdraw).
func (o *triageOptions) corrections() (map[string][]string, error) {
	out := map[string][]string{}
	for _, f := range o.taxonomy {
		key, list, ok := strings.Cut(f, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		spec, known := incident.CategoryByKey(key)
		if !ok || !known {
			return nil, usageError{fmt.Sprintf("--taxonomy %q: want KEY=OPTION,OPTION with KEY a category (phase, domain, …)", f)}
		}
		switch strings.TrimSpace(list) {
		case "":
			out[key] = nil
			continue
		case "none":
			out[key] = []string{}
			continue
		}
		opts := []string{}
		for _, v := range strings.Split(list, ",") {
			c, canon := incident.CanonicalOption(key, v)
			if !canon {
				return nil, usageError{fmt.Sprintf("--taxonomy %s: %q is not an option of %s (%s)", key, strings.TrimSpace(v), key, strings.Join(spec.Options, ", "))}
			}
			if !slices.Contains(opts, c) {
				opts = append(opts, c)
			}
		}
		out[key] = opts
	}
	return out, nil
}

func (o *triageOptions) check() error {
	switch {
	case o.star && o.unstar:
		return usageError{"--star and --unstar: choose one"}
	case o.noteGiven && o.noteFile != "":
		return usageError{"--note and --note-file: choose one"}
	case btoi(o.split)+btoi(o.join != "")+btoi(o.asFound) > 1:
		return usageError{"--split, --join and --as-found: choose one"}
	case o.statusSeen && !slices.Contains(incident.Statuses, o.status):
		return usageError{fmt.Sprintf("--status %q: want one of %s", o.status, orList(incident.Statuses))}
	}
	for _, t := range append(slices.Clone(o.tags), o.untags...) {
		if strings.TrimSpace(t) == "" {
			return usageError{"an empty tag"}
		}
	}
	return nil
}

// apply makes o's changes to t, stamped st, and reports whether any
// changed it.
func (o *triageOptions) apply(t *incident.Triage, st incident.Stamp, note string, tax map[string][]string, join string) bool {
	changed := false
	switch {
	case o.split:
		changed = t.SetEvent(analysis.Decision{Alone: true}.String(), st)
	case join != "":
		changed = t.SetEvent(analysis.Decision{With: join}.String(), st)
	case o.asFound:
		changed = t.SetEvent("", st)
	}
	for _, key := range slices.Sorted(maps.Keys(tax)) {
		changed = t.SetTaxonomy(key, tax[key], st) || changed
	}
	if o.statusSeen {
		changed = t.SetStatus(o.status, st) || changed
	}
	if o.star || o.unstar {
		changed = t.SetStar(o.star, st) || changed
	}
	for _, tag := range o.tags {
		changed = t.SetTag(tag, true, st) || changed
	}
	for _, tag := range o.untags {
		changed = t.SetTag(tag, false, st) || changed
	}
	if o.noteGiven || o.noteFile != "" {
		changed = t.SetNote(note, st) || changed
	}
	return changed
}

func (o *triageOptions) run(a *app, ids []string) error {
	if err := o.check(); err != nil {
		return err
	}
	note, err := o.readNote(a.stdin)
	if err != nil {
		return err
	}
	tax, err := o.corrections()
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	n := a.notices()
	var s *store.Store
	if o.changes() {
		s, err = openForWriting(path, n)
	} else {
		s, err = openForReading(path, n)
	}
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	reviewer := a.reviewer()
	var shown []incident.Incident
	var failed []string
	for _, q := range ids {
		in, err := s.Get(q)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", q, err))
			continue
		}
		if o.changes() {
			next := in.Triage.Clone()
			join, err := o.joinID(s, in.ID)
			if err != nil {
				return err
			}
			if o.apply(&next, incident.NewStamp(reviewer), note, tax, join) {
				if in.Triage, _, err = s.MergeTriage(in.ID, next); err != nil {
					return err
				}
			}
		}
		shown = append(shown, in)
	}
	if o.json {
		err = writeTriageJSON(a.stdout, shown)
	} else {
		for _, in := range shown {
			writeTriageLine(a.stdout, &in, reviewer)
		}
	}
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		for _, f := range failed {
			fmt.Fprintf(a.stderr, "faultline triage: %s\n", sanitize.Line(f))
		}
		return errReported
	}
	return nil
}

// joinID resolves --join to the id of the incident to join, which must be
// another stored incident.
func (o *triageOptions) joinID(s *store.Store, self string) (string, error) {
	if o.join == "" {
		return "", nil
	}
	other, err := s.Get(o.join)
	if err != nil {
		return "", fmt.Errorf("--join %s: %w", o.join, err)
	}
	if other.ID == self {
		return "", usageError{"--join names the incident itself"}
	}
	return other.ID, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readNote returns the note text of --note or --note-file.
func (o *triageOptions) readNote(stdin io.Reader) (string, error) {
	switch {
	case o.noteFile == "-":
		data, err := io.ReadAll(io.LimitReader(stdin, maxNote+1))
		if err != nil {
			return "", fmt.Errorf("read the note from standard input: %w", err)
		}
		return checkNote("standard input", data)
	case o.noteFile != "":
		f, err := os.Open(o.noteFile)
		if err != nil {
			return "", fmt.Errorf("read the note: %w", err)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxNote+1))
		if err != nil {
			return "", fmt.Errorf("read the note from %s: %w", o.noteFile, err)
		}
		return checkNote(o.noteFile, data)
	}
	return o.note, nil
}

// maxNote bounds a note, as every text an import takes is bounded.
const maxNote = 1 << 20

func checkNote(from string, data []byte) (string, error) {
	if len(data) > maxNote {
		return "", errors.New(from + ": a note is at most 1 MiB")
	}
	return strings.TrimRight(string(data), "\n"), nil
}

// writeTriageLine prints an incident's triage on a line, and its notes.
func writeTriageLine(w io.Writer, in *incident.Incident, reviewer string) {
	t := &in.Triage
	parts := []string{t.State()}
	if t.Starred() {
		parts = append(parts, "★")
	}
	for _, tag := range t.TagList() {
		parts = append(parts, "#"+tag)
	}
	if t.Event.Value != "" {
		parts = append(parts, "event:"+t.Event.Value)
	}
	fmt.Fprintf(w, "%s  %s  %s\n", in.ID, sanitize.Line(strings.Join(parts, " ")), sanitize.Line(clipTitle(in.Title)))
	for _, c := range incident.Categories {
		if opts, ok := t.Corrected(c.Key); ok {
			fmt.Fprintf(w, "  %s: %s (the source says %s)\n", c.Key, sanitize.Line(optionList(opts)),
				sanitize.Line(optionList(in.Taxonomy[c.Key].Options)))
		}
	}
	for _, nt := range t.LiveNotes() {
		who := incident.Stamp{By: nt.By, At: nt.At}.Describe()
		fmt.Fprintf(w, "  note (%s):\n%s\n", sanitize.Line(who), indent(sanitize.Text(nt.Text), "    "))
	}
}

// optionList is options for a sentence; none for an empty list.
func optionList(opts []string) string {
	if len(opts) == 0 {
		return "none"
	}
	return strings.Join(opts, ", ")
}

// writeTriageJSON prints one object per incident: its id, title and
// triage with every stamp.
func writeTriageJSON(w io.Writer, incs []incident.Incident) error {
	enc := json.NewEncoder(jsonOut{w})
	for _, in := range incs {
		if err := enc.Encode(struct {
			ID     string          `json:"id"`
			Title  string          `json:"title"`
			Triage incident.Triage `json:"triage"`
		}{in.ID, in.Title, in.Triage}); err != nil {
			return err
		}
	}
	return nil
}
