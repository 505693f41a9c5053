package ui

import "testing"

// A query being typed searches what of it is whole and says what the rest
// needs; a closed phrase of several words is whole.
func TestReadQuery(t *testing.T) {
	for _, c := range []struct {
		q, usable string
		hint      bool
	}{
		{`"software failure"`, `"software failure"`, false},
		{`phase:design "software failure"`, `phase:design "software failure"`, false},
		{`"sluice"`, `"sluice"`, false},
		{`"software failure" outage`, `"software failure" outage`, false},
		{`"software fail`, ``, true},
		{`"software `, ``, true},
		{`outage "x y`, `outage`, true},
		{`outage -`, `outage`, true},
		{`domain:fin`, ``, true},
		{`outage `, `outage `, false},
	} {
		got, err := readQuery(c.q)
		if err != nil || got.usable != c.usable || (got.hint != "") != c.hint {
			t.Errorf("readQuery(%q) = usable %q, hint %q, error %v; want usable %q, a hint %v", c.q, got.usable, got.hint, err, c.usable, c.hint)
		}
	}
}
