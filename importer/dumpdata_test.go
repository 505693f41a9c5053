package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/importer"
)

func TestDumpdataMatchesExpectedRecords(t *testing.T) {
	dir := needFail(t)
	recs, sum := importAll(t, importer.Options{}, filepath.Join(dir, "dumpdata_a.json"))
	if len(sum.Refused) > 0 {
		t.Errorf("refused: %v", sum.Refused)
	}
	if len(recs) != 31 || sum.Skipped != 31 {
		t.Errorf("got %d records and %d skipped objects, want 31 and 31", len(recs), sum.Skipped)
	}
	if sum.Formats[importer.Dumpdata] != 1 {
		t.Errorf("formats %v, want one dumpdata file", sum.Formats)
	}
	for _, r := range recs {
		e := loadExpected(t, filepath.Join(dir, "pages_a", r.Incident.SourceID+".json"))
		for _, d := range diffExpected(r.Incident, e) {
			t.Errorf("line %d (FAIL %s): %s", r.Line, r.Incident.SourceID, d)
		}
	}
}
