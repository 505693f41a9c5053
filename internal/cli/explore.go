package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
	"github.com/faultline/faultline/ui"
)

var exploreCmd = command{
	name:    "explore",
	summary: "open the explorer (the default when no command is given)",
	usage:   "[--db FILE]",
	example: `faultline
faultline --db team.db
FAULTLINE_DB=~/reviews/q3.db faultline`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		db := dbFlag(fs)
		return func(e *env, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
			}
			path, err := e.dbPath(*db)
			if err != nil {
				return err
			}
			b := &storeBackend{path: path, reviewer: e.reviewer("")}
			// Load once before the screen takes over, so that a foreign or
			// damaged file is refused on a plain terminal; the screen's
			// first Load takes this index.
			ix, err := b.Load()
			if err != nil {
				return err
			}
			b.loaded = ix
			b.readOnly = unix.Access(path, unix.W_OK) != nil
			return ui.Run(b)
		}
	},
}

// saveWait bounds how long a triage save waits for an import in another
// process; the explorer then says the file is busy and keeps browsing.
const saveWait = 2 * time.Second

// storeBackend gives the explorer its index and takes its triage edits.
// It holds the database only while reading or saving, so other faultline
// processes can read and import while the explorer is open: the index is
// a copy, and an incident's texts are fetched when it is opened, through
// a read-only handle that is closed again once fetches stop.
type storeBackend struct {
	path     string
	readOnly bool
	reviewer string
	loaded   *search.Index // an index read before the screen started, for its first Load

	mu     sync.Mutex
	reader *store.Store // open while incidents are being fetched
	idle   *time.Timer  // closes reader
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
	var ix *search.Index
	err := withStoredIndex(b.path, func(r *store.IndexReader) (err error) {
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
func (b *storeBackend) Path() string   { return b.path }
