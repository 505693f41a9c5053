package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/store"
)

// Page text, CSV and dumpdata of the same 31 incidents, imported together
// twice, leave 31 records; what page text lacks (summary, FAIL id) comes
// from the other sources and stays.
func TestImportFormatsTwiceIntoStore(t *testing.T) {
	dir := needFail(t)
	db := filepath.Join(t.TempDir(), "fail.db")
	paths := []string{filepath.Join(dir, "pages_a"), filepath.Join(dir, "csv", "incidents_a.csv"), filepath.Join(dir, "dumpdata_a.json")}
	for run := range 2 {
		for _, p := range paths {
			sum, err := importInto(db, p, nil)
			if err != nil || len(sum.Refused) > 0 {
				t.Fatalf("run %d, %s: %v, refused %v", run, p, err, sum.Refused)
			}
		}
	}
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	incs, err := st.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 31 {
		t.Fatalf("%d records, want 31", len(incs))
	}
	for _, in := range incs {
		if in.SourceID == "" || (in.Summary == "" && in.Postmortem.Timeline != "") {
			t.Errorf("%s %q: FAIL id %q, summary %d bytes: a field the CSV gave was lost", in.ID, in.Title, in.SourceID, len(in.Summary))
		}
		e := loadExpected(t, filepath.Join(dir, "pages_a", in.SourceID+".json"))
		for _, d := range diffExpected(in, e) {
			t.Errorf("%s (FAIL %s): %s", in.ID, in.SourceID, d)
		}
	}
}
