package store

import (
	"time"

	"github.com/faultline/faultline/incident"
)

// put stores recs without provenance; with withTriage their triage is
// merged into the stored.
func put(s *Store, recs []incident.Incident, withTriage bool) (PutStats, error) {
	ins := make([]Input, len(recs))
	for i := range recs {
		ins[i].Incident, ins[i].ID = recs[i], recs[i].ID
		if withTriage {
			tr := recs[i].Triage
			ins[i].Triage = &tr
		}
	}
	return s.Put(ins)
}

// setTriage merges tr into the stored triage of id.
func setTriage(s *Store, id string, tr incident.Triage) error {
	_, _, err := s.MergeTriage(id, tr)
	return err
}

// testClock counts minutes from a fixed time, so stamps are ordered.
var testClock = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func stamp() incident.Stamp {
	testClock = testClock.Add(time.Minute)
	return incident.Stamp{By: "tester", At: testClock}
}

// triageOf is a triage with the given values, each set now by "tester".
func triageOf(status string, starred bool, tags []string, note string) incident.Triage {
	var t incident.Triage
	st := stamp()
	if status != "" {
		t.SetStatus(status, st)
	}
	t.SetStar(starred, st)
	t.SetTags(tags, st)
	t.SetNote(note, st)
	return t
}
