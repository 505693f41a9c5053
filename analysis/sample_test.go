package analysis

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// failDir holds the real FAIL incidents; tests skip without it.
const failDir = "../../shared/fail"

// sampleIncidents reads the FAIL CSV exports, one incident per FAIL id
// (the first export to hold an id gives it).
func sampleIncidents(t testing.TB) []incident.Incident {
	t.Helper()
	if _, err := os.Stat(failDir); err != nil {
		t.Skipf("no shared FAIL data at %s", failDir)
	}
	var out []incident.Incident
	seen := map[string]bool{}
	for _, name := range []string{"incidents_a.csv", "incidents_b.csv", "incidents_c.csv"} {
		_, err := importer.Run(context.Background(), []string{filepath.Join(failDir, "csv", name)}, importer.Options{},
			func(recs []importer.Record) error {
				for _, r := range recs {
					if r.Article == nil && !seen[r.Incident.SourceID] {
						seen[r.Incident.SourceID] = true
						out = append(out, r.Incident)
					}
				}
				return nil
			}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// samePairs reads testdata/same_event_pairs.txt: pairs of FAIL ids, each
// with the smaller id (as text) first.
func samePairs(t testing.TB) map[[2]string]bool {
	t.Helper()
	f, err := os.Open("testdata/same_event_pairs.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[[2]string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		fs := strings.Fields(text)
		switch len(fs) {
		case 0:
		case 2:
			out[orderedPair(fs[0], fs[1])] = true
		default:
			t.Fatalf("same_event_pairs.txt:%d: want two ids", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func orderedPair(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// eventPairs returns every pair of FAIL ids that share an event.
func eventPairs(events []Event, failID map[string]string) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, ev := range events {
		for i, a := range ev.Incidents {
			for _, b := range ev.Incidents[i+1:] {
				out[orderedPair(failID[a], failID[b])] = true
			}
		}
	}
	return out
}

// closure returns every pair of the groups that pairs make (a-b and b-c
// give a-c too).
func closure(pairs map[[2]string]bool) map[[2]string]bool {
	group := map[string]map[string]bool{}
	for p := range pairs {
		ga, gb := group[p[0]], group[p[1]]
		switch {
		case ga == nil && gb == nil:
			g := map[string]bool{p[0]: true, p[1]: true}
			group[p[0]], group[p[1]] = g, g
		case ga == nil:
			gb[p[0]], group[p[0]] = true, gb
		case gb == nil:
			ga[p[1]], group[p[1]] = true, ga
		case !sameMap(ga, gb):
			for id := range gb {
				ga[id], group[id] = true, ga
			}
		}
	}
	out := map[[2]string]bool{}
	for a, g := range group {
		for b := range g {
			if a < b {
				out[[2]string{a, b}] = true
			}
		}
	}
	return out
}

func sameMap(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return len(a) == len(b)
}

// precisionRecall compares found pairs with the labelled ones and
// returns the pairs found wrongly and those missed.
func precisionRecall(found, want map[[2]string]bool) (p, r float64, wrong, missed [][2]string) {
	hit := 0
	for pr := range found {
		if want[pr] {
			hit++
		} else {
			wrong = append(wrong, pr)
		}
	}
	for pr := range want {
		if !found[pr] {
			missed = append(missed, pr)
		}
	}
	p, r = 1, 1
	if len(found) > 0 {
		p = float64(hit) / float64(len(found))
	}
	if len(want) > 0 {
		r = float64(hit) / float64(len(want))
	}
	return p, r, wrong, missed
}
