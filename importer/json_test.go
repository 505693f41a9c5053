package importer_test

import (
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// jsonCase imports one file and checks records, refusals and warnings.
type jsonCase struct {
	name     string
	file     string // name, for the extension hint
	opts     importer.Options
	text     string
	want     []incident.Incident
	refused  []string
	warnings []string
	skipped  int
}

func runJSONCases(t *testing.T, tests []jsonCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tt.file, tt.text)
			recs, sum := importAll(t, tt.opts, p)
			if testing.Verbose() {
				t.Logf("refused %v warnings %v", sum.Refused, sum.Warnings)
			}
			checkRecords(t, recs, tt.want)
			checkErrors(t, "refused", sum.Refused, tt.refused)
			checkErrors(t, "warnings", sum.Warnings, tt.warnings)
			if sum.Skipped != tt.skipped {
				t.Errorf("skipped %d, want %d", sum.Skipped, tt.skipped)
			}
		})
	}
}

func TestReadDumpdata(t *testing.T) {
	obj := func(model, pk, fields string) string {
		return `{"model": "` + model + `", "pk": ` + pk + `, "fields": {` + fields + `}}`
	}
	inc := func(pk, title string) string {
		return obj("articles.incident", pk, `"title": "`+title+`", "published": "2020-09-18T07:00:00Z"`)
	}
	tests := []jsonCase{
		{
			name:    "incidents and articles kept, other models skipped and counted",
			file:    "dump.json",
			text:    "[\n" + inc("1", "A") + ",\n" + obj("articles.article", "9", `"title": "news", "incident": 1`) + ",\n" + obj("auth.user", "3", `"name": "x"`) + ",\n" + inc("2", "B") + "\n]\n",
			want:    []incident.Incident{{Title: "A", SourceID: "1", Published: "2020-09-18"}, {Title: "B", SourceID: "2"}},
			skipped: 1,
		},
		{
			name: "nulls are empty, every FAIL field mapped",
			file: "dump.json",
			text: "[" + obj("articles.incident", `"7"`, `"title": "T", "published": null, "summary": "S", "time": "1. x [4]", "ResponsibleOrg": null,
				"SEcauses": "sw", "phase_option": "design, Operation", "phase_rationale": "r [5]", "perception_option": "sensors",
				"cps_option": null, "complete_report": true, "extra": {"a": [1, {"b": 2}]}`) + "]",
			want: []incident.Incident{{Title: "T", SourceID: "7", Published: "", Summary: "S",
				Postmortem: incident.Postmortem{Timeline: "1. x [4]"}, Articles: []int64{4, 5},
				Taxonomy: map[string]incident.Category{"phase": {Options: []string{"design", "operation"}},
					"perception": {Options: []string{"sensor"}}, "cps": {Options: []string{}}}}},
		},
		{
			name: "fields before model",
			file: "dump.json",
			text: `[{"fields": {"title": "T"}, "pk": 3, "model": "articles.incident"}]`,
			want: []incident.Incident{{Title: "T", SourceID: "3"}},
		},
		{
			name:    "object without a title refused by line",
			file:    "dump.json",
			text:    "[\n" + obj("articles.incident", "1", `"title": null`) + ",\n" + inc("2", "B") + "]",
			want:    []incident.Incident{{Title: "B"}},
			refused: []string{"2: no title"},
		},
		{
			name:    "string over the field limit refuses its object only",
			file:    "dump.json",
			opts:    importer.Options{MaxField: 32},
			text:    "[\n" + inc("1", strings.Repeat(`\"`, 40)) + ",\n" + inc("2", "B") + "\n]",
			want:    []incident.Incident{{Title: "B"}},
			refused: []string{"2: title is 40 bytes, over the 32 bytes limit"},
		},
		{
			name:    "long string in another model is skipped quietly",
			file:    "dump.json",
			opts:    importer.Options{MaxField: 32},
			text:    "[\n" + obj("auth.user", "9", `"body": "`+strings.Repeat("x", 100)+`"`) + ",\n" + inc("2", "B") + "\n]",
			want:    []incident.Incident{{Title: "B"}},
			skipped: 1,
		},
		{
			name:    "an article over the field limit is refused",
			file:    "dump.json",
			opts:    importer.Options{MaxField: 32},
			text:    "[\n" + obj("articles.article", "9", `"body": "`+strings.Repeat("x", 100)+`"`) + ",\n" + inc("2", "B") + "\n]",
			want:    []incident.Incident{{Title: "B"}},
			refused: []string{"2: article body is 100 bytes, over the 32 bytes limit"},
		},
		{
			name:    "string cut inside a unicode escape",
			file:    "dump.json",
			opts:    importer.Options{MaxField: 33},
			text:    "[\n" + inc("1", "xy"+strings.Repeat(`\u00e9`, 40)) + ",\n" + inc("2", "B") + "\n]",
			want:    []incident.Incident{{Title: "B"}},
			refused: []string{"2: string on line 2 is 242 bytes, over the 33 bytes limit"},
		},
		{
			name:    "nesting bomb",
			file:    "dump.json",
			text:    "[\n" + inc("1", "A") + ",\n" + strings.Repeat("[", 100000),
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"3: JSON nested deeper than 64 levels"},
		},
		{
			name:    "broken JSON keeps what came before",
			file:    "dump.json",
			text:    "[\n" + inc("1", "A") + ",\n{\"model\": \"articles.incident\" \"pk\": 2}\n]",
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"3: invalid JSON"},
		},
		{
			name:    "truncated file",
			file:    "dump.json",
			text:    "[\n" + inc("1", "A") + ",\n" + `{"model": "articles.incident", "fields": {"title": "B`,
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"3: JSON ends too early"},
		},
		{
			name:    "element that is not an object",
			file:    "dump.json",
			text:    `[{"model": "x"}, ` + "\n" + `[1, 2], "s", ` + inc("1", "A") + `]`,
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"2: array element is not an object", "2: array element is not an object"},
			skipped: 1,
		},
		{
			name:    "data after the array",
			file:    "dump.json",
			text:    "[" + inc("1", "A") + "]\n]",
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"2: invalid JSON"},
		},
		{
			name:    "byte order mark and leading blank lines",
			file:    "dump.json",
			text:    "\xEF\xBB\xBF\n\n[\n" + obj("articles.incident", "1", `"title": "A"`) + ",\n" + obj("articles.incident", "2", `"title": null`) + "]",
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"5: no title"},
		},
	}
	runJSONCases(t, tests)
}

func TestReadJSONAndJSONL(t *testing.T) {
	const a = `{"id":"","title":"A","published":"2020-09-18","articles":[3],"triage":{"status":"relevant","starred":true,"tags":["x"],"note":"n"}}`
	const b = `{"title":"B","taxonomy":{"phase":{"options":["Design","nonsense"],"rationale":"r [7]"}}}`
	tests := []jsonCase{
		{
			name: "jsonl",
			file: "x.jsonl",
			text: a + "\n\n" + b + "\n",
			want: []incident.Incident{{Title: "A", Articles: []int64{3}}, {Title: "B", Articles: []int64{7},
				Taxonomy: map[string]incident.Category{"phase": {Options: []string{"design", "nonsense"}}}}},
			warnings: []string{`3: phase: unknown option "nonsense" kept`},
		},
		{
			name:     "jsonl bad lines refused by number, the rest imports",
			file:     "x.jsonl",
			text:     a + "\n{not json}\n" + `{"title": 5}` + "\n" + `{"title":"C","id":"../../etc"}` + "\n" + `["title"]` + "\n" + b,
			want:     []incident.Incident{{Title: "A"}, {Title: "B"}},
			refused:  []string{"2: not an incident object", "3: field title holds a JSON number", "4: id \"../../etc\" is not a faultline id", "5: not an incident object"},
			warnings: []string{`6: phase: unknown option "nonsense" kept`},
		},
		{
			name:     "jsonl line over the limit",
			file:     "x.jsonl",
			opts:     importer.Options{MaxField: 64, MaxFileSize: 512},
			text:     a + "\n" + `{"title":"` + strings.Repeat("y", 5000) + "\"}\n" + b + "\n",
			want:     []incident.Incident{{Title: "A"}, {Title: "B"}},
			refused:  []string{"2: line is 4.8 KiB, over the 576 bytes limit"},
			warnings: []string{`3: phase: unknown option "nonsense" kept`},
		},
		{
			name:    "jsonl string over the limit",
			file:    "x.jsonl",
			opts:    importer.Options{MaxField: 64},
			text:    `{"title":"` + strings.Repeat("y", 100) + "\"}\n" + a,
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"1: title is 100 bytes, over the 64 bytes limit"},
		},
		{
			name:    "jsonl nesting bomb",
			file:    "x.jsonl",
			text:    strings.Repeat(`{"a":`, 1000) + "\n" + a,
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"1: JSON nested deeper than 64 levels"},
		},
		{
			name:     "json array",
			file:     "x.json",
			text:     "[\n" + a + ",\n" + b + "\n]\n",
			want:     []incident.Incident{{Title: "A"}, {Title: "B"}},
			warnings: []string{`3: phase: unknown option "nonsense" kept`},
		},
		{
			name: "pretty-printed single record",
			file: "2728.json",
			text: "{\n \"title\": \"A\",\n \"published\": \"2011-01-04\",\n \"source_id\": \"2728\"\n}\n",
			want: []incident.Incident{{Title: "A", Published: "2011-01-04", SourceID: "2728"}},
		},
		{
			name:     "json array element refused by line",
			file:     "x.json",
			text:     "[\n" + a + ",\n{\"title\": \"\"},\n" + `{"title": "C", "published": "someday"}` + "\n]",
			want:     []incident.Incident{{Title: "A"}, {Title: "C", Published: ""}},
			refused:  []string{"3: no title"},
			warnings: []string{`4: published "someday" is not a date`},
		},
		{
			name:    "json string over the limit",
			file:    "x.json",
			opts:    importer.Options{MaxField: 64},
			text:    "[\n" + a + ",\n{\"title\":\n\"" + strings.Repeat("z", 200) + "\"},\n" + a + "]",
			want:    []incident.Incident{{Title: "A"}, {Title: "A"}},
			refused: []string{"3: title is 200 bytes, over the 64 bytes limit"},
		},
		{
			name:    "json nesting bomb",
			file:    "x.json",
			text:    "[" + a + ",\n" + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + "]",
			want:    []incident.Incident{{Title: "A"}},
			refused: []string{"2: JSON nested deeper than 64 levels"},
		},
		{
			name: "empty json array",
			file: "x.json",
			text: "[]",
		},
	}
	runJSONCases(t, tests)
}

// Records of our own exports carry their triage; others do not.
func TestHasTriage(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "x.jsonl", `{"title":"A","triage":{"status":"new","starred":false,"tags":[],"note":""}}`+"\n"+`{"title":"B"}`+"\n")
	recs, _ := importAll(t, importer.Options{}, p)
	if len(recs) != 2 || recs[0].Triage == nil || recs[1].Triage != nil {
		t.Fatalf("Triage of %d records: want set, nil: %+v", len(recs), recs)
	}
	if !recs[0].Triage.IsZero() || !recs[0].Incident.Triage.IsZero() {
		t.Errorf("an untouched triage of the older form reads as %+v", recs[0].Triage)
	}
}
