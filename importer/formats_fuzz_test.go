package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
)

// The format fuzz targets read with small limits so that short inputs
// reach the over-limit paths. Each checks that nothing panics, that every
// record is whole (a title, a well-formed id, every category, valid
// UTF-8) and that every refusal names the file. Seeds are the files under
// testdata/formats plus the corpora under testdata/fuzz/<target>.

var fuzzOpts = Options{MaxFileSize: 1 << 20, MaxField: 256, BatchSize: 4}.withDefaults()

// fuzzRead runs one reader over data and checks what it reports.
func fuzzRead(t *testing.T, read func(r reader, rep *fileReport) error, data []byte) []Record {
	var recs []Record
	rep := &fileReport{ctx: context.Background(), path: "fuzz", opts: fuzzOpts}
	rep.send = func(b []Record) error {
		if len(b) > fuzzOpts.BatchSize {
			t.Fatalf("batch of %d records, BatchSize %d", len(b), fuzzOpts.BatchSize)
		}
		recs = append(recs, b...)
		return nil
	}
	err := read(bytes.NewReader(data), rep)
	if err == nil {
		err = rep.flush()
	}
	if err != nil {
		var le *lineError
		if !errors.As(err, &le) {
			t.Fatalf("reader failed without a line error: %v", err)
		}
		if le.reason == "" {
			t.Fatal("failure without a reason")
		}
	}
	for _, fe := range append(rep.refused, rep.warnings...) {
		if fe.Path != "fuzz" || fe.Reason == "" || !strings.HasPrefix(fe.Error(), "fuzz") {
			t.Fatalf("file error %#v does not name the file and a reason", fe)
		}
	}
	for _, r := range recs {
		fuzzCheckRecord(t, r)
	}
	return recs
}

func fuzzCheckRecord(t *testing.T, r Record) {
	if a := r.Article; a != nil {
		if a.ID < 0 || a.Incidents == nil {
			t.Fatalf("article %+v", a)
		}
		return
	}
	in := r.Incident
	if strings.TrimSpace(in.Title) == "" {
		t.Fatalf("record without a title: %+v", in)
	}
	if !isID(in.ID) {
		t.Fatalf("record id %q is malformed", in.ID)
	}
	for _, c := range incident.Categories {
		if in.Taxonomy[c.Key].Options == nil {
			t.Fatalf("category %s missing: not normalised", c.Key)
		}
	}
	if in.Articles == nil || in.Sources == nil {
		t.Fatal("nil slices: not normalised")
	}
	if in.Published != "" {
		if d, ok := parseDate(in.Published); !ok || d != in.Published {
			t.Fatalf("published %q is not YYYY-MM-DD", in.Published)
		}
	}
	if r.Path != "fuzz" || r.Line < 1 {
		t.Fatalf("record at %q line %d", r.Path, r.Line)
	}
}

// fuzzSeeds adds the files matching pattern under testdata/formats.
func fuzzSeeds(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "formats", pattern))
	if len(paths) == 0 {
		f.Fatalf("no seeds match testdata/formats/%s", pattern)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

type reader = interface{ Read([]byte) (int, error) }

func FuzzReadCSV(f *testing.F) {
	fuzzSeeds(f, "*.csv")
	f.Add([]byte("Title\n\"unterminated\n"))
	f.Add([]byte("Title,Summary\r\nA,\"" + strings.Repeat("x", 300) + "\"\r\nB,b\r"))
	f.Add([]byte("Title" + strings.Repeat(",", 1100) + "\nA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range fuzzRead(t, func(r reader, rep *fileReport) error { return readCSV(r, rep) }, data) {
			for _, s := range []string{r.Incident.Title, r.Incident.Summary, r.Incident.Postmortem.Timeline} {
				if !utf8.ValidString(s) || len(s) > fuzzOpts.MaxField {
					t.Fatalf("text %q invalid or over the limit", s)
				}
			}
		}
	})
}

func FuzzReadDump(f *testing.F) {
	fuzzSeeds(f, "dumpdata*.json")
	f.Add([]byte(`[{"model":"articles.incident","pk":1,"fields":{"title":"` + strings.Repeat(`\u00e9`, 60) + `"}}]`))
	f.Add([]byte(`[{"model":"articles.incident","fields":{"title":"x","articles":[1,[2],{"a":3}]}}, 5, [[[[]]]]]`))
	f.Add([]byte("[" + strings.Repeat("[", 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, func(r reader, rep *fileReport) error { return readDumpdata(r, rep) }, data)
	})
}

// FuzzReadJSONL also checks that what it reads survives a write and a
// read unchanged, as the export round trip needs.
func FuzzReadJSONL(f *testing.F) {
	fuzzSeeds(f, "*.jsonl")
	f.Add([]byte(`{"title":"a","triage":null}` + "\n" + `{"title":"b","taxonomy":{"x":{"options":["A B","a_b"]}}}`))
	f.Add([]byte(`{"title":"` + strings.Repeat("y", 300) + `"}` + "\n" + strings.Repeat(`{"a":`, 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs := fuzzRead(t, func(r reader, rep *fileReport) error { return readJSONL(r, rep) }, data)
		for _, r := range recs {
			in := r.Incident
			if r.Triage != nil {
				in.Triage = *r.Triage
			}
			line, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := decodeRecord(line)
			if err != nil || back.Triage == nil {
				t.Fatalf("written record not read back: %v\n%s", err, line)
			}
			out := back.Incident
			out.Triage = *back.Triage
			again, _ := json.Marshal(out)
			if !bytes.Equal(line, again) {
				t.Fatalf("record changed on a second read:\n%s\n%s", line, again)
			}
		}
		// the JSON reader takes the same objects one after another
		fuzzRead(t, func(r reader, rep *fileReport) error { return readJSON(r, rep) }, data)
	})
}
