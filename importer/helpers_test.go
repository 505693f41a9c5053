package importer_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// failDir is the FAIL data shared beside the repository; tests that need it
// skip when it is absent.
const failDir = "../../shared/fail"

func needFail(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(failDir); err != nil {
		t.Skip("FAIL data not present at " + failDir)
	}
	return failDir
}

// importAll runs Run over paths and returns every incident record and the
// summary.
func importAll(t testing.TB, opts importer.Options, paths ...string) ([]importer.Record, importer.Summary) {
	t.Helper()
	recs, _, sum := importBoth(t, opts, paths...)
	return recs, sum
}

// importBoth runs Run over paths and returns the incident records, the
// articles and the summary.
func importBoth(t testing.TB, opts importer.Options, paths ...string) ([]importer.Record, []incident.Article, importer.Summary) {
	t.Helper()
	var recs []importer.Record
	var arts []incident.Article
	sum, err := importer.Run(context.Background(), paths, opts, func(b []importer.Record) error {
		for _, r := range b {
			if r.Article != nil {
				arts = append(arts, *r.Article)
			} else {
				recs = append(recs, r)
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatalf("Run(%v): %v", paths, err)
	}
	return recs, arts, sum
}

// expected is the record a FAIL page must yield, as pages_*/<id>.json holds it.
type expected struct {
	Title      string                       `json:"title"`
	Published  string                       `json:"published"`
	SourceID   string                       `json:"source_id"`
	Postmortem map[string]string            `json:"postmortem"`
	Taxonomy   map[string]incident.Category `json:"taxonomy"`
}

func loadExpected(t testing.TB, path string) expected {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return e
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// diffExpected lists how in differs from e, texts compared with white space
// collapsed.
func diffExpected(in incident.Incident, e expected) []string {
	var d []string
	cmp := func(what, got, want string) {
		if collapse(got) != collapse(want) {
			d = append(d, what+": got "+short(collapse(got))+" want "+short(collapse(want)))
		}
	}
	cmp("title", in.Title, e.Title)
	cmp("published", in.Published, e.Published)
	cmp("source_id", in.SourceID, e.SourceID)
	for _, f := range incident.Fields {
		got, _ := in.Postmortem.Field(f.Key)
		cmp(f.Key, got, e.Postmortem[f.Key])
	}
	for key, want := range e.Taxonomy {
		got := in.Taxonomy[key]
		cmp(key+" options", strings.Join(got.Options, ","), strings.Join(want.Options, ","))
		cmp(key+" rationale", got.Rationale, want.Rationale)
	}
	return d
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
