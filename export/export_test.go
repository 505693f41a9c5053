package export_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

const failDir = "../../shared/fail"

// sample returns incidents with everything an export must carry: triage,
// articles, unknown options, hostile and invalid text.
func sample() []incident.Incident {
	a := incident.Incident{
		SourceID:  "2751",
		Title:     "River Avon <b>sluice</b> \x1b]52;c;ZXZpbA==\x07 gate",
		Published: "2020-09-18",
		Summary:   "Line one.\n\nLine \"two\" & \\ three\t.",
		Postmortem: incident.Postmortem{
			Timeline: "1. Tuesday [104834]. 2. Later [104834, 5]",
			Fixes:    "bad \xff\xfe utf-8",
		},
		Taxonomy: map[string]incident.Category{
			"phase":       {Options: []string{"design", "operation"}, Rationale: "(a) design [104834]"},
			"application": {Options: []string{"true"}},
		},
		Articles: []int64{104834, 5},
		Labels:   []string{"config-change", "bad \xff label", "\x1b[31mred"},
		URL:      "https://example.org/postmortem?a=1&b=<2>",
		Body:     "## Detection\n\n- paged at 02:14 \x1b]52;c;ZXZpbA==\x07\n\n```yaml\nuuid: 1\n```\n",
		Triage:   tri(incident.StatusRelevant, true, []string{"ot", "water"}, "check\nthis"),
	}
	b := incident.Incident{Title: "Bare incident"}
	c := incident.Incident{Title: "Published only", Published: "2011-01-04", Taxonomy: map[string]incident.Category{"custom": {Options: []string{"x"}}}}
	return []incident.Incident{a, b, c}
}

// reimport writes data to a file of the given name and imports it.
func reimport(t *testing.T, name string, data []byte) ([]importer.Record, importer.Summary) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var recs []importer.Record
	sum, err := importer.Run(context.Background(), []string{p}, importer.Options{Workers: 1}, func(b []importer.Record) error {
		recs = append(recs, b...)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Refused) > 0 {
		t.Fatalf("refused: %v", sum.Refused)
	}
	return recs, sum
}

func incidentsOf(recs []importer.Record) []incident.Incident {
	out := make([]incident.Incident, len(recs))
	out = out[:0]
	for _, r := range recs {
		if r.Article != nil {
			continue // the articles of a dump are no incidents
		}
		in := r.Incident
		if r.Triage != nil {
			in.Triage = *r.Triage
		}
		out = append(out, in)
	}
	return out
}

// sources gives the incidents to round-trip: the sample, and the FAIL CSV
// and dumpdata when present.
func sources(t *testing.T) map[string][]incident.Incident {
	m := map[string][]incident.Incident{"sample": sample(), "empty": nil}
	md := []string{"../testdata/markdown"}
	if icco, _ := filepath.Glob("../../shared/postmortems/icco/*.md"); len(icco) > 0 {
		md = append(md, icco...)
	}
	var recs []importer.Record
	if _, err := importer.Run(context.Background(), md, importer.Options{}, func(b []importer.Record) error {
		recs = append(recs, b...)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	m["markdown"] = incidentsOf(recs)
	if _, err := os.Stat(failDir); err == nil {
		for _, p := range []string{"csv/incidents_a.csv", "csv/incidents_b.csv", "dumpdata_a.json"} {
			var recs []importer.Record
			_, err := importer.Run(context.Background(), []string{filepath.Join(failDir, p)}, importer.Options{}, func(b []importer.Record) error {
				recs = append(recs, b...)
				return nil
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			m[p] = incidentsOf(recs)
		}
	}
	return m
}

func TestRoundTripIsByteIdentical(t *testing.T) {
	formats := []struct {
		name  string
		file  string
		write func(*bytes.Buffer, []incident.Incident) error
	}{
		{"jsonl", "export.jsonl", func(b *bytes.Buffer, in []incident.Incident) error { return export.WriteJSONL(b, in) }},
		{"json", "export.json", func(b *bytes.Buffer, in []incident.Incident) error { return export.WriteJSON(b, in) }},
		// a JSON Lines export saved under another name is still read as JSON Lines
		{"jsonl as txt", "export.txt", func(b *bytes.Buffer, in []incident.Incident) error { return export.WriteJSONL(b, in) }},
	}
	for src, incs := range sources(t) {
		for _, f := range formats {
			t.Run(src+"/"+f.name, func(t *testing.T) {
				if len(incs) == 0 && f.file == "export.txt" {
					t.Skip("an empty file named .txt is refused as empty")
				}
				var first bytes.Buffer
				if err := f.write(&first, incs); err != nil {
					t.Fatal(err)
				}
				recs, _ := reimport(t, f.file, first.Bytes())
				if len(recs) != len(incs) {
					t.Fatalf("%d records back, want %d", len(recs), len(incs))
				}
				for _, r := range recs {
					if r.Triage == nil {
						t.Errorf("line %d: no triage read back", r.Line)
					}
				}
				var second bytes.Buffer
				if err := f.write(&second, incidentsOf(recs)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first.Bytes(), second.Bytes()) {
					t.Errorf("second export differs from the first:\n%s\n---\n%s", first.Bytes(), second.Bytes())
				}
			})
		}
	}
}

func TestRoundTripRestoresTriage(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteJSONL(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	recs, _ := reimport(t, "x.jsonl", buf.Bytes())
	got := recs[0].Triage
	if got == nil || got.State() != incident.StatusRelevant || !got.Starred() || len(got.TagList()) != 2 || got.NoteBy("tester") != "check\nthis" {
		t.Errorf("triage %+v not restored", got)
	}
	if want := sample()[0].NaturalID(); recs[0].ID != want {
		t.Errorf("id %q", recs[0].Incident.ID)
	}
}

func TestExportDoesNotChangeItsInput(t *testing.T) {
	incs := sample()
	before := len(incs[1].Taxonomy)
	if err := export.WriteJSONL(&bytes.Buffer{}, incs); err != nil {
		t.Fatal(err)
	}
	if len(incs[1].Taxonomy) != before || incs[1].ID != "" {
		t.Errorf("WriteJSONL changed the incident it wrote: %+v", incs[1])
	}
}

func TestWriteJSONShape(t *testing.T) {
	tests := []struct {
		name string
		incs []incident.Incident
		want string
	}{
		{"empty", nil, "[]\n"},
		{"one", []incident.Incident{{Title: "A", ID: "000000000001"}}, "[\n{\"id\":\"000000000001\",\"source_id\":\"\",\"title\":\"A\","},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := export.WriteJSON(&b, tt.incs); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(tt.want)) {
				t.Errorf("got %q, want prefix %q", b.String(), tt.want)
			}
		})
	}
}

// Markdown postmortems keep their labels, URL and body through an export
// and an import: the records read back are the records written.
func TestRoundTripKeepsMarkdownFields(t *testing.T) {
	incs := sources(t)["markdown"]
	var buf bytes.Buffer
	if err := export.WriteJSONL(&buf, incs); err != nil {
		t.Fatal(err)
	}
	recs, _ := reimport(t, "export.jsonl", buf.Bytes())
	if len(recs) != len(incs) {
		t.Fatalf("%d records back, want %d", len(recs), len(incs))
	}
	withAll := 0
	for i, r := range recs {
		if !reflect.DeepEqual(r.Incident, incs[i]) {
			t.Errorf("record %d changed:\n%+v\n%+v", i, r.Incident, incs[i])
		}
		if len(r.Incident.Labels) > 0 && r.Incident.URL != "" && r.Incident.Body != "" {
			withAll++
		}
	}
	if withAll == 0 {
		t.Error("no record carried labels, a URL and a body")
	}
}
