package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
	"github.com/faultline/faultline/ui"
)

func init() { register(newExploreCmd) }

// newExploreCmd is the explorer by name; faultline with no command runs
// it too.
func newExploreCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "explore",
		Short: "open the explorer (the default when no command is given)",
		Long: `Open the explorer on the database: type to search, f for the taxonomy
facets, enter to read an incident, ? for every key.`,
		Example: `  faultline
  faultline --db team.db
  FAULTLINE_DB=~/reviews/q3.db faultline --no-color`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return a.explore() },
	}
}

// explore runs the explorer on the database until the user quits.
func (a *app) explore() error {
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	b := &storeBackend{path: path, reviewer: a.reviewer(), notice: a.notices(), done: make(chan struct{})}
	defer close(b.done)
	// Load once before the screen takes over, so that a foreign or
	// damaged file is refused on a plain terminal; the screen's first
	// Load takes this index.
	ix, err := b.loadFirst()
	if err != nil {
		return err
	}
	b.loaded, b.notice, b.started = ix, nil, true
	b.readOnly = !writable(path)
	opts := ui.Options{NoColor: a.noColor()}
	cfg, problem := a.loadConfig()
	opts.Config, opts.ConfigProblem = cfg, problem
	if problem != "" {
		// said on the terminal too, where it stays after the screen goes
		fmt.Fprintln(a.stderr, "faultline: "+problem)
	}
	return ui.Run(b, opts)
}

// saveWait bounds how long a triage save waits for another writer, as
// every writer waits: the save runs off the screen's goroutine, and an
// import lets go between its batches, so it seldom waits at all.
const saveWait = lockWait

// storeBackend gives the explorer its index and takes its triage edits.
// It holds the database only while reading or saving, so other faultline
// processes can read and import while the explorer is open: the index is
// a copy, and an incident's texts are fetched when it is opened, through
// a read-only handle that is closed again once fetches stop.
type storeBackend struct {
	path     string
	readOnly bool
	reviewer string
	notice   notice        // before the screen takes over; nil under it
	loaded   *search.Index // an index read before the screen started, for its first Load
	started  bool          // the first Load is done: the file exists, or existed

	// The first index is read in place and moved onto a copy in the
	// background (see loadFirst): copied is closed when that read is
	// over, copyErr says why the copy failed, and done ends the explorer.
	copied  chan struct{}
	copyErr error
	done    chan struct{}

	mu     sync.Mutex
	reader *store.Store // open while incidents are being fetched
	idle   *time.Timer  // closes reader
}

// loadFirst loads the index for the first screen without waiting for its
// copy: the index is read in place, inside a read of the file that lasts
// while it is copied, and then moved onto the copy (search.Index.Adopt),
// so that the screen shows once the index is read rather than copied
// (most of a second at 100,000 incidents). Writers wait for the read to
// end (see held).
func (b *storeBackend) loadFirst() (*search.Index, error) {
	type first struct {
		ix  *search.Index
		err error
	}
	ready := make(chan first, 1)
	b.copied = make(chan struct{})
	go func() {
		defer close(b.copied)
		sent := false
		err := withStoredIndex(b.path, b.notice, func(r *store.IndexReader) error {
			ix, err := indexer.Load(r, b.fetch, false)
			if err != nil {
				return err
			}
			r.ReleasePages() // those Load checked: a first screen reads few
			ready <- first{ix: ix}
			sent = true
			err = ix.Adopt(func(id uint64) ([]byte, func(off, n int) bool, error) {
				// the pages the copies read so far checked: not all held at once
				store.ReleaseCopies()
				return r.Segment(id, true)
			}, true)
			if err != nil {
				// The index reads the file in place: the read must last.
				b.copyErr = err
				<-b.done
			}
			store.ReleaseCopies() // the pages Adopt read as it checked the copies
			return nil
		}, func(built *search.Index) error {
			ready <- first{ix: built}
			sent = true
			return nil
		})
		if !sent {
			ready <- first{err: err}
		}
	}()
	f := <-ready
	return f.ix, f.err
}

// held waits for the read of loadFirst to end: while it lasts, this
// process holds the file for reading and cannot write to it.
func (b *storeBackend) held() error {
	if b.copied == nil {
		return nil
	}
	<-b.copied
	if b.copyErr != nil {
		return fmt.Errorf("%s is held for reading: the index could not be copied (%v); not saved: reopen the explorer", b.path, b.copyErr)
	}
	return nil
}

// readerIdle is how long the explorer keeps the database open after a
// fetch: long enough for a burst (an export, a phrase search), short
// enough that an import in another process hardly waits. fetchWait is how
// long a fetch waits for an import to let go: an import holds the file
// to its end, so waiting longer seldom helps, and the screen waits too.
const (
	readerIdle = 500 * time.Millisecond
	fetchWait  = 300 * time.Millisecond
)

func (b *storeBackend) Load() (*search.Index, error) {
	if ix := b.loaded; ix != nil {
		b.loaded = nil // handed over once: later Loads read the file again
		return ix, nil
	}
	if b.started && !store.Exists(b.path) {
		// a reload must never make a new database where one was
		return nil, fmt.Errorf("%s no longer exists (deleted or moved?)", b.path)
	}
	var ix *search.Index
	err := withStoredIndex(b.path, b.notice, func(r *store.IndexReader) (err error) {
		// A copy: the explorer outlives the read transaction.
		ix, err = indexer.Load(r, b.fetch, true)
		return err
	}, func(built *search.Index) error {
		ix = built
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// Events reads the grouping as the events command does, for its events
// only: the one kept in the file, or one made now (and kept, if the file
// can be written at once) when it is not of the incidents as they are.
func (b *storeBackend) Events() (*analysis.Grouper, error) {
	if b.started && !store.Exists(b.path) {
		return nil, fmt.Errorf("%s no longer exists (deleted or moved?)", b.path)
	}
	b.closeReader() // its shared lock would keep a grouping made now from being kept
	g, err := eventsOnly(b.path, b.notice)
	// Decoding the grouping read all of it for the little kept: give
	// back what it left now, not when idle.
	debug.FreeOSMemory()
	return g, err
}

// fetch reads one incident for the index, opening the database for reading
// if it is not open.
func (b *storeBackend) fetch(id string) (incident.Incident, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reader == nil {
		s, err := store.Open(b.path, store.Options{ReadOnly: true, Timeout: fetchWait, NoCreate: true})
		if err != nil {
			return incident.Incident{}, false
		}
		b.reader = s
		b.idle = time.AfterFunc(readerIdle, b.closeReader)
	} else {
		b.idle.Reset(readerIdle)
	}
	in, err := b.reader.Get(id)
	return in, err == nil && in.ID == id
}

func (b *storeBackend) closeReader() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reader != nil {
		b.idle.Stop()
		b.reader.Close()
		b.reader = nil
	}
}

func (b *storeBackend) SaveTriage(id string, t incident.Triage) (incident.Triage, error) {
	if b.readOnly {
		return t, fmt.Errorf("%s is read-only: triage not saved", b.path)
	}
	if err := b.held(); err != nil {
		return t, err
	}
	b.closeReader() // its shared lock would keep this process from writing
	s, err := store.Open(b.path, store.Options{Timeout: saveWait, NoCreate: true})
	if errors.Is(err, os.ErrNotExist) {
		return t, fmt.Errorf("%s no longer exists: triage not saved", b.path)
	}
	if err != nil {
		return t, describeOpenError(err)
	}
	saved, _, err := s.MergeTriage(id, t)
	if err != nil {
		s.Close()
		return t, err
	}
	return saved, s.Close()
}

func (b *storeBackend) Reviewer() string { return b.reviewer }

func (b *storeBackend) ReadOnly() bool { return b.readOnly }

// Idle gives back memory while the user reads: the heap searches freed,
// which the runtime would keep a while longer, and the pages of the index
// copy they read, which stay in the page cache to be mapped again.
func (b *storeBackend) Idle() {
	store.ReleaseCopies()
	debug.FreeOSMemory()
}
func (b *storeBackend) Path() string { return b.path }

// withWriter opens the database for a short write of the explorer's own
// records (views, history), as SaveTriage does.
func (b *storeBackend) withWriter(fn func(s *store.Store) error) error {
	if b.readOnly {
		return fmt.Errorf("%s is read-only: not saved", b.path)
	}
	if err := b.held(); err != nil {
		return err
	}
	b.closeReader()
	s, err := store.Open(b.path, store.Options{Timeout: saveWait, NoCreate: true})
	if err != nil {
		return describeOpenError(err)
	}
	if err := fn(s); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

// withReader reads through the explorer's read-only handle.
func (b *storeBackend) withReader(fn func(s *store.Store) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.reader == nil {
		s, err := store.Open(b.path, store.Options{ReadOnly: true, Timeout: fetchWait, NoCreate: true})
		if err != nil {
			return describeOpenError(err)
		}
		b.reader = s
		b.idle = time.AfterFunc(readerIdle, b.closeReader)
	} else {
		b.idle.Reset(readerIdle)
	}
	return fn(b.reader)
}

func (b *storeBackend) Views() ([]ui.SavedView, error) {
	var out []ui.SavedView
	err := b.withReader(func(s *store.Store) error {
		views, err := s.Views()
		for _, v := range views {
			out = append(out, ui.SavedView{Name: v.Name, Query: v.Query, Sort: v.Sort, Reverse: v.Reverse, Facets: v.Facets})
		}
		return err
	})
	return out, err
}

func (b *storeBackend) SaveView(v ui.SavedView) error {
	return b.withWriter(func(s *store.Store) error {
		return s.PutView(store.View{Name: v.Name, Query: v.Query, Sort: v.Sort, Reverse: v.Reverse, Facets: v.Facets, Saved: time.Now()})
	})
}

func (b *storeBackend) DeleteView(name string) error {
	return b.withWriter(func(s *store.Store) error { return s.DeleteView(name) })
}

func (b *storeBackend) History() ([]string, error) {
	var out []string
	err := b.withReader(func(s *store.Store) (err error) {
		out, err = s.Queries()
		return err
	})
	return out, err
}

func (b *storeBackend) AddHistory(q string) error {
	return b.withWriter(func(s *store.Store) error { return s.AddQuery(q, time.Now()) })
}
