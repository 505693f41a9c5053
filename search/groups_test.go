package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
)

// groupedIncidents are six reports of three failures: a, b and c of one
// (b starred, c a year later and of another domain), d and e of another,
// f alone.
func groupedIncidents() ([]incident.Incident, [][]string) {
	mkInc := func(id, date string, domain ...string) incident.Incident {
		in := incident.Incident{ID: id, Title: "Outage " + id, Published: date,
			Taxonomy: map[string]incident.Category{"domain": {Options: domain}, "phase": {Options: []string{"operation"}}}}
		in.Normalize()
		return in
	}
	incs := []incident.Incident{
		mkInc("a", "2019-03-01", "finance"),
		mkInc("b", "2019-03-02", "finance"),
		mkInc("c", "2020-01-05", "health"),
		mkInc("d", "2019-07-01", "finance", "health"),
		mkInc("e", "2019-07-01", "finance"),
		mkInc("f", "2021-01-01", "finance"),
	}
	incs[1].Triage.SetStar(true, incident.NewStamp("ana"))
	incs[3].Triage.SetTag("auth", true, incident.NewStamp("ana"))
	incs[4].Triage.SetTag("Auth", true, incident.NewStamp("ana"))
	return incs, [][]string{{"a", "b", "c"}, {"d", "e"}, {"f"}}
}

func TestSearchGroupedCountsGroups(t *testing.T) {
	incs, sets := groupedIncidents()
	ix := Build(incs)
	g := NewGroups(sets)
	tests := []struct {
		query      string
		total      int
		counts     map[string]int // domain
		facets     map[string]int // domain
		yearCounts map[string]int
		years      map[string]int
		starred    int // Facets[is][starred]
		tags       map[string]int
	}{
		{"", 3, map[string]int{"finance": 3, "health": 2}, map[string]int{"finance": 3, "health": 2},
			map[string]int{"2019": 2, "2020": 1, "2021": 1}, map[string]int{"2019": 2, "2020": 1, "2021": 1}, 1, map[string]int{"auth": 1}},
		{"domain:health", 2, map[string]int{"finance": 1, "health": 2}, map[string]int{"finance": 3, "health": 2},
			map[string]int{"2019": 1, "2020": 1}, map[string]int{"2019": 1, "2020": 1}, 0, map[string]int{"auth": 1}},
		{"year:2019", 2, map[string]int{"finance": 2, "health": 1}, map[string]int{"finance": 2, "health": 1},
			map[string]int{"2019": 2}, map[string]int{"2019": 2, "2020": 1, "2021": 1}, 1, map[string]int{"auth": 1}},
		{"is:starred", 1, map[string]int{"finance": 1}, map[string]int{"finance": 1},
			map[string]int{"2019": 1}, map[string]int{"2019": 1}, 1, nil},
		{"tag:auth", 1, map[string]int{"finance": 1, "health": 1}, map[string]int{"finance": 1, "health": 1},
			map[string]int{"2019": 1}, map[string]int{"2019": 1}, 0, map[string]int{"auth": 1}},
		{"nothing-matches-this", 0, nil, nil, map[string]int{}, map[string]int{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			res, got := ix.SearchGrouped(q, Options{}, g)
			if want := ix.Search(q, Options{}); !reflect.DeepEqual(res, want) {
				t.Errorf("result differs from Search's:\n%+v\n%+v", res, want)
			}
			if got.Total != tt.total {
				t.Errorf("Total %d, want %d", got.Total, tt.total)
			}
			check := func(what string, got, want map[string]int) {
				if len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
					t.Errorf("%s %v, want %v", what, got, want)
				}
			}
			check("Counts[domain]", got.Counts["domain"], tt.counts)
			check("Facets[domain]", got.Facets["domain"], tt.facets)
			check("YearCounts", got.YearCounts, tt.yearCounts)
			check("Years", got.Years, tt.years)
			check("Facets[tag]", got.Facets[FacetTag], tt.tags)
			if n := got.Facets[FacetStarred]["starred"]; n != tt.starred {
				t.Errorf("starred %d, want %d", n, tt.starred)
			}
		})
	}
}

// randomGroups puts about a fifth of incs in groups of two to four.
func randomGroups(incs []incident.Incident, seed uint64) [][]string {
	r := rand.New(rand.NewPCG(seed, 1))
	var sets [][]string
	for i := 0; i < len(incs); {
		k := 1
		if r.IntN(10) < 2 {
			k = 2 + r.IntN(3)
		}
		var set []string
		for j := i; j < min(i+k, len(incs)); j++ {
			set = append(set, incs[j].ID)
		}
		sets = append(sets, set)
		i += k
	}
	// groups across segments, as an import's later reports are
	r.Shuffle(len(sets), func(i, j int) {
		if len(sets[i]) > 1 && len(sets[j]) > 1 {
			sets[i][0], sets[j][0] = sets[j][0], sets[i][0]
		}
	})
	return sets
}

// groupValues are what a summary counts under each key, as the facets
// name them.
func groupValues(ix *Index, id string) map[string][]string {
	s, _ := ix.Summary(id)
	in, _ := ix.Get(id)
	out := maps.Clone(s.Options)
	if y := in.Year(); y != "" {
		out["year"] = []string{y}
	}
	out[FacetTriage] = []string{s.Triage.State()}
	if s.Triage.Starred() {
		out[FacetStarred] = []string{"starred"}
	}
	for _, tag := range s.Triage.TagList() {
		out[FacetTag] = append(out[FacetTag], strings.ToLower(tag))
	}
	for _, l := range in.Labels {
		out[FacetLabel] = append(out[FacetLabel], foldLabel(l))
	}
	return out
}

// distinctGroups counts, per key and value, the groups of the hits of q
// holding it: the slow way.
func distinctGroups(t *testing.T, ix *Index, q string, groupOf map[string]string) (int, map[string]map[string]int) {
	t.Helper()
	parsed, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	out := map[string]map[string]int{}
	for _, h := range ix.Search(parsed, Options{}).Hits {
		grp := groupOf[h.ID]
		seen[grp] = true
		for key, vals := range groupValues(ix, h.ID) {
			for _, v := range vals {
				k := grp + "\x00" + key + "\x00" + v
				if seen[k] {
					continue
				}
				seen[k] = true
				if out[key] == nil {
					out[key] = map[string]int{}
				}
				out[key][v]++
			}
		}
	}
	groups := 0
	for k := range seen {
		if !strings.Contains(k, "\x00") {
			groups++
		}
	}
	return groups, out
}

// TestSearchGroupedMatchesDistinctGroups checks SearchGrouped against a
// count of distinct groups over the hits, for queries of every kind of
// term, over several segments and groups that span them; a category's
// facets are the counts of the query without its terms.
func TestSearchGroupedMatchesDistinctGroups(t *testing.T) {
	withSegmentSize(t, 70, func() {
		incs := crossIncidents(300)
		incs[5].Triage.SetTag("auth", true, incident.NewStamp("ana"))
		incs[6].Triage.SetStatus(incident.StatusRelevant, incident.NewStamp("ana"))
		ix := Build(incs)
		sets := randomGroups(incs, 3)
		groupOf := map[string]string{}
		for i, set := range sets {
			for _, id := range set {
				groupOf[id] = fmt.Sprint(i)
			}
		}
		g := NewGroups(sets)
		queries := []string{"", "outage", "domain:finance", "domain:finance,health -phase:design", "year:2015..2019",
			"is:starred", "tag:auth", "triage:relevant", "outage domain:finance year:2014..", "-domain:finance"}
		for _, q := range queries {
			parsed, err := Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			_, got := ix.SearchGrouped(parsed, Options{}, g)
			total, want := distinctGroups(t, ix, q, groupOf)
			if got.Total != total {
				t.Errorf("%q: Total %d, want %d", q, got.Total, total)
			}
			for key, m := range want {
				counts := got.Counts[key]
				if key == "year" {
					counts = got.YearCounts
				}
				if !reflect.DeepEqual(counts, m) {
					t.Errorf("%q: counts of %s %v, want %v", q, key, counts, m)
				}
			}
			for _, key := range []string{"domain", "phase", "year", FacetStarred, FacetTag, FacetTriage} {
				cleared := ClearCategory(q, key)
				switch key { // the terms of one triage group
				case FacetTriage:
					cleared = strings.ReplaceAll(q, "triage:relevant", "")
				case FacetStarred:
					cleared = strings.ReplaceAll(q, "is:starred", "")
				}
				_, free := distinctGroups(t, ix, cleared, groupOf)
				facets := got.Facets[key]
				if key == "year" {
					facets = got.Years
				}
				if len(facets)+len(free[key]) > 0 && !reflect.DeepEqual(facets, free[key]) {
					t.Errorf("%q: facets of %s %v, want those of %q: %v", q, key, facets, cleared, free[key])
				}
			}
		}
	})
}

// With every incident alone, the groups are the incidents.
func TestSearchGroupedAloneIsSearch(t *testing.T) {
	incs := crossIncidents(120)
	ix := Build(incs)
	for _, q := range []string{"", "outage", "domain:finance year:2015..", "is:starred"} {
		parsed, _ := Parse(q)
		res, got := ix.SearchGrouped(parsed, Options{}, NewGroups(nil))
		want := Grouped{Total: res.Total, Facets: res.Facets, Counts: res.Counts, Years: res.Years, YearCounts: res.YearCounts}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: grouped %+v\nwant %+v", q, got, want)
		}
	}
}

func TestCrossTabGrouped(t *testing.T) {
	incs, sets := groupedIncidents()
	ix := Build(incs)
	q, _ := Parse("")
	got, err := ix.CrossTabGrouped(q, "domain", "year", NewGroups(sets))
	if err != nil {
		t.Fatal(err)
	}
	want := CrossTab{Total: 3, Rows: map[string]map[string]int{
		"finance": {"2019": 2, "2021": 1},
		"health":  {"2019": 1, "2020": 1},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := ix.CrossTabGrouped(q, "domain", "colour", NewGroups(sets)); err == nil {
		t.Error("an unknown category was taken")
	}
}

// BenchmarkSearchGrouped is BenchmarkSearch's keystrokes with the counts
// by group of a fifth of 10,000 incidents in groups of two to four, beside
// Search alone.
//
//	go test ./search -run '^$' -bench 'SearchGrouped' -benchmem
func BenchmarkSearchGrouped(b *testing.B) {
	ix, incs := benchIndex(b, 10000)
	g := NewGroups(randomGroups(incs, 1))
	for _, q := range []string{"", "outage", "domain:finance phase:design", "sensor year:2015..2020"} {
		parsed, _ := Parse(q)
		b.Run(fmt.Sprintf("search/%q", q), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Search(parsed, Options{})
			}
		})
		b.Run(fmt.Sprintf("grouped/%q", q), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.SearchGrouped(parsed, Options{}, g)
			}
		})
	}
}
