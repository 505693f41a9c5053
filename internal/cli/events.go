package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

func init() { register(newEventsCmd) }

type eventsOptions struct {
	json bool
	all  bool
}

func newEventsCmd(a *app) *cobra.Command {
	var o eventsOptions
	c := &cobra.Command{
		Use:   "events [flags] [QUERY...]",
		Short: "the incidents that report the same failure, grouped into events",
		Long: `List the events: incidents that report the same real-world failure (the FAIL
database took many failures in several times, from several articles), each
with why its reports were linked ("same title, both name Atlanta, SamSam,
text 0.68 similar, same day"). Events of one incident are left out unless
--all. With a query, the events that hold an incident it matches.

Reviewers' rulings override the grouping: 'faultline triage ID --split'
takes an incident out of its event, '--join OTHER' puts it in OTHER's.

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline events
  faultline events ransomware
  faultline events --json | jq '.events | length'`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	c.Flags().BoolVar(&o.json, "json", false, `print {"events":[{"id","incidents":[ids],"reasons":[...]}]}`)
	c.Flags().BoolVar(&o.all, "all", false, "list events of one incident too")
	return c
}

func (o *eventsOptions) run(a *app, args []string) error {
	q, err := parseQuery(args)
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	n := a.notices()
	g, err := grouping(path, n)
	if err != nil {
		return err
	}
	var matched map[string]search.Hit
	err = withIndex(path, n, func(ix *search.Index) error {
		matched = map[string]search.Hit{}
		for _, h := range ix.Search(q, search.Options{Sort: search.Date}).Hits {
			matched[h.ID] = h
		}
		return nil
	})
	if err != nil {
		return err
	}
	var events []analysis.Event
	for _, ev := range g.Events() {
		if len(ev.Incidents) < 2 && !o.all {
			continue
		}
		for _, id := range ev.Incidents {
			if _, ok := matched[id]; ok {
				events = append(events, ev)
				break
			}
		}
	}
	if o.json {
		return writeEventsJSON(a.stdout, events)
	}
	return writeEventsText(a.stdout, events, path, n)
}

// grouping returns the events of the database's incidents, reviewers'
// rulings applied: the stored grouping when it describes the incidents as
// they are, else one made now, and kept in the file if it can be written
// at once.
func grouping(path string, n notice) (*analysis.Grouper, error) {
	s, err := openForReading(path, n)
	if err != nil {
		return nil, describeOpenError(err)
	}
	defer s.Close()
	g, gen, fresh, err := loadGrouping(s, n)
	if err != nil {
		return nil, err
	}
	if err := decide(s, g); err != nil {
		return nil, err
	}
	s.Close()
	if fresh {
		keepEvents(path, gen, g)
	}
	return g, nil
}

// eventsOnly reads the events of the database's incidents for a reader
// that only lays rulings over them, as the explorer: the kept grouping,
// when it is of the incidents as they are, read for its events only (see
// analysis.LoadEvents); else the grouping made as grouping makes it.
func eventsOnly(path string, n notice) (*analysis.Grouper, error) {
	s, err := openForReading(path, n)
	if err != nil {
		return nil, describeOpenError(err)
	}
	defer s.Close()
	gen, err := s.Generation()
	if err != nil {
		return nil, err
	}
	if g, err := storedGrouping(s, gen, false); err == nil && g != nil {
		return g, decide(s, g)
	}
	s.Close()
	g, err := grouping(path, n)
	if err != nil {
		return nil, err
	}
	g.KeepEventsOnly()
	return g, nil
}

// eventBatch is how many incidents grouping reads at once: the grouping
// keeps what it needs of each, not their texts.
const eventBatch = 512

// loadGrouping reads the stored grouping, or groups the incidents afresh
// (fresh) when it is missing, stale or damaged.
func loadGrouping(s *store.Store, n notice) (g *analysis.Grouper, gen uint64, fresh bool, err error) {
	if gen, err = s.Generation(); err != nil {
		return nil, 0, false, err
	}
	g, err = storedGrouping(s, gen, true)
	if errors.Is(err, store.ErrDamaged) {
		n.say("events damaged: grouping again in memory")
		g, err = nil, nil
	}
	if err != nil || g != nil {
		return g, gen, false, err
	}
	g = analysis.NewGrouper()
	err = s.Each(eventBatch, func(incs []incident.Incident) error { g.Add(incs...); return nil })
	var de *store.DamageError
	if errors.As(err, &de) {
		err = nil // said by the index's reading; the others are grouped
	}
	if err != nil {
		return nil, 0, false, err
	}
	return g, gen, de == nil, nil
}

// storedGrouping reads the kept grouping, whole or for its events only,
// if it is of generation want and sound; else nil, with the store's error
// if it could not be read.
func storedGrouping(s *store.Store, want uint64, whole bool) (*analysis.Grouper, error) {
	load := analysis.LoadEvents
	if whole {
		load = analysis.LoadGrouper
	}
	var g *analysis.Grouper
	err := s.ReadEvents(func(pieces [][]byte, at uint64) error {
		if at == want {
			g, _ = load(pieces...)
		}
		return nil
	})
	return g, err
}

// decide lays the reviewers' rulings over g.
func decide(s *store.Store, g *analysis.Grouper) error {
	tri, err := s.AllTriage()
	if err != nil {
		return err
	}
	for id, t := range tri {
		if d, err := analysis.ParseDecision(t.Event.Value); err == nil && d != (analysis.Decision{}) {
			g.Decide(id, d)
		}
	}
	return nil
}

// keepEvents stores g, made of generation gen, if the file can be written
// right now; otherwise the next writer will.
func keepEvents(path string, gen uint64, g *analysis.Grouper) {
	s, err := store.Open(path, store.Options{Timeout: refreshWait, NoCreate: true})
	if err != nil {
		return
	}
	defer s.Close()
	if data, err := g.MarshalBinary(); err == nil {
		s.SaveEvents(gen, data) // stale or a full disk: the next writer will
	}
}

// eventChanges is what a command changed that the grouping must take in:
// the stored grouping was of generation from; changed incidents are
// grouped again, removed ones leave it.
type eventChanges struct {
	from             uint64
	changed, removed []string
}

// refreshEvents brings the stored grouping up to date after a change: when
// it was of the generation the change started from, by adding the changed
// incidents and removing the removed ones (what the change cost, not the
// whole collection); otherwise by grouping every incident again.
func refreshEvents(path string, n notice, ch eventChanges) error {
	s, err := openForReading(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	gen, err := s.Generation()
	if err != nil {
		return err
	}
	g, _ := storedGrouping(s, ch.from, true)
	if g == nil {
		g, gen, _, err = loadGrouping(s, n)
		if err != nil {
			return err
		}
	} else {
		g.Remove(ch.removed...)
		var incs []incident.Incident
		for _, id := range dedupe(ch.changed) {
			in, err := s.Get(id)
			if errors.Is(err, store.ErrNotFound) {
				g.Remove(id)
				continue
			}
			if err != nil {
				return err
			}
			if incs = append(incs, in); len(incs) == eventBatch {
				g.Add(incs...)
				incs = incs[:0]
			}
		}
		g.Add(incs...)
	}
	s.Close()
	g.Release() // only saved from here
	keepEvents(path, gen, g)
	return nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func writeEventsJSON(w io.Writer, events []analysis.Event) error {
	type event struct {
		ID        string   `json:"id"`
		Incidents []string `json:"incidents"`
		Reasons   []string `json:"reasons"`
	}
	out := struct {
		Events []event `json:"events"`
	}{Events: []event{}}
	for _, ev := range events {
		e := event{ID: ev.ID, Incidents: ev.Incidents, Reasons: []string{}}
		for _, l := range ev.Links {
			e.Reasons = append(e.Reasons, l.A+" "+l.B+": "+l.Reason)
		}
		out.Events = append(out.Events, e)
	}
	enc := json.NewEncoder(jsonOut{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeEventsText(w io.Writer, events []analysis.Event, path string, n notice) error {
	titles := map[string]incident.Incident{}
	err := withIndex(path, n, func(ix *search.Index) error {
		for _, ev := range events {
			for _, id := range ev.Incidents {
				if s, ok := ix.Summary(id); ok {
					titles[id] = incident.Incident{ID: id, Title: s.Title, Published: s.Published}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	reports := 0
	for _, ev := range events {
		reports += len(ev.Incidents)
		fmt.Fprintf(w, "event %s ×%d\n", ev.ID, len(ev.Incidents))
		for _, id := range ev.Incidents {
			in := titles[id]
			fmt.Fprintf(w, "  %s  %-10s  %s\n", id, sanitize.Line(in.Published), sanitize.Line(in.Title))
		}
		for _, l := range ev.Links {
			fmt.Fprintf(w, "    %s–%s: %s\n", l.A[:min(6, len(l.A))], l.B[:min(6, len(l.B))], sanitize.Line(l.Reason))
		}
	}
	fmt.Fprintf(w, "%d %s of %d reports\n", len(events), plural(len(events), "event", "events"), reports)
	return nil
}
