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

// reindex builds the index of s's incidents and stores it, unless some of
// them are damaged: an index without them is not kept.
func reindex(s *store.Store, n notice) error {
	gen, ix, damaged, err := buildIndex(s, n)
	if err != nil || damaged {
		return err
	}
	return saveIndex(s, gen, ix)
}

// buildIndex indexes s's incidents, with their triage, and returns the
// generation they are of. Damaged incidents are left out and said so
// (damaged is then true).
func buildIndex(s *store.Store, n notice) (gen uint64, ix *search.Index, damaged bool, err error) {
	gen, err = s.Generation()
	if err != nil {
		return 0, nil, false, err
	}
	incs, err := s.All()
	var de *store.DamageError
	if errors.As(err, &de) {
		for _, item := range de.Items {
			n.say("%s is damaged, left out: %s", s.Path(), item)
		}
		n.say("'faultline check --db %s' lists what is damaged", s.Path())
		damaged, err = true, nil
	}
	if err != nil {
		return 0, nil, false, err
	}
	return gen, search.Build(incs), damaged, nil
}

// refreshStoredIndex brings the stored index of the database at path up
// to date after a change: it reads and builds under a shared lock, so
// readers carry on meanwhile, and takes the write lock only to save. If
// another process changed the incidents in between, the index is stale
// and left to the next writer, as the store refuses it.
func refreshStoredIndex(path string, n notice) error {
	s, err := openForReading(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	current, err := s.ViewIndex(func([]byte) error { return nil })
	if errors.Is(err, store.ErrDamaged) {
		n.say("index damaged: rebuilding it")
		current, err = false, nil
	}
	if err != nil || current {
		s.Close()
		return err
	}
	gen, ix, damaged, err := buildIndex(s, n)
	s.Close()
	if err != nil || damaged {
		return err
	}
	w, err := openForWriting(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	defer w.Close()
	if err := saveIndex(w, gen, ix); err != nil && !errors.Is(err, store.ErrStale) {
		return err
	}
	return nil
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
func withIndex(path string, n notice, fn func(ix *search.Index) error) error {
	var fnErr, fetchErr error
	err := withStoredIndex(path, n, func(s *store.Store, data []byte) error {
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
// index while it is current. When there is none, it is of another version
// (search.ErrBadIndex) or it is damaged (its checksum fails), it builds the
// index from the incidents in memory and calls built with it; it keeps it
// in the file if it can write at once and found nothing damaged: a command
// never writes to a file it found damaged.
func withStoredIndex(path string, n notice, stored func(s *store.Store, data []byte) error, built func(ix *search.Index) error) error {
	s, err := openForReading(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	found, err := s.ViewIndex(func(data []byte) error { return stored(s, data) })
	if found && err == nil {
		return nil
	}
	// An index that fails its checksum is damage: the file is not written.
	// One that passes it but is not of this version is replaced.
	damaged := errors.Is(err, store.ErrDamaged)
	if err != nil && !damaged && !errors.Is(err, search.ErrBadIndex) {
		return err
	}
	if damaged {
		n.say("index damaged: rebuilding in memory")
	}
	gen, ix, lost, err := buildIndex(s, n)
	if err != nil {
		return err
	}
	s.Close()
	err = built(ix)
	if !damaged && !lost {
		keepIndex(path, gen, ix)
	}
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
