package search

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// sharedDir holds the real FAIL incidents; tests skip without it.
const sharedDir = "../../shared/fail"

// sharedIncidents parses the seed page and pages_a with importer.ParsePage.
func sharedIncidents(t *testing.T) []incident.Incident {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("no shared FAIL data at %s", sharedDir)
	}
	files := []string{filepath.Join(sharedDir, "seed-twitter-2022.txt")}
	pages, err := filepath.Glob(filepath.Join(sharedDir, "pages_a", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if !strings.HasSuffix(p, ".variant.txt") {
			files = append(files, p)
		}
	}
	var out []incident.Incident
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, _, err := importer.ParsePage(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, in)
	}
	if len(out) < 30 {
		t.Fatalf("only %d shared incidents", len(out))
	}
	return out
}

func mustParse(t testing.TB, q string) Query {
	t.Helper()
	pq, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return pq
}

func hitIDs(r Result) []string {
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}

func titleOf(ix *Index, id string) string {
	in, _ := ix.Get(id)
	return in.Title
}

func TestSharedAbbreviationRanksTwitterFirst(t *testing.T) {
	ix := Build(sharedIncidents(t))
	r := ix.Search(mustParse(t, "twtr secur"), Options{})
	if r.Total == 0 {
		t.Fatal("twtr secur: no hits")
	}
	if got := titleOf(ix, r.Hits[0].ID); !strings.HasPrefix(got, "Twitter's Security Vulnerabilities") {
		t.Errorf("twtr secur: first hit %q, want Twitter's Security Vulnerabilities…", got)
	}
	// The highlight marks the abbreviated letters of "Twitter" and the
	// words "secur" starts ("Security", twice).
	title := titleOf(ix, r.Hits[0].ID)
	var marked strings.Builder
	for _, o := range ix.TitleMatches(mustParse(t, "twtr secur"), r.Hits[0].ID) {
		marked.WriteByte(title[o])
	}
	if got := marked.String(); got != "TwtrSecuritySecurity" {
		t.Errorf("twtr secur: title matches spell %q, want TwtrSecuritySecurity", got)
	}
}

func TestSharedDomainFinanceIsExact(t *testing.T) {
	incs := sharedIncidents(t)
	ix := Build(incs)
	for _, q := range []string{"domain:finance", "domain:Finance", "Domain:FINANCE"} {
		r := ix.Search(mustParse(t, q), Options{})
		var want []string
		for i := range incs {
			if incs[i].HasOption("domain", "finance") {
				want = append(want, incs[i].ID)
			}
		}
		got := hitIDs(r)
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 {
			t.Fatal("no finance incident in the shared data")
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %d incidents %v, want %d %v", q, len(got), got, len(want), want)
		}
	}
}

func TestSharedExclusionDropsOnlyAtlanta(t *testing.T) {
	ix := Build(sharedIncidents(t))
	all := hitIDs(ix.Search(mustParse(t, "ransomware"), Options{}))
	kept := hitIDs(ix.Search(mustParse(t, "ransomware -atlanta"), Options{}))
	var dropped []string
	for _, id := range all {
		if !slices.Contains(kept, id) {
			dropped = append(dropped, id)
		}
	}
	if len(kept)+len(dropped) != len(all) {
		t.Fatalf("ransomware -atlanta kept incidents ransomware did not find")
	}
	if len(dropped) != 1 || !strings.Contains(titleOf(ix, dropped[0]), "Atlanta") {
		var titles []string
		for _, id := range dropped {
			titles = append(titles, titleOf(ix, id))
		}
		t.Errorf("ransomware -atlanta dropped %q, want only the Atlanta incident", titles)
	}
	if len(kept) == 0 {
		t.Error("ransomware -atlanta kept nothing")
	}
}

func TestSharedFacetCountsEqualOptionsAmongHits(t *testing.T) {
	ix := Build(sharedIncidents(t))
	for _, q := range []string{"", "software", "security -attack", "year:2015..2020", "fixes:patch"} {
		r := ix.Search(mustParse(t, q), Options{})
		checkFacets(t, ix, q, r)
	}
}

// checkFacets compares the facet and year counts of r with a count over
// its hits (r's query must hold no category, year or triage terms).
func checkFacets(t *testing.T, ix *Index, q string, r Result) {
	t.Helper()
	want := map[string]map[string]int{}
	years := map[string]int{}
	var triage []incident.Triage
	for _, h := range r.Hits {
		in, _ := ix.Get(h.ID)
		triage = append(triage, in.Triage)
		for _, c := range incident.Categories {
			for _, o := range in.Triage.EffectiveTaxonomy(in.Taxonomy)[c.Key].Options {
				if want[c.Key] == nil {
					want[c.Key] = map[string]int{}
				}
				want[c.Key][o]++
			}
		}
		if y := in.Year(); y != "" {
			years[y]++
		}
	}
	maps.Copy(want, triageCountsOf(triage))
	if !mapsEqual(r.Facets, want) {
		t.Errorf("%q: facets %v, want %v", q, r.Facets, want)
	}
	if !flatEqual(r.Years, years) && !strings.Contains(q, "year:") {
		t.Errorf("%q: years %v, want %v", q, r.Years, years)
	}
}

func mapsEqual(a, b map[string]map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !flatEqual(v, b[k]) {
			return false
		}
	}
	return true
}

func flatEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestSharedFieldTermSearchesOnlyThatField(t *testing.T) {
	incs := sharedIncidents(t)
	ix := Build(incs)
	// With a trailing space the word is whole; without, a prefix.
	for _, c := range []struct {
		q      string
		prefix bool
	}{{"fixes:encryption ", false}, {"fixes:encryption", true}} {
		r := ix.Search(mustParse(t, c.q), Options{})
		var want []string
		for i := range incs {
			for _, w := range incident.Words(incs[i].Postmortem.Fixes) {
				if w == "encryption" || c.prefix && strings.HasPrefix(w, "encryption") {
					want = append(want, incs[i].ID)
					break
				}
			}
		}
		got := hitIDs(r)
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 {
			t.Fatal("no incident whose fixes mention encryption")
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", c.q, got, want)
		}
	}
}

func TestSharedSluiceFindsTheSluiceGate(t *testing.T) {
	ix := Build(sharedIncidents(t))
	r := ix.Search(mustParse(t, "sluice"), Options{})
	if r.Total == 0 || !strings.Contains(titleOf(ix, r.Hits[0].ID), "River Avon") {
		t.Fatalf("sluice: %d hits, first %v; want the River Avon incident", r.Total, hitIDs(r))
	}
	r = ix.Search(mustParse(t, `system:"sluice gate"`), Options{})
	if r.Total != 1 {
		t.Errorf(`system:"sluice gate": %d hits, want 1`, r.Total)
	}
}

func TestSharedRelated(t *testing.T) {
	incs := sharedIncidents(t)
	ix := Build(incs)
	// The two PlayStation 3 key incidents share causes and sources.
	var ps3 []string
	for i := range incs {
		if strings.HasPrefix(incs[i].Title, "PlayStation") {
			ps3 = append(ps3, incs[i].ID)
		}
	}
	if len(ps3) != 2 {
		t.Fatalf("%d PlayStation incidents, want 2", len(ps3))
	}
	rel := ix.Related(ps3[0], 5)
	if len(rel) != 5 {
		t.Fatalf("Related: %d incidents, want 5", len(rel))
	}
	if rel[0].ID != ps3[1] {
		t.Errorf("Related(%s)[0] = %s %q, want the other PlayStation incident", ps3[0], titleOf(ix, rel[0].ID), rel[0].Reason)
	}
	if !strings.Contains(rel[0].Reason, "shares: ") || !strings.Contains(rel[0].Reason, "words: ") {
		t.Errorf("reason %q, want shared options and words", rel[0].Reason)
	}
	for i, r := range rel {
		if r.ID == ps3[0] {
			t.Error("Related lists the incident itself")
		}
		if i > 0 && r.Score > rel[i-1].Score {
			t.Error("Related not in descending score")
		}
	}
}

// Related, left without the incident's other reports, finds incidents of
// the same kind by their distinctive words: Atlanta's ransomware finds
// the other ransomware incidents, not the PlayStation breaches, and its
// reasons name no stop-like words.
func TestSharedRelatedLeavesOutTheEvent(t *testing.T) {
	incs := sharedIncidents(t)
	ix := Build(incs)
	var atlanta, ransomware []string
	for i := range incs {
		if strings.Contains(incs[i].Title, "City of Atlanta") {
			atlanta = append(atlanta, incs[i].ID)
		} else if strings.Contains(incs[i].Title, "Ransomware") {
			ransomware = append(ransomware, incs[i].ID)
		}
	}
	if len(atlanta) == 0 {
		t.Fatal("no Atlanta report")
	}
	rel := ix.Related(atlanta[0], 5, atlanta[1:]...)
	if len(rel) != 5 {
		t.Fatalf("Related: %d incidents", len(rel))
	}
	for i, r := range rel {
		title := titleOf(ix, r.ID)
		if slices.Contains(atlanta, r.ID) {
			t.Error("Related lists the other report of the event")
		}
		if i == 0 && !strings.Contains(title, "Ransomware") {
			t.Errorf("Related[%d] = %q (%s), want a ransomware incident", i, title, r.Reason)
		}
		if strings.Contains(title, "PlayStation") {
			t.Errorf("Related[%d] = %q", i, title)
		}
		ransomware = slices.DeleteFunc(ransomware, func(id string) bool { return id == r.ID })
		words, _, _ := strings.Cut(strings.TrimPrefix(r.Reason, "words: "), ";")
		for _, w := range strings.Split(words, ", ") {
			if stopWords[w] || !relWord(w) {
				t.Errorf("reason %q names %q", r.Reason, w)
			}
		}
	}
	for _, id := range ransomware {
		t.Errorf("Related leaves out %q", titleOf(ix, id))
	}
}
