package cli

import (
	"sort"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// loadAll reads every incident of the database at path, creating it with
// the starter set when it does not exist. The file is held only while
// reading, so other faultline processes can write between commands.
func loadAll(path string) ([]incident.Incident, error) {
	s, err := openForReading(path)
	if err != nil {
		return nil, describeOpenError(err)
	}
	defer s.Close()
	return s.All()
}

// selectIncidents returns the incidents matching query, best first, or all
// of them in store order when the query is empty.
func selectIncidents(incs []incident.Incident, query string, opts search.Options) ([]incident.Incident, search.Result, error) {
	q, err := search.Parse(query)
	if err != nil {
		return nil, search.Result{}, usageError{err.Error()}
	}
	ix := search.Build(incs)
	res := ix.Search(q, opts)
	out := make([]incident.Incident, 0, len(res.Hits))
	for _, h := range res.Hits {
		if in, ok := ix.Get(h.ID); ok {
			out = append(out, in)
		}
	}
	return out, res, nil
}

// taxonomyCounts counts, for each category, the incidents holding each
// option; an incident with several options counts under each.
func taxonomyCounts(incs []incident.Incident) map[string]map[string]int {
	out := make(map[string]map[string]int, len(incident.Categories))
	for _, c := range incident.Categories {
		out[c.Key] = map[string]int{}
	}
	for i := range incs {
		for _, c := range incident.Categories {
			for _, o := range incs[i].Taxonomy[c.Key].Options {
				out[c.Key][o]++
			}
		}
	}
	return out
}

// yearCounts counts incidents per published year; undated ones are left out.
func yearCounts(incs []incident.Incident) map[string]int {
	out := map[string]int{}
	for i := range incs {
		if y := incs[i].Year(); y != "" {
			out[y]++
		}
	}
	return out
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
