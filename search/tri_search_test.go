package search

import (
	"time"

	"github.com/faultline/faultline/incident"
)

// tri is a triage with these values, each set by "tester" at one fixed
// time, so that what tests print is stable.
func tri(status string, starred bool, tags []string, note string) incident.Triage {
	var t incident.Triage
	st := incident.Stamp{By: "tester", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	if status != "" {
		t.SetStatus(status, st)
	}
	t.SetStar(starred, st)
	t.SetTags(tags, st)
	t.SetNote(note, st)
	return t
}
