package search

import (
	"reflect"
	"testing"

	"github.com/faultline/faultline/incident"
)

func matchedIncidents() []incident.Incident {
	mk := func(title, system, fixes, summary string) incident.Incident {
		in := incident.Incident{Title: title, Published: "2020-01-01", Summary: summary,
			Postmortem: incident.Postmortem{System: system, Fixes: fixes}}
		in.Normalize()
		return in
	}
	return []incident.Incident{
		mk("Payments outage at a bank", "Core ledger", "Fixed the ledger.", "An outage of payments."),
		mk("Certificate expiry", "Multi Factor Authentication Service", "Renewed the certificate.", "Logins failed."),
		mk("Storage outage", "Object store", "Restored.", "Nothing fixes it."),
	}
}

func TestMatchedIn(t *testing.T) {
	incs := matchedIncidents()
	for _, ix := range []*Index{Build(incs), loaded(t, Build(incs), incs)} {
		tests := []struct {
			query string
			id    string
			want  Matched
			none  bool
		}{
			{query: "ledger", id: incs[0].ID, want: Matched{Fields: []string{"system", "fixes"}}},
			{query: "outage", id: incs[0].ID, want: Matched{Fields: []string{"title", "summary"}}},
			{query: "fixes:ledger", id: incs[0].ID, want: Matched{Fields: []string{"fixes"}}},
			{query: "mfas", id: incs[1].ID, none: true},
			{query: "mfa", id: incs[1].ID, want: Matched{Abbrev: true}},
			{query: "-outage", id: incs[1].ID, none: true},
			{query: "domain:finance", id: incs[0].ID, none: true},
		}
		for _, tt := range tests {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := ix.MatchedIn(q, []string{tt.id, "no-such-id"})[tt.id]
			if tt.none {
				if ok {
					t.Errorf("%q: %+v, want nothing", tt.query, got)
				}
				continue
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q: %+v, want %+v", tt.query, got, tt.want)
			}
		}
	}
}

func TestHighlightIn(t *testing.T) {
	tests := []struct {
		query, field, text string
		want               []int
	}{
		// only the last word is a prefix: "fix" is not "fixes"
		{"fix outage", "fixes", "fixes the outages", []int{10, 11, 12, 13, 14, 15, 16}},
		{"fix outage", "fixes", "a fix", []int{2, 3, 4}},
		{"fixes:ledger", "summary", "ledger", nil},
		{"fixes:ledger", "fixes", "Ledger", []int{0, 1, 2, 3, 4, 5}},
		{"-ledger", "fixes", "ledger", nil},
		{"ledger", "nowhere", "ledger", nil},
		{`"core ledger"`, "system", "core", []int{0, 1, 2, 3}},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.HighlightIn(tt.field, tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q in %s %q: %v, want %v", tt.query, tt.field, tt.text, got, tt.want)
		}
	}
}
