package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/store"
)

// Between two batches of an import the file is free: a reader that tries
// the lock once gets it, whatever moment of the import it starts at.
func TestReadersGetInBetweenBatches(t *testing.T) {
	dir := t.TempDir()
	for i := range 30 {
		page := fmt.Sprintf("Incident: Outage %d\nPublished Date: 2020-01-%02d\n", i, 1+i%28)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(page), 0o644)
	}
	db := filepath.Join(t.TempDir(), "f.db")
	open := func() (*store.Store, error) { return store.Open(db, store.Options{}) }
	sink := &Sink{Open: open}
	batches, readers := 0, 0
	_, err := importer.Run(context.Background(), []string{dir}, importer.Options{BatchSize: 5, Workers: 1},
		func(recs []importer.Record) error {
			if err := sink.Put(recs); err != nil {
				return err
			}
			batches++
			r, err := store.Open(db, store.Options{ReadOnly: true, Timeout: -1})
			if err != nil {
				return fmt.Errorf("a reader after batch %d: %w", batches, err)
			}
			n, _ := r.Count()
			r.Close()
			if n > 0 {
				readers++
			}
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if batches < 3 || readers != batches || sink.Stats.New != 30 {
		t.Errorf("%d batches, %d readers got in, %d new", batches, readers, sink.Stats.New)
	}
}
