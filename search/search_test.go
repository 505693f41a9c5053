package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// mk makes an incident; opts are "category:option" pairs.
func mk(title, published string, pm incident.Postmortem, opts ...string) incident.Incident {
	in := incident.Incident{Title: title, Published: published, Postmortem: pm, Taxonomy: map[string]incident.Category{}}
	for _, o := range opts {
		cat, opt, _ := strings.Cut(o, ":")
		c := in.Taxonomy[cat]
		c.Options = append(c.Options, opt)
		c.Rationale = "rationale for " + opt
		in.Taxonomy[cat] = c
	}
	in.Normalize()
	return in
}

// handMade is a small corpus where each incident tests something.
func handMade() []incident.Incident {
	return []incident.Incident{
		mk("Sluice Gate Software Opens Suddenly", "2020-09-18",
			incident.Postmortem{System: "Vertical gate controller", Fixes: "Patched the controller."},
			"domain:utilities", "phase:design", "phase:operation", "behaviour:value"),
		mk("River Boats Stranded", "2019-05-01",
			incident.Postmortem{Fixes: "Replaced the sluice firmware and added encryption.", Impacts: "Boats were stranded."},
			"domain:entertainment", "phase:operation", "behaviour:crash"),
		mk("Bank Outage Blocks Payments", "2015-02-10",
			incident.Postmortem{System: "Sluice payments switch", SoftwareCauses: "A certificate expired.", Fixes: "Renewed the certificate."},
			"domain:finance", "phase:operation", "behaviour:crash", "objective:non-malicious"),
		mk("Ransomware at a City Hall", "2018-03-22",
			incident.Postmortem{ImpactedOrg: "City of Atlanta", SoftwareCauses: "Ransomware encrypted the servers.", Fixes: "Restored from backups; added encryption at rest."},
			"domain:government", "domain:information", "objective:malicious", "behaviour:other"),
		mk("Ransomware Hits a School", "2021-01-04",
			incident.Postmortem{SoftwareCauses: "Ransomware spread through email.", Fixes: "Trained staff."},
			"domain:knowledge", "objective:malicious"),
		mk("Café Payment Terminals Fail", "2012-07-07",
			incident.Postmortem{Timeline: "In July 2012 the terminals failed.", Fixes: "A firmware rollback."},
			"domain:sales", "phase:design"),
	}
}

func idsByTitle(ix *Index, r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, titleOf(ix, h.ID))
	}
	return out
}

func TestSearchMatches(t *testing.T) {
	ix := Build(handMade())
	tests := []struct {
		name, q string
		want    []string // titles, in ranked order
	}{
		{"title above headline above body", "sluice ", []string{
			"Sluice Gate Software Opens Suddenly", "Bank Outage Blocks Payments", "River Boats Stranded"}},
		{"prefix while typing", "slu", []string{
			"Sluice Gate Software Opens Suddenly", "Bank Outage Blocks Payments", "River Boats Stranded"}},
		{"all words must match", "sluice firmware ", []string{"River Boats Stranded"}},
		{"phrase", `"sluice firmware"`, []string{"River Boats Stranded"}},
		{"phrase order matters", `"firmware sluice"`, nil},
		{"exclusion", "ransomware -atlanta", []string{"Ransomware Hits a School"}},
		{"field term", "fixes:encryption ", []string{"River Boats Stranded", "Ransomware at a City Hall"}},
		{"field term misses other fields", "system:encryption", nil},
		{"causes covers both cause fields", "causes:certificate", []string{"Bank Outage Blocks Payments"}},
		{"org covers both organisations", "org:atlanta", []string{"Ransomware at a City Hall"}},
		{"accent-insensitive", "cafe", []string{"Café Payment Terminals Fail"}},
		{"category", "domain:finance", []string{"Bank Outage Blocks Payments"}},
		{"multi-valued option", "phase:design", []string{"Sluice Gate Software Opens Suddenly", "Café Payment Terminals Fail"}},
		{"options of one category OR-ed", "domain:finance domain:knowledge", []string{"Ransomware Hits a School", "Bank Outage Blocks Payments"}},
		{"categories AND-ed", "objective:malicious domain:government", []string{"Ransomware at a City Hall"}},
		{"excluded category", "ransomware -domain:government", []string{"Ransomware Hits a School"}},
		{"year", "year:2018", []string{"Ransomware at a City Hall"}},
		{"year range", "year:2015..2019", []string{"River Boats Stranded", "Ransomware at a City Hall", "Bank Outage Blocks Payments"}},
		{"excluded year", "ransomware -year:2021", []string{"Ransomware at a City Hall"}},
		{"abbreviation", "bnk outg", []string{"Bank Outage Blocks Payments"}},
		{"abbreviation across words", "cpt", []string{"Café Payment Terminals Fail"}},
		{"no match", "zeppelin", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(mustParse(t, tt.q), Options{})
			got := idsByTitle(ix, r)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q: got %q, want %q", tt.q, got, tt.want)
			}
			if r.Total != len(tt.want) {
				t.Errorf("%q: Total %d, want %d", tt.q, r.Total, len(tt.want))
			}
		})
	}
}

func TestSearchEmptyQueryMatchesAllByDate(t *testing.T) {
	ix := Build(handMade())
	r := ix.Search(Query{}, Options{})
	if r.Total != ix.Len() || len(r.Hits) != ix.Len() {
		t.Fatalf("empty query: %d hits, want %d", r.Total, ix.Len())
	}
	var dates []string
	for _, h := range r.Hits {
		in, _ := ix.Get(h.ID)
		dates = append(dates, in.Published)
	}
	if !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("empty query not newest first: %v", dates)
	}
}

func TestSearchSortAndLimit(t *testing.T) {
	ix := Build(handMade())
	q := mustParse(t, "ransomware")
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"date", Options{Sort: Date}, []string{"Ransomware Hits a School", "Ransomware at a City Hall"}},
		{"date reversed", Options{Sort: Date, Reverse: true}, []string{"Ransomware at a City Hall", "Ransomware Hits a School"}},
		{"title", Options{Sort: Title}, []string{"Ransomware at a City Hall", "Ransomware Hits a School"}},
		{"title reversed", Options{Sort: Title, Reverse: true}, []string{"Ransomware Hits a School", "Ransomware at a City Hall"}},
		{"limit", Options{Sort: Date, Limit: 1}, []string{"Ransomware Hits a School"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(q, tt.opts)
			if got := idsByTitle(ix, r); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if r.Total != 2 {
				t.Errorf("Total %d, want 2", r.Total)
			}
		})
	}
	for _, name := range []string{"relevance", "date", "title"} {
		s, ok := ParseSort(name)
		if !ok || s.String() != name {
			t.Errorf("ParseSort(%q) = %v, %v", name, s, ok)
		}
	}
}

func TestFacetsAreDisjunctive(t *testing.T) {
	ix := Build(handMade())
	// Selecting finance does not shrink the domain counts, but narrows
	// the other categories and the years.
	r := ix.Search(mustParse(t, "domain:finance"), Options{})
	all := ix.Search(Query{}, Options{})
	if !flatEqual(r.Facets["domain"], all.Facets["domain"]) {
		t.Errorf("domain counts with domain:finance %v, want those of all %v", r.Facets["domain"], all.Facets["domain"])
	}
	if want := map[string]int{"operation": 1}; !flatEqual(r.Facets["phase"], want) {
		t.Errorf("phase counts %v, want %v", r.Facets["phase"], want)
	}
	if want := map[string]int{"2015": 1}; !flatEqual(r.Years, want) {
		t.Errorf("years %v, want %v", r.Years, want)
	}
	// Multi-valued options count under each.
	if got := all.Facets["phase"]; got["design"] != 2 || got["operation"] != 3 {
		t.Errorf("phase counts %v, want design 2, operation 3", got)
	}
	// A year selection keeps the year counts of the rest of the query.
	r = ix.Search(mustParse(t, "ransomware year:2021"), Options{})
	if want := map[string]int{"2018": 1, "2021": 1}; !flatEqual(r.Years, want) {
		t.Errorf("years with year:2021 %v, want %v", r.Years, want)
	}
	if r.Total != 1 || r.Facets["domain"]["knowledge"] != 1 || r.Facets["domain"]["government"] != 0 {
		t.Errorf("ransomware year:2021: total %d, domains %v", r.Total, r.Facets["domain"])
	}
	// Two categories selected: each one's counts ignore only itself.
	r = ix.Search(mustParse(t, "objective:malicious domain:government"), Options{})
	if want := map[string]int{"government": 1, "information": 1, "knowledge": 1}; !flatEqual(r.Facets["domain"], want) {
		t.Errorf("domain counts %v, want %v", r.Facets["domain"], want)
	}
	if want := map[string]int{"malicious": 1}; !flatEqual(r.Facets["objective"], want) {
		t.Errorf("objective counts %v, want %v", r.Facets["objective"], want)
	}
}

func TestFacetsMatchHitsOnGeneratedCorpus(t *testing.T) {
	ix := Build(gencorpus.Incidents(300, 3))
	for _, q := range []string{"", "the", "outage -bank", "fixes:patch", "a"} {
		checkFacets(t, ix, q, ix.Search(mustParse(t, q), Options{}))
	}
}

func TestTriageTerms(t *testing.T) {
	incs := handMade()
	ix := Build(incs)
	ix.SetTriage(incs[0].ID, tri(incident.StatusReviewing, true, []string{"Water"}, ""))
	ix.SetTriage(incs[1].ID, tri(incident.StatusRelevant, false, []string{"water", "boats"}, ""))
	ix.SetTriage("no-such-id", tri("", true, nil, ""))
	tests := []struct {
		q    string
		want int
	}{
		{"triage:reviewing", 1},
		{"triage:reviewing triage:relevant", 2},
		{"-triage:new", 2},
		{"is:new", 4},
		{"is:starred", 1},
		{"-is:starred", 5},
		{"tag:water", 2},
		{"tag:water -tag:boats", 1},
		{"tag:none", 0},
	}
	for _, tt := range tests {
		if got := ix.Search(mustParse(t, tt.q), Options{}).Total; got != tt.want {
			t.Errorf("%q: %d hits, want %d", tt.q, got, tt.want)
		}
	}
	if in, _ := ix.Get(incs[0].ID); !in.Triage.Starred() {
		t.Error("Get does not return the triage set")
	}
}

func TestTitleMatches(t *testing.T) {
	ix := Build(handMade())
	tests := []struct{ q, title, want string }{
		{"cafe", "Café Payment Terminals Fail", "Café"},
		{"cpt", "Café Payment Terminals Fail", "CPt"},
		{"sluice gate", "Sluice Gate Software Opens Suddenly", "SluiceGate"},
		{"gate -boats", "Sluice Gate Software Opens Suddenly", "Gate"},
		{"fixes:sluice", "River Boats Stranded", ""},
	}
	for _, tt := range tests {
		r := ix.Search(mustParse(t, tt.q), Options{})
		found := false
		for _, h := range r.Hits {
			title := titleOf(ix, h.ID)
			if title != tt.title {
				continue
			}
			found = true
			var b strings.Builder
			for _, o := range ix.TitleMatches(mustParse(t, tt.q), h.ID) {
				b.WriteString(string([]rune(title[o:])[0]))
			}
			if b.String() != tt.want {
				t.Errorf("%q: %q marks %q, want %q", tt.q, title, b.String(), tt.want)
			}
		}
		if !found {
			t.Errorf("%q: %q not found", tt.q, tt.title)
		}
	}
}

func TestBuildIDsAndGet(t *testing.T) {
	incs := handMade()
	dup := incs[2]
	dup.Summary = "the later copy"
	noID := mk("No id yet", "2011-01-01", incident.Postmortem{})
	noID.ID = ""
	ix := Build(append(slices.Clone(incs), dup, noID))
	if ix.Len() != len(incs)+1 {
		t.Fatalf("Len %d, want %d", ix.Len(), len(incs)+1)
	}
	if in, ok := ix.Get(dup.ID); !ok || in.Summary != "the later copy" {
		t.Errorf("duplicate id: got %q, want the later copy", in.Summary)
	}
	if _, ok := ix.Get(incident.MakeID("No id yet", "2011-01-01")); !ok {
		t.Error("incident without id not found by MakeID")
	}
	if _, ok := ix.Get("nope"); ok {
		t.Error("Get of an unknown id succeeded")
	}
	if Build(nil).Search(Query{}, Options{}).Total != 0 {
		t.Error("empty index found something")
	}
}

func TestHostileText(t *testing.T) {
	bad := mk("\x1b[31mRed\x1b[0m \xff\xfe title "+strings.Repeat("long ", 20000), "20x9-1-1",
		incident.Postmortem{Fixes: "\x00\x01 binary \xc3\x28 junk encryption"})
	ix := Build(append(handMade(), bad))
	for _, q := range []string{"red", "long", "encryption", "junk", "rdlng", "year:2020", ""} {
		r := ix.Search(mustParse(t, q), Options{})
		for _, h := range r.Hits {
			title := titleOf(ix, h.ID)
			for _, o := range ix.TitleMatches(mustParse(t, q), h.ID) {
				if o < 0 || o >= len(title) {
					t.Fatalf("%q: title match %d outside title of %d bytes", q, o, len(title))
				}
			}
		}
	}
	if r := ix.Search(mustParse(t, "junk"), Options{}); r.Total != 1 {
		t.Errorf("junk: %d hits, want 1", r.Total)
	}
	ix.Related(bad.ID, 5)
}

func TestRelatedHandMade(t *testing.T) {
	incs := handMade()
	ix := Build(incs)
	rel := ix.Related(incs[3].ID, 2) // the Atlanta ransomware
	if len(rel) != 2 {
		t.Fatalf("Related: %d, want 2", len(rel))
	}
	if got := titleOf(ix, rel[0].ID); got != "Ransomware Hits a School" {
		t.Errorf("Related first %q (%s), want the other ransomware incident", got, rel[0].Reason)
	}
	if !strings.Contains(rel[0].Reason, "shares: objective malicious") || !strings.Contains(rel[0].Reason, "words: ") ||
		!strings.Contains(rel[0].Reason, "ransomware") {
		t.Errorf("reason %q", rel[0].Reason)
	}
	for _, r := range ix.Related(incs[3].ID, 5, rel[0].ID, "nope") {
		if r.ID == rel[0].ID {
			t.Error("Related lists an incident it was told to leave out")
		}
	}
	if ix.Related("nope", 5) != nil || ix.Related(incs[0].ID, 0) != nil {
		t.Error("Related of an unknown id or n 0 is not empty")
	}
}

// The free words are tried as an abbreviation only when one of them is
// not a word of the index: an abbreviation is for what is not a word.
func TestWordsOfTheIndexAreNotAbbreviations(t *testing.T) {
	gate := mk("Sluice Gate Jammed Open", "2021-03-01", incident.Postmortem{})
	storage := mk("Storage Lost Under Intense Cooling Event", "2021-04-01", incident.Postmortem{})
	ix := Build([]incident.Incident{gate, storage})
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"sluice", []string{gate.ID}},            // a word: its headline abbreviations are not tried
		{"sluic", []string{storage.ID, gate.ID}}, // not a word: one starts with it, one abbreviates it
		{"gate jmd", []string{gate.ID}},          // one is not a word: the two are tried together
		{"storage sluice", nil},                  // both words, in no one incident
		{"gate", []string{gate.ID}},
	} {
		got := hitIDs(ix.Search(mustParse(t, tc.q), Options{Sort: Date}))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}
