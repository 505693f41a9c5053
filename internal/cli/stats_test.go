package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/store"
)

type statsJSON struct {
	Query     string
	Incidents int
	Taxonomy  map[string]map[string]int
	Triage    map[string]map[string]int
	Years     map[string]int
}

func statsOf(t *testing.T, db string, args ...string) statsJSON {
	t.Helper()
	r := run(t, db, append([]string{"stats", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("stats %q: exit %d: %s", args, r.code, r.stderr)
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStatsOfAQueryCountTaxonomyTriageAndYears(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.All()
	var finance []incident.Incident
	for _, in := range all {
		if in.HasOption("domain", "finance") {
			finance = append(finance, in)
		}
	}
	if len(finance) < 2 {
		t.Fatalf("the starter set has %d finance incidents; the test wants two", len(finance))
	}
	s.MergeTriage(finance[0].ID, tri(incident.StatusRelevant, true, []string{"auth"}, ""))
	s.MergeTriage(all[len(all)-1].ID, tri("", false, []string{"Auth", "bgp"}, ""))
	s.Close()

	st := statsOf(t, db, "domain:finance")
	if st.Query != "domain:finance" || st.Incidents != len(finance) || st.Taxonomy["domain"]["finance"] != len(finance) {
		t.Errorf("domain:finance: %+v, want %d incidents", st, len(finance))
	}
	if len(st.Taxonomy) != len(incident.Categories) {
		t.Errorf("%d taxonomy categories, want every one", len(st.Taxonomy))
	}
	years := 0
	for _, n := range st.Years {
		years += n
	}
	if years != len(finance) {
		t.Errorf("years add up to %d, want %d", years, len(finance))
	}
	want := map[string]map[string]int{
		"triage": {"relevant": 1, "new": len(finance) - 1},
		"is":     {"starred": 1},
		"tag":    {"auth": 1},
	}
	for key, counts := range want {
		for opt, n := range counts {
			if st.Triage[key][opt] != n {
				t.Errorf("triage %s:%s = %d, want %d (%v)", key, opt, st.Triage[key][opt], n, st.Triage)
			}
		}
	}
	// as on the stats screen, the triage group the query filters on is left out
	st = statsOf(t, db, "is:starred")
	if st.Incidents != 1 || st.Triage["is"] != nil || st.Triage["tag"]["auth"] != 1 {
		t.Errorf("is:starred: %+v", st)
	}
	if st := statsOf(t, db); st.Incidents != len(all) || st.Triage["tag"]["auth"] != 2 || st.Triage["tag"]["bgp"] != 1 {
		t.Errorf("all: %d incidents, tags %v", st.Incidents, st.Triage["tag"])
	}

	r := run(t, db, "stats", "domain:finance")
	for _, want := range []string{"incidents matching domain:finance in", "\nDomain\n", "\nTriage status\n", "\nStarred\n", "\nTags\n", "\nYears\n", "  finance "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stats text lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestStatsBy(t *testing.T) {
	db := tempDB(t)
	r := run(t, db, "stats", "--by", "phase,domain", "--json")
	var tab struct {
		Rows  map[string]map[string]int
		Total int
	}
	if err := json.Unmarshal([]byte(r.stdout), &tab); err != nil || tab.Total != 14 || len(tab.Rows) == 0 {
		t.Fatalf("stats --by --json: %v %+v %s", err, tab, r.stderr)
	}
	sum := 0
	for _, n := range tab.Rows["operation"] {
		sum += n
	}
	st := statsOf(t, db, "phase:operation")
	if sum < st.Incidents {
		t.Errorf("the operation row counts %d, fewer than the %d operation incidents", sum, st.Incidents)
	}
	if r := run(t, db, "stats", "--by", "domain,year", "domain:finance"); r.code != 0 || !strings.Contains(r.stdout, "finance") {
		t.Errorf("stats --by domain,year: %+v", r)
	}
	for _, bad := range []string{"phase", "phase,colour", "a,b,c"} {
		if r := run(t, db, "stats", "--by", bad); r.code != 2 {
			t.Errorf("--by %s: exit %d, want 2", bad, r.code)
		}
	}
}
