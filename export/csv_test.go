package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
)

// TestCSVRoundTrip writes each source as FAIL CSV and imports it back: the
// texts, options, rationales, ids and articles come back as they were
// (triage and categories outside the taxonomy have no column, so they
// are not compared).
func TestCSVRoundTrip(t *testing.T) {
	for src, incs := range sources(t) {
		t.Run(src, func(t *testing.T) {
			if len(incs) == 0 {
				t.Skip("a CSV of no incidents is a header row, which imports nothing")
			}
			var buf bytes.Buffer
			if err := export.WriteCSV(&buf, incs); err != nil {
				t.Fatal(err)
			}
			recs, _ := reimport(t, "export.csv", buf.Bytes())
			if len(recs) != len(incs) {
				t.Fatalf("%d records back, want %d", len(recs), len(incs))
			}
			// what the incidents are once stored: ids made, texts valid UTF-8
			var jsonl bytes.Buffer
			if err := export.WriteJSONL(&jsonl, incs); err != nil {
				t.Fatal(err)
			}
			want, _ := reimport(t, "export.jsonl", jsonl.Bytes())
			for i, r := range recs {
				compareCSVRecord(t, want[i].Incident, r.Incident)
			}
		})
	}
}

func compareCSVRecord(t *testing.T, want, got incident.Incident) {
	t.Helper()
	if got.ID != want.ID || got.SourceID != want.SourceID || got.Title != want.Title || got.Published != want.Published {
		t.Errorf("%s: got %q %q %q %q, want %q %q %q %q", want.ID, got.ID, got.SourceID, got.Title, got.Published, want.ID, want.SourceID, want.Title, want.Published)
	}
	if got.Summary != want.Summary {
		t.Errorf("%s: summary %q, want %q", want.ID, got.Summary, want.Summary)
	}
	for _, f := range incident.Fields {
		if g, w := *f.Get(&got.Postmortem), *f.Get(&want.Postmortem); g != w {
			t.Errorf("%s %s: %q, want %q", want.ID, f.Key, g, w)
		}
	}
	for _, c := range incident.Categories {
		g, w := got.Taxonomy[c.Key], want.Taxonomy[c.Key]
		if !slices.Equal(g.Options, w.Options) || g.Rationale != w.Rationale {
			t.Errorf("%s %s: %v %q, want %v %q", want.ID, c.Key, g.Options, g.Rationale, w.Options, w.Rationale)
		}
	}
	if !slices.Equal(got.Articles, want.Articles) {
		t.Errorf("%s: articles %v, want %v", want.ID, got.Articles, want.Articles)
	}
}

// TestCSVHeaderIsFAILs checks the column names against the header of a
// real FAIL export, in whatever order that has them.
func TestCSVHeaderIsFAILs(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	// the header of ../shared/fail/csv/incidents_a.csv
	fail := []string{"Incident ID", "Related Article IDs", "Published", "Title", "Summary", "Time", "System",
		"ResponsibleOrg", "ImpactedOrg", "SEcauses", "NSEcauses", "Impacts", "Preventions", "Fixes", "References"}
	for _, c := range []string{"Recurring", "Phase", "Boundary", "Nature", "Dimension", "Objective", "Intent",
		"Capability", "Duration", "Behaviour", "Domain", "Consequence", "CPS", "Perception", "Communication", "Application"} {
		fail = append(fail, c+" Option", c+" Rationale")
	}
	slices.Sort(got)
	slices.Sort(fail)
	if !slices.Equal(got, fail) {
		t.Errorf("header\n got %q\nwant %q", got, fail)
	}
}
