package search

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// describe renders a parsed query compactly for table tests.
func describe(q Query) string {
	var parts []string
	for _, t := range q.text {
		s := strings.Join(t.words, " ")
		if len(t.words) > 1 {
			s = `"` + s + `"`
		}
		if t.prefix {
			s += "*"
		}
		if t.fields != fAll {
			s = fmt.Sprintf("%#x:%s", t.fields, s)
		}
		if t.neg {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	for _, c := range q.cats {
		s := c.cat + "=" + c.opt
		if c.neg {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	for _, y := range q.years {
		s := fmt.Sprintf("year=%d..%d", y.lo, y.hi)
		if y.neg {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	for _, s := range q.triage {
		parts = append(parts, "triage="+s)
	}
	for _, s := range q.ntriage {
		parts = append(parts, "-triage="+s)
	}
	if q.starred != 0 {
		parts = append(parts, fmt.Sprintf("starred=%d", q.starred))
	}
	for _, s := range q.tags {
		parts = append(parts, "tag="+s)
	}
	for _, s := range q.ntags {
		parts = append(parts, "-tag="+s)
	}
	return strings.Join(parts, " ")
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, q, want string
	}{
		{"empty", "", ""},
		{"blank", "   \t", ""},
		{"one word is a prefix while typed", "sluice", "sluice*"},
		{"trailing space ends the word", "sluice ", "sluice"},
		{"words", "Ransomware  ATTACK", "ransomware attack*"},
		{"accents fold", "Café", "cafe*"},
		{"phrase", `"sluice gate"`, `"sluice gate"`},
		{"phrase then word", `"sluice gate" river`, `"sluice gate" river*`},
		{"punctuated word is a phrase", "wi-fi", `"wi fi"*`},
		{"punctuation only is ignored", "&& foo", "foo*"},
		{"exclude dash", "ransomware -atlanta", "ransomware -atlanta"},
		{"exclude bang", "!atlanta ransomware", "-atlanta ransomware*"},
		{"exclude phrase", `-"sluice gate"`, `-"sluice gate"`},
		{"field word", "fixes:encryption", "0x400:encryption*"},
		{"field phrase", `system:"sluice gate"`, `0x8:"sluice gate"`},
		{"causes is both cause fields", "causes:bug ", "0xc0:bug"},
		{"org is both organisations", "org:sony ", "0x30:sony"},
		{"field key is case-insensitive", "TITLE:Twitter ", "0x1:twitter"},
		{"excluded field word", "-fixes:patch", "-0x400:patch"},
		{"category", "domain:finance", "domain=finance"},
		{"category canonicalised", "Domain:Finance perception:Sensors", "domain=finance perception=sensor"},
		{"category with spaces quoted", `perception:"embedded software"`, "perception=embedded_software"},
		{"category list", "domain:finance,health", "domain=finance domain=health"},
		{"excluded category", "-domain:finance", "-domain=finance"},
		{"unknown option kept canonical", `domain:"Space Travel"`, "domain=space_travel"},
		{"year", "year:2019", "year=2019..2019"},
		{"year range", "year:2015..2020", "year=2015..2020"},
		{"open year ranges", "year:2015.. year:..2012", "year=2015..9999 year=0..2012"},
		{"excluded year", "-year:2019", "-year=2019..2019"},
		{"triage", "triage:Reviewing", "triage=reviewing"},
		{"is status", "is:relevant -triage:new", "triage=relevant -triage=new"},
		{"starred", "is:starred", "starred=1"},
		{"not starred", "-is:starred", "starred=-1"},
		{"tags", "tag:Ransom -tag:done", "tag=ransom -tag=done"},
		{"colon inside a word", "10:30", `"10 30"*`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.q)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if got := describe(q); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, q, want string // want: a part of the message
	}{
		{"unknown field", "colour:red", `unknown field "colour"`},
		{"url scheme is an unknown field", "http://example.com", `unknown field "http"`},
		{"unterminated quote", `"sluice gate`, "unterminated quote"},
		{"unterminated field quote", `system:"sluice`, "unterminated quote"},
		{"quote inside a word", `sluice"gate"`, "a quote may only start"},
		{"no space after quote", `"sluice"gate`, "want a space after a closing quote"},
		{"empty phrase", `""`, "empty phrase"},
		{"lone dash", "ransomware -", `nothing after "-"`},
		{"lone bang", "!", `nothing after "!"`},
		{"empty field value", "fixes:", "fixes: needs a value"},
		{"field value without words", "fixes:&&", "fixes: needs a word"},
		{"empty category value", "domain: finance", "domain: needs a value"},
		{"empty option in list", "domain:finance,", "empty option"},
		{"year not a number", "year:last", "four-digit year"},
		{"year too short", "year:19", "four-digit year"},
		{"year range backwards", "year:2020..2015", "runs backwards"},
		{"year range empty", "year:..", "want YYYY"},
		{"unknown status", "triage:maybe", "unknown status"},
		{"unknown is", "is:happy", "is:happy: unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.q)
			if err == nil {
				t.Fatalf("Parse(%q): no error, want %q", tt.q, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) = %v, want it to say %q", tt.q, err, tt.want)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%q) error %v is not ErrSyntax", tt.q, err)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	if _, err := Parse(strings.Repeat("a", MaxQueryLen)); err != nil {
		t.Fatalf("query of MaxQueryLen bytes: %v", err)
	}
	_, err := Parse(strings.Repeat("a ", MaxQueryLen/2+1))
	if !errors.Is(err, ErrQueryTooLong) {
		t.Fatalf("query over MaxQueryLen: %v, want ErrQueryTooLong", err)
	}
}

func TestSyntaxErrorColumn(t *testing.T) {
	_, err := Parse(`ransomware colour:red`)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != 11 {
		t.Fatalf("error %v, want a *SyntaxError at offset 11", err)
	}
	if !strings.Contains(err.Error(), "column 12") {
		t.Errorf("message %q does not give the column", err)
	}
}

func TestQueryTerms(t *testing.T) {
	q := mustParse(t, `ransomware -atlanta "sluice gate" fixes:patch domain:finance`)
	want := "ransomware sluice gate patch"
	if got := strings.Join(q.Terms(), " "); got != want {
		t.Errorf("Terms() = %q, want %q", got, want)
	}
	if mustParse(t, "domain:finance -x").HasText() {
		t.Error("HasText true for a query without positive words")
	}
	if !(Query{}).IsEmpty() || mustParse(t, "x").IsEmpty() {
		t.Error("IsEmpty wrong")
	}
}

func TestHighlight(t *testing.T) {
	q := mustParse(t, "café secur")
	s := "Security at the Café"
	var b strings.Builder
	for _, o := range q.Highlight(s) {
		b.WriteString(string([]rune(s[o:])[0]))
	}
	if got := b.String(); got != "SecurityCafé" {
		t.Errorf("Highlight marks %q, want SecurityCafé", got)
	}
}
