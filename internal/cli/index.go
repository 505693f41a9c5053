package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

// The search index is kept in the database beside the incidents, so that a
// reading command loads it in milliseconds rather than decoding every
// incident and rebuilding it. Commands that change incidents store a fresh
// one before they close; a reader that finds it missing or out of date (an
// interrupted import, a file from an older faultline) builds one in memory
// and, when it can write, keeps it for the next reader.

// refreshWait is how long a reader waits for the write lock to keep an
// index it had to build: it is a courtesy, not worth a delay.
const refreshWait = 50 * time.Millisecond

// reindex brings the stored index of s's incidents up to date: it indexes
// only the incidents changed since it was saved (see package indexer).
func reindex(s *store.Store) error { return indexer.Refresh(s) }

// refreshIndex is reindex, for commands that changed incidents.
func refreshIndex(s *store.Store) error { return indexer.Refresh(s) }

// withIndex opens the database at path for reading (creating it with the
// starter set if it does not exist) and calls fn with its search index,
// triage included. The index is valid only until fn returns: it reads the
// file's memory map, and its Get fetches texts in the same read
// transaction. If a fetch failed, withIndex returns that error even when
// fn did not, so no command prints an incident it could not read in full.
func withIndex(path string, fn func(ix *search.Index) error) error {
	var fnErr, fetchErr error
	damaged := false
	err := withStoredIndex(path, func(r *store.IndexReader) error {
		fetch := func(id string) (incident.Incident, bool) {
			in, err := r.Get(id)
			if err == nil && in.ID != id {
				err = store.ErrNotFound
			}
			if err != nil && fetchErr == nil {
				fetchErr = fmt.Errorf("read incident %s: %w", id, err)
			}
			return in, err == nil
		}
		ix, err := indexer.Load(r, fetch, false)
		if err != nil {
			return err
		}
		fnErr = fn(ix)
		if err := ix.Err(); err != nil && fnErr == nil {
			damaged = true
			fnErr = fmt.Errorf("%s: %w; it is rebuilt now if the file can be written, else by the next import", path, err)
		}
		return nil
	}, func(ix *search.Index) error {
		fnErr = fn(ix)
		return nil
	})
	if err != nil {
		return err
	}
	if damaged {
		rebuildIndex(path)
	}
	if fnErr == nil {
		fnErr = fetchErr
	}
	return fnErr
}

// rebuildIndex drops a damaged stored index and builds it anew, if the
// file can be written right now.
func rebuildIndex(path string) {
	s, err := store.Open(path, store.Options{Timeout: refreshWait, NoCreate: true})
	if err != nil {
		return
	}
	defer s.Close()
	if s.DropIndex() == nil {
		indexer.Refresh(s)
	}
}

// withStoredIndex opens the database at path for reading, creating it with
// the starter set if it does not exist, and calls stored with a reader of
// the stored index. When stored finds none (indexer.ErrNoIndex), it builds
// the index from the incidents, calls built with it, and has the stored
// index brought up to date if it can write at once.
func withStoredIndex(path string, stored func(r *store.IndexReader) error, built func(ix *search.Index) error) error {
	s, err := openForReading(path)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	stale := false
	err = s.ViewIndex(func(r *store.IndexReader) error {
		_, current, _ := r.Manifest()
		stale = !current
		return stored(r)
	})
	if err == nil && stale {
		s.Close()
		keepIndex(path)
	}
	if !errors.Is(err, indexer.ErrNoIndex) {
		return err
	}
	incs, err := s.All()
	if err != nil {
		return err
	}
	s.Close()
	err = built(search.Build(incs))
	keepIndex(path)
	return err
}

// keepIndex brings the stored index up to date if the file can be written
// right now; otherwise the next writer will.
func keepIndex(path string) {
	s, err := store.Open(path, store.Options{Timeout: refreshWait, NoCreate: true})
	if err != nil {
		return
	}
	defer s.Close()
	indexer.Refresh(s) // a stale generation or a full disk: leave it to the next writer
}
