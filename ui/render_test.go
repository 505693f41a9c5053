package ui

import (
	"github.com/faultline/faultline/search"
	"slices"
	"strings"
	"testing"
)

func brackets(s string) string { return "[" + s + "]" }

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
		want string
	}{
		{"fits", "Heartbleed", 10, "Heartbleed"},
		{"cut with ellipsis", "Knight Capital", 8, "Knight …"},
		{"zero width", "abc", 0, ""},
		{"wide chars never split", "東京証券取引所", 6, "東京…"},
		{"wide char fits exactly", "東京", 4, "東京"},
		{"emoji", "🔥🔥🔥 outage", 5, "🔥🔥…"},
		{"one cell", "abc", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.w)
			if got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			}
			if width(got) > tt.w {
				t.Errorf("width %d > %d", width(got), tt.w)
			}
		})
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
	}{
		{"ascii short", "abc", 8},
		{"ascii long", "abcdefghijkl", 8},
		{"cjk odd width", "東京証券取引所", 7},
		{"emoji", "📉 crash", 9},
		{"mixed", "Ünïcödé 東京 x", 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fit(tt.in, tt.w); width(got) != tt.w {
				t.Errorf("fit(%q, %d) = %q, width %d", tt.in, tt.w, got, width(got))
			}
			if got := fitLeft(tt.in, tt.w); width(got) != tt.w {
				t.Errorf("fitLeft(%q, %d) = %q, width %d", tt.in, tt.w, got, width(got))
			}
		})
	}
}

func TestMarkMatches(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		offsets []int
		want    string
	}{
		{"no matches", "Twitter security breach", nil, "Twitter security breach"},
		{"fuzzy letters", "Twitter security", []int{0, 1, 3, 8, 9}, "[Tw]i[t]ter [se]curity"},
		{"whole word", "GitLab database", []int{7, 8, 9, 10, 11, 12, 13, 14}, "GitLab [database]"},
		{"multibyte offsets", "Café outage", []int{3, 6}, "Caf[é] [o]utage"},
		{"escape in title", "Bad\x1b]0;pwned\x07 title", []int{0}, "[B]ad␛ title"},
		{"newline flattened", "two\nlines", []int{4}, "two [l]ines"},
		{"offset on space ignored", "a b", []int{1}, "a b"},
		{"leading and trailing space trimmed", "  ab  ", []int{2}, "[a]b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markMatches(tt.raw, tt.offsets, brackets, nil)
			if got != tt.want {
				t.Errorf("markMatches(%q, %v) = %q, want %q", tt.raw, tt.offsets, got, tt.want)
			}
			if strings.ContainsAny(got, "\x1b\x07\n") {
				t.Errorf("unsafe byte in %q", got)
			}
		})
	}
}

func TestMarkMatchesPaintsUnmatchedRuns(t *testing.T) {
	got := markMatches("GitLab db", []int{0, 7}, brackets, func(s string) string { return "(" + s + ")" })
	if want := "[G](itLab )[d](b)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := markMatches("plain", nil, brackets, func(s string) string { return "(" + s + ")" }); got != "(plain)" {
		t.Errorf("no matches: got %q", got)
	}
}

func TestMarkQuery(t *testing.T) {
	tests := []struct {
		name, query, field, line, want string
	}{
		{"no terms", "", "summary", "The database was deleted", "The database was deleted"},
		{"last word is a prefix", "data", "summary", "The database was deleted", "The [database] was deleted"},
		{"earlier words are whole", "fix outage", "fixes", "fixes for the outage; a fix", "fixes for the [outage]; a [fix]"},
		{"case folded", "security", "summary", "Security team; SECURITY review", "[Security] team; [SECURITY] review"},
		{"accent folded", "reseau", "summary", "Le réseau est tombé", "Le [réseau] est tombé"},
		{"field word only in its field", "fixes:patch", "summary", "a patch", "a patch"},
		{"field word in its field", "fixes:patch", "fixes", "a patch", "a [patch]"},
		{"excluded word not marked", "-outage", "summary", "outage", "outage"},
		{"cjk word", "東京", "summary", "東京 outage", "[東京] outage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := search.Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := markQuery(q, tt.field, tt.line, brackets); got != tt.want {
				t.Errorf("markQuery(%q, %s, %q) = %q, want %q", tt.query, tt.field, tt.line, got, tt.want)
			}
		})
	}
}

func TestItemList(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		w    int
		want []string
	}{
		{"empty", "  ", 40, nil},
		{"plain paragraph", "One cause only.", 40, []string{"  One cause only."}},
		{"numbered", "1. First cause [1]. 2. Second cause.", 40, []string{"  1. First cause [1].", "  2. Second cause."}},
		{"wrapped hangs", "1. alpha beta gamma delta. 2. x", 16, []string{"  1. alpha beta", "     gamma", "     delta.", "  2. x"}},
		{"ten items align", "1. a. 2. b. 3. c. 4. d. 5. e. 6. f. 7. g. 8. h. 9. i. 10. j.", 40, []string{
			"   1. a.", "   2. b.", "   3. c.", "   4. d.", "   5. e.", "   6. f.", "   7. g.", "   8. h.", "   9. i.", "  10. j."}},
		{"escapes neutralised", "1. ok\x1b[2J. 2. bell\x07", 40, []string{"  1. ok␛.", "  2. bell␇"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := itemList(tt.raw, tt.w)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("itemList(%q, %d) =\n%q\nwant\n%q", tt.raw, tt.w, got, tt.want)
			}
			for _, l := range got {
				if width(l) > tt.w {
					t.Errorf("line %q wider than %d", l, tt.w)
				}
			}
		})
	}
}

func TestParagraph(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		w    int
		want []string
	}{
		{"wraps words", "the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"keeps newlines", "a\nb", 10, []string{"a", "b"}},
		{"breaks long word", "abcdefghijklmnop", 8, []string{"abcdefgh", "ijklmnop"}},
		{"tabs expanded", "a\tb", 20, []string{"a    b"}},
		{"crlf", "a\r\nb", 10, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paragraph(tt.raw, tt.w, "")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("paragraph(%q, %d) = %q, want %q", tt.raw, tt.w, got, tt.want)
			}
		})
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		name              string
		value, max, width int
		want              string
	}{
		{"full", 10, 10, 5, "█████"},
		{"half", 5, 10, 4, "██"},
		{"eighths", 1, 16, 2, "▏"},
		{"sliver for tiny", 1, 1000, 10, "▏"},
		{"zero", 0, 10, 10, ""},
		{"over max clamps", 20, 10, 3, "███"},
		{"no room", 5, 10, 0, ""},
		{"three quarters", 3, 4, 1, "▊"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bar(tt.value, tt.max, tt.width)
			if got != tt.want {
				t.Errorf("bar(%d, %d, %d) = %q, want %q", tt.value, tt.max, tt.width, got, tt.want)
			}
			if width(got) > tt.width {
				t.Errorf("bar wider than %d", tt.width)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name        string
		part, whole int
		want        string
	}{
		{"half", 1, 2, "50%"},
		{"all", 3, 3, "100%"},
		{"tiny", 1, 1000, "<1%"},
		{"none", 0, 10, "0%"},
		{"empty set", 0, 0, "0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percent(tt.part, tt.whole); got != tt.want {
				t.Errorf("percent(%d, %d) = %q, want %q", tt.part, tt.whole, got, tt.want)
			}
		})
	}
}

func TestSparklineAndYears(t *testing.T) {
	labels, counts := yearSeries(map[string]int{"2012": 2, "2014": 8, "": 3, "n/a": 1})
	if strings.Join(labels, ",") != "2012,2013,2014" {
		t.Errorf("labels = %v", labels)
	}
	if got := sparkline(counts); got != "▃ █" {
		t.Errorf("sparkline(%v) = %q", counts, got)
	}
	if l, c := yearSeries(nil); l != nil || c != nil {
		t.Errorf("empty years gave %v %v", l, c)
	}
}

func TestBucket(t *testing.T) {
	tests := []struct {
		name   string
		values []int
		w      int
		want   []int
	}{
		{"fits", []int{1, 2, 3}, 5, []int{1, 2, 3}},
		{"halves", []int{1, 2, 3, 4}, 2, []int{3, 7}},
		{"uneven tail", []int{1, 1, 1, 1, 1}, 2, []int{3, 2}},
		{"forty years in twelve cells", make([]int, 40), 12, make([]int, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bucket(tt.values, tt.w)
			if !slices.Equal(got, tt.want) {
				t.Errorf("bucket(%v, %d) = %v, want %v", tt.values, tt.w, got, tt.want)
			}
			if len(got) > tt.w {
				t.Errorf("%d buckets for %d cells", len(got), tt.w)
			}
		})
	}
}

func TestSectionTabs(t *testing.T) {
	names := []string{"Overview", "Causes", "Impacts"}
	tests := []struct {
		name   string
		active int
		w      int
		want   string
	}{
		{"all fit", 1, 80, " 1 Overview <[2 Causes]> 3 Impacts"},
		{"narrow shows numbers", 1, 18, " 1 <[2 Causes]> 3"},
		{"too narrow truncates", 0, 12, " <[1 Overvi…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sectionTabs(names, tt.active, tt.w, func(s string) string { return "<" + s + ">" }, func(s string) string { return s })
			if got != tt.want {
				t.Errorf("sectionTabs = %q, want %q", got, tt.want)
			}
		})
	}
}
