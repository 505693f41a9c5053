package starter

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// required lists the taxonomy categories every starter page must fill: the
// ten fault categories and the two of Other Details. The IoT layers only
// apply to cyber-physical incidents, so they may be None.
var required = []string{
	"recurring", "phase", "boundary", "nature", "dimension",
	"objective", "intent", "capability", "duration", "behaviour",
	"consequence", "domain",
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func TestPagesParseCleanAndComplete(t *testing.T) {
	files := Files()
	if len(files) < 12 {
		t.Fatalf("got %d starter pages, want 12 or more", len(files))
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			if !strings.HasSuffix(name, ".txt") {
				t.Errorf("file name %q does not end in .txt", name)
			}
			in, warnings, err := importer.ParsePage(data)
			if err != nil {
				t.Fatalf("ParsePage: %v", err)
			}
			if len(warnings) > 0 {
				t.Errorf("warnings: %q", warnings)
			}
			if in.Title == "" {
				t.Error("empty title")
			}
			if !datePattern.MatchString(in.Published) {
				t.Errorf("published %q is not YYYY-MM-DD", in.Published)
			}
			for _, f := range incident.Fields {
				v := *f.Get(&in.Postmortem)
				if strings.TrimSpace(v) == "" {
					t.Errorf("postmortem field %s is empty", f.Key)
					continue
				}
				if !strings.HasPrefix(v, "1. ") {
					t.Errorf("postmortem field %s is not numbered: %.40q", f.Key, v)
				}
			}
			for _, key := range required {
				cat := in.Taxonomy[key]
				if len(cat.Options) == 0 {
					t.Errorf("category %s has no options", key)
				}
				if strings.TrimSpace(cat.Rationale) == "" {
					t.Errorf("category %s has no rationale", key)
				}
			}
			for _, spec := range incident.Categories {
				for _, opt := range in.Taxonomy[spec.Key].Options {
					if !spec.IsCanonical(opt) {
						t.Errorf("category %s: option %q is not in the vocabulary", spec.Key, opt)
					}
				}
			}
			// The pages name public reports rather than FAIL article ids.
			if len(in.Articles) != 0 {
				t.Errorf("cites article ids %v", in.Articles)
			}
		})
	}
}

func TestIncidents(t *testing.T) {
	incs, err := Incidents()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(incs), len(Files()); got != want {
		t.Fatalf("Incidents returned %d incidents for %d files", got, want)
	}
	ids := map[string]string{}
	for _, in := range incs {
		if in.ID != incident.MakeID(in.Title, in.Published) {
			t.Errorf("%q: id %s is not derived from title and date", in.Title, in.ID)
		}
		if prev, dup := ids[in.ID]; dup {
			t.Errorf("id %s shared by %q and %q", in.ID, prev, in.Title)
		}
		ids[in.ID] = in.Title
		if !in.Triage.IsZero() {
			t.Errorf("%q: triage %+v, want none", in.Title, in.Triage)
		}
	}
}

// TestSetIsVaried guards the purpose of the set: a first look at the
// explorer should show facets with more than one value.
func TestSetIsVaried(t *testing.T) {
	incs, err := Incidents()
	if err != nil {
		t.Fatal(err)
	}
	count := func(cat string) map[string]int {
		m := map[string]int{}
		for _, in := range incs {
			for _, o := range in.Taxonomy[cat].Options {
				m[o]++
			}
		}
		return m
	}
	if d := count("domain"); len(d) < 5 {
		t.Errorf("domains %v: want 5 or more different ones", d)
	}
	if o := count("objective"); o["malicious"] == 0 || o["non-malicious"] == 0 {
		t.Errorf("objectives %v: want both malicious and non-malicious", o)
	}
	if b := count("behaviour"); len(b) < 4 {
		t.Errorf("behaviours %v: want 4 or more different ones", b)
	}
	years := map[string]bool{}
	for _, in := range incs {
		years[in.Year()] = true
	}
	if len(years) < 8 {
		t.Errorf("years %v: want 8 or more different ones", years)
	}
}

func TestFilesAreCopies(t *testing.T) {
	a := Files()
	for name := range a {
		a[name][0] ^= 0xff
	}
	for name, data := range Files() {
		if !strings.HasPrefix(string(data), "Incident: ") {
			t.Errorf("%s: embedded bytes changed through an earlier Files result", name)
		}
	}
}

func TestParseAllNamesRefusedFile(t *testing.T) {
	good := Files()
	for name, data := range good {
		good = map[string][]byte{name: data}
		break
	}
	tests := []struct {
		name   string
		bad    []byte
		reason error
	}{
		{"empty", nil, importer.ErrEmptyFile},
		{"no title", []byte("Published Date: 2020-01-01\n\nPostmortem Analysis\n"), importer.ErrNoTitle},
		{"binary", []byte("\x00\x01\x02\xff\xfe\x00junk\x00"), importer.ErrBinaryContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{"zz-broken.txt": tt.bad}
			for k, v := range good {
				files[k] = v
			}
			incs, err := parseAll(files)
			if err == nil {
				t.Fatalf("got %d incidents and no error", len(incs))
			}
			if !strings.Contains(err.Error(), "zz-broken.txt") {
				t.Errorf("error %q does not name the file", err)
			}
			if !errors.Is(err, tt.reason) {
				t.Errorf("error %q does not wrap %v", err, tt.reason)
			}
		})
	}
}
