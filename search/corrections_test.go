package search

import (
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
)

// corrected is a triage whose reviewer set category key to opts.
func corrected(key string, opts ...string) incident.Triage {
	var t incident.Triage
	t.SetTaxonomy(key, opts, incident.Stamp{By: "tester", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
	return t
}

// Search, facets, cross-tabs and summaries count an incident's taxonomy
// as a reviewer corrected it, whether the correction was there when the
// index was built or came later; reviewed: finds the corrected ones.
func TestCorrectedTaxonomyIsWhatSearchCounts(t *testing.T) {
	incs := handMade()
	ransom := incs[4].ID // "Ransomware Hits a School": knowledge, malicious, no phase
	count := func(ix *Index, q string) int { return ix.Search(mustParse(t, q), Options{}).Total }
	check := func(name string, ix *Index) {
		t.Helper()
		for q, want := range map[string]int{
			"phase:design": 3, "phase:design ransomware": 1, "domain:knowledge": 0, "domain:government": 2,
			"reviewed:yes": 1, "reviewed:no": 5, "-reviewed:yes": 5, "reviewed:no ransomware": 1,
		} {
			if got := count(ix, q); got != want {
				t.Errorf("%s: %q: %d, want %d", name, q, got, want)
			}
		}
		r := ix.Search(mustParse(t, "ransomware"), Options{})
		if got := r.Facets[FacetReviewed]; got["yes"] != 1 || got["no"] != 1 {
			t.Errorf("%s: reviewed facet %v", name, got)
		}
		if got := r.Facets["domain"]; got["knowledge"] != 0 || got["government"] != 2 {
			t.Errorf("%s: domain facet %v", name, got)
		}
		if s, _ := ix.Summary(ransom); len(s.Options["phase"]) != 1 || s.Options["phase"][0] != "design" {
			t.Errorf("%s: summary options %v", name, s.Options)
		}
		x, err := ix.CrossTab(mustParse(t, "ransomware"), "domain", "phase")
		if err != nil || x.Rows["government"]["design"] != 1 {
			t.Errorf("%s: cross-tab %v %v", name, x, err)
		}
	}
	fix := func(tr *incident.Triage) {
		tr.SetTaxonomy("phase", []string{"design"}, incident.Stamp{By: "tester", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
		tr.SetTaxonomy("domain", []string{"government"}, incident.Stamp{By: "tester", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
	}

	built := handMade()
	fix(&built[4].Triage)
	check("built with the correction", Build(built))

	ix := Build(incs)
	if count(ix, "phase:design ransomware") != 0 {
		t.Fatal("an uncorrected incident counts as corrected")
	}
	tr := corrected("phase", "design")
	fix(&tr)
	ix.SetTriage(ransom, tr)
	check("corrected after the build", ix)

	// withdrawn: counted as found again
	ix.SetTriage(ransom, incident.Triage{})
	if count(ix, "domain:knowledge") != 1 || count(ix, "reviewed:yes") != 0 || count(ix, "phase:design ransomware") != 0 {
		t.Errorf("a withdrawn correction still counts")
	}
	if ix.Len() != len(incs) {
		t.Errorf("%d incidents after re-indexing, want %d", ix.Len(), len(incs))
	}
}

func TestReviewedKeyRefusesOtherValues(t *testing.T) {
	if _, err := Parse("reviewed:maybe"); err == nil {
		t.Error("reviewed:maybe parsed")
	}
}

func TestReviewedTermsCombine(t *testing.T) {
	incs := handMade()
	incs[0].Triage = corrected("phase", "design")
	ix := Build(incs)
	for q, want := range map[string]int{
		"reviewed:yes reviewed:no": 6, "reviewed:no": 5, "-reviewed:no": 1, "reviewed:yes -reviewed:yes": 0,
		"-reviewed:yes -reviewed:no": 0, "reviewed:y": 1, "reviewed:false": 5,
	} {
		if got := ix.Search(mustParse(t, q), Options{}).Total; got != want {
			t.Errorf("%q: %d, want %d", q, got, want)
		}
	}
}
