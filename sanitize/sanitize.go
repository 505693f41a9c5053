// Package sanitize is the one place where untrusted incident text is made
// safe for a terminal or a text export. Stored text keeps its original
// bytes; everything that writes incident text to a screen or a Markdown
// report passes it through Text or Line first.
//
// What is neutralised: every escape sequence (CSI, OSC including clipboard
// and window-title writes, DCS, SOS, PM, APC, two-byte ESC sequences, a bare
// ESC) and its 8-bit C1 form, every other C0 and C1 control character, DEL,
// and the Unicode bidirectional overrides that can make text read
// differently from how it is stored. Each is shown as a visible control
// picture so a reader can tell something was there. Invalid UTF-8 shows as
// U+FFFD. Newlines and tabs are kept by Text and flattened by Line.
package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Placeholders shown instead of what was removed.
const (
	escPicture     = "␛" // an escape sequence, whatever it said
	invalidPicture = "\uFFFD"
	delPicture     = "␡"
	bidiPicture    = "\uFFFD"
)

// Text returns s with escape sequences and control characters replaced by
// visible placeholders, invalid UTF-8 by U+FFFD, CRLF folded to LF;
// newlines and tabs are kept.
func Text(s string) string {
	if isPlain(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(invalidPicture)
			i++
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				break // CRLF: the LF that follows is the line end
			}
			b.WriteRune(0x240D) // ␍
		case r == 0x1b:
			b.WriteString(escPicture)
			i += size
			i = skipEscape(s, i)
			continue
		case r >= 0x80 && r <= 0x9f:
			b.WriteString(escPicture)
			i += size
			i = skipC1(s, i, r)
			continue
		case r < 0x20:
			b.WriteRune(0x2400 + r) // control pictures: ␀ … ␟
		case r == 0x7f:
			b.WriteString(delPicture)
		case isBidiControl(r):
			b.WriteString(bidiPicture)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Line returns Text(s) on one line: newlines and tabs become single spaces
// and runs of white space collapse, for titles, list rows and status lines.
func Line(s string) string {
	if !isPlain(s, false) {
		s = Text(s)
	}
	if !strings.ContainsAny(s, "\n\t") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// isPlain reports whether s is printable ASCII (plus newline and tab when
// allowed) or valid UTF-8 with no C1 controls or bidi overrides, so it can
// be returned unchanged.
func isPlain(s string, allowNL bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if allowNL && (c == '\n' || c == '\t') {
			continue
		}
		if c < 0x80 {
			return false
		}
		// Non-ASCII: check the rest rune by rune.
		for _, r := range s[i:] {
			if r == utf8.RuneError || r < 0x20 && !(allowNL && (r == '\n' || r == '\t')) ||
				r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r) {
				return false
			}
		}
		return utf8.ValidString(s[i:])
	}
	return true
}

// isBidiControl reports the explicit directional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// skipEscape returns the index just past the escape sequence whose ESC ended
// at i. Sequences cut off by the end of the text are dropped whole.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f:
		// ESC, intermediates, final byte (nF sequences such as charset switches)
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e:
		return i + 1 // two-byte sequence: ESC 7, ESC c, ESC M …
	default:
		return i // bare ESC
	}
}

// skipC1 handles a C1 control given as a UTF-8 encoded rune: CSI, OSC, DCS,
// SOS, PM and APC start sequences as their ESC forms do.
func skipC1(s string, i int, r rune) int {
	switch r {
	case 0x9b:
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return skipString(s, i)
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string up to and including its terminator:
// BEL, ESC \ or the C1 string terminator U+009C. A string with no
// terminator on its line skips nothing: what follows its introducer is
// shown as text, so an unterminated OSC or DCS cannot hide the rest of an
// item.
func skipString(s string, i int) int {
	for j := i; j < len(s); j++ {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j + 1
		case s[j] == 0xc2 && j+1 < len(s) && s[j+1] == 0x9c:
			return j + 2
		case s[j] == 0x9c:
			return j + 1
		case s[j] == '\n':
			return i
		}
	}
	return i
}

// JSON returns JSON text b with the characters a terminal may act on that
// encoding/json leaves raw (C1 controls, U+2028 and U+2029, bidi controls)
// written as \u escapes. They can only be inside strings, so the text still
// decodes to the same values, byte for byte: JSON keeps the data as given
// and is safe to print. b must be whole JSON text, not a fragment.
func JSON(b []byte) []byte {
	for i := 0; i < len(b); i++ {
		if b[i] == 0xc2 || b[i] == 0xe2 {
			return escapeJSON(b, i)
		}
	}
	return b
}

func escapeJSON(b []byte, from int) []byte {
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:from]...)
	for i := from; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || isBidiControl(r) {
			out = append(out, `\u`...)
			out = append(out, hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

const hexDigits = "0123456789abcdef"
