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

// refreshStoredIndex brings the stored index of the database at path up
// to date after a change.
func refreshStoredIndex(path string, n notice) error {
	return finishIndex(path, n, indexer.Start(nil))
}

// finishIndex ends the index update u in the database at path.
func finishIndex(path string, n notice, u *indexer.Update) error {
	s, err := openForWriting(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	u.Use(s)
	return u.Finish()
}

// withIndex opens the database at path for reading (creating it with the
// starter set if it does not exist) and calls fn with its search index,
// triage included. The index is valid only until fn returns: it reads the
// file's memory map, and its Get fetches texts in the same read
// transaction. If a fetch failed, withIndex returns that error even when
// fn did not, so no command prints an incident it could not read in full.
func withIndex(path string, n notice, fn func(ix *search.Index) error) error {
	var fnErr, fetchErr error
	err := withStoredIndex(path, n, func(r *store.IndexReader) error {
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
			// Found while reading: what was printed may lack matches.
			fnErr = fmt.Errorf("%s: %w, so results may be incomplete; 'faultline check --reindex --db %s' rebuilds it", path, err, path)
		}
		return nil
	}, func(ix *search.Index) error {
		fnErr = fn(ix)
		return nil
	})
	if err != nil {
		return err
	}
	if fnErr == nil {
		fnErr = fetchErr
	}
	return fnErr
}

// withStoredIndex opens the database at path for reading, creating it with
// the starter set if it does not exist, and calls stored with a reader of
// the stored index. When there is none, or it is of another version
// (indexer.ErrNoIndex), or it is damaged (its checksums fail), it builds
// the index from the incidents in memory and calls built with it; it
// brings the stored one up to date if it can write at once and found
// nothing damaged: a command never writes to a file it found damaged.
func withStoredIndex(path string, n notice, stored func(r *store.IndexReader) error, built func(ix *search.Index) error) error {
	s, err := openForReading(path, n)
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
	damaged := indexer.Damaged(err)
	if err == nil && stale {
		s.Close()
		keepIndex(path)
	}
	if !damaged && !errors.Is(err, indexer.ErrNoIndex) {
		return err
	}
	if damaged {
		n.say("index damaged: rebuilding in memory")
	}
	ix, lost, err := buildIndex(s, n)
	if err != nil {
		return err
	}
	s.Close()
	err = built(ix)
	if !damaged && !lost {
		keepIndex(path)
	}
	return err
}

// buildIndex indexes s's incidents, with their triage. Damaged incidents
// are left out and said so (lost is then true).
func buildIndex(s *store.Store, n notice) (ix *search.Index, lost bool, err error) {
	incs, err := s.All()
	var de *store.DamageError
	if errors.As(err, &de) {
		for _, item := range de.Items {
			n.say("%s is damaged, left out: %s", s.Path(), item)
		}
		n.say("'faultline check --db %s' lists what is damaged", s.Path())
		lost, err = true, nil
	}
	if err != nil {
		return nil, false, err
	}
	return search.Build(incs), lost, nil
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
