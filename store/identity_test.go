package store

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// twin returns sample(n) retitled to the title and date of sample(1), with
// its own text: a distinct source incident that shares them.
func twin(n int) incident.Incident {
	in := sample(n)
	first := sample(1)
	in.Title, in.Published = first.Title, first.Published
	in.Postmortem.Impacts = "a different failure altogether, at another company, for other reasons"
	in.Postmortem.System, in.Postmortem.Fixes = "billing", "a refund"
	in.Postmortem.Timeline, in.Postmortem.SoftwareCauses = "", "a race in the invoice job"
	in.ID = ""
	in.Normalize()
	return in
}

// asPage drops what page text does not carry: the FAIL id and the summary.
func asPage(in incident.Incident) incident.Incident {
	in.SourceID, in.Summary, in.ID = "", "", ""
	in.Normalize()
	return in
}

func putFrom(t *testing.T, s *Store, form string, recs ...incident.Incident) PutStats {
	t.Helper()
	ins := make([]Input, len(recs))
	for i, in := range recs {
		ins[i] = Input{Incident: in, Source: incident.Source{Form: form, File: "/data/" + form + ".file"}}
	}
	st, err := s.Put(ins)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIdentity(t *testing.T) {
	a, b := sample(1), twin(2)
	tests := []struct {
		name  string
		steps [][]incident.Incident // each step one Put, form by position: csv, page
		want  int                   // records at the end
	}{
		{"two FAIL ids sharing title and date stay two", [][]incident.Incident{{a, b}}, 2},
		{"a page finds its CSV row among twins", [][]incident.Incident{{a, b}, {asPage(b)}}, 2},
		{"pages first, then their rows", [][]incident.Incident{{asPage(a), asPage(b)}, {b, a}}, 2},
		{"an unknown page of that title is new", [][]incident.Incident{{a}, {asPage(twin(3))}}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t, Options{})
			for i, step := range tc.steps {
				form := "csv"
				if step[0].SourceID == "" {
					form = "page"
				}
				putFrom(t, s, form, step...)
				_ = i
			}
			all, err := s.All()
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != tc.want {
				t.Fatalf("%d records, want %d", len(all), tc.want)
			}
			for _, in := range all {
				if in.SourceID != "" && in.ID != incident.IDForSource(in.SourceKey()) {
					t.Errorf("record of FAIL %s has id %s, want %s", in.SourceID, in.ID, incident.IDForSource(in.SourceKey()))
				}
			}
			// the twin's record holds the twin's text, the first its own
			if got, err := s.Get("fail:" + b.SourceID); err == nil && got.Postmortem.Impacts != b.Postmortem.Impacts {
				t.Errorf("fail:%s holds %q", b.SourceID, got.Postmortem.Impacts)
			}
			if got, err := s.Get("fail:" + a.SourceID); err == nil && got.Postmortem.Impacts != a.Postmortem.Impacts {
				t.Errorf("fail:%s holds %q", a.SourceID, got.Postmortem.Impacts)
			}
		})
	}
}

func TestReimportInAnyOrderChangesNothing(t *testing.T) {
	a, b := sample(1), twin(2)
	row := func(in incident.Incident) Input {
		return Input{Incident: in, Source: incident.Source{Form: "csv", File: "/data/incidents.csv"}}
	}
	page := func(in incident.Incident, name string) Input {
		return Input{Incident: asPage(in), Source: incident.Source{Form: "page", File: "/data/" + name}}
	}
	all := []Input{page(a, "a.txt"), page(b, "b.txt"), row(a), row(b)}
	s := openTemp(t, Options{})
	if _, err := s.Put(all); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(all)
	st, err := s.Put(all)
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 0 || st.Updated != 0 {
		t.Errorf("second import in another order: %+v, want 0 new, 0 updated", st.Counts)
	}
	got, _ := s.Get("fail:" + a.SourceID)
	if len(got.Sources) != 2 {
		t.Errorf("sources = %+v, want the CSV and the page", got.Sources)
	}
}

func TestRekeyLeavesAlias(t *testing.T) {
	s := openTemp(t, Options{})
	a := sample(1)
	putFrom(t, s, "page", asPage(a))
	pageID := asPage(a).ID
	if err := setTriage(s, pageID, triageOf(incident.StatusRelevant, true, nil, "from the page")); err != nil {
		t.Fatal(err)
	}
	putFrom(t, s, "csv", a)
	got, err := s.Get(pageID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != a.ID || got.Triage.State() != incident.StatusRelevant || got.Triage.NoteBy("tester") != "from the page" {
		t.Errorf("after re-key: id %s (want %s), triage %+v", got.ID, a.ID, got.Triage)
	}
	if err := setTriage(s, pageID, triageOf("", false, []string{"x"}, "")); err != nil {
		t.Errorf("triage by the old id: %v", err)
	}
}

func TestTriageMergesOnImport(t *testing.T) {
	s := openTemp(t, Options{})
	in := sample(1)
	mustPut(t, s, []incident.Incident{in}, false)
	mine := triageOf(incident.StatusReviewing, true, []string{"auth"}, "mine")
	if err := setTriage(s, in.ID, mine); err != nil {
		t.Fatal(err)
	}
	// A colleague's export: a later status, their own note, no star.
	var theirs incident.Triage
	st := stamp()
	st.By = "bob"
	theirs.SetStatus(incident.StatusRelevant, st)
	theirs.SetNote("theirs", st)
	in.Triage = theirs
	got := mustPut(t, s, []incident.Incident{in}, true)
	if got.TriageMerged != 2 || len(got.Conflicts) != 1 {
		t.Errorf("merged %d fields, %d conflicts; want 2 and 1 (status)", got.TriageMerged, len(got.Conflicts))
	}
	tr, _ := s.Triage(in.ID)
	if tr.State() != incident.StatusRelevant || !tr.Starred() || !slices.Equal(tr.TagList(), []string{"auth"}) || len(tr.LiveNotes()) != 2 {
		t.Errorf("triage = %+v", tr)
	}
	// A plain export (no triage) leaves it alone.
	in.Triage = incident.Triage{}
	if got := mustPut(t, s, []incident.Incident{in}, true); got.TriageMerged != 0 {
		t.Errorf("empty triage merged %d fields", got.TriageMerged)
	}
}

func TestDeleteKeepsTriageForReturn(t *testing.T) {
	s := openTemp(t, Options{})
	a, b := sample(1), sample(2)
	putFrom(t, s, "csv", a, b)
	if err := setTriage(s, a.ID, triageOf(incident.StatusActioned, false, nil, "keep me")); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Delete([]string{a.ID, "nonexistent1"}); n != 1 || err != nil {
		t.Fatalf("Delete = %d, %v", n, err)
	}
	if n, _ := s.Count(); n != 1 {
		t.Errorf("%d left, want 1", n)
	}
	if tri, _ := s.AllTriage(); len(tri) != 0 {
		t.Errorf("AllTriage lists deleted incidents: %v", tri)
	}
	st := putFrom(t, s, "csv", a)
	if st.New != 1 {
		t.Errorf("re-import = %+v, want new", st.Counts)
	}
	got, _ := s.Get(a.ID)
	if got.Triage.State() != incident.StatusActioned || got.Triage.NoteBy("tester") != "keep me" {
		t.Errorf("triage after re-import = %+v", got.Triage)
	}
}

func TestHistoryKeepsReplacedText(t *testing.T) {
	s := openTemp(t, Options{})
	a := sample(1)
	putFrom(t, s, "csv", a)
	edited := a
	edited.Summary = "a corrected summary"
	putFrom(t, s, "csv", edited)
	vers, err := s.History(a.ID)
	if err != nil || len(vers) != 1 || vers[0].Incident.Summary != a.Summary {
		t.Fatalf("History = %+v, %v", vers, err)
	}
}

func TestArticles(t *testing.T) {
	s := openTemp(t, Options{})
	st, err := s.PutArticles([]incident.Article{{ID: 68976, Headline: "Outage", URL: "https://example.invalid/a"}, {ID: 5, Incidents: []int64{1001}}})
	if err != nil || st.New != 2 {
		t.Fatalf("PutArticles = %+v, %v", st, err)
	}
	st, _ = s.PutArticles([]incident.Article{{ID: 5, Headline: "Later", Incidents: []int64{1001, 1002}}, {ID: 68976, Headline: "Outage"}})
	if st.Updated != 1 || st.Unchanged != 1 {
		t.Errorf("second PutArticles = %+v", st)
	}
	got, err := s.Articles([]int64{5, 7, 68976})
	if err != nil || len(got) != 2 || got[0].Headline != "Later" || !slices.Equal(got[0].Incidents, []int64{1001, 1002}) || got[1].URL == "" {
		t.Errorf("Articles = %+v, %v", got, err)
	}
}

// TestMigrateSchema2 opens a file laid out as schema 2 wrote it (ids from
// title and date, triage without stamps, no provenance) and checks that
// every record and every triage entry survive the migration.
func TestMigrateSchema2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyed, plain := sample(1), asPage(sample(2))
	keyed.ID = incident.MakeID(keyed.Title, keyed.Published) // the id schema 2 gave it
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketIncidents, bucketTriage, bucketIndex} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		meta.Put(keyCreatedBy, marker)
		meta.Put(keySchema, encodeVersion(2))
		for _, in := range []incident.Incident{keyed, plain} {
			data, _ := json.Marshal(storedIncident{Incident: in})
			tx.Bucket(bucketIncidents).Put([]byte(in.ID), data)
		}
		tri := tx.Bucket(bucketTriage)
		tri.Put([]byte(keyed.ID), []byte(`{"status":"relevant","starred":true,"tags":["auth"],"note":"old note"}`))
		tri.Put([]byte(plain.ID), []byte(`{"status":"new","starred":false,"tags":[],"note":"plain"}`))
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Provenance: func(id string) []incident.Source {
		if id == plain.ID {
			return []incident.Source{{Form: incident.FormStarter}}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if v := schemaVersionOf(t, s); v != latestVersion() {
		t.Errorf("schema %d, want %d", v, latestVersion())
	}
	got, err := s.Get(keyed.ID) // the old id still finds it
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != incident.IDForSource("fail:1001") {
		t.Errorf("keyed record has id %s, want its source id's", got.ID)
	}
	tr := got.Triage
	if tr.State() != incident.StatusRelevant || !tr.Starred() || !slices.Equal(tr.TagList(), []string{"auth"}) || len(tr.LiveNotes()) != 1 || tr.LiveNotes()[0].Text != "old note" {
		t.Errorf("migrated triage = %+v", tr)
	}
	p, err := s.Get(plain.ID)
	if err != nil || p.Triage.NoteBy("") != "plain" || len(p.Sources) != 1 || p.Sources[0].Form != incident.FormStarter {
		t.Errorf("plain record = %+v, %v", p, err)
	}
	if n, _ := s.Count(); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
	// An import now finds the migrated records by title and key.
	if st := putFrom(t, s, "csv", sample(1)); st.New != 0 {
		t.Errorf("import after migration: %+v", st.Counts)
	}
}

func schemaVersionOf(t *testing.T, s *Store) uint64 {
	t.Helper()
	var v uint64
	s.view(func(tx *bolt.Tx) (err error) { v, err = schemaOf(tx, s.path); return err })
	return v
}
