package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
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
	Warnings   []string                    `json:"warnings"` // checked for testdata pages only
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

// fullPage is a small page in the layout, with every block, that the mess
// cases below bend.
var fullPage = []string{
	"Incident: Router Firmware Update Bricks Home Gateways",
	"",
	"Published Date: 2019-04-02",
	"",
	"Postmortem Analysis",
	"Timeline 1. The faulty update shipped on 1 April 2019 [5001].",
	"System 1. Home gateway firmware 4.2 [5001] 2. Update server [5002]",
	"Responsible Organization 1. The gateway vendor [5001]",
	"Impacted Organization 1. Broadband customers [5001, 5002]",
	"Software Causes 1. A flash layout change was not checked against older boards [5001].",
	"Non-software Causes 1. The release skipped the hardware lab [5002].",
	"Impacts 1. About 40,000 gateways stopped booting [5001].",
	"Preventions 1. Test updates on every board revision [Article 5001].",
	"Fixes 1. A recovery image sent on USB sticks [5002].",
	"References 1. The vendor's status page [5001]",
	"",
	"Software Taxonomy of Faults",
	"",
	"Category Option Rationale",
	"Recurring one_organization The vendor had a similar failure in 2017 [5002].",
	"Phase (Design/Operation) design The layout change was a design fault [5001].",
	"Boundary (Internal/External) within_system The fault was in the firmware [5001].",
	"Nature (Human/Non-human) human_actions Engineers shipped the change [5001].",
	"Dimension (Hardware/Software) hardware, software Old boards met new firmware [5001].",
	"Objective (Malicious/Non-malicious) non-malicious No attacker was involved [5001].",
	"Intent (Poor/Accidental Decisions) poor_decisions The lab was skipped on purpose [5002].",
	"Capability (Incompetence/Accidental) accidental The check was forgotten [5001].",
	"Duration permanent Bricked gateways needed a manual fix [5002].",
	"Behaviour crash The gateways did not boot [5001].",
	"",
	"IoT System Layer",
	"",
	"Layer Option Rationale",
	"Perception embedded_software The firmware was at fault [5001].",
	"Communication None None",
	"Application unknown Unknown [5001]",
	"",
	"Other Details",
	"",
	"Category Option Rationale",
	"Consequence property, delay Customers lost service for days [5001].",
	"Domain information Home internet access [5001].",
	"",
	"Sources",
	"",
	"Back to List",
}

// bend returns fullPage with line i (0-based) replaced by repl (none when
// repl is nil).
func bend(lines []string, i int, repl ...string) []string {
	out := append([]string{}, lines[:i]...)
	out = append(out, repl...)
	return append(out, lines[i+1:]...)
}

func lineOf(label string) int {
	for i, l := range fullPage {
		if strings.HasPrefix(l, label+" ") || l == label {
			return i
		}
	}
	panic("no line " + label)
}

func TestParsePageMess(t *testing.T) {
	type check func(t *testing.T, in incident.Incident, warns []string)
	field := func(key, want string) check {
		return func(t *testing.T, in incident.Incident, _ []string) {
			t.Helper()
			got, _ := in.Postmortem.Field(key)
			if got != want {
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
	}
	category := func(key string, opts []string, rationale string) check {
		return func(t *testing.T, in incident.Incident, _ []string) {
			t.Helper()
			c := in.Taxonomy[key]
			if !reflect.DeepEqual(c.Options, opts) || c.Rationale != rationale {
				t.Errorf("%s = %q %q, want %q %q", key, c.Options, c.Rationale, opts, rationale)
			}
		}
	}
	title := func(want string) check {
		return func(t *testing.T, in incident.Incident, _ []string) {
			t.Helper()
			if in.Title != want {
				t.Errorf("title = %q, want %q", in.Title, want)
			}
		}
	}
	published := func(want string) check {
		return func(t *testing.T, in incident.Incident, _ []string) {
			t.Helper()
			if in.Published != want {
				t.Errorf("published = %q, want %q", in.Published, want)
			}
		}
	}
	warned := func(substr string) check {
		return func(t *testing.T, _ incident.Incident, warns []string) {
			t.Helper()
			for _, w := range warns {
				if strings.Contains(w, substr) {
					return
				}
			}
			t.Errorf("no warning containing %q in %q", substr, warns)
		}
	}
	noWarnings := func(t *testing.T, _ incident.Incident, warns []string) {
		t.Helper()
		if len(warns) > 0 {
			t.Errorf("warnings %q", warns)
		}
	}
	joined := func(lines []string, sep string) []byte { return []byte(strings.Join(lines, sep)) }
	nsc, imp, cons := lineOf("Non-software Causes"), lineOf("Impacts"), lineOf("Consequence")

	for _, tc := range []struct {
		name   string
		data   []byte
		checks []check
	}{
		{"clean page", joined(fullPage, "\n"), []check{
			noWarnings, title("Router Firmware Update Bricks Home Gateways"), published("2019-04-02"),
			field("system", "1. Home gateway firmware 4.2 [5001] 2. Update server [5002]"),
			category("dimension", []string{"hardware", "software"}, "Old boards met new firmware [5001]."),
			category("communication", []string{}, ""),
			category("application", []string{"unknown"}, "Unknown [5001]"),
		}},
		{"BOM and CRLF", append([]byte("\xEF\xBB\xBF"), joined(fullPage, "\r\n")...), []check{
			noWarnings, title("Router Firmware Update Bricks Home Gateways"),
			field("fixes", "1. A recovery image sent on USB sticks [5002]."),
			category("domain", []string{"information"}, "Home internet access [5001]."),
		}},
		{"old Mac CR line ends", joined(fullPage, "\r"), []check{
			noWarnings, field("references", "1. The vendor's status page [5001]"),
		}},
		{"stray blank lines and indentation", []byte("\n\n  " + strings.Join(fullPage, "\n\n") + "\n\n\n"), []check{
			noWarnings, title("Router Firmware Update Bricks Home Gateways"),
			field("timeline", "1. The faulty update shipped on 1 April 2019 [5001]."),
			category("behaviour", []string{"crash"}, "The gateways did not boot [5001]."),
		}},
		{"value over several lines with a blank line", joined(bend(fullPage, nsc,
			"Non-software Causes 1. The release skipped the hardware lab [5002].",
			"",
			"2. Staff were on leave [5002].",
		), "\n"), []check{
			noWarnings, field("non_software_causes", "1. The release skipped the hardware lab [5002].\n\n2. Staff were on leave [5002]."),
		}},
		{"continuation line starts with the next label", joined(bend(fullPage, nsc,
			"Non-software Causes 1. The release skipped the hardware lab [5002].",
			"Impacts were seen first in the lab's own network.",
		), "\n"), []check{
			noWarnings,
			field("non_software_causes", "1. The release skipped the hardware lab [5002].\nImpacts were seen first in the lab's own network."),
			field("impacts", "1. About 40,000 gateways stopped booting [5001]."),
		}},
		{"continuation line starts with the next label, real row is prose", joined(bend(bend(fullPage, imp,
			"Impacts The gateways stopped booting [5001]."), nsc,
			"Non-software Causes 1. The release skipped the hardware lab [5002].",
			"Impacts were seen first in the lab's own network.",
		), "\n"), []check{
			field("non_software_causes", "1. The release skipped the hardware lab [5002].\nImpacts were seen first in the lab's own network."),
			field("impacts", "The gateways stopped booting [5001]."),
		}},
		{"continuation line of a field starts with its own label", joined(bend(fullPage, imp,
			"Impacts 1. About 40,000 gateways stopped booting [5001].",
			"Impacts were worst in rural areas.",
		), "\n"), []check{
			field("impacts", "1. About 40,000 gateways stopped booting [5001].\nImpacts were worst in rural areas."),
			field("preventions", "1. Test updates on every board revision [Article 5001]."),
		}},
		{"continuation line of a prose field starts with its own label", joined(bend(fullPage, imp,
			"Impacts The gateways stopped booting [5001].",
			"Impacts were worst in rural areas.",
		), "\n"), []check{
			field("impacts", "The gateways stopped booting [5001].\nImpacts were worst in rural areas."),
		}},
		{"continuation line starts with a later label", joined(bend(fullPage, lineOf("Timeline"),
			"Timeline 1. The faulty update shipped on 1 April 2019 [5001].",
			"Fixes were planned within a week.",
		), "\n"), []check{
			field("timeline", "1. The faulty update shipped on 1 April 2019 [5001].\nFixes were planned within a week."),
			field("system", "1. Home gateway firmware 4.2 [5001] 2. Update server [5002]"),
			field("fixes", "1. A recovery image sent on USB sticks [5002]."),
		}},
		{"rationale line starts with the next category", joined(bend(fullPage, cons,
			"Consequence property, delay Customers lost service for days [5001].",
			"Domain experts said repairs took a week.",
		), "\n"), []check{
			category("consequence", []string{"property", "delay"}, "Customers lost service for days [5001].\nDomain experts said repairs took a week."),
			category("domain", []string{"information"}, "Home internet access [5001]."),
		}},
		{"rationale line starts with the next category and an option word", joined(bend(fullPage, cons,
			"Consequence property, delay Customers lost service for days [5001].",
			"Domain information was lost too.",
		), "\n"), []check{
			category("consequence", []string{"property", "delay"}, "Customers lost service for days [5001].\nDomain information was lost too."),
			category("domain", []string{"information"}, "Home internet access [5001]."),
		}},
		{"table cells separated by tabs", joined(bend(bend(fullPage, lineOf("Timeline"),
			"Timeline\t1. The faulty update shipped on 1 April 2019 [5001]."), lineOf("Dimension (Hardware/Software)"),
			"Dimension (Hardware/Software)\thardware,\tsoftware\tOld boards met new firmware [5001]."), "\n"), []check{
			noWarnings, field("timeline", "1. The faulty update shipped on 1 April 2019 [5001]."),
			category("dimension", []string{"hardware", "software"}, "Old boards met new firmware [5001]."),
		}},
		{"no-break spaces from a browser copy", joined(bend(fullPage, lineOf("Dimension (Hardware/Software)"),
			"Dimension (Hardware/Software)\u00a0hardware,\u00a0software\u00a0Old boards met new firmware [5001]."), "\n"), []check{
			noWarnings, category("dimension", []string{"hardware", "software"}, "Old boards met new firmware [5001]."),
		}},
		{"space before a comma", joined(bend(fullPage, lineOf("Dimension (Hardware/Software)"),
			"Dimension (Hardware/Software) hardware , software Old boards met new firmware [5001]."), "\n"), []check{
			noWarnings, category("dimension", []string{"hardware", "software"}, "Old boards met new firmware [5001]."),
		}},
		{"label alone on its line", joined(bend(fullPage, lineOf("Fixes"), "Fixes", "1. A recovery image sent on USB sticks [5002]."), "\n"), []check{
			noWarnings, field("fixes", "1. A recovery image sent on USB sticks [5002]."),
		}},
		{"IoT block missing", joined(append(append([]string{}, fullPage[:lineOf("IoT System Layer")]...), fullPage[lineOf("Other Details"):]...), "\n"), []check{
			noWarnings,
			category("perception", []string{}, ""),
			category("behaviour", []string{"crash"}, "The gateways did not boot [5001]."),
			category("consequence", []string{"property", "delay"}, "Customers lost service for days [5001]."),
		}},
		{"field row missing", joined(bend(fullPage, lineOf("Fixes")), "\n"), []check{
			field("fixes", ""), field("preventions", "1. Test updates on every board revision [Article 5001]."),
			field("references", "1. The vendor's status page [5001]"),
		}},
		{"None and N/A", joined(bend(bend(fullPage, lineOf("Fixes"), "Fixes N/A"), lineOf("Timeline"), "Timeline None"), "\n"), []check{
			noWarnings, field("fixes", ""), field("timeline", ""),
		}},
		{"options spelled out", joined(bend(bend(bend(fullPage, lineOf("Perception"),
			"Perception embedded software, sensors The firmware was at fault [5001]."), lineOf("Communication"),
			"Communication wired/wireless link level true [5001]"), lineOf("Recurring"),
			"Recurring multiple organizations Seen at two vendors [5002]."), "\n"), []check{
			noWarnings,
			category("perception", []string{"embedded_software", "sensor"}, "The firmware was at fault [5001]."),
			category("communication", []string{"link_level"}, "true [5001]"),
			category("recurring", []string{"multiple_organization"}, "Seen at two vendors [5002]."),
		}},
		{"connectivity level then true", joined(bend(fullPage, lineOf("Communication"), "Communication connectivity level true [110171]"), "\n"), []check{
			category("communication", []string{"connectivity_level"}, "true [110171]"),
		}},
		{"true as the option", joined(bend(fullPage, lineOf("Application"), "Application true true [26032]"), "\n"), []check{
			category("application", []string{"true"}, "true [26032]"), warned(`unknown option "true" in application`),
		}},
		{"None then a rationale", joined(bend(fullPage, lineOf("Application"), "Application None Option: unknown ; unknown [10162]"), "\n"), []check{
			noWarnings, category("application", []string{}, "Option: unknown ; unknown [10162]"),
		}},
		{"unknown option kept", joined(bend(fullPage, lineOf("Duration"), "Duration permanent, intermittent It came back [5001]."), "\n"), []check{
			category("duration", []string{"permanent", "intermittent"}, "It came back [5001]."),
			warned(`unknown option "intermittent" in duration`),
		}},
		{"row without options", joined(bend(fullPage, lineOf("Duration"), "Duration The outage lasted days [5001]."), "\n"), []check{
			category("duration", []string{}, "The outage lasted days [5001]."),
		}},
		{"invalid UTF-8", joined(bend(fullPage, 0, "Incident: Caf\xe9 Terminals Fail"), "\n"), []check{
			title("Caf\uFFFD Terminals Fail"), warned("invalid UTF-8"),
		}},
		{"published as a timestamp", joined(bend(fullPage, lineOf("Published Date:"), "Published Date: 2020-09-18 07:00:00+00:00"), "\n"), []check{
			noWarnings, published("2020-09-18"),
		}},
		{"published unreadable", joined(bend(fullPage, lineOf("Published Date:"), "Published Date: last spring"), "\n"), []check{
			published(""), warned("published date"),
		}},
		{"text after Back to List ignored", joined(append(append([]string{}, fullPage...), "Incident: Another Page", "Timeline 1. x"), "\n"), []check{
			title("Router Firmware Update Bricks Home Gateways"), field("references", "1. The vendor's status page [5001]"),
			warned(`text after "Back to List" ignored`),
		}},
		{"text before the title ignored", []byte("Saved from the FAIL site\n" + strings.Join(fullPage, "\n")), []check{
			title("Router Firmware Update Bricks Home Gateways"), warned(`text before the "Incident:" line ignored`),
		}},
		{"title only", []byte("Incident: Just a Title\n"), []check{
			title("Just a Title"), warned("no postmortem field"), field("timeline", ""),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, warns, err := ParsePage(tc.data)
			if err != nil {
				t.Fatalf("ParsePage: %v", err)
			}
			if in.ID == "" || in.SourceID != "" || len(in.Taxonomy) != len(incident.Categories) {
				t.Errorf("not normalised: id %q source_id %q %d categories", in.ID, in.SourceID, len(in.Taxonomy))
			}
			for _, c := range tc.checks {
				c(t, in, warns)
			}
		})
	}
}

func TestParsePageArticles(t *testing.T) {
	in, _, err := ParsePage(page(fullPage...))
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{5001, 5002}; !reflect.DeepEqual(in.Articles, want) {
		t.Errorf("articles %v, want %v", in.Articles, want)
	}
}

// TestParsePageTestdata checks the team's own pages, clean, bent and
// hostile, against their expected records and warnings.
func TestParsePageTestdata(t *testing.T) {
	pages, _ := filepath.Glob("testdata/pages/*.txt")
	if len(pages) == 0 {
		t.Fatal("no testdata pages")
	}
	for _, p := range pages {
		t.Run(filepath.Base(p), func(t *testing.T) {
			raw, err := os.ReadFile(strings.TrimSuffix(p, ".txt") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want expectedRecord
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			got, warns, err := ParsePage(data)
			if err != nil {
				t.Fatalf("ParsePage: %v", err)
			}
			if got.Title != want.Title {
				t.Errorf("title %q, want %q", got.Title, want.Title)
			}
			for _, d := range diffRecord(got, want) {
				t.Error(d)
			}
			if len(warns)+len(want.Warnings) > 0 && !reflect.DeepEqual(warns, want.Warnings) {
				t.Errorf("warnings %q, want %q", warns, want.Warnings)
			}
		})
	}
}

// TestFormatPageLayout renders every shared page from its parsed record
// and expects the page back line for line; only rows whose options the page
// spelled out ("connectivity level") come back in canonical form.
func TestFormatPageLayout(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(sharedFail, "pages_*", "*[0-9].txt"))
	if len(pages) == 0 {
		t.Skipf("no shared FAIL pages at %s", sharedFail)
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in, _, err := ParsePage(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got := strings.Split(strings.TrimRight(string(FormatPage(in)), "\n"), "\n")
		want := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(got) != len(want) {
			t.Errorf("%s: %d lines, want %d", p, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i] != want[i] && !sameRowRespelled(in, got[i], want[i]) {
				t.Errorf("%s:%d:\n got %.100s\nwant %.100s", p, i+1, got[i], want[i])
			}
		}
	}
}

// sameRowRespelled reports whether two lines are the same taxonomy row
// with the options written differently.
func sameRowRespelled(in incident.Incident, a, b string) bool {
	for _, c := range incident.Categories {
		r := in.Taxonomy[c.Key].Rationale
		if strings.HasPrefix(a, c.Label+" ") && strings.HasPrefix(b, c.Label+" ") && r != "" &&
			strings.HasSuffix(a, " "+r) && strings.HasSuffix(b, " "+r) {
			return true
		}
	}
	return false
}

func TestFormatPageTitleOnOneLine(t *testing.T) {
	in := incident.Incident{Title: "Two\nTimeline 1. lines", Published: "2020-01-02\r\n"}
	got, _, err := ParsePage(FormatPage(in))
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Two Timeline 1. lines" || got.Postmortem.Timeline != "" || got.Published != "2020-01-02" {
		t.Errorf("title %q timeline %q published %q", got.Title, got.Postmortem.Timeline, got.Published)
	}
}

func TestFormatPageEmpty(t *testing.T) {
	var in incident.Incident
	in.Title = "Nothing Known"
	in.Normalize()
	out := string(FormatPage(in))
	for _, want := range []string{
		"Incident: Nothing Known\n\nPublished Date: None\n\nPostmortem Analysis\nTimeline None\n",
		"\nReferences None\n\nSoftware Taxonomy of Faults\n\nCategory Option Rationale\nRecurring None None\n",
		"\nBehaviour None None\n\nIoT System Layer\n\nLayer Option Rationale\nPerception None None\n",
		"\nApplication None None\n\nOther Details\n\nCategory Option Rationale\nConsequence None None\nDomain None None\n\nSources\n\nBack to List\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "CPS") {
		t.Error("the page shows no cps row")
	}
}

// roundTripWords feed the synthetic incidents of the round-trip test.
var roundTripWords = strings.Fields(`outage update server bank airline patch rollback
	certificate expired queue overflow sensor firmware cloud region payment login
	database replica failover DNS routing vendor customers hours data breach`)

// syntheticIncident makes a varied incident in page terms: some fields
// empty, some over several lines (one with a line that starts with the next
// label's word), known and unknown options.
func syntheticIncident(r *rand.Rand) incident.Incident {
	sentence := func() string {
		n := 3 + r.IntN(8)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = roundTripWords[r.IntN(len(roundTripWords))]
		}
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
		return strings.Join(ws, " ") + fmt.Sprintf(" [%d].", 1000+r.IntN(90000))
	}
	value := func() string {
		switch r.IntN(5) {
		case 0:
			return ""
		case 1:
			return sentence()
		case 2:
			return "1. " + sentence() + "\n2. " + sentence()
		}
		var items []string
		for i := range 1 + r.IntN(4) {
			items = append(items, fmt.Sprintf("%d. %s", i+1, sentence()))
		}
		return strings.Join(items, " ")
	}
	in := incident.Incident{Title: sentence(), Taxonomy: map[string]incident.Category{}}
	if r.IntN(6) > 0 {
		in.Published = fmt.Sprintf("%d-%02d-%02d", 2010+r.IntN(13), 1+r.IntN(12), 1+r.IntN(28))
	}
	for i, f := range incident.Fields {
		v := value()
		if i+1 < len(incident.Fields) && v != "" && r.IntN(4) == 0 {
			v += "\n" + incident.Fields[i+1].Label + " were seen " + sentence()
		}
		*f.Get(&in.Postmortem) = v
	}
	for _, c := range incident.Categories {
		if c.Block == incident.BlockData || r.IntN(5) == 0 {
			continue
		}
		var cat incident.Category
		for _, o := range c.Options {
			if r.IntN(3) == 0 {
				cat.Options = append(cat.Options, o)
			}
		}
		if r.IntN(8) == 0 {
			cat.Options = append(cat.Options, "made_up")
		}
		if r.IntN(6) > 0 {
			cat.Rationale = "(a) " + sentence()
			if r.IntN(3) == 0 {
				cat.Rationale += "\n\n(b) " + sentence()
			}
		}
		in.Taxonomy[c.Key] = cat
	}
	in.Normalize()
	in.Articles = incident.ArticlesOf(&in)
	return in
}

// pageFields is what a page carries of an incident.
func pageFields(in incident.Incident) incident.Incident {
	out := incident.Incident{Title: in.Title, Published: in.Published, Postmortem: in.Postmortem,
		Taxonomy: map[string]incident.Category{}, Articles: in.Articles}
	for _, c := range incident.Categories {
		if c.Block != incident.BlockData {
			cat := in.Taxonomy[c.Key]
			if cat.Options == nil {
				cat.Options = []string{}
			}
			out.Taxonomy[c.Key] = cat
		}
	}
	if out.Articles == nil {
		out.Articles = []int64{}
	}
	return out
}

func TestFormatPageRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 7))
	for i := range 300 {
		want := syntheticIncident(r)
		got, _, err := ParsePage(FormatPage(want))
		if err != nil {
			t.Fatalf("incident %d: %v", i, err)
		}
		if g, w := pageFields(got), pageFields(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("incident %d differs after a round trip:\n got %+v\nwant %+v\npage:\n%s", i, g, w, FormatPage(want))
		}
		if got.ID != want.ID {
			t.Errorf("incident %d: id %s, want %s", i, got.ID, want.ID)
		}
	}
}

// TestParsePageHostileSizes feeds pages built to make a careless parser
// quadratic or panic; each must parse in one pass.
func TestParsePageHostileSizes(t *testing.T) {
	long := strings.Repeat("word ", 400_000)
	for _, tc := range []struct {
		name string
		data string
	}{
		{"one huge line", "Incident: x\nTimeline " + long},
		{"huge option list", "Incident: x\nPhase (Design/Operation) " + strings.Repeat("design, ", 200_000)},
		{"many label lines", "Incident: x\n" + strings.Repeat("Impacts were seen\nDomain information was lost\n", 100_000)},
		{"many title lines", strings.Repeat("Incident: x\n", 200_000)},
		{"many unknown options", "Incident: x\nBehaviour " + strings.Repeat("odd, ", 100_000)},
		{"no line breaks at all", "Incident: " + long},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, warns, err := ParsePage([]byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if in.Title == "" && tc.name != "no line breaks at all" {
				t.Error("no title")
			}
			if len(warns) > pageMaxWarnings+1 {
				t.Errorf("%d warnings", len(warns))
			}
		})
	}
}

// A lone CR is text, kept as given; a file that ends its lines with CR
// alone is still read line by line.
func TestParsePageLoneCR(t *testing.T) {
	in, _, err := ParsePage([]byte("Incident: Gate\rfailure at the lock\nPublished Date: 2020-09-18\n"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Title != "Gate\rfailure at the lock" || in.Published != "2020-09-18" {
		t.Errorf("title %q, published %q", in.Title, in.Published)
	}
	old, _, err := ParsePage([]byte("Incident: Gate\rPublished Date: 2020-09-18\r"))
	if err != nil || old.Title != "Gate" || old.Published != "2020-09-18" {
		t.Errorf("CR-only lines: %q %q %v", old.Title, old.Published, err)
	}
}
