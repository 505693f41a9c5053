package importer_test

import (
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/importer"
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
