package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/search"
)

// importJSON runs import --json and decodes its summary.
func importJSON(t *testing.T, db string, vars map[string]string, paths ...string) (importSummary, result) {
	t.Helper()
	env := map[string]string{"FAULTLINE_DB": db}
	for k, v := range vars {
		env[k] = v
	}
	r := runEnv(t, env, append([]string{"import", "--json"}, paths...)...)
	var s importSummary
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("import --json printed %q (%v); stderr %s", r.stdout, err, r.stderr)
	}
	return s, r
}

type importSummary struct {
	Files, New, Updated, Unchanged int
	Refused                        []struct {
		Path, Reason string
		Line         int
	}
	Warnings        int
	TriageMerged    int `json:"triage_merged"`
	TriageConflicts []struct {
		ID, Title, Field, Kept, Lost string
	} `json:"triage_conflicts"`
}

// exportedIDs returns the FAIL ids of a JSON Lines export, with repeats.
func exportedIDs(t *testing.T, db string) []string {
	t.Helper()
	r := run(t, db, "export")
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var rec struct {
			SourceID string `json:"source_id"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.SourceID)
	}
	return ids
}

// Importing the shared FAIL files whole, twice, in two orders: 69
// records, each FAIL id once, and the second time nothing new or updated.
func TestImportSharedFailTwiceChangesNothing(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	first, r := importJSON(t, db, nil, sharedFail)
	if first.New != 69 {
		t.Errorf("first import: %d new, want 69 (%s)", first.New, r.stderr)
	}
	ids := exportedIDs(t, db)
	if len(ids) != 69 {
		t.Errorf("%d records, want 69", len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id != "" && seen[id] {
			t.Errorf("FAIL id %s twice", id)
		}
		seen[id] = true
	}
	for _, order := range [][]string{{sharedFail}, {
		filepath.Join(sharedFail, "pages_c"), filepath.Join(sharedFail, "dumpdata_a.json"),
		filepath.Join(sharedFail, "csv"), filepath.Join(sharedFail, "pages_a"),
	}} {
		again, _ := importJSON(t, db, nil, order...)
		if again.New != 0 || again.Updated != 0 {
			t.Errorf("import of %v again: %d new, %d updated; want 0 and 0", order, again.New, again.Updated)
		}
	}
}

// In a fresh database, pages first and CSV rows after land on the same
// records as the other way round.
func TestPagesBeforeRowsFindTheirFAILIds(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	importJSON(t, db, nil, filepath.Join(sharedFail, "pages_a"), filepath.Join(sharedFail, "pages_b"))
	s, _ := importJSON(t, db, nil, filepath.Join(sharedFail, "csv"))
	if s.New != 68-31-30+23 && s.New > 68 {
		t.Logf("CSV after pages: %+v", s)
	}
	ids := exportedIDs(t, db)
	slices.Sort(ids)
	if n := len(slices.Compact(slices.Clone(ids))); n != len(ids) {
		t.Errorf("%d records for %d distinct FAIL ids: pages were not matched to their rows", len(ids), n)
	}
	if r := run(t, db, "show", "fail:2743"); !strings.Contains(r.stdout, "pages_a/2743.txt") {
		t.Errorf("the page of FAIL 2743 did not land on it:\n%s", r.stdout)
	}
}

// A colleague's plain export imported over mine leaves my triage intact;
// their later status and their own note merge in.
func TestColleaguesTriageMerges(t *testing.T) {
	mine, theirs := tempDB(t), tempDB(t)
	id := firstID(t, mine)
	ann := map[string]string{"FAULTLINE_DB": mine, "FAULTLINE_REVIEWER": "ann"}
	bob := map[string]string{"FAULTLINE_DB": theirs, "FAULTLINE_REVIEWER": "bob"}
	if r := runEnv(t, ann, "triage", id, "--status", "reviewing", "--star", "--tag", "auth", "--note", "ann's\nnote"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// bob's plain export, no triage of his: nothing of ann's is lost
	runEnv(t, bob, "stats")
	plain := filepath.Join(t.TempDir(), "bob.jsonl")
	runEnv(t, bob, "export", "-o", plain)
	if s, _ := importJSON(t, mine, nil, plain); s.TriageMerged != 0 {
		t.Errorf("a plain export merged %d fields", s.TriageMerged)
	}
	if r := run(t, mine, "triage", id); !strings.Contains(r.stdout, "reviewing ★ #auth") || !strings.Contains(r.stdout, "ann's") {
		t.Errorf("ann's triage after bob's plain export:\n%s", r.stdout)
	}
	// bob takes ann's review, later sets his own status and note
	annFile := filepath.Join(t.TempDir(), "ann.jsonl")
	runEnv(t, ann, "export", "--triage", "-o", annFile)
	importJSON(t, theirs, nil, annFile)
	runEnv(t, bob, "triage", id, "--status", "relevant", "--note", "bob's note", "--untag", "auth")
	bobFile := filepath.Join(t.TempDir(), "bob.triage.jsonl")
	runEnv(t, bob, "export", "--triage", "-o", bobFile)
	s, _ := importJSON(t, mine, nil, bobFile)
	if s.TriageMerged != 3 || len(s.TriageConflicts) != 0 {
		t.Errorf("merged %d fields, conflicts %+v; want 3 (status, tag, note) and none", s.TriageMerged, s.TriageConflicts)
	}
	r := run(t, mine, "triage", "--json", id)
	var got struct {
		Triage struct {
			Status struct{ Value, By string }
			Star   struct{ Value bool }
			Tags   map[string]struct{ Value bool }
			Notes  []struct{ By, Text string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	tr := got.Triage
	if tr.Status.Value != "relevant" || tr.Status.By != "bob" || !tr.Star.Value || tr.Tags["auth"].Value || len(tr.Notes) != 2 {
		t.Errorf("merged triage %+v", tr)
	}
	// Importing the same file again merges nothing more.
	if s, _ := importJSON(t, mine, nil, bobFile); s.TriageMerged != 0 {
		t.Errorf("re-import merged %d fields", s.TriageMerged)
	}
}

// Two reviewers who changed the same status beside each other: the later
// wins, and the import says so.
func TestTriageConflictIsListed(t *testing.T) {
	mine, theirs := tempDB(t), tempDB(t)
	id := firstID(t, mine)
	run(t, theirs, "stats")
	runEnv(t, map[string]string{"FAULTLINE_DB": mine, "FAULTLINE_REVIEWER": "ann"}, "triage", id, "--status", "dismissed")
	runEnv(t, map[string]string{"FAULTLINE_DB": theirs, "FAULTLINE_REVIEWER": "bob"}, "triage", id, "--status", "actioned")
	file := filepath.Join(t.TempDir(), "bob.jsonl")
	run(t, theirs, "export", "--triage", "-o", file)
	copyDB := filepath.Join(t.TempDir(), "copy.db")
	data, _ := os.ReadFile(mine)
	os.WriteFile(copyDB, data, 0o600)
	s, _ := importJSON(t, mine, nil, file)
	if len(s.TriageConflicts) != 1 || s.TriageConflicts[0].Field != "status" || !strings.Contains(s.TriageConflicts[0].Kept, "actioned (bob") {
		t.Errorf("conflicts %+v", s.TriageConflicts)
	}
	r := run(t, copyDB, "import", file)
	if !strings.Contains(r.stdout, "triage: 1 field merged, 1 conflict") || !strings.Contains(r.stdout, "status: kept actioned (bob") {
		t.Errorf("text summary:\n%s", r.stdout)
	}
}

func firstID(t *testing.T, db string) string {
	t.Helper()
	r := run(t, db, "search", "--limit", "1", "")
	id, _, _ := strings.Cut(r.stdout, " ")
	if id == "" {
		t.Fatalf("no incident: %+v", r)
	}
	return id
}

func TestTriageCommand(t *testing.T) {
	db := tempDB(t)
	id := firstID(t, db)
	note := filepath.Join(t.TempDir(), "note.md")
	os.WriteFile(note, []byte("from a file\n\nwith lines\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout, or stderr when the code is not 0
	}{
		{"status and tags", []string{"triage", id[:6], "--status", "reviewing", "--tag", "a", "--tag", "b"}, 0, "reviewing #a #b"},
		{"untag and star", []string{"triage", id, "--untag", "a", "--star"}, 0, "reviewing ★ #b"},
		{"note from a file", []string{"triage", id, "--note-file", note}, 0, "    with lines"},
		{"show only", []string{"triage", id}, 0, "reviewing ★ #b"},
		{"unknown status", []string{"triage", id, "--status", "later"}, 2, `--status "later": want one of new`},
		{"star and unstar", []string{"triage", id, "--star", "--unstar"}, 2, "choose one"},
		{"unknown id", []string{"triage", "ffffffffffff", "--star"}, 1, "ffffffffffff: store: get"},
		{"no id", []string{"triage", "--star"}, 2, "name at least one incident"},
		{"delete the note", []string{"triage", id, "--note", ""}, 0, "reviewing ★ #b"},
		{"correct the taxonomy", []string{"triage", id, "--taxonomy", "phase=design,Operation", "--taxonomy", "cps=none"}, 0, "phase: design, operation (the source says"},
		{"an option outside the vocabulary", []string{"triage", id, "--taxonomy", "phase=later"}, 2, `"later" is not an option of phase`},
		{"withdraw a correction", []string{"triage", id, "--taxonomy", "cps="}, 0, "phase: design, operation"},
	}
	for _, tt := range tests {
		r := run(t, db, tt.args...)
		out := r.stdout
		if tt.code != 0 {
			out = r.stderr
		}
		if r.code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%s: exit %d, out %q err %q; want %d and %q", tt.name, r.code, r.stdout, r.stderr, tt.code, tt.want)
		}
	}
	if r := run(t, db, "triage", id); strings.Contains(r.stdout, "from a file") {
		t.Errorf("the deleted note still shows:\n%s", r.stdout)
	}
	if r := run(t, db, "search", "is:starred", "tag:b"); !strings.Contains(r.stdout, id) {
		t.Errorf("search does not see the triage: %+v", r)
	}
}

func TestDeleteKeepsTriageForReturn(t *testing.T) {
	db := tempDB(t)
	id := firstID(t, db)
	run(t, db, "triage", id, "--star", "--note", "still here")
	r := run(t, db, "delete", "source:starter")
	if r.code != 0 || !strings.Contains(r.stdout, "14 incidents would be removed") {
		t.Fatalf("delete without --yes: %+v", r)
	}
	if n := len(exportedIDs(t, db)); n != 14 {
		t.Errorf("delete without --yes removed something: %d left", n)
	}
	if r := run(t, db, "delete", "source:starter", "--yes"); r.code != 0 || !strings.Contains(r.stdout, "14 incidents removed") {
		t.Fatalf("delete --yes: %+v", r)
	}
	if r := run(t, db, "search", ""); strings.TrimSpace(r.stdout) != "" {
		t.Errorf("incidents left: %q", r.stdout)
	}
	if r := run(t, db, "delete", "--yes"); r.code != 2 {
		t.Errorf("delete without a query: %+v", r)
	}
	run(t, db, "import", "--starter")
	if r := run(t, db, "triage", id); !strings.Contains(r.stdout, "★") || !strings.Contains(r.stdout, "still here") {
		t.Errorf("triage after the starter set came back:\n%s", r.stdout)
	}
}

func TestSharedArticlesResolve(t *testing.T) {
	needShared(t)
	db := tempDB(t)
	importJSON(t, db, nil, filepath.Join(sharedFail, "csv", "incidents_b.csv"), filepath.Join(sharedFail, "articles"))
	cited, resolved := map[int64]bool{}, map[int64]bool{}
	r := run(t, db, "search", "--limit", "0", "source:incidents_b.csv")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		id, _, _ := strings.Cut(line, " ")
		var rec struct {
			Articles []int64 `json:"articles"`
			Cited    []struct {
				ID       int64  `json:"id"`
				Headline string `json:"headline"`
				URL      string `json:"url"`
			} `json:"cited_articles"`
		}
		if err := json.Unmarshal([]byte(run(t, db, "show", "--json", id).stdout), &rec); err != nil {
			t.Fatal(err)
		}
		for _, a := range rec.Articles {
			cited[a] = true
		}
		for _, a := range rec.Cited {
			if a.Headline == "" || a.URL == "" {
				t.Errorf("article %d: %+v", a.ID, a)
			}
			resolved[a.ID] = true
		}
	}
	if len(cited) != 49 || len(resolved) != 46 {
		t.Errorf("%d of %d cited ids resolve, want 46 of 49", len(resolved), len(cited))
	}
	show := run(t, db, "show", "fail:1269").stdout
	md := run(t, db, "export", "--format", "md", "atlanta", "ransomware").stdout
	for what, out := range map[string]string{"show": show, "markdown": md} {
		if !strings.Contains(out, "The FBI is investigating a ransomware attack on the city of Atlanta") ||
			!strings.Contains(out, "https://www.cnn.com/2018/03/22/us/atlanta-ransomware-attack/index.html") {
			t.Errorf("%s lacks the cited article:\n%s", what, out)
		}
	}
}

// A taxonomy correction is what search, facets and stats count, over the
// stored index (which a reader brings up to date, and keeps) as over one
// rebuilt; reviewed:yes finds the corrected incident.
func TestCorrectionsReachSearchAndStats(t *testing.T) {
	db := tempDB(t)
	total := func(args ...string) int {
		t.Helper()
		r := run(t, db, append([]string{"search", "--json"}, args...)...)
		var out struct{ Total int }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("search %v: %v %+v", args, err, r)
		}
		return out.Total
	}
	designs := total("phase:design")
	id, _, _ := strings.Cut(run(t, db, "search", "--limit", "1", "-phase:design").stdout, " ")
	if r := run(t, db, "triage", id, "--taxonomy", "phase=design"); r.code != 0 {
		t.Fatalf("triage: %+v", r)
	}
	check := func(when string) {
		t.Helper()
		if got := total("phase:design"); got != designs+1 {
			t.Errorf("%s: phase:design finds %d, want %d", when, got, designs+1)
		}
		if r := run(t, db, "search", "reviewed:yes"); !strings.HasPrefix(r.stdout, id) || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("%s: reviewed:yes: %+v", when, r)
		}
		var st struct {
			Taxonomy map[string]map[string]int
			Triage   map[string]map[string]int
		}
		json.Unmarshal([]byte(run(t, db, "stats", "--json").stdout), &st)
		if st.Taxonomy["phase"]["design"] != designs+1 || st.Triage[search.FacetReviewed]["yes"] != 1 {
			t.Errorf("%s: stats phase %v, reviewed %v", when, st.Taxonomy["phase"], st.Triage[search.FacetReviewed])
		}
	}
	check("after the correction")
	if !indexCurrent(t, db) {
		t.Error("the reader did not keep the index it brought up to date")
	}
	run(t, db, "check", "--reindex")
	check("after a rebuild")
	run(t, db, "triage", id, "--taxonomy", "phase=")
	if got := total("phase:design"); got != designs {
		t.Errorf("withdrawn: phase:design finds %d, want %d", got, designs)
	}
}
