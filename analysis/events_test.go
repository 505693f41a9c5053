package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
)

// atlanta is one report of a failure; the others below report it again
// or report other failures.
func atlanta(id, title, date string) incident.Incident {
	return incident.Incident{ID: id, Title: title, Published: date,
		Summary: "The City of Atlanta was hit by the SamSam ransomware in March 2018. Attackers encrypted " +
			"the municipal systems and demanded a ransom in bitcoin; residents could not pay water bills " +
			"or parking tickets online, and the Municipal Court cancelled hearings for days.",
		Postmortem: incident.Postmortem{
			ResponsibleOrg: "1. The SamSam group, attackers who scan for weak remote desktop servers.",
			ImpactedOrg:    "1. City of Atlanta: its residents, courts and police lost online services.",
			SoftwareCauses: "1. Unpatched servers and weak passwords let SamSam in; backups were incomplete.",
		}}
}

// baltimore is another city's ransomware attack: a different failure
// told in many of the same words.
func baltimore(id, date string) incident.Incident {
	return incident.Incident{ID: id, Title: "Ransomware Attack on City of Baltimore", Published: date,
		Summary: "The City of Baltimore was hit by the RobbinHood ransomware in May 2019. Email, voice mail " +
			"and the property tax system went down; home sales stalled while Mayor Young refused to pay " +
			"the ransom in bitcoin, and recovery cost the city eighteen million dollars.",
		Postmortem: incident.Postmortem{
			ResponsibleOrg: "1. Unknown attackers using RobbinHood.",
			ImpactedOrg:    "1. City of Baltimore: residents and the real estate market.",
			SoftwareCauses: "1. Outdated systems without network segmentation; no tested recovery plan.",
		}}
}

func withArticles(in incident.Incident, ids ...int64) incident.Incident {
	in.Articles = ids
	return in
}

func TestCompare(t *testing.T) {
	a := atlanta("a", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22")
	for _, c := range []struct {
		name   string
		b      incident.Incident
		linked bool
		reason string // a part the reason must hold
	}{
		{"same title and day", atlanta("b", a.Title, "2018-03-22"), true, "same title, both name City, Atlanta, SamSam, text 1.00 similar, same day"},
		{"reworded, days later", atlanta("b", "SamSam Ransomware Cripples Atlanta City Services", "2018-03-26"), true, "4 days apart"},
		{"same words, another city", baltimore("b", "2018-03-30"), false, ""},
		{"same failure a year later, nothing cited", atlanta("b", a.Title, "2019-03-22"), false, "365 days apart"},
		{"a year later citing one article", withArticles(atlanta("b", a.Title, "2019-03-22"), 68976), true, "1 article in common, 365 days apart"},
		{"undated", atlanta("b", a.Title, ""), false, "one undated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			aa := a
			if len(c.b.Articles) > 0 {
				aa = withArticles(a, 68976)
			}
			l, linked := Compare(&aa, &c.b)
			if linked != c.linked {
				t.Errorf("linked %v, want %v: %s (%.2f)", linked, c.linked, l.Reason, l.Score)
			}
			if !strings.Contains(l.Reason, c.reason) {
				t.Errorf("reason %q lacks %q", l.Reason, c.reason)
			}
			if l.A != "a" || l.B != "b" {
				t.Errorf("link %s–%s, want a–b", l.A, l.B)
			}
			back, _ := Compare(&c.b, &aa)
			if back.Score != l.Score || back.A != l.A {
				t.Errorf("not symmetric: %+v and %+v", l, back)
			}
		})
	}
}

// TestCompareFar covers what links reports published far apart: an
// article in common and a strong likeness.
func TestCompareFar(t *testing.T) {
	a := withArticles(atlanta("a", "Ransomware Attack on City of Atlanta", "2018-03-22"), 1, 2)
	b := withArticles(atlanta("b", "Ransomware Attack on City of Atlanta", "2019-01-10"), 2, 3)
	l, linked := Compare(&a, &b)
	if !linked || !strings.Contains(l.Reason, "1 article in common, 294 days apart") {
		t.Errorf("got %v %q", linked, l.Reason)
	}
	c := withArticles(baltimore("c", "2019-01-10"), 2)
	if l, linked := Compare(&a, &c); linked {
		t.Errorf("Baltimore linked to Atlanta: %q (%.2f)", l.Reason, l.Score)
	}
	// two undated reports meet through their words, at the far threshold
	u, v := atlanta("u", a.Title, ""), atlanta("v", a.Title, "")
	if l, linked := Compare(&u, &v); !linked || !strings.HasSuffix(l.Reason, "both undated") {
		t.Errorf("undated: %v %q", linked, l.Reason)
	}
}

func TestParseDecision(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Decision
		err  bool
	}{
		{"", Decision{}, false},
		{"alone", Decision{Alone: true}, false},
		{" alone ", Decision{Alone: true}, false},
		{"with:2743", Decision{With: "2743"}, false},
		{"with: 2743", Decision{With: "2743"}, false},
		{"with:", Decision{}, true},
		{"together", Decision{}, true},
		{"Alone", Decision{}, true},
	} {
		got, err := ParseDecision(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseDecision(%q) = %+v, %v", c.in, got, err)
		}
		if err == nil {
			if back, _ := ParseDecision(got.String()); back != got {
				t.Errorf("%q does not round-trip: %q", c.in, got.String())
			}
		}
	}
}

// eventIDs returns the incidents of each event, for comparing groupings.
func eventIDs(events []Event) [][]string {
	out := make([][]string, len(events))
	for i, ev := range events {
		out[i] = ev.Incidents
	}
	return out
}

func TestGroupAndDecisions(t *testing.T) {
	incs := []incident.Incident{
		atlanta("at2", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		atlanta("at1", "Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22"),
		atlanta("at3", "SamSam Ransomware Cripples Atlanta City Services", "2018-03-26"),
		baltimore("ba1", "2018-03-30"),
		baltimore("ba2", "2018-03-30"),
		atlanta("undated", "Atlanta Ransomware", ""),
	}
	for _, c := range []struct {
		name      string
		decisions map[string]Decision
		want      [][]string
	}{
		{"found", nil, [][]string{{"at1", "at2", "at3"}, {"ba1", "ba2"}, {"undated"}}},
		{"split", map[string]Decision{"at1": {Alone: true}},
			[][]string{{"at1"}, {"at2", "at3"}, {"ba1", "ba2"}, {"undated"}}},
		{"joined", map[string]Decision{"undated": {With: "at3"}},
			[][]string{{"at1", "at2", "at3", "undated"}, {"ba1", "ba2"}}},
		{"joined both ways", map[string]Decision{"undated": {With: "at3"}, "at3": {With: "undated"}},
			[][]string{{"at1", "at2", "at3", "undated"}, {"ba1", "ba2"}}},
		{"split, then joined elsewhere", map[string]Decision{"at1": {Alone: true}, "ba1": {With: "at1"}},
			[][]string{{"at1", "ba1", "ba2"}, {"at2", "at3"}, {"undated"}}},
		{"joined to one not grouped", map[string]Decision{"at1": {With: "nowhere"}},
			[][]string{{"at1", "at2", "at3"}, {"ba1", "ba2"}, {"undated"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			events := Group(incs, c.decisions)
			if got := eventIDs(events); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("events %v, want %v", got, c.want)
			}
			for _, ev := range events {
				if ev.ID != ev.Incidents[0] {
					t.Errorf("event %s: first report %s", ev.ID, ev.Incidents[0])
				}
				if len(ev.Incidents) > 1 && len(ev.Links) < len(ev.Incidents)-1 {
					t.Errorf("event %s: %d links hold %d incidents", ev.ID, len(ev.Links), len(ev.Incidents))
				}
				for _, l := range ev.Links {
					if !slices.Contains(ev.Incidents, l.A) || !slices.Contains(ev.Incidents, l.B) || l.A >= l.B {
						t.Errorf("event %s: stray link %+v", ev.ID, l)
					}
				}
			}
		})
	}
	ev := Group(incs, map[string]Decision{"undated": {With: "at3"}, "at3": {With: "undated"}})[0]
	var manual []Link
	for _, l := range ev.Links {
		if l.Manual {
			manual = append(manual, l)
		}
	}
	if len(manual) != 1 || manual[0].A != "at3" || manual[0].B != "undated" || manual[0].Reason != "joined by a reviewer" {
		t.Errorf("reviewer's links %+v", manual)
	}
}

// mixed returns the FAIL sample, when present, and generated incidents.
func mixed(t *testing.T, n int) []incident.Incident {
	var out []incident.Incident
	if testing.Short() {
		n /= 4
	}
	out = append(out, corpus(n)...)
	if _, err := os.Stat(failDir); err == nil {
		out = append(out, sampleIncidents(t)...)
	}
	return out
}

// TestGroupingIsOrderFree checks that the events depend on the incidents
// only: not on their order, nor on whether they came at once or in
// batches, with removals and replacements between.
func TestGroupingIsOrderFree(t *testing.T) {
	incs := mixed(t, 500)
	want := Group(incs, nil)
	r := rand.New(rand.NewPCG(1, 2))
	shuffled := slices.Clone(incs)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := Group(shuffled, nil); !reflect.DeepEqual(got, want) {
		t.Fatal("shuffled incidents group differently")
	}
	g := NewGrouper()
	for i := 0; i < len(shuffled); i += 97 {
		g.Add(shuffled[i:min(i+97, len(shuffled))]...)
	}
	if got := g.Events(); !reflect.DeepEqual(got, want) {
		t.Fatal("incidents added in batches group differently")
	}
	// take a third out, put them back, and replace some by themselves
	var gone []string
	for i := 0; i < len(shuffled); i += 3 {
		gone = append(gone, shuffled[i].ID)
	}
	g.Remove(gone...)
	if g.Len() != len(incs)-len(gone) {
		t.Fatalf("%d incidents left, want %d", g.Len(), len(incs)-len(gone))
	}
	for i := 0; i < len(shuffled); i += 3 {
		g.Add(shuffled[i])
	}
	g.Add(shuffled[:50]...)
	if got := g.Events(); !reflect.DeepEqual(got, want) {
		t.Fatal("incidents removed and added again group differently")
	}
}

// TestCommonWordCap checks that a word too common in its month stops
// meeting anyone, and that the grouping kept up to date agrees with one
// made afresh as the word's count crosses the cap both ways.
func TestCommonWordCap(t *testing.T) {
	var incs []incident.Incident
	text := "Zorbix and Zorbax failed when Qwertyon pushed a bad configuration to every Zorbix node; " +
		"the Zorbax control plane rejected it and Qwertyon rolled back after four hours of lost telemetry."
	for i := range wordCap + 1 {
		incs = append(incs, incident.Incident{ID: fmt.Sprintf("z%03d", i), Published: "2021-05-03",
			Title: fmt.Sprintf("Zorbix Zorbax %s", strings.Repeat("q", i+1)), Summary: text})
	}
	g := NewGrouper()
	g.Add(incs[:wordCap]...)
	if n := len(g.Events()); n != 1 {
		t.Fatalf("%d reports sharing rare words: %d events, want 1", wordCap, n)
	}
	g.Add(incs[wordCap])
	if got, want := g.Events(), Group(incs, nil); !reflect.DeepEqual(got, want) || len(got) != len(incs) {
		t.Fatalf("over the cap: %d events kept up to date, %d afresh; want %d", len(got), len(want), len(incs))
	}
	g.Remove(incs[0].ID)
	if got, want := g.Events(), Group(incs[1:], nil); !reflect.DeepEqual(got, want) || len(got) != 1 {
		t.Fatalf("back under the cap: %d events kept up to date, %d afresh; want 1", len(got), len(want))
	}
}
