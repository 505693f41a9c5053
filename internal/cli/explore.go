package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/faultline/faultline/incident"
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
			b := &storeBackend{path: path}
			// Load once before the screen takes over, so that a foreign or
			// damaged file is refused on a plain terminal.
			if _, err := b.Load(); err != nil {
				return err
			}
			b.readOnly = unix.Access(path, unix.W_OK) != nil
			return ui.Run(b)
		}
	},
}

// saveWait bounds how long a triage save waits for an import in another
// process; the explorer then says the file is busy and keeps browsing.
const saveWait = 2 * time.Second

// storeBackend gives the explorer its incidents and takes its triage
// edits. It holds the database only while reading or saving, so other
// faultline processes can read and import while the explorer is open.
type storeBackend struct {
	path     string
	readOnly bool
	loaded   []incident.Incident
}

func (b *storeBackend) Load() ([]incident.Incident, error) {
	if b.loaded != nil {
		incs := b.loaded
		b.loaded = nil // hand the first load over once; reload afterwards
		return incs, nil
	}
	incs, err := loadAll(b.path)
	if err != nil {
		return nil, err
	}
	b.loaded = incs
	return incs, nil
}

func (b *storeBackend) SaveTriage(id string, t incident.Triage) error {
	if b.readOnly {
		return fmt.Errorf("%s is read-only: triage not saved", b.path)
	}
	s, err := store.Open(b.path, store.Options{Timeout: saveWait, NoCreate: true})
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s no longer exists: triage not saved", b.path)
	}
	if err != nil {
		return describeOpenError(err)
	}
	if err := s.SetTriage(id, t); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

func (b *storeBackend) ReadOnly() bool { return b.readOnly }
func (b *storeBackend) Path() string   { return b.path }
