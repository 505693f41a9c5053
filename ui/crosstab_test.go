package ui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// pickDomain picks Domain in the cross-tab picker, which lists every
// category but the rows' one, then the years: Domain is third from the
// bottom when the rows are a category, second when they are the years.
func (s *tui) pickDomain(rowsAreYears bool) {
	s.press(km.Nav.Bottom)
	s.press(km.Nav.Up)
	if !rowsAreYears {
		s.press(km.Nav.Up)
	}
	s.press(km.Picker.Accept)
}

func TestCrossTabScreens(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		drive func(s *tui)
	}{
		{"crosstab_picker", 100, 30, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Years")
			s.press(km.Stats.CrossTab)
			s.waitFor("Cross-tab Phase by")
		}},
		{"crosstab", 100, 30, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Years")
			s.press(km.Stats.CrossTab)
			s.waitFor("Cross-tab Phase by")
			s.pickDomain(false)
			s.waitFor("Phase × Domain", "row 1/")
		}},
		{"crosstab_years_60x18", 60, 18, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Stats ·")
			s.press(km.Nav.Bottom) // a year
			s.press(km.Stats.CrossTab)
			s.waitFor("Cross-tab Years by")
			s.pickDomain(true)
			s.waitFor("Years × Domain", "row 1/")
			s.press(km.Stats.NextColumn)
			s.press(km.Nav.Down)
			s.waitFor("column 2/")
		}},
		{"crosstab_cell_filters_the_list", 100, 30, func(s *tui) {
			s.press(km.App.Stats)
			s.waitFor("Years")
			s.press(km.Stats.CrossTab)
			s.waitFor("Cross-tab Phase by")
			s.pickDomain(false)
			s.waitFor("Phase × Domain", "row 1/")
			s.press(km.Stats.NextColumn)
			s.waitFor("operation × finance")
			s.press(km.Stats.FilterByCell)
			s.waitFor("filter: phase:operation domain:finance", "2 of 9")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			incs := lessonIncidents()
			b := eventsBackend{newFakeBackend(incs), knightEvents(incs)}
			s := startBackend(t, b, tt.w, tt.h)
			tt.drive(s)
			s.golden()
		})
	}
}

func TestCrossTabCellsFilterWhatTheyCount(t *testing.T) {
	for _, query := range []string{"", "domain:finance,information", "-year:2017 -domain:transportation"} {
		d := drive(t, 100, 30)
		if query != "" {
			d.press(km.List.FocusQuery).typeText(query).press(km.Query.IntoList)
		}
		d.press(km.App.Stats).press(km.Stats.CrossTab)
		d.press(km.Nav.Bottom).press(km.Nav.Up).press(km.Nav.Up).press(km.Picker.Accept) // domain
		x := d.root().stats.cross
		if x.a != "phase" || x.b != "domain" || x.working {
			t.Fatalf("%q: cross-tab %s × %s, working %v", query, x.a, x.b, x.working)
		}
		for r, row := range x.rows {
			for c, col := range x.cols {
				cell := d.root()
				cell.stats.cross.rowCur.to(r, 1)
				cell.stats.cross.colCur.to(c, 1)
				dd := &driven{t: t, m: cell}
				dd.press(km.Stats.FilterByCell)
				n := x.tab.Rows[row][col]
				if n == 0 {
					if dd.root().state != stateStats {
						t.Errorf("%q: an empty cell %s × %s filtered the list", query, row, col)
					}
					continue
				}
				got := dd.root()
				if got.state != stateList || got.list.result.Total != n {
					t.Errorf("%q: cell %s × %s counts %d; the list shows %d (state %v, query %q)",
						query, row, col, n, got.list.result.Total, got.state, got.list.input.Value())
				}
			}
		}
	}
}

func TestCrossTabScrollsAndGoesBack(t *testing.T) {
	d := drive(t, 40, 12)
	d.press(km.App.Stats).press(km.Stats.CrossTab) // rows: the phases
	d.press(km.Nav.Bottom).press(km.Picker.Accept) // columns: the years
	if n := len(d.root().stats.cross.cols); n != 5 {
		t.Fatalf("%d years, want 5", n)
	}
	for range 5 {
		d.press(km.Stats.NextColumn)
	}
	x := d.root().stats.cross
	if x.colCur.cursor != len(x.cols)-1 || x.colCur.offset == 0 {
		t.Fatalf("column %d offset %d of %d", x.colCur.cursor, x.colCur.offset, len(x.cols))
	}
	if v := d.m.View(); !strings.Contains(v, "‹") {
		t.Errorf("no mark of the columns scrolled off:\n%s", v)
	}
	d.press(km.Stats.Back)
	if st := d.root(); st.state != stateStats || st.stats.cross.active {
		t.Errorf("back from the cross-tab: state %v, table %v; want the bars", st.state, st.stats.cross.active)
	}
	d.press(km.Stats.Back)
	if st := d.root().state; st != stateList {
		t.Errorf("back from the bars: state %v", st)
	}
}

func TestCrossTabOfATriageGroupIsRefused(t *testing.T) {
	d := drive(t, 100, 30)
	d.press(km.App.Stats)
	st := d.root().stats
	for i, r := range st.rows {
		if !r.heading && isTriageFacet(r.cat) {
			m := d.root()
			m.stats.cur.to(i, 1)
			dd := &driven{t: t, m: m}
			dd.press(km.Stats.CrossTab)
			if dd.root().state != stateStats || !strings.Contains(dd.m.View(), "taxonomy categories and years") {
				t.Errorf("cross-tab of %s: state %v", r.cat, dd.root().state)
			}
			return
		}
	}
	t.Fatal("no triage group in the stats")
}

func TestCrossOrder(t *testing.T) {
	tab := search.CrossTab{Rows: map[string]map[string]int{
		"operation": {"2019": 3, "2012": 1},
		"design":    {"2019": 1, "2012": 4, "2020": 1},
		"unknown":   {"2012": 1},
	}}
	tests := []struct {
		name       string
		rowY, colY bool
		rows, cols []string
	}{
		{"columns are years", false, true, []string{"design", "operation", "unknown"}, []string{"2012", "2019", "2020"}},
		{"by count, then name", false, false, []string{"design", "operation", "unknown"}, []string{"2012", "2019", "2020"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, cols := crossOrder(tab, tt.rowY, tt.colY)
			if !slices.Equal(rows, tt.rows) || !slices.Equal(cols, tt.cols) {
				t.Errorf("rows %v cols %v, want %v %v", rows, cols, tt.rows, tt.cols)
			}
		})
	}
	// a tie of counts goes by name; years keep their order whatever the counts
	tie := search.CrossTab{Rows: map[string]map[string]int{"b": {"2020": 5, "2010": 1}, "a": {"2020": 1, "2010": 5}}}
	rows, cols := crossOrder(tie, false, true)
	if !slices.Equal(rows, []string{"a", "b"}) || !slices.Equal(cols, []string{"2010", "2020"}) {
		t.Errorf("tie: rows %v cols %v", rows, cols)
	}
}

func TestLayoutCross(t *testing.T) {
	tab := search.CrossTab{Rows: map[string]map[string]int{"x": {"y": 12345}}}
	long := strings.Repeat("w", 40)
	tests := []struct {
		name       string
		rows, cols []string
		w          int
		want       crossLayout
	}{
		{"short names", []string{"op"}, []string{"a", "b"}, 80, crossLayout{label: 6, col: 5, shown: 10}},
		{"long row names cut to a third", []string{long}, []string{"2012"}, 60, crossLayout{label: 20, col: 5, shown: 5}},
		{"long row names at most 24", []string{long}, []string{"2012"}, 120, crossLayout{label: 24, col: 5, shown: 13}},
		{"long column names an eighth of the width", []string{"op"}, []string{long}, 80, crossLayout{label: 6, col: 10, shown: 5}},
		{"long column names at most 14", []string{"op"}, []string{long}, 200, crossLayout{label: 6, col: 14, shown: 11}},
		{"one column however narrow", []string{long}, []string{long}, 12, crossLayout{label: 10, col: 6, shown: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := layoutCross(tt.rows, tt.cols, tab, tt.w); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCrossTabCountsAgainAfterAReload(t *testing.T) {
	b := newFakeBackend(testIncidents())
	d := &driven{t: t, m: New(b, Options{})}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30}, loadCmd(b)())
	d.press(km.App.Stats).press(km.Stats.CrossTab)
	d.press(km.Nav.Bottom).press(km.Nav.Up).press(km.Nav.Up).press(km.Picker.Accept) // domain
	before := d.root().stats.cross.tab.Rows["operation"]["finance"]
	b.add(mk("Second Exchange Outage After Config Push", "2021-03-01", "A config push stopped trading.",
		incident.Postmortem{Fixes: "1. Rolled back."}, map[string][]string{"domain": {"finance"}, "phase": {"operation"}}))
	d.send(tea.KeyMsg{Type: tea.KeyCtrlR})
	if got := d.root().stats.cross.tab.Rows["operation"]["finance"]; got != before+1 {
		t.Errorf("operation × finance: %d after the reload, want %d", got, before+1)
	}
}
