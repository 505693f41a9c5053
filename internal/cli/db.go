package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/faultline/faultline/starter"
	"github.com/faultline/faultline/store"
)

// lockWait is how long a command waits for another faultline process to
// let go of the database before it says so and gives up.
const lockWait = 10 * time.Second

// openForReading opens the database read-only, first creating it with the
// starter set when the file does not exist yet.
func openForReading(path string) (*store.Store, error) {
	if !store.Exists(path) {
		if err := createWithStarter(path); err != nil {
			return nil, err
		}
	}
	return store.Open(path, store.Options{ReadOnly: true, Timeout: lockWait})
}

// openForWriting opens the database for an update, creating an empty one
// when it does not exist.
func openForWriting(path string) (*store.Store, error) {
	return store.Open(path, store.Options{Timeout: lockWait})
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
	if _, err := s.Put(incs, false); err != nil {
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

// describeOpenError adds advice to the errors a user can act on.
func describeOpenError(err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("%w (close the other faultline, or wait for its import to finish)", err)
	default:
		return err
	}
}
