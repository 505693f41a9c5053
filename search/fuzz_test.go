package search

import (
	"testing"

	"github.com/faultline/faultline/incident"
)

// FuzzParse checks that no query crashes the parser, the editing helpers
// or a search, and that a toggled valid query stays valid.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "twtr secur", `"sluice gate" -atlanta`, "fixes:encryption domain:finance,health",
		"year:2015..2020 -year:2017 is:starred tag:x triage:new", `system:"a b" !c`,
		`"unterminated`, "-", "year:..", "domain:", "colour:red", "wi-fi café",
	} {
		f.Add(s)
	}
	ix := Build(handMade())
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		Selected(s)
		Excluded(s)
		ClearCategory(s, "domain")
		toggled := ToggleOption(s, "domain", "finance")
		ExcludeOption(s, "phase", "design")
		if err != nil {
			return
		}
		r := ix.Search(q, Options{Limit: 3})
		if r.Total < len(r.Hits) {
			t.Fatalf("Total %d < %d hits", r.Total, len(r.Hits))
		}
		q.Terms()
		q.Highlight(s)
		if len(toggled) <= MaxQueryLen {
			if _, err := Parse(toggled); err != nil {
				t.Fatalf("Parse(%q) ok but toggled %q: %v", s, toggled, err)
			}
		}
		_ = incident.Words(s)
	})
}
