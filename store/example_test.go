package store_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/store"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "faultline-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "data", "faultline.db")

	// A writer creates the file (0600, its directory 0700) and holds it
	// exclusively until Close.
	s, err := store.Open(path, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	s.Close()

	// Readers share it; any number may be open at once.
	r1, _ := store.Open(path, store.Options{ReadOnly: true})
	r2, err := store.Open(path, store.Options{ReadOnly: true})
	fmt.Println("second reader:", err)
	r2.Close()

	// A writer waits at most Timeout for the readers to go.
	_, err = store.Open(path, store.Options{Timeout: 10 * time.Millisecond})
	fmt.Println("writer beside a reader locked:", errors.Is(err, store.ErrLocked))
	r1.Close()

	// Something that is not a faultline database is refused, untouched.
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("just some notes\n"), 0o644)
	_, err = store.Open(notes, store.Options{})
	fmt.Println("text file refused:", errors.Is(err, store.ErrNotDatabase))
	// Output:
	// second reader: <nil>
	// writer beside a reader locked: true
	// text file refused: true
}

func ExampleStore_Put() {
	dir, err := os.MkdirTemp("", "faultline-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "faultline.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	page := incident.Incident{
		Title:      "Knight Capital trading loss",
		Published:  "2012-08-01",
		Postmortem: incident.Postmortem{System: "SMARS order router"},
	}
	fromPage := incident.Source{Form: "page", File: "/data/knight.txt"}
	st, _ := s.Put([]store.Input{{Incident: page, Source: fromPage}})
	fmt.Printf("first import: %+v\n", st.Counts)

	// The same incident from a source with a summary and a FAIL id but no
	// postmortem text: it is merged, nothing is erased, and the record
	// now has the id of its FAIL id.
	csv := incident.Incident{Title: "Knight Capital trading loss", Published: "2012-08-01",
		SourceID: "1234", Summary: "Old code reactivated by a reused flag."}
	fromCSV := incident.Source{Form: "csv", File: "/data/incidents.csv"}
	st, _ = s.Put([]store.Input{{Incident: csv, Source: fromCSV}})
	fmt.Printf("second source: %+v\n", st.Counts)
	st, _ = s.Put([]store.Input{{Incident: csv, Source: fromCSV}, {Incident: page, Source: fromPage}})
	fmt.Printf("both again: %+v\n", st.Counts)

	// A reviewer's change is a triage with stamped fields, merged in.
	var tr incident.Triage
	tr.SetStatus(incident.StatusRelevant, incident.Stamp{By: "alice", At: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)})
	s.MergeTriage("fail:1234", tr)
	in, _ := s.Get("fail:1234") // a source key, an id or a unique id prefix
	fmt.Printf("%s | %s | %s | %s by %s | %d sources\n", in.SourceID, in.Summary, in.Postmortem.System,
		in.Triage.State(), in.Triage.Status.By, len(in.Sources))
	// Output:
	// first import: {New:1 Updated:0 Unchanged:0}
	// second source: {New:0 Updated:1 Unchanged:0}
	// both again: {New:0 Updated:0 Unchanged:2}
	// 1234 | Old code reactivated by a reused flag. | SMARS order router | relevant by alice | 2 sources
}
