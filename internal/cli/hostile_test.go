package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile is what a file name, a category key, a tag or a text may carry
// to take over a terminal: an OSC window title, an OSC 52 clipboard
// write, a CSI, BEL, a C1 CSI and a bidi override.
const hostile = "\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\x1b[31m\u009b2J\u202e"

// terminalSafe reports the first byte or rune of s a terminal may act on.
func terminalSafe(s string) (string, bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "invalid UTF-8", false
		case r == 0x1b, r == 0x07, r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return strings.ToValidUTF8(s[max(0, i-20):min(len(s), i+20)], "?"), false
		}
	}
	return "", true
}

// Every command, fed hostile file names, category keys, tags, labels and
// texts, prints none of it raw, on stdout or stderr.
func TestNoCommandPrintsHostileBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "in"+hostile)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Skip("file system takes no such names:", err)
	}
	page := "Incident: Gate " + hostile + " fault\nPublished Date: 2020-09-18\nPostmortem Analysis\nTimeline 1. " + hostile + " [104834]\n"
	os.WriteFile(filepath.Join(dir, "a"+hostile+".txt"), []byte(page), 0o644)
	jsonl := `{"title":"Key ` + jsonEsc(hostile) + `","published":"2021-01-02","labels":["` + jsonEsc(hostile) + `"],` +
		`"taxonomy":{"x` + jsonEsc(hostile) + `":{"options":["o` + jsonEsc(hostile) + `"]},"phase":{"options":["design` + jsonEsc(hostile) + `"]}},` +
		`"triage":{"tags":["t` + jsonEsc(hostile) + `"],"note":"n` + jsonEsc(hostile) + `","status":"reviewing"}}` + "\n" +
		"not json " + hostile + "\n"
	os.WriteFile(filepath.Join(dir, "b"+hostile+".jsonl"), []byte(jsonl), 0o644)
	os.WriteFile(filepath.Join(dir, "c"+hostile+".csv"), []byte("Title,Published,Colour"+hostile+"\nT "+hostile+",nope"+hostile+",x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "d"+hostile+".bin"), []byte("\x00\x01binary"), 0o644)

	db := tempDB(t)
	var id string
	out := t.TempDir()
	commands := [][]string{
		{"import", "-v", dir},
		{"import", "--json", dir},
		{"import", filepath.Join(dir, "missing"+hostile)},
		{"search", "gate"},
		{"search", "--json", "key"},
		{"search", "tag:t" + hostile},
		{"search", "fixes:" + hostile},
		{"stats"},
		{"stats", "--json"},
		{"export", "--format", "md"},
		{"export", "--format", "jsonl"},
		{"export", "--format", "json"},
		{"export", "--triage"},
		{"export", "--format", "csv", "-o", filepath.Join(out, "x.csv")},
		{"export", "-o", filepath.Join(out, "y"+hostile+".nope")},
		{"show", "ID"},
		{"show", "--json", "ID"},
		{"show", "nope" + hostile},
		{"triage", "ID", "--tag", "z" + hostile, "--note", hostile},
		{"triage", "--json", "ID"},
		{"delete", "gate"},
		{"check"},
		{"__complete", "search", "tag:"},
		{"__complete", "search", "label:"},
		{"__complete", "show", ""},
		{"nosuch" + hostile},
		{"search", "--bogus" + hostile},
	}
	for _, args := range commands {
		if id == "" && args[0] != "import" {
			id, _, _ = strings.Cut(run(t, db, "search", "--limit", "1", "key").stdout, " ")
		}
		for i, a := range args {
			if a == "ID" {
				args[i] = id
			}
		}
		r := run(t, db, args...)
		if args[0] == "import" && args[1] == "-v" && (!strings.Contains(r.stderr, "␛") || !strings.Contains(r.stdout, "incident records")) {
			t.Fatalf("the hostile files did not import:\n%s\n%s", r.stdout, r.stderr)
		}
		for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if bad, ok := terminalSafe(s); !ok {
				t.Errorf("%q: %s holds %q", args[0], name, bad)
			}
		}
	}
}

// jsonEsc writes s as the inside of a JSON string.
func jsonEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
