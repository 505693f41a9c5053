package search

import (
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// crossCounts counts what CrossTab should, the slow way: the hits of a
// search without a limit, their options as Summary gives them.
func crossCounts(t *testing.T, ix *Index, q Query, a, b string) CrossTab {
	t.Helper()
	r := ix.Search(q, Options{})
	out := CrossTab{Rows: map[string]map[string]int{}, Total: r.Total}
	values := func(s Summary, dim string) []string {
		if dim == CrossYear {
			if len(s.Published) >= 4 && s.Published[:4] != "0000" {
				return []string{s.Published[:4]}
			}
			return nil
		}
		return s.Options[dim]
	}
	for _, h := range r.Hits {
		s, ok := ix.Summary(h.ID)
		if !ok {
			t.Fatalf("hit %s has no summary", h.ID)
		}
		for _, x := range values(s, a) {
			for _, y := range values(s, b) {
				if out.Rows[x] == nil {
					out.Rows[x] = map[string]int{}
				}
				out.Rows[x][y]++
			}
		}
	}
	return out
}

// crossIncidents returns n generated incidents (n ≥ 4), one starred, one
// tagged, one undated and one of two domains.
func crossIncidents(n int) []incident.Incident {
	incs := gencorpus.Incidents(n, 7)
	incs[0].Triage.SetStar(true, incident.NewStamp("ana"))
	incs[1].Triage.SetTag("auth", true, incident.NewStamp("ana"))
	// an incident without a date, and one with two domains
	incs[2].Published = ""
	d := incs[3].Taxonomy["domain"]
	d.Options = []string{"finance", "health"}
	incs[3].Taxonomy["domain"] = d
	return incs
}

// TestCrossTabCountsTheSearch checks CrossTab against the hits of Search
// for queries of every kind of term, on a built and on a loaded index.
func TestCrossTabCountsTheSearch(t *testing.T) {
	incs := crossIncidents(200)
	built := Build(incs)
	data, err := built.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]incident.Incident{}
	for _, in := range incs {
		byID[in.ID] = in
	}
	loaded, err := Load(data, func(id string) (incident.Incident, bool) { in, ok := byID[id]; return in, ok })
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range incs[:2] {
		loaded.SetTriage(in.ID, in.Triage)
	}
	queries := []string{"", "outage", "payment gateway -oslo", `"software failure"`, "pymnt gtwy", "fixes:encryption",
		"domain:finance", "domain:finance,health -phase:design", "year:2015..2019", "-year:2012",
		"is:starred", "tag:auth", "-is:starred behaviour:crash", "source:starter", "ransomw", `"control plane"`}
	dims := [][2]string{{"domain", "year"}, {"phase", "behaviour"}, {"year", "domain"}, {"domain", "domain"}}
	for name, ix := range map[string]*Index{"built": built, "loaded": loaded} {
		for _, qs := range queries {
			q, err := Parse(qs)
			if err != nil {
				t.Fatalf("Parse(%q): %v", qs, err)
			}
			for _, d := range dims {
				got, err := ix.CrossTab(q, d[0], d[1])
				if err != nil {
					t.Fatal(err)
				}
				if want := crossCounts(t, ix, q, d[0], d[1]); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: CrossTab(%q, %s, %s) = %v, want %v", name, qs, d[0], d[1], got, want)
				}
			}
		}
	}
}

func TestCrossTabMultiValued(t *testing.T) {
	ix := Build(crossIncidents(4))
	q, _ := Parse("")
	ct, err := ix.CrossTab(q, "domain", "domain")
	if err != nil {
		t.Fatal(err)
	}
	if ct.Rows["finance"]["health"] != 1 || ct.Rows["health"]["finance"] != 1 {
		t.Errorf("an incident of two domains counts in both rows: %v", ct.Rows)
	}
	if ct.Total != 4 {
		t.Errorf("total %d, want 4", ct.Total)
	}
}

func TestCrossTabUnknownCategory(t *testing.T) {
	ix := Build(crossIncidents(10))
	for _, c := range [][2]string{{"domian", "year"}, {"domain", "month"}, {"", "year"}} {
		if _, err := ix.CrossTab(Query{}, c[0], c[1]); !errors.Is(err, ErrCrossCategory) {
			t.Errorf("CrossTab(%q, %q): %v, want ErrCrossCategory", c[0], c[1], err)
		}
	}
	if _, err := ix.CrossTab(Query{}, " Domain ", "YEAR"); err != nil {
		t.Errorf("case and spaces: %v", err)
	}
}

var (
	crossBenchOnce  sync.Once
	crossBenchIndex *Index
)

// BenchmarkCrossTab counts domain by year and phase by behaviour over
// 10,000 generated incidents, for every incident and for filtered sets.
func BenchmarkCrossTab(b *testing.B) {
	crossBenchOnce.Do(func() { crossBenchIndex = Build(gencorpus.Incidents(10000, 1)) })
	ix := crossBenchIndex
	for _, qs := range []string{"", "ransomware attack", "domain:finance phase:design", "pymnt gtwy"} {
		q, err := Parse(qs)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("q="+qs, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.CrossTab(q, "domain", CrossYear); err != nil {
					b.Fatal(err)
				}
				if _, err := ix.CrossTab(q, "phase", "behaviour"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
