package analysis

import (
	"slices"
	"testing"
	"unicode"

	"github.com/faultline/faultline/incident"
)

func TestStem(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"recalls", "recall"},
		{"recall", "recall"},
		{"consoles", "consol"},
		{"console", "consol"},
		{"hacked", "hack"},
		{"hacking", "hack"},
		{"hackers", "hacker"},
		{"vulnerabilities", "vulnerability"},
		{"patches", "patch"},
		{"patched", "patch"},
		{"stopped", "stop"},
		{"missed", "miss"},
		{"updated", "updat"},
		{"update", "updat"},
		{"updates", "updat"},
		{"virus", "virus"},
		{"analysis", "analysis"},
		{"access", "access"},
		{"was", "was"},   // three letters: kept
		{"ring", "ring"}, // no stem left before "ing"
		{"2077", "2077"}, // numbers are kept
		{"4g", "4g"},
		{"ies", "ies"},
	} {
		if got := string(stem([]byte(c.in))); got != c.want {
			t.Errorf("stem(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEachWordIsWords checks that the fast tokeniser gives exactly the
// words of the shared one, and which it takes for names.
func TestEachWordIsWords(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    string
		names []string
	}{
		{"plain", "The City of Atlanta was hit. Tesla said so", []string{"city", "atlanta"}},
		// an item's first word is a sentence's: not taken for a name
		{"item numbers", "1. Sony [3825] 2. PlayStation 3 users", nil},
		{"letters and digits", "the Galaxy S5 and LV0 keys, 285,000 cars in 2021", []string{"galaxy", "s5", "lv0"}},
		{"accents", "Café Müller: the Zürich office of Nestlé", []string{"muller", "zurich", "nestle"}},
		{"curly apostrophe", "at Boston Children’s Hospital", []string{"boston", "children", "s", "hospital"}},
		{"invalid UTF-8", "bad \xff\xfe bytes Here", []string{"here"}},
		{"empty", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var words, names []string
			eachWord(c.in, nil, func(w []byte, _ string, name bool) {
				words = append(words, string(w))
				if name {
					names = append(names, string(w))
				}
			})
			if want := incident.Words(c.in); !slices.Equal(words, want) {
				t.Errorf("words %q, want %q", words, want)
			}
			if !slices.Equal(names, c.names) {
				t.Errorf("names %q, want %q", names, c.names)
			}
		})
	}
}

func TestHashSet(t *testing.T) {
	s := newHashSet("the incidents caused")
	for _, w := range []string{"the", "incident", "caus"} {
		if !s.has(hashWord([]byte(w))) {
			t.Errorf("%q missing", w)
		}
	}
	if s.has(hashWord([]byte("atlanta"))) {
		t.Error("atlanta is no stop word")
	}
}

// TestEachWordFormsAreSafe checks that the forms eachWord hands out, which
// reasons show, hold letters and digits only, whatever the text holds.
func TestEachWordFormsAreSafe(t *testing.T) {
	in := "the Zorbix\u0085\u202eNode \x1b[31mRed\x1b[0m and Bad\xffName Ünïcode"
	eachWord(in, nil, func(_ []byte, orig string, _ bool) {
		for _, r := range orig {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				t.Errorf("form %q holds %U", orig, r)
			}
		}
	})
}
