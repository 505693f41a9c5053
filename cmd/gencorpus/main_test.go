package main

import (
	"context"
	"encoding/csv"
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
			err := run(n, 0, 3, format, dir)
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
		name    string
		n, from int
		format  string
	}{
		{"negative count", -1, 0, "page"},
		{"unknown format", 1, 0, "xml"},
		{"from past the end", 2, 3, "page"},
		{"negative from", 2, -1, "page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := run(tt.n, tt.from, 1, tt.format, t.TempDir()); err == nil {
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

// -from writes the tail of the corpus of -n, under the same file names.
func TestFromWritesTheTail(t *testing.T) {
	full, tail := t.TempDir(), t.TempDir()
	stderr := os.Stderr
	os.Stderr, _ = os.Open(os.DevNull)
	err := run(5, 0, 2, "page", full)
	if err == nil {
		err = run(5, 3, 2, "page", tail)
	}
	os.Stderr = stderr
	if err != nil {
		t.Fatal(err)
	}
	names, _ := os.ReadDir(tail)
	if len(names) != 2 || names[0].Name() != "000003.txt" || names[1].Name() != "000004.txt" {
		t.Fatalf("tail holds %v", names)
	}
	for _, e := range names {
		a, _ := os.ReadFile(full + "/" + e.Name())
		b, _ := os.ReadFile(tail + "/" + e.Name())
		if string(a) != string(b) {
			t.Errorf("%s differs from the full corpus's", e.Name())
		}
	}
}

func TestFTSRowsHoldThePages(t *testing.T) {
	dir := t.TempDir()
	stderr := os.Stderr
	os.Stderr, _ = os.Open(os.DevNull)
	err := run(3, 0, 4, "fts", dir)
	os.Stderr = stderr
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dir + "/fts.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	incs := gencorpus.Incidents(3, 4)
	if len(rows) != 4 || !reflect.DeepEqual(rows[0], []string{"title", "fixes", "domain", "body"}) {
		t.Fatalf("rows: %d, header %q", len(rows), rows[0])
	}
	for i, in := range incs {
		r := rows[i+1]
		if r[0] != in.Title || r[1] != in.Postmortem.Fixes || r[3] != string(importer.FormatPage(in)) {
			t.Errorf("row %d does not hold incident %d", i+1, i)
		}
	}
}
