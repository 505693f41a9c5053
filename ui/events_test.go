package ui

import (
	"testing"
)

// TestEventScreens are the goldens of the list by event over
// eventIncidents: Knight Capital's failure in three reports, the Cloud
// outage in two.
func TestEventScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		drive func(s *tui)
	}{
		{"events_list", 100, 30, func(s *tui) {}},
		{"events_list_80x24", 80, 24, func(s *tui) {}},
		{"events_expanded", 100, 30, func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("knight")
			s.waitFor("3 of 11 incidents · 1 event")
			s.press(km.Query.IntoList)
			s.press(km.List.ExpandEvent)
			s.waitFor("×3▾", "└")
		}},
		{"events_by_incident", 100, 30, func(s *tui) {
			s.press(km.List.GroupEvents)
			s.waitFor("one row per incident")
		}},
		{"events_stats", 100, 30, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("8 events (11 incidents)")
		}},
		{"events_detail_also_reported", 100, 30, func(s *tui) {
			s.press(km.List.FocusQuery)
			s.typeText("knight")
			s.waitFor("3 of 11 incidents · 1 event")
			s.press(km.Query.OpenDetail)
			s.waitFor("Also reported as", "Trading Glitch Costs Firm")
		}},
		{"events_split", 100, 30, func(s *tui) {
			s.openKnightReport()
			s.press(km.Triage.SplitEvent)
			s.waitFor("split from its event")
			s.press(km.Detail.Back)
			s.waitFor("×2▾")
		}},
		{"events_split_undone", 100, 30, func(s *tui) {
			s.openKnightReport()
			s.press(km.Triage.SplitEvent)
			s.waitFor("split from its event")
			s.press(km.App.Undo)
			s.waitFor("undone: split from its event", "×3 reports")
		}},
		{"events_joined", 100, 30, func(s *tui) {
			// the Cloud outage's row is the fourth, Knight's the seventh
			s.press(km.Nav.Down)
			s.press(km.Nav.Down)
			s.press(km.Nav.Down)
			s.press(km.List.Mark)
			s.press(km.Nav.Down)
			s.press(km.Nav.Down)
			s.press(km.List.Mark)
			s.waitFor("5 marked")
			s.press(km.Triage.JoinEvent)
			s.waitFor("joined 3 incidents to the event of", "×5▸")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, newFakeBackend(eventIncidents()), tt.w, tt.h)
			tt.drive(s)
			s.golden()
		})
	}
}

// openKnightReport opens the second report of Knight Capital's event.
func (s *tui) openKnightReport() {
	s.t.Helper()
	s.press(km.List.FocusQuery)
	s.typeText("knight")
	s.waitFor("3 of 11 incidents · 1 event")
	s.press(km.Query.IntoList)
	s.press(km.List.ExpandEvent)
	s.waitFor("×3▾")
	s.press(km.Nav.Down)
	s.press(km.Nav.Down)
	s.press(km.List.OpenDetail)
	s.waitFor("Also reported as")
}
