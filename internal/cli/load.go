package cli

import (
	"errors"
	"sort"

	"github.com/faultline/faultline/store"

	"github.com/faultline/faultline/incident"
)

// loadAll reads every incident of the database at path, creating it with
// the starter set when it does not exist. The file is held only while
// reading, so other faultline processes can write between commands.
// Damaged incidents are left out, and said so.
func loadAll(path string, n notice) ([]incident.Incident, error) {
	s, err := openForReading(path, n)
	if err != nil {
		return nil, describeOpenError(err)
	}
	defer s.Close()
	incs, err := s.All()
	var de *store.DamageError
	if errors.As(err, &de) {
		for _, item := range de.Items {
			n.say("%s is damaged, left out: %s", path, item)
		}
		err = nil
	}
	return incs, err
}

// sortedByCount returns the keys of m, most frequent first, then by name.
func sortedByCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
