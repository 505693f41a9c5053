package cli

import (
	"errors"
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
	gen, err := s.Generation()
	if err != nil {
		return err
	}
	incs, err := s.All()
	if err != nil {
		return err
	}
	return saveIndex(s, gen, search.Build(incs))
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
// starter set if it does not exist) and calls fn with the store and its
// search index, triage included. Both are valid only until fn returns:
// the index reads the file's memory map and fetches texts through s.
func withIndex(path string, fn func(s *store.Store, ix *search.Index) error) error {
	s, err := openForReading(path)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	var fnErr error
	found, err := s.ViewIndex(func(data []byte) error {
		ix, err := search.Load(data, fetchFrom(s))
		if err != nil {
			return err // damaged: rebuilt below
		}
		if err := layTriage(s, ix); err != nil {
			return err
		}
		fnErr = fn(s, ix)
		return nil
	})
	if found && err == nil {
		return fnErr
	}
	if err != nil && !errors.Is(err, search.ErrBadIndex) {
		return err
	}
	gen, err := s.Generation()
	if err != nil {
		return err
	}
	incs, err := s.All()
	if err != nil {
		return err
	}
	ix := search.Build(incs)
	fnErr = fn(s, ix)
	s.Close()
	keepIndex(path, gen, ix)
	return fnErr
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

// fetchFrom returns a fetch function for search.Load reading from s.
func fetchFrom(s *store.Store) func(id string) (incident.Incident, bool) {
	return func(id string) (incident.Incident, bool) {
		in, err := s.Get(id)
		return in, err == nil && in.ID == id
	}
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
