package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
)

// mdSeeds adds the team's Markdown test files and small inline cases.
func mdSeeds(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "markdown", "*.md"))
	if len(paths) == 0 {
		f.Fatal("no seeds in ../testdata/markdown")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"---\ntitle: x\ndate: 2020-01-01\ntags: [a, b]\n---\n# x\n\n## Impact\n\n- a\n- b\n",
		"---\ncompany: Acme\nsummary: A. B.\n---\n",
		"---\na: &x [1, 2]\nb: *x\ncategories: *x\n---\n# T\n",
		"---\n" + strings.Repeat("[", 300) + "\n---\n",
		"# T\n\n## Action items\n\n| # | a |\n|---|---|\n| 1 | x |\n| | |\n",
		"# T\n\nDate: March 3, 2021\n\n## Timeline\n\n```\n1\n2\n```\n",
		"T\n=\n\n## Root cause\n\n### Sub\n\n> > - x\n",
		"## Cloud\n\n[A](https://a.example). x.\n\n- [B](http://b.example) y\n- plain\n  - [C](https://c.example): z\n",
		"[](https://a.example)\n[x](https://)\n[y](https://b.example)...\n",
		"# " + strings.Repeat("*a ", 200) + "\n\n" + strings.Repeat("- ", 40) + "x\n",
	} {
		f.Add([]byte(s))
	}
}

// mdFuzzOpts leave room for the seed files under the Markdown size limit
// (twice MaxField); the unit tests cover fields over the limit.
var mdFuzzOpts = Options{MaxFileSize: 1 << 20, MaxField: 32 << 10}.withDefaults()

// FuzzParseMarkdown runs both Markdown readers over the same bytes: a
// record is whole, within the limits, valid UTF-8, the same on a second
// parse, and survives a JSON round trip; a refusal has a reason.
func FuzzParseMarkdown(f *testing.F) {
	mdSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect("fuzz.md", data[:min(len(data), HeadSize)])
		in, warns, err := ParseMarkdown(data, mdFuzzOpts)
		mdCheckReports(t, warns)
		if err != nil {
			mdCheckRefusal(t, err)
		} else {
			mdCheckIncident(t, in)
			again, _, _ := ParseMarkdown(data, mdFuzzOpts)
			if !reflect.DeepEqual(in, again) {
				t.Fatal("a second parse of the same bytes differs")
			}
			line, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := decodeRecord(line)
			if back.Triage != nil {
				back.Incident.Triage = *back.Triage
			}
			if again, _ := json.Marshal(back.Incident); err != nil || !bytes.Equal(line, again) {
				t.Fatalf("record changed on a JSON round trip: %v\n%s\n%s", err, line, again)
			}
		}
		recs, refused, warns, err := ParseMarkdownList(data, mdFuzzOpts)
		mdCheckReports(t, append(refused, warns...))
		if err != nil {
			mdCheckRefusal(t, err)
		}
		for _, r := range recs {
			if r.Line < 1 {
				t.Fatalf("list record without a line: %+v", r)
			}
			mdCheckIncident(t, r.Incident)
		}
	})
}

func mdCheckReports(t *testing.T, reports []FileError) {
	for _, w := range reports {
		if w.Reason == "" || w.Line < 0 {
			t.Fatalf("report without a reason or with a bad line: %#v", w)
		}
	}
}

func mdCheckRefusal(t *testing.T, err error) {
	var le *lineError
	if !errors.As(err, &le) && !errors.Is(err, ErrEmptyFile) && !errors.Is(err, ErrBinaryContent) && !errors.Is(err, ErrTooLarge) {
		t.Fatalf("refusal of an unexpected kind: %v", err)
	}
	if err.Error() == "" {
		t.Fatal("refusal without a reason")
	}
}

func mdCheckIncident(t *testing.T, in incident.Incident) {
	if strings.TrimSpace(in.Title) == "" || !isID(in.ID) || in.Labels == nil || in.Articles == nil {
		t.Fatalf("record not whole: %+v", in)
	}
	if in.Published != "" {
		if d, ok := parseDate(in.Published); !ok || d != in.Published {
			t.Fatalf("published %q is not YYYY-MM-DD", in.Published)
		}
	}
	texts := append([]string{in.Title, in.Summary, in.URL, in.Body}, in.Labels...)
	for _, f := range incident.Fields {
		texts = append(texts, *f.Get(&in.Postmortem))
	}
	for _, s := range texts {
		if len(s) > mdFuzzOpts.MaxField || !utf8.ValidString(s) {
			t.Fatalf("text over the limit or invalid UTF-8: %.80q", s)
		}
	}
}
