package importer_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

func TestCSVMatchesExpectedRecords(t *testing.T) {
	dir := needFail(t)
	for _, set := range []string{"a", "b", "c"} {
		t.Run(set, func(t *testing.T) {
			recs, sum := importAll(t, importer.Options{}, filepath.Join(dir, "csv", "incidents_"+set+".csv"))
			if len(sum.Refused) > 0 {
				t.Errorf("refused: %v", sum.Refused)
			}
			if len(recs) == 0 {
				t.Fatal("no records")
			}
			for _, r := range recs {
				e := loadExpected(t, filepath.Join(dir, "pages_"+set, r.Incident.SourceID+".json"))
				for _, d := range diffExpected(r.Incident, e) {
					t.Errorf("%s line %d (FAIL %s): %s", filepath.Base(r.Path), r.Line, r.Incident.SourceID, d)
				}
			}
			t.Logf("%d records, %d warnings: %v", len(recs), len(sum.Warnings), sum.Warnings)
		})
	}
}

// csvCase imports one CSV text and checks records, refusals and warnings.
type csvCase struct {
	name     string
	opts     importer.Options
	text     string
	want     []incident.Incident // compared on the fields set in want
	refused  []string            // "line: reason substring"; line 0 for the file
	warnings []string
}

func TestReadCSV(t *testing.T) {
	const header = "Title,Published,Incident ID,Related Article IDs,Summary,Time,Phase Option,Phase Rationale,Perception Option,CPS Option\n"
	tests := []csvCase{
		{
			name: "columns in any order, time and zone dropped from the date",
			text: "Phase Option,Published,Title,Incident ID\r\ndesign,2020-09-18 07:00:00+00:00,Sluice gate,2751\r\n",
			want: []incident.Incident{{Title: "Sluice gate", Published: "2020-09-18", SourceID: "2751",
				Taxonomy: map[string]incident.Category{"phase": {Options: []string{"design"}}}}},
		},
		{
			name: "multi-line cells, doubled quotes, CRLF inside a cell",
			text: header + "\"Gate \"\"A\"\" fault\",2020-09-18,1,,\"one\r\ntwo\n\nthree\",\"1. a [5]\n2. b [6]\",,,,\n",
			want: []incident.Incident{{Title: `Gate "A" fault`, Summary: "one\ntwo\n\nthree",
				Postmortem: incident.Postmortem{Timeline: "1. a [5]\n2. b [6]"}, Articles: []int64{5, 6}}},
		},
		{
			name: "related article ids first, then citations",
			text: header + "T,2020-01-02,7,\"[9, 3]\",,x [3] y [4],,\"r [8]\",,\n",
			want: []incident.Incident{{Title: "T", Articles: []int64{9, 3, 4, 8}}},
		},
		{
			name: "options canonicalised, unknown kept with a warning",
			text: header + "T,2020-01-02,7,,,,\"Design, design , operation\",,\"sensors, embedded software, Lidar Array\",cps\n",
			want: []incident.Incident{{Title: "T", Taxonomy: map[string]incident.Category{
				"phase":      {Options: []string{"design", "operation"}},
				"perception": {Options: []string{"sensor", "embedded_software", "lidar_array"}},
				"cps":        {Options: []string{"cps"}},
			}}},
			warnings: []string{`2: perception: unknown option "lidar_array" kept`},
		},
		{
			name: "None and N/A are empty",
			text: header + "T,None,N/A,,None,N/A,None,,,\n",
			want: []incident.Incident{{Title: "T", Published: "", SourceID: "", Summary: "",
				Taxonomy: map[string]incident.Category{"phase": {Options: []string{}}}}},
			warnings: []string{"2: no postmortem analysis"},
		},
		{
			name:     "blank lines and a trailing row without newline",
			text:     "\n\n" + header + "\nA,2020-01-01,1,,,,,,,\n\n\nB,2020-01-02,2,,,,,,,",
			want:     []incident.Incident{{Title: "A", SourceID: "1"}, {Title: "B", SourceID: "2"}},
			warnings: []string{"5: no postmortem analysis", "8: no postmortem analysis"},
		},
		{
			name: "byte order mark before the header",
			text: "\xEF\xBB\xBFTitle,Published\nT,2021-02-03\n",
			want: []incident.Incident{{Title: "T", Published: "2021-02-03"}},
		},
		{
			name:    "no Title column",
			text:    "Incident ID,Published\n1,2020-01-01\n",
			refused: []string{"1: CSV header has no Title column"},
		},
		{
			name:     "row without a title refused by line, the rest imports",
			text:     header + ",2020-01-01,1,,,,,,,\nB,2020-01-02,2,,,,,,,\n",
			want:     []incident.Incident{{Title: "B"}},
			refused:  []string{"2: no title"},
			warnings: []string{"3: no postmortem analysis"},
		},
		{
			name:     "cell over the field limit refused with its row",
			opts:     importer.Options{MaxField: 16},
			text:     header + "A,2020-01-01,1,,\"" + strings.Repeat("x\n", 20) + "\",,,,,\nB,2020-01-02,2,,short,,,,,\n",
			want:     []incident.Incident{{Title: "B", Summary: "short"}},
			refused:  []string{`2: cell "Summary" is 40 bytes, over the 16 bytes limit`},
			warnings: []string{"23: no postmortem analysis"},
		},
		{
			name:     "row with too many columns",
			text:     header + "A" + strings.Repeat(",", 2000) + "\nB,2020-01-02,2,,,,,,,\n",
			want:     []incident.Incident{{Title: "B"}},
			refused:  []string{"2: row has 2001 columns, more than 1024"},
			warnings: []string{"3: no postmortem analysis"},
		},
		{
			name:    "header with a million columns",
			text:    "Title" + strings.Repeat(",x", 1_000_000) + "\nA\n",
			refused: []string{"1: header has 1000001 columns"},
		},
		{
			name:     "quote never closed",
			text:     header + "A,2020-01-01,1,,,,,,,\nB,2020-01-02,2,,\"open\nand on\n",
			want:     []incident.Incident{{Title: "A"}},
			refused:  []string{"3: quoted cell never closed"},
			warnings: []string{"2: no postmortem analysis"},
		},
		{
			name: "stray quotes kept as text",
			text: "Title,Summary\nSay \"hi\",\"quoted\"tail\n",
			want: []incident.Incident{{Title: `Say "hi"`, Summary: `quoted"tail`}},
		},
		{
			name:     "unknown column ignored with a warning",
			text:     "Title,Colour\nT,blue\n",
			want:     []incident.Incident{{Title: "T"}},
			warnings: []string{`1: column "Colour" ignored`},
		},
		{
			name:     "invalid UTF-8 replaced with a warning",
			text:     "Title,Summary\nT,bad \xff byte\n",
			want:     []incident.Incident{{Title: "T", Summary: "bad \uFFFD byte"}},
			warnings: []string{"2: Summary: invalid UTF-8 replaced"},
		},
		{
			name:     "a date that is not one",
			text:     "Title,Published\nT,last Tuesday\n",
			want:     []incident.Incident{{Title: "T", Published: ""}},
			warnings: []string{`2: published "last Tuesday" is not a date`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "in.csv", tt.text)
			recs, sum := importAll(t, tt.opts, p)
			if testing.Verbose() {
				t.Logf("refused %v warnings %v", sum.Refused, sum.Warnings)
			}
			checkRecords(t, recs, tt.want)
			checkErrors(t, "refused", sum.Refused, tt.refused)
			checkErrors(t, "warnings", sum.Warnings, tt.warnings)
		})
	}
}

// checkRecords compares records with want on the fields want sets.
func checkRecords(t *testing.T, recs []importer.Record, want []incident.Incident) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i, w := range want {
		got := recs[i].Incident
		check := func(what, g, w string) {
			if w != "" && g != w {
				t.Errorf("record %d %s = %q, want %q", i, what, g, w)
			}
		}
		check("title", got.Title, w.Title)
		check("published", got.Published, w.Published)
		check("source id", got.SourceID, w.SourceID)
		check("summary", got.Summary, w.Summary)
		check("timeline", got.Postmortem.Timeline, w.Postmortem.Timeline)
		if w.Articles != nil && fmt.Sprint(got.Articles) != fmt.Sprint(w.Articles) {
			t.Errorf("record %d articles = %v, want %v", i, got.Articles, w.Articles)
		}
		for key, cat := range w.Taxonomy {
			if fmt.Sprint(got.Taxonomy[key].Options) != fmt.Sprint(cat.Options) {
				t.Errorf("record %d %s options = %q, want %q", i, key, got.Taxonomy[key].Options, cat.Options)
			}
		}
		if got.ID != got.NaturalID() || len(got.Taxonomy) < len(incident.Categories) {
			t.Errorf("record %d not normalised: id %q, %d categories", i, got.ID, len(got.Taxonomy))
		}
		if recs[i].Path == "" || recs[i].Line == 0 {
			t.Errorf("record %d: path %q line %d", i, recs[i].Path, recs[i].Line)
		}
	}
}

// checkErrors matches file errors against "line: reason substring" wants.
func checkErrors(t *testing.T, what string, got []importer.FileError, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %d: %q", what, got, len(want), want)
		return
	}
	for i, w := range want {
		line, reason, _ := strings.Cut(w, ": ")
		if strconv.Itoa(got[i].Line) != line || !strings.Contains(got[i].Reason, reason) {
			t.Errorf("%s[%d] = line %d %q, want line %s containing %q", what, i, got[i].Line, got[i].Reason, line, reason)
		}
		if !strings.HasPrefix(got[i].Error(), got[i].Path+":") || got[i].Path == "" {
			t.Errorf("%s[%d].Error() = %q does not start with the path", what, i, got[i].Error())
		}
	}
}

// A file of many bad rows keeps a bounded list of reasons.
func TestRefusalsPerFileBounded(t *testing.T) {
	text := "Title,Summary\n" + strings.Repeat(",no title\n", 1500) + "T,ok\n"
	recs, sum := importAll(t, importer.Options{}, writeFile(t, t.TempDir(), "bad.csv", text))
	if len(recs) != 1 {
		t.Errorf("%d records, want 1", len(recs))
	}
	// file-wide notes (line 0) sort first
	if len(sum.Refused) != 1001 || sum.Refused[0].Reason != "500 more records refused" || sum.Refused[1000].Line != 1001 {
		t.Errorf("%d refusals, first %v, last %v", len(sum.Refused), sum.Refused[0], sum.Refused[len(sum.Refused)-1])
	}
}
