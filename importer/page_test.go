package importer

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
)

// sharedFail is the FAIL data beside the repository; tests skip without it.
const sharedFail = "../../shared/fail"

// expectedRecord is the layout of pages_*/<id>.json.
type expectedRecord struct {
	Title      string                      `json:"title"`
	Published  string                      `json:"published"`
	SourceID   string                      `json:"source_id"`
	Postmortem map[string]string           `json:"postmortem"`
	Taxonomy   map[string]expectedCategory `json:"taxonomy"`
}

type expectedCategory struct {
	Options   []string `json:"options"`
	Rationale string   `json:"rationale"`
}

// articles lists the article ids the expected record cites.
func (r expectedRecord) articles() []int64 {
	var in incident.Incident
	for _, f := range incident.Fields {
		*f.Get(&in.Postmortem) = r.Postmortem[f.Key]
	}
	in.Taxonomy = map[string]incident.Category{}
	for k, c := range r.Taxonomy {
		in.Taxonomy[k] = incident.Category{Rationale: c.Rationale}
	}
	if a := incident.ArticlesOf(&in); a != nil {
		return a
	}
	return []int64{}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// diffRecord lists every page field where got differs from want.
func diffRecord(got incident.Incident, want expectedRecord) []string {
	var d []string
	if collapse(got.Title) != collapse(want.Title) {
		d = append(d, "title: got "+clipTest(got.Title)+" want "+clipTest(want.Title))
	}
	if got.Published != want.Published {
		d = append(d, "published: got "+got.Published+" want "+want.Published)
	}
	if got.SourceID != "" {
		d = append(d, "source_id: got "+got.SourceID+", page text cannot know it")
	}
	for _, f := range incident.Fields {
		g := *f.Get(&got.Postmortem)
		w, ok := want.Postmortem[f.Key]
		if !ok {
			d = append(d, "postmortem."+f.Key+": missing from expected record")
			continue
		}
		if collapse(g) != collapse(w) {
			d = append(d, "postmortem."+f.Key+": got "+clipTest(g)+" want "+clipTest(w))
		}
	}
	for key, w := range want.Taxonomy {
		g, ok := got.Taxonomy[key]
		if !ok {
			d = append(d, "taxonomy."+key+": missing")
			continue
		}
		wo := w.Options
		if wo == nil {
			wo = []string{}
		}
		if !reflect.DeepEqual(g.Options, wo) {
			d = append(d, "taxonomy."+key+".options: got "+strings.Join(g.Options, "|")+" want "+strings.Join(wo, "|"))
		}
		if collapse(g.Rationale) != collapse(w.Rationale) {
			d = append(d, "taxonomy."+key+".rationale: got "+clipTest(g.Rationale)+" want "+clipTest(w.Rationale))
		}
	}
	return d
}

func clipTest(s string) string {
	s = collapse(s)
	if len(s) > 90 {
		return "«" + s[:90] + "…»"
	}
	return "«" + s + "»"
}

// TestParsePageSharedCorpus proves that every FAIL page and every bent
// variant of it gives the record its .json holds.
func TestParsePageSharedCorpus(t *testing.T) {
	if _, err := os.Stat(sharedFail); err != nil {
		t.Skipf("no shared FAIL data at %s", sharedFail)
	}
	n := 0
	for _, dir := range []string{"pages_a", "pages_b", "pages_c"} {
		pages, _ := filepath.Glob(filepath.Join(sharedFail, dir, "*.txt"))
		for _, page := range pages {
			base := strings.TrimSuffix(strings.TrimSuffix(page, ".txt"), ".variant")
			raw, err := os.ReadFile(base + ".json")
			if err != nil {
				t.Errorf("%s: no expected record: %v", page, err)
				continue
			}
			var want expectedRecord
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("%s.json: %v", base, err)
			}
			data, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			n++
			t.Run(dir+"/"+filepath.Base(page), func(t *testing.T) {
				got, warns, err := ParsePage(data)
				if err != nil {
					t.Fatalf("ParsePage: %v", err)
				}
				for _, d := range diffRecord(got, want) {
					t.Error(d)
				}
				for _, w := range warns {
					if !strings.HasPrefix(w, "unknown option") {
						t.Errorf("unexpected warning: %s", w)
					}
				}
				if wa := want.articles(); !reflect.DeepEqual(got.Articles, wa) {
					t.Errorf("articles %v, want %v", got.Articles, wa)
				}
			})
		}
	}
	if n == 0 {
		t.Skip("no pages in shared FAIL data")
	}
}

func TestParsePageSeedTwitter(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedFail, "seed-twitter-2022.txt"))
	if err != nil {
		t.Skipf("no shared seed page: %v", err)
	}
	in, _, err := ParsePage(data)
	if err != nil {
		t.Fatalf("ParsePage: %v", err)
	}
	if !strings.HasPrefix(in.Title, "Twitter's Security Vulnerabilities") || in.Published != "2022-08-23" {
		t.Errorf("title %q published %q", in.Title, in.Published)
	}
	for _, f := range incident.Fields {
		if *f.Get(&in.Postmortem) == "" {
			t.Errorf("%s is empty", f.Key)
		}
	}
	if got := in.Taxonomy["phase"].Options; !reflect.DeepEqual(got, []string{"design", "operation"}) {
		t.Errorf("phase options %v", got)
	}
	if !reflect.DeepEqual(in.Articles, []int64{131222, 130996}) {
		t.Errorf("articles %v", in.Articles)
	}
}

// page builds a small page from its lines.
func page(lines ...string) []byte { return []byte(strings.Join(lines, "\n")) }

func TestParsePageRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"nothing", nil, ErrEmptyFile},
		{"white space only", []byte(" \n\t\r\n  \n"), ErrEmptyFile},
		{"BOM and blank lines", []byte("\xEF\xBB\xBF\n\n"), ErrEmptyFile},
		{"NUL byte", []byte("Incident: x\x00\nTimeline None\n"), ErrBinaryContent},
		{"control bytes", []byte("\x01\x02\x03\x04\x05\x06\x07\x08Incident: x\x0e\x0f\x10\x11\x12\x13"), ErrBinaryContent},
		{"random high bytes", []byte("\xff\xfe\xfd\x80\x81\x82\x83\x84\x85\x86\x87\x88\xc0\xc1Incident: x"), ErrBinaryContent},
		{"no title", page("Published Date: 2020-01-01", "Timeline 1. x"), ErrNoTitle},
		{"title word mid-line", page("The Incident: x", "Timeline 1. x"), ErrNoTitle},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParsePage(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err.Error() != tc.want.Error() {
				t.Fatalf("reason %q", err.Error())
			}
		})
	}
}
