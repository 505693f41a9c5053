package sanitize

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Knight Capital lost $440M", "Knight Capital lost $440M"},
		{"newlines and tabs kept", "1. a\n\t2. b", "1. a\n\t2. b"},
		{"crlf folded", "a\r\nb", "a\nb"},
		{"lone cr shown", "abc\rxyz", "abc␍xyz"},
		{"csi colour", "\x1b[31mred\x1b[0m", "␛red␛"},
		{"csi cursor move", "a\x1b[2J\x1b[1;1Hb", "a␛␛b"},
		{"osc title bel", "\x1b]0;pwned\x07title", "␛title"},
		{"osc 52 clipboard st", "x\x1b]52;c;ZWNobyBoaQ==\x1b\\y", "x␛y"},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\ok", "␛ok"},
		{"apc unterminated: the rest stays visible", "ok\x1b_never ends", "ok␛never ends"},
		{"osc unterminated on its line", "a\x1b]0;title\nnext line", "a␛0;title\nnext line"},
		{"dcs terminated later on the line is hidden", "a\x1bPq#0;2\x1b\\b", "a␛b"},
		{"c1 osc unterminated", "a\u009d52;c;x", "a␛52;c;x"},
		{"bare esc at end", "end\x1b", "end␛"},
		{"esc two-byte", "\x1bcreset", "␛reset"},
		{"8-bit csi utf8", "a\u009b31mb", "a␛b"},
		{"8-bit csi raw byte", "a\x9b31mb", "a\uFFFD31mb"},
		{"c1 osc utf8", "a\u009d0;t\u009cb", "a␛b"},
		{"bel and backspace", "ding\x07\x08", "ding␇␈"},
		{"nul", "a\x00b", "a␀b"},
		{"del", "a\x7fb", "a␡b"},
		{"invalid utf8", "caf\xe9", "caf\uFFFD"},
		{"bidi override", "abc\u202Efed", "abc\uFFFDfed"},
		{"wide chars kept", "東京 🚀", "東京 🚀"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Heartbleed", "Heartbleed"},
		{"flattened", " a\n\tb  c \r\n", "a b c"},
		{"escapes", "\x1b[1mBold\x1b[0m\ntitle", "␛Bold␛ title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// safe reports whether out could be written to a terminal without it acting
// on anything: valid UTF-8 with no control characters but newline and tab.
func safe(out string, allowNL bool) bool {
	if !utf8.ValidString(out) {
		return false
	}
	for _, r := range out {
		if (r < 0x20 && !(allowNL && (r == '\n' || r == '\t'))) || (r >= 0x7f && r <= 0x9f) || isBidiControl(r) {
			return false
		}
	}
	return true
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mx", "\x1b]52;c;aGk=\x07", "\u009b1m", "\xff\xfe", "a\r\nb\rc", "\x1bP\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !safe(out, true) {
			t.Fatalf("Text(%q) = %q: unsafe", in, out)
		}
		line := Line(in)
		if !safe(line, false) || strings.ContainsAny(line, "\n\t") {
			t.Fatalf("Line(%q) = %q: unsafe", in, line)
		}
	})
}

func BenchmarkTextPlain(b *testing.B) {
	s := strings.Repeat("The software failure incident happened on a Tuesday [104834]. ", 200)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Text(s)
	}
}

func TestJSON(t *testing.T) {
	in := map[string]string{"k\u202e": "csi \u009b31m, ls \u2028, lrm \u200e, é, \x1b[0m"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := JSON(b)
	for _, bad := range []string{"\u009b", "\u202e", "\u2028", "\x1b"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("%q left raw in %s", bad, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Errorf("decodes to %q, %v; want %q", back, err, in)
	}
	if plain := []byte(`{"a":"b"}`); &JSON(plain)[0] != &plain[0] {
		t.Error("plain JSON was copied")
	}
}
