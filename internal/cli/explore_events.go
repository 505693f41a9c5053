package cli

import (
	"fmt"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/store"
)

// Events returns the events of the database's incidents, reviewers'
// rulings applied, as the events and lessons commands read them: the
// explorer's lessons count the failures they come from by them. The
// grouping is read from the file, or made afresh when it is stale and
// kept if the file can be written at once, so the explorer's own read
// handle is let go first.
func (b *storeBackend) Events() ([]analysis.Event, error) {
	if !store.Exists(b.path) {
		// grouping would make a new database where one was
		return nil, fmt.Errorf("%s no longer exists (deleted or moved?)", b.path)
	}
	b.closeReader()
	g, err := grouping(b.path, nil)
	if err != nil {
		return nil, err
	}
	return g.Events(), nil
}
