package cli

import (
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/starter"
)

// The migration to provenance knows the starter incidents by the ids they
// had before it, and no others.
func TestStarterProvenance(t *testing.T) {
	incs, err := starter.Incidents()
	if err != nil || len(incs) == 0 {
		t.Fatalf("starter set: %d incidents, %v", len(incs), err)
	}
	of := starterProvenance()
	for _, in := range incs {
		got := of(incident.MakeID(in.Title, in.Published))
		if len(got) != 1 || got[0].Form != incident.FormStarter {
			t.Errorf("%q: provenance %v, want the starter set", in.Title, got)
		}
	}
	if got := of("not-a-starter-id"); got != nil {
		t.Errorf("an unknown id has provenance %v", got)
	}
}
