package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// The explorer counts lessons by the events the events command shows;
// its backend reads them while its index still fetches texts.
func TestExplorerReadsTheEvents(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	importJSON(t, db, nil, filepath.Join(sharedFail, "csv"))
	b := &storeBackend{path: db, started: true}
	ix, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	hits := ix.Search(search.Query{}, search.Options{}).Hits
	if _, ok := ix.Get(hits[0].ID); !ok { // the read handle is open
		t.Fatal("no texts before the events are read")
	}
	g, err := b.Events()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range g.Events() {
		if len(ev.Incidents) > 1 {
			got = append(got, strings.Join(ev.Incidents, " "))
		}
	}
	var want []string
	for _, ev := range eventsOfDB(t, db).Events {
		want = append(want, strings.Join(ev.Incidents, " "))
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the explorer's events:\n%q\nthe command's:\n%q", got, want)
	}
	if _, ok := ix.Get(hits[1].ID); !ok {
		t.Error("texts no longer fetched after the events were read")
	}
}

// A database deleted under the explorer is not made again, with the
// starter set, by a read of its events.
func TestExplorerEventsOfADeletedDatabase(t *testing.T) {
	db := tempDB(t)
	run(t, db, "search", "x") // the starter set
	b := &storeBackend{path: db, started: true}
	if _, err := b.Load(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Events(); err == nil {
		t.Error("events of a deleted database")
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("reading the events made a new database")
	}
}

// The explorer's first index, read in place while it is copied, answers
// as before once the copy is done and the file has been rewritten under
// it; a save made meanwhile waits for the copy and is kept.
func TestExplorerFirstIndexOutlivesItsRead(t *testing.T) {
	db := tempDB(t)
	run(t, db, "search", "x") // the starter set
	b := &storeBackend{path: db, done: make(chan struct{})}
	defer close(b.done)
	ix, err := b.loadFirst()
	if err != nil {
		t.Fatal(err)
	}
	q, err := search.Parse("outage")
	if err != nil {
		t.Fatal(err)
	}
	before := ix.Search(q, search.Options{})
	if before.Total == 0 {
		t.Fatal("no outage in the starter set")
	}
	var tri incident.Triage
	tri.SetStatus("reviewing", incident.NewStamp("tester"))
	if _, err := b.SaveTriage(before.Hits[0].ID, tri); err != nil {
		t.Fatal(err)
	}
	<-b.copied
	if b.copyErr != nil {
		t.Fatal(b.copyErr)
	}
	b.closeReader()
	// rewrites the index, whose old pages the file then reuses
	importJSON(t, db, nil, filepath.Join("..", "..", "testdata", "markdown"))
	if r := run(t, db, "check", "--reindex"); r.code != 0 {
		t.Fatalf("check --reindex: %s", r.stderr)
	}
	after := ix.Search(q, search.Options{})
	if !reflect.DeepEqual(after.Hits, before.Hits) {
		t.Errorf("after the file changed: %v, before %v", after.Hits, before.Hits)
	}
	if in, ok := ix.Get(before.Hits[1].ID); !ok || in.Title != before.Hits[1].Title {
		t.Errorf("the texts of %s are no longer read", before.Hits[1].ID)
	}
	if got := run(t, db, "show", "--json", before.Hits[0].ID); !strings.Contains(got.stdout, `"reviewing"`) {
		t.Errorf("the save made during the copy: %s", got.stdout)
	}
}
