package search

import (
	"testing"

	"github.com/faultline/faultline/internal/gencorpus"
)

// Counts summarise the filtered set itself, while Facets ignore a
// category's own terms: with domain:finance selected, Counts hold only what
// the finance incidents hold.
func TestCountsAreOverTheMatchesThemselves(t *testing.T) {
	ix := Build(gencorpus.Incidents(300, 7))
	q, err := Parse("domain:finance year:2012..2018")
	if err != nil {
		t.Fatal(err)
	}
	res := ix.Search(q, Options{})
	if res.Total == 0 {
		t.Fatal("no finance incidents in the corpus")
	}
	want := map[string]map[string]int{}
	wantYears := map[string]int{}
	for _, h := range res.Hits {
		in, _ := ix.Get(h.ID)
		for cat, c := range in.Taxonomy {
			for _, o := range c.Options {
				if want[cat] == nil {
					want[cat] = map[string]int{}
				}
				want[cat][o]++
			}
		}
		wantYears[in.Year()]++
	}
	for cat, m := range want {
		for o, n := range m {
			if res.Counts[cat][o] != n {
				t.Errorf("Counts[%s][%s] = %d, want %d", cat, o, res.Counts[cat][o], n)
			}
		}
		if len(res.Counts[cat]) != len(m) {
			t.Errorf("Counts[%s] = %v, want %v", cat, res.Counts[cat], m)
		}
	}
	if len(res.YearCounts) != len(wantYears) {
		t.Errorf("YearCounts = %v, want %v", res.YearCounts, wantYears)
	}
	for y, n := range wantYears {
		if res.YearCounts[y] != n {
			t.Errorf("YearCounts[%s] = %d, want %d", y, res.YearCounts[y], n)
		}
	}
	if len(res.Facets["domain"]) <= 1 {
		t.Errorf("domain facets %v: want the other domains too (disjunctive)", res.Facets["domain"])
	}
	if len(res.Years) <= len(res.YearCounts) {
		t.Errorf("Years %v: want years outside 2012..2018 too (disjunctive)", res.Years)
	}
}
