package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/store"
)

type eventsJSON struct {
	Events []struct {
		ID        string
		Incidents []string
		Reasons   []string
	}
}

func eventsOfDB(t *testing.T, db string, args ...string) eventsJSON {
	t.Helper()
	r := run(t, db, append([]string{"events", "--json"}, args...)...)
	var out eventsJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("events --json: %v %+v", err, r)
	}
	return out
}

// The shared sample's repeated reports come out as events, and a
// reviewer's split and join change them; both survive a new import.
func TestEventsOfTheSample(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	importJSON(t, db, nil, filepath.Join(sharedFail, "csv"))
	ev := eventsOfDB(t, db)
	if len(ev.Events) < 20 {
		t.Fatalf("%d events of more than one report, want the sample's repeats", len(ev.Events))
	}
	var atlanta []string
	for _, e := range eventsOfDB(t, db, "atlanta").Events {
		atlanta = e.Incidents
		if len(e.Reasons) == 0 || !strings.Contains(e.Reasons[0], "same title") {
			t.Errorf("Atlanta's reasons: %q", e.Reasons)
		}
	}
	if len(atlanta) != 2 {
		t.Fatalf("Atlanta's event: %v", atlanta)
	}
	run(t, db, "triage", atlanta[1], "--split")
	if got := eventsOfDB(t, db, "atlanta").Events; len(got) != 0 {
		t.Errorf("after --split Atlanta is still an event: %+v", got)
	}
	other := ev.Events[len(ev.Events)-1].Incidents[0]
	run(t, db, "triage", atlanta[1], "--join", other)
	importJSON(t, db, nil, filepath.Join(sharedFail, "pages_a"))
	found := false
	for _, e := range eventsOfDB(t, db).Events {
		found = found || slices.Contains(e.Incidents, atlanta[1]) && slices.Contains(e.Incidents, other)
	}
	if !found {
		t.Error("the join did not survive an import")
	}
	run(t, db, "triage", atlanta[1], "--as-found")
	if got := eventsOfDB(t, db, "atlanta").Events; len(got) != 1 {
		t.Errorf("after --as-found: %+v", got)
	}
}

func TestLessons(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	importJSON(t, db, nil, filepath.Join(sharedFail, "csv"))
	r := run(t, db, "lessons", "--json", "ransomware")
	var out struct {
		Lessons []struct {
			Text      string
			Incidents []string
			Events    int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Lessons) == 0 {
		t.Fatalf("lessons --json: %v %+v", err, r)
	}
	for i := 1; i < len(out.Lessons); i++ {
		if out.Lessons[i].Events > out.Lessons[i-1].Events {
			t.Errorf("lessons not ranked by events: %d after %d", out.Lessons[i].Events, out.Lessons[i-1].Events)
		}
	}
	id := firstID(t, db)
	run(t, db, "triage", id, "--note", "Lesson: keep an offline copy of the payroll database")
	r = run(t, db, "lessons", "--md", "--limit", "0")
	if !strings.Contains(r.stdout, "- [ ] keep an offline copy of the payroll database") {
		t.Errorf("a reviewer's lesson is not in the checklist:\n%s", r.stdout)
	}
}

// The grouping a series of imports and a delete keep up to date is the
// grouping of the incidents as they end up, made afresh.
func TestEventsKeptUpToDateMatchAFreshGrouping(t *testing.T) {
	needShared(t)
	step, once := tempDB(t), tempDB(t)
	eventsOfDB(t, step) // the starter set's grouping, stored
	for _, p := range []string{"csv/incidents_a.csv", "pages_b", "csv/incidents_c.csv", "dumpdata_a.json"} {
		importJSON(t, step, nil, filepath.Join(sharedFail, p))
	}
	run(t, step, "delete", "--yes", "source:starter")
	importJSON(t, once, nil, filepath.Join(sharedFail, "csv/incidents_a.csv"), filepath.Join(sharedFail, "pages_b"),
		filepath.Join(sharedFail, "csv/incidents_c.csv"), filepath.Join(sharedFail, "dumpdata_a.json"))
	run(t, once, "delete", "--yes", "source:starter")
	a, b := eventsOfDB(t, step, "--all"), eventsOfDB(t, once, "--all")
	if len(a.Events) == 0 || !slices.EqualFunc(a.Events, b.Events, func(x, y struct {
		ID        string
		Incidents []string
		Reasons   []string
	}) bool {
		return x.ID == y.ID && slices.Equal(x.Incidents, y.Incidents)
	}) {
		t.Errorf("%d events kept up to date, %d grouped at once: they differ", len(a.Events), len(b.Events))
	}
	// and both are the grouping of the stored incidents, made afresh
	s, err := store.Open(step, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	incs, err := s.All()
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	fresh := analysis.NewGrouper()
	fresh.Add(incs...)
	var want [][]string
	for _, e := range fresh.Events() {
		want = append(want, e.Incidents)
	}
	var got [][]string
	for _, e := range a.Events {
		got = append(got, e.Incidents)
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the grouping kept up to date differs from a fresh one:\n%v\n%v", got, want)
	}
}

// eventOf returns the event of g that holds incident id.
func eventOf(g *analysis.Grouper, id string) analysis.Event {
	for _, ev := range g.Events() {
		if slices.Contains(ev.Incidents, id) {
			return ev
		}
	}
	return analysis.Event{}
}

// The explorer's ruling on an event goes through its Backend as triage:
// the grouping read back has it, and so does the one an import makes
// when the reports it rules on first meet.
func TestExplorerRulingIsTriageThatOutlivesARegroup(t *testing.T) {
	needShared(t)
	csv := func(f string) string { return filepath.Join(sharedFail, "csv", "incidents_"+f+".csv") }
	// the events of the whole sample, to rule on one before it forms
	whole := tempDB(t)
	importJSON(t, whole, nil, csv("a"), csv("b"), csv("c"))
	db := tempDB(t)
	importJSON(t, db, nil, csv("b"), csv("c"))
	b := &storeBackend{path: db, reviewer: "tester"}
	ix, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	g, err := (&storeBackend{path: whole}).Events()
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, ev := range g.Events() {
		for _, in := range ev.Incidents {
			if _, ok := ix.Summary(in); ok && len(ev.Incidents) > 1 && id == "" {
				id = in
			}
		}
	}
	if id == "" {
		t.Fatal("no event of the sample has a report in incidents_b or _c")
	}
	sum, _ := ix.Summary(id)
	tr := sum.Triage.Clone()
	tr.SetEvent(analysis.Decision{Alone: true}.String(), incident.NewStamp("tester"))
	saved, err := b.SaveTriage(id, tr)
	if err != nil || saved.Event.Value != "alone" {
		t.Fatalf("saved %+v, %v", saved.Event, err)
	}
	alone := func(when string) {
		t.Helper()
		g, err := b.Events()
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if ev := eventOf(g, id); len(ev.Incidents) != 1 {
			t.Errorf("%s: %s is in an event of %d, want alone", when, id, len(ev.Incidents))
		}
	}
	alone("read back")
	importJSON(t, db, nil, csv("a")) // its other report arrives
	alone("after the import that grouped its other report")
	if got := eventsOfDB(t, db).Events; len(got) == 0 {
		t.Error("the import grouped no event at all")
	}
	if ix, err = b.Load(); err != nil {
		t.Fatal(err)
	}
	if sum, _ := ix.Summary(id); sum.Triage.Event.Value != "alone" {
		t.Errorf("after an import the index has ruling %q", sum.Triage.Event.Value)
	}
}
