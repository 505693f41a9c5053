package search

import (
	"reflect"
	"testing"

	"github.com/faultline/faultline/incident"
)

// labelled is the hand-made set with labels and Markdown bodies.
func labelled() []incident.Incident {
	incs := handMade()
	labels := [][]string{
		{"Cloud", "config-change"},
		{"cloud", "Cloud ", "hardware"}, // repeats count once
		{"security"},
		{"security", "Config-Change"},
		nil,
		{"  "},
	}
	for i := range incs {
		incs[i].Labels = labels[i]
	}
	incs[4].Body = "## Detection\n\nA teacher noticed the *lockscreen* first."
	incs[5].Body = "Sluice gates were not involved."
	return incs
}

func TestLabelTermsAndFacets(t *testing.T) {
	incs := labelled()
	built := Build(incs)
	for name, ix := range map[string]*Index{"built": built, "loaded": loaded(t, built, incs)} {
		tests := []struct {
			q     string
			total int
			want  map[string]int // Facets[FacetLabel]
		}{
			{"", 6, map[string]int{"cloud": 2, "config-change": 2, "hardware": 1, "security": 2}},
			{"label:cloud", 2, map[string]int{"cloud": 2, "config-change": 2, "hardware": 1, "security": 2}},
			{"label:CLOUD label:security", 4, map[string]int{"cloud": 2, "config-change": 2, "hardware": 1, "security": 2}},
			{"-label:security", 4, map[string]int{"cloud": 2, "config-change": 2, "hardware": 1, "security": 2}},
			{"label:config-change ransomware", 1, map[string]int{"security": 1, "config-change": 1}},
			{"domain:finance", 1, map[string]int{"security": 1}},
			{`label:"config  change"`, 0, map[string]int{"cloud": 2, "config-change": 2, "hardware": 1, "security": 2}},
		}
		for _, tt := range tests {
			r := ix.Search(mustParse(t, tt.q), Options{})
			if r.Total != tt.total {
				t.Errorf("%s %q: %d matches, want %d", name, tt.q, r.Total, tt.total)
			}
			if got := r.Facets[FacetLabel]; !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("%s %q: label facets %v, want %v", name, tt.q, got, tt.want)
			}
			if got := r.Counts[FacetLabel]; tt.total > 0 && len(got) == 0 {
				t.Errorf("%s %q: no label counts", name, tt.q)
			}
		}
	}
	if _, err := Parse("label:"); err == nil {
		t.Error("label: without a value parsed")
	}
}

func TestBodyIsSearchedWithALowWeight(t *testing.T) {
	incs := labelled()
	ix := Build(incs)
	for _, q := range []string{"lockscreen", "body:lockscreen", "body:teacher", `"teacher noticed"`} {
		r := ix.Search(mustParse(t, q), Options{})
		if r.Total != 1 || r.Hits[0].ID != incs[4].ID {
			t.Errorf("%q: %d matches, want the school", q, r.Total)
		}
	}
	if r := ix.Search(mustParse(t, "body:ransomware"), Options{}); r.Total != 0 {
		t.Errorf("body:ransomware matched %d incidents outside their bodies", r.Total)
	}
	// "sluice" is in three titles, systems or fixes, and in one body: the
	// body hit ranks last.
	r := ix.Search(mustParse(t, "sluice "), Options{})
	if r.Total != 4 || r.Hits[3].ID != incs[5].ID {
		t.Errorf("sluice: %d hits, last %v", r.Total, r.Hits)
	}
	if w := fieldWeight[fBody]; w >= fieldWeight[fFixes] || w <= fieldWeight[fRationale] {
		t.Errorf("body weight %v, want between a rationale's and a field's", w)
	}
}
