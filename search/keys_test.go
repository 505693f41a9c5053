package search

import (
	"errors"
	"testing"
)

// TestKeysAreTheLanguage checks Keys against Parse: every key it lists
// parses with each of its values (or a sample one), and every key has a
// description, so a key added to the language without one shows here.
func TestKeysAreTheLanguage(t *testing.T) {
	samples := map[string]string{"year": "2019", "tag": "auth"}
	seen := map[string]bool{}
	for _, k := range Keys() {
		if seen[k.Name] {
			t.Errorf("%s listed twice", k.Name)
		}
		seen[k.Name] = true
		if k.Desc == "" {
			t.Errorf("%s: no description", k.Name)
		}
		values := k.Values
		if len(values) == 0 {
			v, ok := samples[k.Name]
			if !ok {
				v = "word"
			}
			values = []string{v}
		}
		for _, v := range values {
			if _, err := Parse(k.Name + ":" + v); err != nil {
				t.Errorf("%s:%s: %v", k.Name, v, err)
			}
		}
	}
	for k := range textFields {
		if !seen[k] {
			t.Errorf("text field %s: not in Keys", k)
		}
	}
	if _, err := Parse("colour:blue"); !errors.Is(err, ErrSyntax) {
		t.Errorf("an unknown key parses: %v", err)
	}
}
