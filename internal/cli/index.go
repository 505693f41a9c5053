package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/faultline/faultline/incident"
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

// reindex builds the index of s's incidents and stores it.
func reindex(s *store.Store) error {
	gen, ix, err := buildIndex(s)
	if err != nil {
		return err
	}
	return saveIndex(s, gen, ix)
}

// buildIndex indexes s's incidents, with their triage, and returns the
// generation they are of.
func buildIndex(s *store.Store) (uint64, *search.Index, error) {
	gen, err := s.Generation()
	if err != nil {
		return 0, nil, err
	}
	incs, err := s.All()
	if err != nil {
		return 0, nil, err
	}
	return gen, search.Build(incs), nil
}

// refreshIndex rebuilds the stored index unless it is current.
func refreshIndex(s *store.Store) error {
	current, err := s.ViewIndex(func([]byte) error { return nil })
	if err != nil || current {
		return err
	}
	return reindex(s)
}

func saveIndex(s *store.Store, gen uint64, ix *search.Index) error {
	data, err := ix.MarshalBinary()
	if err != nil {
		return err
	}
	return s.SaveIndex(gen, data)
}

// withIndex opens the database at path for reading (creating it with the
// starter set if it does not exist) and calls fn with its search index,
// triage included. The index is valid only until fn returns: it reads the
// file's memory map, and its Get fetches texts from the open file. If a
// fetch failed, withIndex returns that error even when fn did not, so no
// command prints an incident it could not read in full.
func withIndex(path string, fn func(ix *search.Index) error) error {
	var fnErr, fetchErr error
	err := withStoredIndex(path, func(s *store.Store, data []byte) error {
		fetch := func(id string) (incident.Incident, bool) {
			in, err := s.Get(id)
			if err == nil && in.ID != id {
				err = store.ErrNotFound
			}
			if err != nil && fetchErr == nil {
				fetchErr = fmt.Errorf("read incident %s: %w", id, err)
			}
			return in, err == nil
		}
		ix, err := search.Load(data, fetch)
		if err != nil {
			return err
		}
		if err := layTriage(s, ix); err != nil {
			return err
		}
		fnErr = fn(ix)
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
// the starter set if it does not exist, and calls stored with the stored
// index while it is current. When there is none, or stored finds it
// damaged (search.ErrBadIndex), it builds the index from the incidents,
// calls built with it, and keeps it in the file if it can write at once.
func withStoredIndex(path string, stored func(s *store.Store, data []byte) error, built func(ix *search.Index) error) error {
	s, err := openForReading(path)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	found, err := s.ViewIndex(func(data []byte) error { return stored(s, data) })
	if found && err == nil {
		return nil
	}
	if err != nil && !errors.Is(err, search.ErrBadIndex) {
		return err
	}
	gen, ix, err := buildIndex(s)
	if err != nil {
		return err
	}
	s.Close()
	err = built(ix)
	keepIndex(path, gen, ix)
	return err
}

// keepIndex stores ix, built from generation gen, if the file can be
// written right now; otherwise the next writer will.
func keepIndex(path string, gen uint64, ix *search.Index) {
	s, err := store.Open(path, store.Options{Timeout: refreshWait, NoCreate: true})
	if err != nil {
		return
	}
	defer s.Close()
	saveIndex(s, gen, ix) // a stale generation or a full disk: leave it to the next writer
}

// layTriage gives a loaded index the triage recorded in s.
func layTriage(s *store.Store, ix *search.Index) error {
	tri, err := s.AllTriage()
	if err != nil {
		return err
	}
	for id, t := range tri {
		ix.SetTriage(id, t)
	}
	return nil
}
