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
	st, _ := s.Put([]incident.Incident{page}, false)
	fmt.Printf("first import: %+v\n", st)

	// The same incident from a source with a summary and a FAIL id but no
	// postmortem text: it is merged, nothing is erased.
	csv := incident.Incident{Title: "Knight Capital trading loss", Published: "2012-08-01",
		SourceID: "1234", Summary: "Old code reactivated by a reused flag."}
	st, _ = s.Put([]incident.Incident{csv}, false)
	fmt.Printf("second source: %+v\n", st)
	st, _ = s.Put([]incident.Incident{csv}, false)
	fmt.Printf("again: %+v\n", st)

	id := incident.MakeID(page.Title, page.Published)
	s.SetTriage(id, incident.Triage{Status: incident.StatusRelevant, Starred: true})
	in, _ := s.Get(id[:4]) // a unique prefix is enough
	fmt.Printf("%s | %s | %s | %s starred=%v\n", in.SourceID, in.Summary, in.Postmortem.System,
		in.Triage.Status, in.Triage.Starred)
	// Output:
	// first import: {New:1 Updated:0 Unchanged:0}
	// second source: {New:0 Updated:1 Unchanged:0}
	// again: {New:0 Updated:0 Unchanged:1}
	// 1234 | Old code reactivated by a reused flag. | SMARS order router | relevant starred=true
}
