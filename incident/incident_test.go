package incident

import (
	"reflect"
	"strings"
	"testing"
)

func TestCanonicalOption(t *testing.T) {
	tests := []struct {
		name, category, in, want string
		known                    bool
	}{
		{"plain", "phase", "design", "design", true},
		{"upper and spaces", "perception", "  Embedded  Software ", "embedded_software", true},
		{"plural", "perception", "sensors", "sensor", true},
		{"longer form", "communication", "wired/wireless link level", "link_level", true},
		{"spelled out", "communication", "connectivity level", "connectivity_level", true},
		{"hyphen kept", "nature", "non-human_actions", "non-human_actions", true},
		{"unknown kept", "application", "true", "true", false},
		{"unknown category", "colour", "Blue Sky", "blue_sky", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known := CanonicalOption(tt.category, tt.in)
			if got != tt.want || known != tt.known {
				t.Errorf("CanonicalOption(%q, %q) = %q, %v; want %q, %v", tt.category, tt.in, got, known, tt.want, tt.known)
			}
		})
	}
}

func TestCitations(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []int64
	}{
		{"single", "happened on Tuesday [104834].", []int64{104834}},
		{"list", "occurred [131222, 130996] and [131222]", []int64{131222, 130996}},
		{"article words", "see [Article 131222, Article 130996]", []int64{131222, 130996}},
		{"not a citation", "array[i] and [see below]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Citations(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Citations(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestItems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "  ", nil},
		{"unnumbered", "One thing happened.", []string{"One thing happened."}},
		{"run together", "1. First [1]. 2. Second [2]. 3. Third", []string{"First [1].", "Second [2].", "Third"}},
		{"multi-line", "1. First\n2. Second\ncontinued", []string{"First", "Second\ncontinued"}},
		{"number inside item", "1. Upgraded to version 2. It broke. 2. Rolled back", []string{"Upgraded to version 2. It broke.", "Rolled back"}},
		{"text before one", "In 2012. 1. not a list", []string{"In 2012. 1. not a list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Items(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Items(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMakeIDIgnoresCaseSpacingAndAccents(t *testing.T) {
	a := MakeID("Café  Outage: the DNS!", "2021-10-04")
	b := MakeID("cafe outage the dns", "2021-10-04")
	if a != b {
		t.Errorf("ids differ: %s vs %s", a, b)
	}
	if c := MakeID("cafe outage the dns", "2021-10-05"); c == a {
		t.Errorf("different dates gave the same id %s", c)
	}
	if len(a) != 12 {
		t.Errorf("id %q: want 12 hex digits", a)
	}
}

func TestNormalizeFillsEveryCategory(t *testing.T) {
	in := Incident{Title: "x"}
	in.Normalize()
	for _, c := range Categories {
		if in.Taxonomy[c.Key].Options == nil {
			t.Errorf("category %s has nil options", c.Key)
		}
	}
	if in.ID == "" || in.Triage.State() != StatusNew || in.Articles == nil || in.Sources == nil {
		t.Errorf("Normalize left %+v", in)
	}
}

func TestNextStatusCycles(t *testing.T) {
	s := ""
	var seen []string
	for range Statuses {
		s = NextStatus(s)
		seen = append(seen, s)
	}
	want := []string{"reviewing", "relevant", "dismissed", "actioned", "new"}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("cycle = %v, want %v", seen, want)
	}
}

func TestCitationsNested(t *testing.T) {
	got := Citations("a [note [12] b] [x, 13] [Article #14]")
	want := []int64{12, 14}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func BenchmarkArticlesOf(b *testing.B) {
	in := Incident{}
	long := strings.Repeat("The failure happened on a Tuesday as reported [104834, 130996]. ", 40)
	for _, f := range Fields {
		*f.Get(&in.Postmortem) = long
	}
	b.ReportAllocs()
	for b.Loop() {
		ArticlesOf(&in)
	}
}
