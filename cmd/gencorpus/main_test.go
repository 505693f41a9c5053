package main

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// Every format the generator writes imports back to the generated
// incidents.
func TestCorpusImportsBack(t *testing.T) {
	const n = 12
	want := map[string]incident.Incident{}
	for _, in := range gencorpus.Incidents(n, 3) {
		want[incident.TitleKey(in.Title, in.Published)] = in
	}
	for _, format := range []string{"page", "csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			stderr := os.Stderr
			os.Stderr, _ = os.Open(os.DevNull)
			err := run(n, 3, format, dir)
			os.Stderr = stderr
			if err != nil {
				t.Fatal(err)
			}
			var got []importer.Record
			sum, err := importer.Run(context.Background(), []string{dir}, importer.Options{}, func(b []importer.Record) error {
				got = append(got, b...)
				return nil
			}, nil)
			if err != nil || len(sum.Refused) > 0 {
				t.Fatalf("import: %v, refused %v", err, sum.Refused)
			}
			if len(got) != n {
				t.Fatalf("%d records, want %d", len(got), n)
			}
			for _, r := range got {
				w, ok := want[incident.TitleKey(r.Incident.Title, r.Incident.Published)]
				if !ok {
					t.Fatalf("record %s %q was not generated", r.Incident.ID, r.Incident.Title)
				}
				in := r.Incident
				if in.Title != w.Title || in.Published != w.Published || !samePostmortem(in.Postmortem, w.Postmortem) {
					t.Errorf("%s: text differs from the generated incident:\n%q\n%q", in.ID, in.Postmortem, w.Postmortem)
				}
				for _, c := range incident.Categories {
					if c.Key == "cps" && format == "page" {
						continue // page text has no cps
					}
					if !reflect.DeepEqual(in.Taxonomy[c.Key].Options, w.Taxonomy[c.Key].Options) {
						t.Errorf("%s %s: options %q, generated %q", in.ID, c.Key, in.Taxonomy[c.Key].Options, w.Taxonomy[c.Key].Options)
					}
				}
			}
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		format string
	}{
		{"negative count", -1, "page"},
		{"unknown format", 1, "xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := run(tt.n, 1, tt.format, t.TempDir()); err == nil {
				t.Error("no error")
			}
		})
	}
}

// samePostmortem compares fields as importers keep them: without the white
// space around them.
func samePostmortem(a, b incident.Postmortem) bool {
	for _, f := range incident.Fields {
		if strings.TrimSpace(*f.Get(&a)) != strings.TrimSpace(*f.Get(&b)) {
			return false
		}
	}
	return true
}
