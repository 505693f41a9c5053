package search

import (
	"reflect"
	"testing"
)

func TestToggleOption(t *testing.T) {
	tests := []struct{ name, q, cat, opt, want string }{
		{"adds to empty", "", "domain", "finance", "domain:finance"},
		{"adds after words", "ransomware ", "domain", "finance", "ransomware domain:finance"},
		{"removes", "ransomware domain:finance year:2019", "domain", "finance", "ransomware year:2019"},
		{"removes canonically", "Domain:Finance", "domain", "finance", ""},
		{"removes from a list", "domain:finance,health x", "domain", "health", "domain:finance x"},
		{"removes an exclusion", "-domain:finance x", "domain", "finance", "x"},
		{"canonicalises the new option", "", "perception", "Embedded Software", "perception:embedded_software"},
		{"other category untouched", "phase:design", "domain", "design", "phase:design domain:design"},
		{"works on a malformed query", `"open quote`, "domain", "finance", `"open quote domain:finance`},
		{"drops quotes from an option", "", "domain", `a"b c`, `domain:"ab_c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToggleOption(tt.q, tt.cat, tt.opt); got != tt.want {
				t.Errorf("ToggleOption(%q, %s, %s) = %q, want %q", tt.q, tt.cat, tt.opt, got, tt.want)
			}
		})
	}
}

func TestNarrowOption(t *testing.T) {
	tests := []struct{ name, q, cat, opt, want string }{
		{"adds to empty", "", "domain", "finance", "domain:finance"},
		{"adds after words", "outage ", "phase", "operation", "outage phase:operation"},
		{"a selection of the option stays one", "domain:finance x", "domain", "finance", "x domain:finance"},
		{"a list narrows to the option", "domain:finance,health x", "domain", "health", "x domain:health"},
		{"OR-ed terms narrow", "domain:finance domain:health", "domain", "finance", "domain:finance"},
		{"exclusions stay", "-domain:health domain:finance,information", "domain", "finance", "-domain:health domain:finance"},
		{"other categories stay", "phase:design x", "domain", "finance", "phase:design x domain:finance"},
		{"canonical", "", "perception", "Embedded Software", "perception:embedded_software"},
		{"a year range narrows to the year", "year:2015..2019 -year:2016", "year", "2017", "-year:2016 year:2017"},
		{"case of the key", "Domain:Finance", "DOMAIN", "health", "domain:health"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NarrowOption(tt.q, tt.cat, tt.opt); got != tt.want {
				t.Errorf("NarrowOption(%q, %s, %s) = %q, want %q", tt.q, tt.cat, tt.opt, got, tt.want)
			}
		})
	}
}

func TestExcludeOption(t *testing.T) {
	tests := []struct{ name, q, cat, opt, want string }{
		{"excludes", "ransomware", "domain", "finance", "ransomware -domain:finance"},
		{"replaces a selection", "domain:finance x", "domain", "finance", "x -domain:finance"},
		{"removes an exclusion", "x !domain:finance", "domain", "finance", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExcludeOption(tt.q, tt.cat, tt.opt); got != tt.want {
				t.Errorf("ExcludeOption(%q, %s, %s) = %q, want %q", tt.q, tt.cat, tt.opt, got, tt.want)
			}
		})
	}
}

func TestClearCategory(t *testing.T) {
	got := ClearCategory(`ransomware domain:finance -domain:health "a  phrase" phase:design Domain:x`, "domain")
	if want := `ransomware "a phrase" phase:design`; got != want {
		t.Errorf("ClearCategory = %q, want %q", got, want)
	}
}

func TestSelectedExcluded(t *testing.T) {
	q := "domain:Finance,health x -domain:sales phase:design !phase:operation domain:finance"
	wantSel := map[string][]string{"domain": {"finance", "health"}, "phase": {"design"}}
	wantExc := map[string][]string{"domain": {"sales"}, "phase": {"operation"}}
	if got := Selected(q); !reflect.DeepEqual(got, wantSel) {
		t.Errorf("Selected = %v, want %v", got, wantSel)
	}
	if got := Excluded(q); !reflect.DeepEqual(got, wantExc) {
		t.Errorf("Excluded = %v, want %v", got, wantExc)
	}
}

func TestToggledQueriesParse(t *testing.T) {
	q := "ransomware year:2019"
	for _, opt := range []string{"finance", "embedded software", "Health"} {
		q = ToggleOption(q, "domain", opt)
		if _, err := Parse(q); err != nil {
			t.Fatalf("ToggleOption made %q: %v", q, err)
		}
	}
	q = ExcludeOption(q, "phase", "design")
	sel := Selected(q)["domain"]
	if len(sel) != 3 {
		t.Errorf("Selected(%q) = %v", q, sel)
	}
}
