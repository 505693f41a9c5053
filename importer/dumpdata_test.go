package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/importer"
)

func TestDumpdataMatchesExpectedRecords(t *testing.T) {
	dir := needFail(t)
	recs, arts, sum := importBoth(t, importer.Options{}, filepath.Join(dir, "dumpdata_a.json"))
	if len(sum.Refused) > 0 {
		t.Errorf("refused: %v", sum.Refused)
	}
	if len(recs) != 31 || len(arts) != 31 || sum.Skipped != 0 {
		t.Errorf("got %d incidents, %d articles and %d skipped objects, want 31, 31 and 0", len(recs), len(arts), sum.Skipped)
	}
	for _, a := range arts {
		if a.Headline == "" || a.URL == "" || len(a.Incidents) != 1 {
			t.Errorf("article %d: %+v", a.ID, a)
		}
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
