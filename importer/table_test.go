package importer_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
)

// gluedCopy writes the FAIL CSV at path with an empty "POSTMORTEM FIELDS"
// column before Published, as some exports have, and returns it twice:
// whole, and with the header's commas after "POSTMORTEM FIELDS" and after
// "Fixes" lost, so that its names run together.
func gluedCopy(t *testing.T, path string) (whole, glued string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	at := slices.Index(rows[0], "Published")
	for i := range rows {
		cell := ""
		if i == 0 {
			cell = "POSTMORTEM FIELDS"
		}
		rows[i] = slices.Insert(rows[i], at, cell)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	whole = b.String()
	head, rest, _ := strings.Cut(whole, "\n")
	head = strings.Replace(head, "POSTMORTEM FIELDS,Published", "POSTMORTEM FIELDSPublished", 1)
	head = strings.Replace(head, "Fixes,ResponsibleOrg", "FixesResponsibleOrg", 1)
	return whole, head + "\n" + rest
}

func TestGluedHeaderRealigned(t *testing.T) {
	dir := needFail(t)
	whole, glued := gluedCopy(t, filepath.Join(dir, "csv", "incidents_b.csv"))
	if !strings.Contains(glued, "FixesResponsibleOrg") {
		t.Fatal("the sample's header changed: Fixes and ResponsibleOrg are no longer neighbours")
	}
	tmp := t.TempDir()
	want, wsum := importAll(t, importer.Options{}, writeFile(t, tmp, "whole.csv", whole))
	got, gsum := importAll(t, importer.Options{}, writeFile(t, tmp, "glued.csv", glued))
	if len(wsum.Refused)+len(gsum.Refused) > 0 {
		t.Fatalf("refused: %v %v", wsum.Refused, gsum.Refused)
	}
	if len(got) != 30 || len(got) != len(want) {
		t.Fatalf("%d records from the glued file, %d from the whole, want 30", len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i].Incident, want[i].Incident) {
			t.Errorf("record %d differs:\n got %+v\nwant %+v", i, got[i].Incident, want[i].Incident)
		}
	}
	found := false
	for _, w := range gsum.Warnings {
		found = found || w.Line == 1 && strings.Contains(w.Reason, `"FixesResponsibleOrg" as "Fixes", "ResponsibleOrg"`)
	}
	if !found {
		t.Errorf("no warning names the realigned header: %v", gsum.Warnings)
	}
}

func TestShiftedCSVRefused(t *testing.T) {
	tests := []struct{ name, text, reason string }{
		{"rows wider, nothing glued", "Title,Published,Summary\nA,2020-01-01,s,extra\n", "no glued header names explain it"},
		{"glued two ways", "Title,SummaryTime,SystemFixes\nA,s,t,u\n", "split in more than one way"},
		{"a later row wider than the header", "Title,Published\nA,2020-01-01\nB,2020-01-02,oops\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, sum := importAll(t, importer.Options{}, writeFile(t, t.TempDir(), "x.csv", tt.text))
			if tt.reason == "" { // only the row is refused
				if len(recs) != 1 || len(sum.Refused) != 1 || !strings.Contains(sum.Refused[0].Reason, "would be shifted") {
					t.Errorf("records %d, refused %v", len(recs), sum.Refused)
				}
				return
			}
			if len(recs) != 0 || len(sum.Refused) != 1 || !strings.Contains(sum.Refused[0].Reason, tt.reason) {
				t.Errorf("records %d, refused %v; want the file refused: %s", len(recs), sum.Refused, tt.reason)
			}
		})
	}
}

func TestArticleTables(t *testing.T) {
	dir := needFail(t)
	recs, arts, sum := importBoth(t, importer.Options{},
		filepath.Join(dir, "articles", "article_data.csv"), filepath.Join(dir, "articles", "articles2incidents.csv"))
	if len(recs) != 0 || len(sum.Refused) != 0 {
		t.Fatalf("%d incident records, refused %v: an article table is no table of incidents", len(recs), sum.Refused)
	}
	byID := map[int64]int{}
	headlines := 0
	for _, a := range arts {
		byID[a.ID]++
		if a.Headline != "" {
			headlines++
			if a.URL == "" || a.Published == "" {
				t.Errorf("article %d: %+v", a.ID, a)
			}
		}
	}
	if headlines != 76 {
		t.Errorf("%d articles with headlines, want the table's 76", headlines)
	}
	// articles2incidents: one link a row, some articles linked twice
	links := len(arts) - 76
	if links < 29 {
		t.Errorf("%d link rows", links)
	}
}

func TestArticleTableInline(t *testing.T) {
	text := "Headline,Article ID,URL,Published,Body,Scraped At\nOutage,68976,https://example.invalid/x,2020-09-18 07:00:00+00:00,\"long\ntext\",2023-10-13\n"
	recs, arts, sum := importBoth(t, importer.Options{}, writeFile(t, t.TempDir(), "arts.csv", text))
	if len(recs) != 0 || len(arts) != 1 || len(sum.Refused) != 0 {
		t.Fatalf("recs %d arts %d refused %v", len(recs), len(arts), sum.Refused)
	}
	a := arts[0]
	if a.ID != 68976 || a.Headline != "Outage" || a.Published != "2020-09-18" || a.Body != "long\ntext" || a.Extra["Scraped At"] != "2023-10-13" {
		t.Errorf("article %+v", a)
	}
}
