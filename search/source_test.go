package search

import (
	"testing"

	"github.com/faultline/faultline/incident"
)

func TestSourceTermAndFacet(t *testing.T) {
	incs := handMade()[:3]
	incs[0].Sources = []incident.Source{{Form: "csv", File: "/data/fail/incidents_b.csv"}, {Form: "page", File: "/data/pages_b/1269.txt"}}
	incs[1].Sources = []incident.Source{{Form: incident.FormStarter}}
	incs[2].Sources = []incident.Source{{Form: "jsonl", File: "/team/alice.jsonl"}}
	ix := Build(incs)
	tests := []struct {
		q    string
		want int
	}{
		{"source:fail", 1},
		{"source:starter", 1},
		{"-source:starter", 2},
		{"source:page", 1},
		{"source:incidents_b.csv", 1},
		{"source:alice.jsonl", 1},
		{"source:faultline", 1},
		{"source:nothing.csv", 0},
		{"incidents", 0}, // a file name is no text of the incident
	}
	for _, tt := range tests {
		if got := ix.Search(mustParse(t, tt.q), Options{}).Total; got != tt.want {
			t.Errorf("%q: %d hits, want %d", tt.q, got, tt.want)
		}
	}
	res := ix.Search(mustParse(t, "source:starter"), Options{})
	want := map[string]int{"fail": 1, "csv": 1, "page": 1, "starter": 1, "faultline": 1, "jsonl": 1}
	for k, v := range want {
		if res.Facets[FacetSource][k] != v {
			t.Errorf("facet source %s = %d, want %d (facets %v)", k, res.Facets[FacetSource][k], v, res.Facets[FacetSource])
		}
	}
	// The loaded form keeps them.
	data, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := Load(data, func(id string) (incident.Incident, bool) {
		for _, in := range incs {
			if in.ID == id {
				return in, true
			}
		}
		return incident.Incident{}, false
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := lx.Search(mustParse(t, tt.q), Options{}).Total; got != tt.want {
			t.Errorf("loaded %q: %d hits, want %d", tt.q, got, tt.want)
		}
	}
}
