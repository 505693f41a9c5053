package importer_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// The same incidents as page text, CSV and dumpdata must give the same ids:
// title and published date agree across the forms.
func TestSameIncidentsAcrossFormatsShareIDs(t *testing.T) {
	dir := needFail(t)
	recs, sum := importAll(t, importer.Options{},
		filepath.Join(dir, "pages_a"), filepath.Join(dir, "csv", "incidents_a.csv"), filepath.Join(dir, "dumpdata_a.json"))
	if len(sum.Refused) > 0 {
		t.Errorf("refused: %v", sum.Refused)
	}
	byID := map[string][]importer.Record{}
	for _, r := range recs {
		if r.Incident.ID != incident.MakeID(r.Incident.Title, r.Incident.Published) {
			t.Errorf("%s:%d: id %s is not MakeID(title, published)", r.Path, r.Line, r.Incident.ID)
		}
		byID[r.Incident.ID] = append(byID[r.Incident.ID], r)
	}
	if len(byID) != 31 {
		var ids []string
		for id, rs := range byID {
			ids = append(ids, id+" "+rs[0].Incident.Published+" "+rs[0].Incident.Title+" "+rs[0].Path)
		}
		sort.Strings(ids)
		t.Errorf("%d distinct ids, want 31:\n%v", len(byID), ids)
	}
	// 31 .txt + 31 .variant.txt + 31 .json records, 31 CSV rows, 31 dumpdata objects
	if len(recs) != 5*31 {
		t.Errorf("%d records, want %d", len(recs), 5*31)
	}
	for id, rs := range byID {
		if len(rs) != 5 {
			t.Errorf("id %s: %d records, want 5 (one per source)", id, len(rs))
		}
	}
	t.Logf("formats %v, %d warnings", sum.Formats, len(sum.Warnings))
}
