package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

// sharedFail is the FAIL data beside the repository; tests that need it
// skip when it is absent.
const sharedFail = "../../../shared/fail"

func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedFail); err != nil {
		t.Skipf("no %s: %v", sharedFail, err)
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// run calls Main with a clean environment pointing at db.
func run(t *testing.T, db string, args ...string) result {
	t.Helper()
	return runEnv(t, map[string]string{"FAULTLINE_DB": db}, args...)
}

// runEnv calls Main with only the given environment variables set, for a
// user whose login name is "tester".
func runEnv(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := testEnv(vars)
	e.stdout, e.stderr = &out, &errb
	code := e.main(args)
	return result{code, out.String(), errb.String()}
}

func testEnv(vars map[string]string) *env {
	return &env{
		stdin:  strings.NewReader(""),
		stdout: io.Discard, stderr: io.Discard,
		getenv: func(k string) string { return vars[k] },
		login:  func() string { return "tester" },
	}
}

func tempDB(t *testing.T) string {
	return filepath.Join(t.TempDir(), "data", "faultline.db")
}

var spaceRe = regexp.MustCompile(`\s+`)

func collapse(s string) string { return strings.TrimSpace(spaceRe.ReplaceAllString(s, " ")) }

// expected is the record layout of ../shared/fail/pages_*/<id>.json.
type expected struct {
	Title      string                       `json:"title"`
	Published  string                       `json:"published"`
	Postmortem map[string]string            `json:"postmortem"`
	Taxonomy   map[string]incident.Category `json:"taxonomy"`
}

func TestImportPagesThenExportGivesExpectedRecords(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	dir := filepath.Join(sharedFail, "pages_a")
	r := run(t, db, "import", dir)
	// pages_a holds .json files too: they are canonical-looking records of
	// another layout, so the import may refuse them; the .txt pages must land.
	exp := map[string]expected{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e expected
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		exp[incident.TitleKey(e.Title, e.Published)] = e
	}
	if len(exp) == 0 {
		t.Fatal("no expected records")
	}
	r = run(t, db, "export", "--format", "jsonl")
	if r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	got := map[string]incident.Incident{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var in incident.Incident
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		got[incident.TitleKey(in.Title, in.Published)] = in
	}
	if len(got) != len(exp) {
		t.Errorf("exported %d records, want %d", len(got), len(exp))
	}
	for id, e := range exp {
		in, ok := got[id]
		if !ok {
			t.Errorf("%s (%q) not exported", id, e.Title)
			continue
		}
		if collapse(in.Title) != collapse(e.Title) || in.Published != e.Published {
			t.Errorf("%s: title/date %q %q, want %q %q", id, in.Title, in.Published, e.Title, e.Published)
		}
		for _, f := range incident.Fields {
			if g, w := collapse(*f.Get(&in.Postmortem)), collapse(e.Postmortem[f.Key]); g != w {
				t.Errorf("%s %s:\n got %.120q\nwant %.120q", id, f.Key, g, w)
			}
		}
		for k, c := range e.Taxonomy {
			g := in.Taxonomy[k]
			if strings.Join(g.Options, ",") != strings.Join(c.Options, ",") || collapse(g.Rationale) != collapse(c.Rationale) {
				t.Errorf("%s %s: got %v %.60q, want %v %.60q", id, k, g.Options, g.Rationale, c.Options, c.Rationale)
			}
		}
	}
}

func TestImportRefusesBadFilesAndKeepsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../testdata/pages/crlf-bom.txt")
	if err != nil {
		t.Skipf("no team test page: %v", err)
	}
	files := map[string][]byte{
		"good.txt":     good,
		"empty.txt":    nil,
		"binary.txt":   {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0xff, 0xfe, 0, 0},
		"untitled.txt": []byte("Published Date: 2020-01-01\n\nPostmortem Analysis\nTimeline None\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := tempDB(t)
	r := run(t, db, "import", dir)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, name := range []string{"empty.txt", "binary.txt", "untitled.txt"} {
		if !strings.Contains(r.stderr, name) {
			t.Errorf("stderr does not name %s:\n%s", name, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "good.txt") {
		t.Errorf("good file refused:\n%s", r.stderr)
	}
	r = run(t, db, "stats", "--json")
	var st struct{ Incidents int }
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Incidents != 1 {
		t.Errorf("stats after import: %v %q (want 1 incident: no starter set in an imported file)", err, r.stdout)
	}
}

func TestReadingCommandCreatesStarterSet(t *testing.T) {
	db := tempDB(t)
	r := run(t, db, "stats", "--json")
	if r.code != 0 {
		t.Fatalf("stats: %d %s", r.code, r.stderr)
	}
	var st struct {
		Incidents int
		Taxonomy  map[string]map[string]int
		Years     map[string]int
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.Incidents < 12 || len(st.Years) == 0 || len(st.Taxonomy["domain"]) == 0 {
		t.Errorf("starter stats: %+v", st)
	}
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(filepath.Dir(db))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("database directory mode %v, want 0700", di.Mode().Perm())
	}
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	db := tempDB(t)
	first := run(t, db, "export")
	if first.code != 0 || first.stdout == "" {
		t.Fatalf("export: %d %s", first.code, first.stderr)
	}
	// Give one incident triage, so the round trip carries it.
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.All()
	if err != nil || len(all) == 0 {
		t.Fatal(err)
	}
	tri := tri(incident.StatusRelevant, true, []string{"auth", "bgp"}, "check our\nown config")
	if _, _, err := s.MergeTriage(all[0].ID, tri); err != nil {
		t.Fatal(err)
	}
	s.Close()
	first = run(t, db, "export")
	file := filepath.Join(t.TempDir(), "all.jsonl")
	if err := os.WriteFile(file, []byte(first.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	db2 := tempDB(t)
	if r := run(t, db2, "import", file); r.code != 0 {
		t.Fatalf("import: %d %s %s", r.code, r.stdout, r.stderr)
	}
	second := run(t, db2, "export")
	if second.stdout != first.stdout {
		t.Errorf("round trip differs:\nfirst  %.300q\nsecond %.300q", first.stdout, second.stdout)
	}
	if !strings.Contains(second.stdout, `"text":"check our\nown config"`) {
		t.Errorf("triage lost in round trip")
	}
	// Importing the same file again changes nothing, and says so.
	r := run(t, db2, "import", file)
	if r.code != 0 || !strings.Contains(r.stdout, "0 new, 0 updated") {
		t.Errorf("re-import: %d %q", r.code, r.stdout)
	}
}

func TestSearchJSONFacetsCountTheHits(t *testing.T) {
	db := tempDB(t)
	r := run(t, db, "search", "--json", "--limit", "2", "software")
	if r.code != 0 {
		t.Fatalf("search: %d %s", r.code, r.stderr)
	}
	var out struct {
		Total  int
		Hits   []struct{ ID, Title, Published string }
		Facets map[string]map[string]int
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.Total < 3 || len(out.Hits) != 2 {
		t.Fatalf("total %d, %d hits", out.Total, len(out.Hits))
	}
	for cat := range out.Facets {
		if _, ok := incident.CategoryByKey(cat); !ok {
			t.Errorf("facets hold %q, not a taxonomy category", cat)
		}
	}
	sum := 0
	for _, n := range out.Facets["domain"] {
		sum += n
	}
	if sum < out.Total {
		t.Errorf("domain facets add up to %d over %d matches: counted over shown hits only?", sum, out.Total)
	}
}

func TestHostileIncidentIsNeutralisedOnScreenAndKeptInJSON(t *testing.T) {
	page := "../../testdata/pages/hostile.txt"
	if _, err := os.Stat(page); err != nil {
		t.Skipf("no hostile page: %v", err)
	}
	db := tempDB(t)
	if r := run(t, db, "import", page); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.All()
	s.Close()
	if len(all) != 1 {
		t.Fatalf("%d incidents", len(all))
	}
	id := all[0].ID
	for _, args := range [][]string{{"show", id}, {"export", "--format", "md"}, {"search", "--limit", "0"}} {
		r := run(t, db, args...)
		if r.code != 0 {
			t.Fatalf("%v: %d %s", args, r.code, r.stderr)
		}
		if i := strings.IndexFunc(r.stdout, func(c rune) bool {
			return c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f
		}); i >= 0 {
			t.Errorf("%v writes control byte %q at %d: %.80q", args, r.stdout[i], i, r.stdout[max(0, i-20):])
		}
	}
	r := run(t, db, "show", "--json", id)
	if !strings.Contains(r.stdout, `\u001b`) {
		t.Errorf("show --json lost the escape bytes: %.200q", r.stdout)
	}
}

func TestUsage(t *testing.T) {
	db := tempDB(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"import without paths", []string{"import"}, 2, "no files"},
		{"show without id", []string{"show"}, 2, "one incident id"},
		{"bad format", []string{"export", "--format", "xml"}, 2, "jsonl, json, md, csv or triage"},
		{"bad query", []string{"search", "colour:blue"}, 2, "colour"},
		{"help", []string{"search", "-h"}, 0, "Example"},
		{"top help", []string{"help"}, 0, "Commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, db, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("%v: exit %d, want %d with %q\nstdout: %s\nstderr: %s", tt.args, r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestThreeFormatsTwiceGiveOneRecordEach(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	paths := []string{
		filepath.Join(sharedFail, "pages_a"),
		filepath.Join(sharedFail, "csv", "incidents_a.csv"),
		filepath.Join(sharedFail, "dumpdata_a.json"),
	}
	for round := 1; round <= 2; round++ {
		r := run(t, db, append([]string{"import"}, paths...)...)
		if strings.Contains(r.stderr, ".txt") || strings.Contains(r.stderr, ".csv") || strings.Contains(r.stderr, "dumpdata") {
			t.Errorf("round %d refused an incident source:\n%s", round, r.stderr)
		}
		if round == 2 && !strings.Contains(r.stdout, "0 new, 0 updated") {
			t.Errorf("round 2 added records: %s", r.stdout)
		}
	}
	r := run(t, db, "stats", "--json")
	var st struct{ Incidents int }
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.Incidents != 31 {
		t.Errorf("%d records, want 31", st.Incidents)
	}
	// The CSV and dump bring what page text lacks: the FAIL id and summary.
	r = run(t, db, "export")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var in incident.Incident
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatal(err)
		}
		if in.SourceID == "" || in.Summary == "" {
			t.Errorf("%s %q: source_id %q, summary %d bytes", in.ID, in.Title, in.SourceID, len(in.Summary))
		}
	}
}

func TestOversizedPageIsRefusedBesideAGoodOne(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../testdata/pages/crlf-bom.txt")
	if err != nil {
		t.Skipf("no team test page: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "good.txt"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// 40 MB of page text: sparse, so the test costs no disk.
	big.WriteString("Incident: Huge\n")
	if err := big.Truncate(40 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()
	db := tempDB(t)
	r := run(t, db, "import", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "huge.txt") || strings.Contains(r.stderr, "good.txt") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "1 new") {
		t.Errorf("good page not imported: %s", r.stdout)
	}
}

func TestForeignDatabaseIsRefusedAndLeftAlone(t *testing.T) {
	dir := t.TempDir()
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*7919 + i>>3)
	}
	files := map[string][]byte{
		"random.db": junk,
		"notes.txt": []byte("not a database\n"),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"stats"}, {"import", "../../testdata/pages/wide.txt"}, {"search", "x"}} {
			r := run(t, path, args...)
			if r.code != 1 || !strings.Contains(r.stderr, path) {
				t.Errorf("%s %v: exit %d, stderr %q (want 1, naming the file)", name, args, r.code, r.stderr)
			}
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, data) {
			t.Errorf("%s was modified", name)
		}
	}
}

func TestExplorerBackendReportsADeletedDatabase(t *testing.T) {
	db := tempDB(t)
	b := &storeBackend{path: db}
	ix, err := b.Load()
	if err != nil || ix.Len() == 0 {
		t.Fatalf("load: %v", err)
	}
	incs := ix.Search(search.Query{}, search.Options{}).Hits
	if _, err := b.SaveTriage(incs[0].ID, tri(incident.StatusReviewing, false, nil, "")); err != nil {
		t.Fatalf("save: %v", err)
	}
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	_, err = b.SaveTriage(incs[0].ID, tri("", true, nil, ""))
	if err == nil || !strings.Contains(err.Error(), "no longer exists") {
		t.Errorf("save after delete: %v", err)
	}
	if _, statErr := os.Stat(db); statErr == nil {
		t.Error("a triage save re-created the deleted database")
	}
}
