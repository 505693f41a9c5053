package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// triageCountsOf counts the triage facets of ts the plain way, leaving out
// keys with no count.
func triageCountsOf(ts []incident.Triage) map[string]map[string]int {
	out := map[string]map[string]int{}
	add := func(key, v string) {
		if out[key] == nil {
			out[key] = map[string]int{}
		}
		out[key][v]++
	}
	for _, t := range ts {
		st := t.State()
		if slices.Contains(incident.Statuses, st) {
			add(FacetTriage, st)
		}
		if t.Starred() {
			add(FacetStarred, "starred")
		}
		if t.Reviewed() {
			add(FacetReviewed, "yes")
		} else {
			add(FacetReviewed, "no")
		}
		seen := map[string]bool{}
		for _, tag := range t.TagList() {
			tag = strings.ToLower(strings.TrimSpace(tag))
			if tag != "" && !seen[tag] {
				seen[tag] = true
				add(FacetTag, tag)
			}
		}
	}
	if out[FacetReviewed]["yes"] == 0 {
		delete(out, FacetReviewed) // counted only once there are any
	}
	return out
}

var triageFacetKeys = []string{FacetTriage, FacetStarred, FacetTag}

func TestTriageFacetsAreDisjunctive(t *testing.T) {
	incs := handMade()
	ix := Build(incs)
	for i, tr := range []incident.Triage{
		tri(incident.StatusReviewing, true, []string{"Water"}, ""),
		tri(incident.StatusRelevant, false, []string{"water", "boats"}, ""),
		{}, // never triaged: new
		tri(incident.StatusDismissed, true, []string{"Boats", " boats ", ""}, ""),
		tri(incident.StatusNew, false, nil, ""),
		tri("someday", false, nil, ""), // not a status: counted under none
	} {
		ix.SetTriage(incs[i].ID, tr)
	}
	allStatuses := map[string]int{"reviewing": 1, "relevant": 1, "new": 2, "dismissed": 1}
	allTags := map[string]int{"water": 2, "boats": 2}
	tests := []struct {
		name  string
		q     string
		total int
		want  map[string]map[string]int // the triage keys of Facets
	}{
		{"no triage terms", "", 6, map[string]map[string]int{
			FacetTriage: allStatuses, FacetStarred: {"starred": 2}, FacetTag: allTags}},
		{"one status keeps the others", "triage:reviewing", 1, map[string]map[string]int{
			FacetTriage: allStatuses, FacetStarred: {"starred": 1}, FacetTag: {"water": 1}}},
		{"two statuses", "triage:reviewing status:new", 3, map[string]map[string]int{
			FacetTriage: allStatuses, FacetStarred: {"starred": 1}, FacetTag: {"water": 1}}},
		{"is:status is a status term", "is:new", 2, map[string]map[string]int{
			FacetTriage: allStatuses}},
		{"starred with a status", "is:starred triage:dismissed", 1, map[string]map[string]int{
			FacetTriage:  {"reviewing": 1, "dismissed": 1},
			FacetStarred: {"starred": 1},
			FacetTag:     {"boats": 1}}},
		{"not starred", "-is:starred", 4, map[string]map[string]int{
			FacetTriage: {"relevant": 1, "new": 2}, FacetStarred: {"starred": 2}, FacetTag: {"water": 1, "boats": 1}}},
		{"excluded tag", "-tag:water", 4, map[string]map[string]int{
			FacetTriage: {"new": 2, "dismissed": 1}, FacetStarred: {"starred": 1}, FacetTag: allTags}},
		{"excluded tag among words", "ransomware -tag:boats", 1, map[string]map[string]int{
			FacetTriage: {"new": 1}, FacetTag: {"boats": 1}}},
		{"nothing matches", "tag:water domain:finance", 0, map[string]map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(mustParse(t, tt.q), Options{})
			if r.Total != tt.total {
				t.Errorf("%q: %d matches, want %d", tt.q, r.Total, tt.total)
			}
			for _, key := range triageFacetKeys {
				got, ok := r.Facets[key]
				if want, wok := tt.want[key]; ok != wok || !flatEqual(got, want) {
					t.Errorf("%q: Facets[%s] = %v (present %v), want %v", tt.q, key, got, ok, want)
				}
			}
		})
	}
}

// TestTriageFacetsMatchBruteForce compares the triage counts with a plain
// count over the matches of the query without the counted kind's terms
// (Facets) and with every term (Counts), on a built and a loaded index.
func TestTriageFacetsMatchBruteForce(t *testing.T) {
	incs := gencorpus.Incidents(400, 5)
	statuses := append([]string{""}, append(slices.Clone(incident.Statuses), "someday")...)
	tags := [][]string{nil, {"auth"}, {"Auth", " auth "}, {"deploy", "AUTH"}, {"  ", "DNS"}, {"dns", "deploy", "dns"}}
	for i := range incs {
		incs[i].Triage = tri(statuses[i%len(statuses)], i%3 == 0, tags[i%len(tags)], "")
	}
	byID := map[string]incident.Incident{}
	for _, in := range incs {
		byID[in.ID] = in
	}
	built := Build(incs)
	data, err := built.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	fetches := 0
	loaded, err := Load(data, func(id string) (incident.Incident, bool) {
		fetches++
		in, ok := byID[id]
		return in, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range incs { // the binary form holds no triage
		loaded.SetTriage(in.ID, in.Triage)
	}

	tests := []struct {
		name    string
		q       string
		without map[string]string // per key, q without that key's terms; absent: q has none
	}{
		{"no triage terms", "outage", nil},
		{"one status", "triage:reviewing", map[string]string{FacetTriage: ""}},
		{"is:status and not starred", "is:relevant -is:starred",
			map[string]string{FacetTriage: "-is:starred", FacetStarred: "is:relevant"}},
		{"excluded statuses and a category", "-triage:new -status:dismissed domain:finance",
			map[string]string{FacetTriage: "domain:finance"}},
		{"starred with two statuses", "is:starred triage:relevant triage:reviewing",
			map[string]string{FacetStarred: "triage:relevant triage:reviewing", FacetTriage: "is:starred"}},
		{"excluded tag", "-tag:auth", map[string]string{FacetTag: ""}},
		{"tags with words, years and categories", "tag:auth -tag:deploy the year:2010..2020 -phase:design",
			map[string]string{FacetTag: "the year:2010..2020 -phase:design"}},
		{"every kind", "tag:dns is:starred -is:new outage", map[string]string{
			FacetTag: "is:starred -is:new outage", FacetStarred: "tag:dns -is:new outage", FacetTriage: "tag:dns is:starred outage"}},
		{"nothing matches", "triage:actioned tag:nosuchtag",
			map[string]string{FacetTriage: "tag:nosuchtag", FacetTag: "triage:actioned"}},
	}
	for _, x := range []struct {
		name string
		ix   *Index
	}{{"built", built}, {"loaded", loaded}} {
		ix := x.ix
		for _, tt := range tests {
			t.Run(x.name+"/"+tt.name, func(t *testing.T) {
				// count over the matches of query q, the plain way
				plain := func(q string) (map[string]map[string]int, []incident.Incident) {
					var ts []incident.Triage
					var matched []incident.Incident
					for _, h := range ix.Search(mustParse(t, q), Options{}).Hits {
						in, ok := byID[h.ID]
						if !ok {
							t.Fatalf("%q: hit %s is no incident of the corpus", q, h.ID)
						}
						ts = append(ts, in.Triage)
						matched = append(matched, in)
					}
					return triageCountsOf(ts), matched
				}
				before := fetches
				r := ix.Search(mustParse(t, tt.q), Options{})
				if fetches != before {
					t.Errorf("%q: the search fetched %d incidents", tt.q, fetches-before)
				}
				counts, matched := plain(tt.q)
				for _, key := range triageFacetKeys {
					if got, want := r.Counts[key], counts[key]; !flatEqual(got, want) || (got == nil) != (want == nil) {
						t.Errorf("%q: Counts[%s] = %v, want %v", tt.q, key, got, want)
					}
					facets := counts
					if w, ok := tt.without[key]; ok {
						facets, _ = plain(w)
					}
					if got, want := r.Facets[key], facets[key]; !flatEqual(got, want) || (got == nil) != (want == nil) {
						t.Errorf("%q: Facets[%s] = %v, want %v", tt.q, key, got, want)
					}
				}
				// The taxonomy counts still see the triage terms.
				for _, c := range incident.Categories {
					if strings.Contains(tt.q, c.Key+":") {
						continue
					}
					want := map[string]int{}
					for _, in := range matched {
						for _, o := range in.Taxonomy[c.Key].Options {
							want[o]++
						}
					}
					if !flatEqual(r.Facets[c.Key], want) {
						t.Errorf("%q: Facets[%s] = %v, want %v", tt.q, c.Key, r.Facets[c.Key], want)
					}
				}
			})
		}
	}
}
