package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// What an import accepts, its own export imports back, the same: for
// random incidents with texts around the limits, made of what hostile
// input holds (escapes, invalid UTF-8, line ends, bidi controls, HTML).
func TestAcceptedInputRoundTrips(t *testing.T) {
	opts := importer.Options{MaxField: 200, MaxFileSize: 3000}
	pieces := []string{"a", "word ", "\x1b", "\x1b]52;c;ZXZpbA==\x07", "\r\n", "\n", "\r", "\xff", "\xe2\x80", "é", "日本",
		"\u2028", "\u202e", "<b>&amp;", `"\`, "\t", "1. ", "[104834]", "\u00a0"}
	r := rand.New(rand.NewPCG(11, 12))
	text := func() string {
		var b strings.Builder
		n := r.IntN(opts.MaxField / 2)
		if r.IntN(12) == 0 { // now and then, around the limit
			n = opts.MaxField*9/10 + r.IntN(opts.MaxField/5)
		}
		for b.Len() < n {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	accepted := 0
	for i := range 300 {
		in := incident.Incident{Title: "T " + text(), Published: "2020-09-18", Summary: text()}
		for _, f := range incident.Fields {
			if r.IntN(3) == 0 {
				*f.Get(&in.Postmortem) = text()
			}
		}
		in.Taxonomy = map[string]incident.Category{"phase": {Options: []string{"design"}, Rationale: text()}}
		dir := t.TempDir()
		first := importFile(t, opts, dir, "in.txt", importer.FormatPage(in))
		if len(first) == 0 {
			continue // refused: nothing to round-trip
		}
		accepted++
		var out bytes.Buffer
		if err := export.WriteJSONL(&out, first); err != nil {
			t.Fatal(err)
		}
		back := importFile(t, opts, dir, "out.jsonl", out.Bytes())
		if len(back) != len(first) {
			t.Fatalf("case %d: the export of an accepted record was refused:\n%q", i, out.Bytes())
		}
		for k := range back {
			if a, b := mustJSON(t, first[k]), mustJSON(t, back[k]); a != b {
				t.Fatalf("case %d: the record changed on the way back:\n%s\n%s", i, a, b)
			}
		}
	}
	if accepted < 50 || accepted > 280 {
		t.Errorf("%d of 300 cases accepted: the cases do not straddle the limits", accepted)
	}
}

func importFile(t *testing.T, opts importer.Options, dir, name string, data []byte) []incident.Incident {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out []incident.Incident
	sum, err := importer.Run(context.Background(), []string{p}, opts, func(recs []importer.Record) error {
		for _, r := range recs {
			in := r.Incident
			if r.Triage != nil {
				in.Triage = *r.Triage
			}
			out = append(out, in)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() && len(sum.Refused) > 0 {
		t.Logf("refused: %v", sum.Refused[0].Reason)
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The limits as shipped, on the inputs that once got in and could not get
// out again.
func TestLimitsAtTheirDefaults(t *testing.T) {
	dir := t.TempDir()
	opts := importer.Options{}
	// a Fixes line just within 1 MiB, of what JSON escapes: 6 MiB as JSON
	in := incident.Incident{Title: "Escapes", Published: "2020-01-02",
		Postmortem: incident.Postmortem{Fixes: strings.Repeat("<&>", importer.DefaultMaxField/3-8)}}
	first := importFile(t, opts, dir, "fixes.txt", importer.FormatPage(in))
	if len(first) != 1 {
		t.Fatal("a page with a Fixes line within the limit was refused")
	}
	var out bytes.Buffer
	if err := export.WriteJSONL(&out, first); err != nil {
		t.Fatal(err)
	}
	if back := importFile(t, opts, dir, "fixes.jsonl", out.Bytes()); len(back) != 1 || mustJSON(t, back[0]) != mustJSON(t, first[0]) {
		t.Errorf("its export (%d bytes) did not import back the same", out.Len())
	}
	// a 15 MiB title: within the file limit, over the field limit
	long := incident.Incident{Title: strings.Repeat("t", 15<<20), Published: "2020-01-02"}
	if got := importFile(t, opts, dir, "title.txt", importer.FormatPage(long)); len(got) != 0 {
		t.Error("a 15 MiB title was accepted")
	}
	// a CSV cell of 1 MiB, half of it invalid UTF-8, is 1.5 MiB once replaced
	csv := "Title,Summary\nBad,\"" + strings.Repeat("\xffa", importer.DefaultMaxField/2) + "\"\nGood,ok\n"
	if got := importFile(t, opts, dir, "bad.csv", []byte(csv)); len(got) != 1 || got[0].Title != "Good" {
		t.Errorf("CSV: %d records, want only the good one", len(got))
	}
}
