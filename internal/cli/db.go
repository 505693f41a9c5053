package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/starter"
	"github.com/faultline/faultline/store"
)

// lockWait is how long a command waits for another faultline process to
// let go of the database before it says so and gives up.
const lockWait = 10 * time.Second

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database `file` (default $FAULTLINE_DB, else the XDG data directory)")
}

// dbPath resolves the database path: the flag, else $FAULTLINE_DB, else
// faultline/faultline.db under $XDG_DATA_HOME or ~/.local/share.
func (e *env) dbPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p := e.getenv("FAULTLINE_DB"); p != "" {
		return p, nil
	}
	dir := e.getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := e.getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no database path: set --db or $FAULTLINE_DB (%v)", err)
			}
			home = h
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "faultline", "faultline.db"), nil
}

// reviewer names who makes triage changes: the flag, else
// $FAULTLINE_REVIEWER, else the login name.
func (e *env) reviewer(flagValue string) string {
	for _, v := range []string{flagValue, e.getenv("FAULTLINE_REVIEWER"), e.getenv("USER"), e.getenv("USERNAME")} {
		if v = strings.TrimSpace(sanitize.Line(v)); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return sanitize.Line(u.Username)
	}
	return "unknown"
}

// openForReading opens the database read-only, first creating it with the
// starter set when the file does not exist yet.
func openForReading(path string) (*store.Store, error) {
	if !store.Exists(path) {
		if err := createWithStarter(path); err != nil {
			return nil, err
		}
	}
	return store.Open(path, store.Options{ReadOnly: true, Timeout: lockWait, Provenance: starterProvenance()})
}

// openForWriting opens the database for an update, creating an empty one
// when it does not exist.
func openForWriting(path string) (*store.Store, error) {
	return store.Open(path, store.Options{Timeout: lockWait, Provenance: starterProvenance()})
}

// createWithStarter makes a new database holding the built-in incidents.
func createWithStarter(path string) error {
	incs, err := starter.Incidents()
	if err != nil {
		return fmt.Errorf("starter set: %w", err)
	}
	s, err := openForWriting(path)
	if err != nil {
		return err
	}
	if _, err := s.Put(starterInputs(incs)); err != nil {
		s.Close()
		// An empty database left behind would pass for an existing one.
		os.Remove(path)
		return err
	}
	if err := reindex(s); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

// starterInputs are the built-in incidents as the store takes them, with
// the starter set as their source.
func starterInputs(incs []incident.Incident) []store.Input {
	out := make([]store.Input, len(incs))
	for i, in := range incs {
		out[i] = store.Input{Incident: in, Source: incident.Source{Form: incident.FormStarter}}
	}
	return out
}

// starterProvenance tells a migration which stored incidents came from
// the starter set, for files older than provenance: the ids the starter
// incidents had then.
func starterProvenance() func(id string) []incident.Source {
	incs, err := starter.Incidents()
	if err != nil {
		return nil
	}
	ids := map[string]bool{}
	for _, in := range incs {
		ids[incident.MakeID(in.Title, in.Published)] = true
	}
	return func(id string) []incident.Source {
		if ids[id] {
			return []incident.Source{{Form: incident.FormStarter}}
		}
		return nil
	}
}

// describeOpenError adds advice to the errors a user can act on.
func describeOpenError(err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("%w (close the other faultline, or wait for its import to finish)", err)
	default:
		return err
	}
}
