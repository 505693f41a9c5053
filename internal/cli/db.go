package cli

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/starter"
	"github.com/faultline/faultline/store"
)

// lockWait is how long a command waits for another faultline process to
// let go of the database before it says so and gives up.
const lockWait = 10 * time.Second

// notice tells the user what a command met on its way (a wait for another
// process, damage it works around) without stopping it; nil says nothing,
// as the explorer's screen needs.
type notice func(format string, args ...any)

// notices writes a command's notices to standard error, every string
// argument through the sanitiser.
func (e *env) notices() notice {
	return func(format string, args ...any) {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = sanitize.Line(s)
			}
		}
		fmt.Fprintf(e.stderr, "faultline: "+format+"\n", args...)
	}
}

func (n notice) say(format string, args ...any) {
	if n != nil {
		n(format, args...)
	}
}

// waiting is the Waiting of a store.Open that says what it waits for.
func (n notice) waiting(path string) func() {
	if n == nil {
		return nil
	}
	return func() { n.say("waiting for %s: another faultline process is writing it", path) }
}

// openForReading opens the database read-only, first creating it with the
// starter set when the file does not exist yet.
func openForReading(path string, n notice) (*store.Store, error) {
	if !store.Exists(path) {
		if err := createWithStarter(path, n); err != nil {
			return nil, err
		}
	}
	return store.Open(path, store.Options{ReadOnly: true, Timeout: lockWait, Provenance: starterProvenance(), Waiting: n.waiting(path)})
}

// openForWriting opens the database for an update, creating an empty one
// when it does not exist.
func openForWriting(path string, n notice) (*store.Store, error) {
	return store.Open(path, store.Options{Timeout: lockWait, Provenance: starterProvenance(), Waiting: n.waiting(path)})
}

// createWithStarter makes a new database holding the built-in incidents.
func createWithStarter(path string, n notice) error {
	incs, err := starter.Incidents()
	if err != nil {
		return fmt.Errorf("starter set: %w", err)
	}
	s, err := openForWriting(path, n)
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
// incidents had then. The starter set is parsed only if a migration asks,
// not on every open.
func starterProvenance() func(id string) []incident.Source {
	ids := sync.OnceValue(func() map[string]bool {
		incs, err := starter.Incidents()
		if err != nil {
			return nil
		}
		ids := map[string]bool{}
		for _, in := range incs {
			ids[incident.MakeID(in.Title, in.Published)] = true
		}
		return ids
	})
	return func(id string) []incident.Source {
		if ids()[id] {
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
