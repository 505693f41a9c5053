package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
