package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// sample returns a realistic incident numbered n, with every field and a
// few taxonomy categories filled.
func sample(n int) incident.Incident {
	in := incident.Incident{
		SourceID:  fmt.Sprint(1000 + n),
		Title:     fmt.Sprintf("Outage %d: configuration push took down the fleet", n),
		Published: fmt.Sprintf("20%02d-%02d-%02d", 10+n%14, 1+n%12, 1+n%28),
		Summary:   fmt.Sprintf("A bad configuration reached every region (case %d).", n),
		Postmortem: incident.Postmortem{
			Timeline:          "1. 09:00 push started [101]\n2. 09:05 alarms [102]",
			System:            "the fleet's configuration service",
			ResponsibleOrg:    "Example Corp",
			ImpactedOrg:       "its customers",
			SoftwareCauses:    "1. no staged rollout\n2. validation skipped",
			NonSoftwareCauses: "pressure to ship",
			Impacts:           "three hours of downtime",
			Preventions:       "staged rollouts",
			Fixes:             "rollback",
			References:        "[101, 102]",
		},
		Taxonomy: map[string]incident.Category{
			"phase":  {Options: []string{"operation"}, Rationale: "a push in production [101]"},
			"domain": {Options: []string{"information"}, Rationale: "cloud services"},
		},
	}
	in.Articles = incident.ArticlesOf(&in)
	in.Normalize()
	return in
}

// big returns sample(n) grown to about size bytes of text.
func big(n, size int) incident.Incident {
	in := sample(n)
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d. step %d of incident %d: the operator ran the runbook again [%d]\n", i+1, i, n, 100+i%7)
	}
	in.Postmortem.Timeline = b.String()
	return in
}

// openTemp opens a new store under t.TempDir and checks it on cleanup.
func openTemp(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "faultline.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeChecked(t, s) })
	return s
}

// closeChecked runs the bbolt consistency check and closes s.
func closeChecked(t testing.TB, s *Store) {
	t.Helper()
	if s.db == nil {
		return
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

func mustPut(t testing.TB, s *Store, recs []incident.Incident, withTriage bool) PutStats {
	t.Helper()
	st, err := put(s, recs, withTriage)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPutGetRoundTrip(t *testing.T) {
	s := openTemp(t, Options{})
	hostile := sample(1)
	hostile.Title = "Hostile \x1b]52;c;ZXZpbA==\x07 title \x1b[2J <b>&amp;</b>"
	hostile.Postmortem.Timeline = "line\r\nwith \x00 NUL, \u202e bidi and \u009b 8-bit CSI"
	hostile.ID = ""
	hostile.Normalize()
	recs := []incident.Incident{sample(2), hostile}
	if st := mustPut(t, s, recs, false); st.Counts != (Counts{New: 2}) {
		t.Fatalf("stats = %+v, want 2 new", st)
	}
	for _, want := range recs {
		got, err := s.Get(want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%s):\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
}

// Invalid UTF-8 cannot travel through JSON: it is stored as U+FFFD, as
// doc.go says (the importer replaces it first, with a warning).
func TestInvalidUTF8StoredAsReplacement(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(1)
	in.Postmortem.System = "bad \xff\xfe bytes"
	mustPut(t, s, []incident.Incident{in}, false)
	got, err := s.Get(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "bad \ufffd\ufffd bytes"; got.Postmortem.System != want {
		t.Errorf("system = %q, want %q", got.Postmortem.System, want)
	}
}

func TestPutIdempotent(t *testing.T) {
	s := openTemp(t, Options{})
	recs := []incident.Incident{sample(1), sample(2), sample(3)}
	mustPut(t, s, recs, false)
	if st := mustPut(t, s, recs, false); st.Counts != (Counts{Unchanged: 3}) {
		t.Fatalf("second put = %+v, want 3 unchanged", st)
	}
	if n, _ := s.Count(); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
	changed := sample(2)
	changed.Postmortem.Fixes = "rollback, then a staged rollout"
	if st := mustPut(t, s, []incident.Incident{changed}, false); st.Counts != (Counts{Updated: 1}) {
		t.Fatalf("changed put = %+v, want 1 updated", st)
	}
	got, _ := s.Get(changed.ID)
	if got.Postmortem.Fixes != changed.Postmortem.Fixes {
		t.Errorf("fixes = %q", got.Postmortem.Fixes)
	}
}

func TestPutDoesNotAliasCaller(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(1)
	in.Taxonomy = map[string]incident.Category{"phase": {Options: []string{"design"}}}
	before := fmt.Sprint(in.Taxonomy)
	mustPut(t, s, []incident.Incident{in}, false)
	if after := fmt.Sprint(in.Taxonomy); after != before {
		t.Errorf("Put changed the caller's taxonomy: %s -> %s", before, after)
	}
}

func TestMerge(t *testing.T) {
	full := sample(1)
	tests := []struct {
		name   string
		edit   func(*incident.Incident)
		check  func(t *testing.T, got incident.Incident)
		status string // "unchanged" or "updated"
	}{
		{"empty summary keeps stored", func(in *incident.Incident) { in.Summary = "" },
			func(t *testing.T, got incident.Incident) {
				if got.Summary != full.Summary {
					t.Errorf("summary = %q", got.Summary)
				}
			}, "unchanged"},
		{"empty source id keeps stored", func(in *incident.Incident) { in.SourceID = "" },
			func(t *testing.T, got incident.Incident) {
				if got.SourceID != full.SourceID {
					t.Errorf("source_id = %q", got.SourceID)
				}
			}, "unchanged"},
		{"empty field keeps stored", func(in *incident.Incident) { in.Postmortem.Impacts = "" },
			func(t *testing.T, got incident.Incident) {
				if got.Postmortem.Impacts != full.Postmortem.Impacts {
					t.Errorf("impacts = %q", got.Postmortem.Impacts)
				}
			}, "unchanged"},
		{"empty category keeps stored", func(in *incident.Incident) {
			in.Taxonomy["phase"] = incident.Category{Options: []string{}}
		}, func(t *testing.T, got incident.Incident) {
			if !reflect.DeepEqual(got.Taxonomy["phase"], full.Taxonomy["phase"]) {
				t.Errorf("phase = %+v", got.Taxonomy["phase"])
			}
		}, "unchanged"},
		{"missing taxonomy keeps stored", func(in *incident.Incident) { in.Taxonomy = nil },
			func(t *testing.T, got incident.Incident) {
				if !reflect.DeepEqual(got.Taxonomy, full.Taxonomy) {
					t.Errorf("taxonomy = %+v", got.Taxonomy)
				}
			}, "unchanged"},
		{"options without rationale keep stored rationale", func(in *incident.Incident) {
			in.Taxonomy["phase"] = incident.Category{Options: []string{"design"}}
		}, func(t *testing.T, got incident.Incident) {
			want := incident.Category{Options: []string{"design"}, Rationale: full.Taxonomy["phase"].Rationale}
			if !reflect.DeepEqual(got.Taxonomy["phase"], want) {
				t.Errorf("phase = %+v, want %+v", got.Taxonomy["phase"], want)
			}
		}, "updated"},
		{"new text replaces", func(in *incident.Incident) { in.Summary = "rewritten" },
			func(t *testing.T, got incident.Incident) {
				if got.Summary != "rewritten" {
					t.Errorf("summary = %q", got.Summary)
				}
			}, "updated"},
		{"no articles keeps stored", func(in *incident.Incident) { in.Articles = nil },
			func(t *testing.T, got incident.Incident) {
				if !reflect.DeepEqual(got.Articles, full.Articles) {
					t.Errorf("articles = %v", got.Articles)
				}
			}, "unchanged"},
		{"articles are a union", func(in *incident.Incident) { in.Articles = []int64{103, 101} },
			func(t *testing.T, got incident.Incident) {
				want := append(append([]int64{}, full.Articles...), 103)
				if !reflect.DeepEqual(got.Articles, want) {
					t.Errorf("articles = %v, want %v", got.Articles, want)
				}
			}, "updated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t, Options{})
			mustPut(t, s, []incident.Incident{full}, false)
			next := sample(1)
			tc.edit(&next)
			st := mustPut(t, s, []incident.Incident{next}, false)
			want := Counts{Unchanged: 1}
			if tc.status == "updated" {
				want = Counts{Updated: 1}
			}
			if st.Counts != want {
				t.Errorf("stats = %+v, want %+v", st, want)
			}
			got, err := s.Get(full.ID)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got)
		})
	}
}

func TestTriage(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(1)
	mustPut(t, s, []incident.Incident{in}, false)
	tr := triageOf(incident.StatusRelevant, true, []string{"ops"}, "see \x1b[31mred")
	if err := setTriage(s, in.ID, tr); err != nil {
		t.Fatal(err)
	}
	// A re-import without triage never touches it, even with a triage set.
	again := sample(1)
	again.Triage = triageOf(incident.StatusDismissed, false, nil, "")
	if st := mustPut(t, s, []incident.Incident{again}, false); st.Counts != (Counts{Unchanged: 1}) {
		t.Errorf("re-import = %+v, want unchanged", st)
	}
	got, _ := s.Get(in.ID)
	if !reflect.DeepEqual(got.Triage, tr) {
		t.Errorf("triage after re-import = %+v, want %+v", got.Triage, tr)
	}
	// withTriage merges it: a later status wins, the rest stays.
	if st := mustPut(t, s, []incident.Incident{again}, true); st.Counts != (Counts{Unchanged: 1}) || st.TriageMerged != 1 {
		t.Errorf("put with triage = %+v, want unchanged text and one triage field merged", st)
	}
	if got, _ := s.Triage(in.ID); got.State() != incident.StatusDismissed || !got.Starred() || got.NoteBy("tester") == "" {
		t.Errorf("triage = %+v", got)
	}
	// A zero triage merges nothing.
	if st := mustPut(t, s, []incident.Incident{sample(1)}, true); st.TriageMerged != 0 {
		t.Errorf("put zero triage = %+v, want nothing merged", st)
	}
	var n int
	s.view(func(tx *bolt.Tx) error { n = tx.Bucket(bucketTriage).Stats().KeyN; return nil })
	if n != 1 {
		t.Errorf("triage bucket holds %d keys, want 1", n)
	}
	if err := setTriage(s, "nope", tr); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetTriage(unknown) = %v, want ErrNotFound", err)
	}
}

func TestGetPrefix(t *testing.T) {
	s := openTemp(t, Options{})
	a, b, c := sample(1), sample(2), sample(3)
	a.ID, b.ID, c.ID = "abc123", "abd456", "xyz789"
	a.SourceID, b.SourceID, c.SourceID = "", "", "" // ids from a source key could not be chosen
	mustPut(t, s, []incident.Incident{a, b, c}, false)
	tests := []struct {
		name, q, want string
		err           error
	}{
		{"exact", "abc123", "abc123", nil},
		{"unique prefix", "x", "xyz789", nil},
		{"longer unique prefix", "abd", "abd456", nil},
		{"ambiguous", "ab", "", ErrAmbiguous},
		{"missing", "q", "", ErrNotFound},
		{"upper case", "ABC", "abc123", nil},
		{"upper-case ambiguous", "AB", "", ErrAmbiguous},
		{"empty", "", "", ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Get(tc.q)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got.ID != tc.want {
				t.Errorf("id = %q, want %q", got.ID, tc.want)
			}
		})
	}
}

// The explorer reads and saves triage from several goroutines; run with
// -race.
func TestConcurrentUse(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(0)}, false)
	done := make(chan error, 3)
	go func() {
		for i := 1; i < 20; i++ {
			if _, err := put(s, []incident.Incident{sample(i)}, false); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < 20; i++ {
			if err := setTriage(s, sample(0).ID, triageOf("", false, []string{fmt.Sprint(i)}, "")); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < 20; i++ {
			if _, err := s.All(); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Count(); n != 20 {
		t.Errorf("Count = %d, want 20", n)
	}
}

func TestAllOrder(t *testing.T) {
	s := openTemp(t, Options{})
	a, b, c, d := sample(1), sample(2), sample(3), sample(4)
	for _, in := range []*incident.Incident{&a, &b, &c, &d} {
		in.SourceID = ""
	}
	a.ID, a.Published = "a", "2020-01-01"
	b.ID, b.Published = "b", "2022-05-01"
	c.ID, c.Published = "c", ""
	d.ID, d.Published = "d", "2022-05-01"
	mustPut(t, s, []incident.Incident{a, b, c, d}, false)
	setTriage(s, "d", triageOf("", true, nil, ""))
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range all {
		ids = append(ids, in.ID)
	}
	if got := strings.Join(ids, ","); got != "b,d,a,c" {
		t.Errorf("order = %s, want b,d,a,c", got)
	}
	if !all[1].Triage.Starred() {
		t.Error("All did not merge triage")
	}
}

func TestStoredValueHasNoTriage(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(1)
	in.Triage.SetNote("private", stamp())
	mustPut(t, s, []incident.Incident{in}, true)
	s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketIncidents).Get([]byte(in.ID))
		if bytes.Contains(v, []byte(`"triage"`)) || bytes.Contains(v, []byte("private")) {
			t.Errorf("incident value carries triage: %s", v)
		}
		return nil
	})
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, []incident.Incident{sample(1)}, false)
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, ro)
	if !ro.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	if _, err := put(ro, []incident.Incident{sample(2)}, false); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Put = %v, want ErrReadOnly", err)
	}
	if err := setTriage(ro, sample(1).ID, triageOf("", true, nil, "")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetTriage = %v, want ErrReadOnly", err)
	}
	if n, err := ro.Count(); err != nil || n != 1 {
		t.Errorf("Count = %d, %v", n, err)
	}
}

func TestCreateModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "faultline.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	closeChecked(t, s)
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the database", len(entries))
	}
	if !Exists(path) || Exists(path+".x") {
		t.Error("Exists is wrong")
	}
}

func TestNoCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.db")
	for _, opts := range []Options{{NoCreate: true}, {ReadOnly: true}} {
		_, err := Open(path, opts)
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%+v) = %v, want ErrNotExist naming the path", opts, err)
		}
		if Exists(path) {
			t.Fatalf("Open(%+v) created the file", opts)
		}
	}
}
