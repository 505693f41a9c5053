package importer_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

const (
	markdownDir = "../testdata/markdown"
	iccoDir     = "../../shared/postmortems/icco"
)

func parseMD(t *testing.T, src string) incident.Incident {
	t.Helper()
	in, _, err := importer.ParseMarkdown([]byte(src), importer.Options{})
	if err != nil {
		t.Fatalf("ParseMarkdown: %v", err)
	}
	return in
}

// The template most teams start from: a Date: line under the title, the
// usual headings in the usual order, action items as a table.
func TestParseMarkdownTemplate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(markdownDir, "template.md"))
	if err != nil {
		t.Fatal(err)
	}
	in, warns, err := importer.ParseMarkdown(data, importer.Options{})
	if err != nil || len(warns) > 0 {
		t.Fatalf("err %v, warnings %v", err, warns)
	}
	pm := in.Postmortem
	checks := []struct{ name, got, want string }{
		{"title", in.Title, "Checkout outage after a certificate rotation"},
		{"published", in.Published, "2024-03-12"},
		{"summary", in.Summary, "For 47 minutes card payments failed at checkout. A scheduled rotation installed a certificate whose chain lacked the intermediate, and the payment gateway client refused every TLS handshake."},
		{"impacts", pm.Impacts, "1. About 18,000 checkout attempts failed with \"payment unavailable\".\n2. Refunds and payouts queued and ran 50 minutes late."},
		{"software causes", pm.SoftwareCauses, "1. Root Causes: The rotation job bundled the leaf certificate without the intermediate.\n" +
			"2. Root Causes: The staging gateway trusts the intermediate directly, so the tls-verify check there passed.\n" +
			"3. Trigger: The weekly rotation at 09:00 UTC pushed the new bundle to every region at once."},
		{"non-software causes", pm.NonSoftwareCauses, ""},
		{"fixes", pm.Fixes, "1. Rolled back to the previous bundle at 09:47 UTC; payments recovered within a minute."},
		{"preventions", pm.Preventions, "1. Action Items: Verify the full chain before a rotation is pushed (Owner: payments; Status: done)\n" +
			"2. Action Items: Roll rotations out one region at a time (Owner: platform; Status: in progress)\n" +
			"3. Action Items: Make staging trust only the root (Owner: security; Status: todo)\n" +
			"4. Lessons Learned: Staging that trusts more than production hides chain errors.\n" +
			"5. Lessons Learned: Fleet-wide pushes turn a small mistake into a full outage."},
		{"timeline", pm.Timeline, "1. 09:00 rotation job pushes the new bundle\n2. 09:04 checkout error-rate alert pages on-call\n" +
			"3. 09:31 the missing intermediate is found\n4. 09:47 previous bundle restored"},
		{"body", in.Body, "Authors: payments on-call\nStatus: complete\n\n## Detection\n\n" +
			"The checkout error-rate alert paged at 09:04, four minutes after the push.\n\n## Notes\n\n" +
			"The vendor has since documented the chain requirement."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, c.got, c.want)
		}
	}
	if n := len(incident.Items(pm.Preventions)); n != 5 {
		t.Errorf("preventions read back as %d items, want 5", n)
	}
	if in.ID != incident.MakeID(in.Title, in.Published) {
		t.Errorf("id %s is not MakeID(title, published)", in.ID)
	}
}

func TestClassifyHeadings(t *testing.T) {
	tests := []struct{ heading, field string }{
		{"Summary", "summary"},
		{"Executive summary", "summary"},
		{"What happened", "summary"},
		{"OVERVIEW", "summary"},
		{"Impact", "impacts"},
		{"Customer impact", "impacts"},
		{"Root Cause(s)", "software_causes"},
		{"Root cause analysis", "software_causes"},
		{"Causes", "software_causes"},
		{"Contributing factors", "software_causes"},
		{"Trigger", "software_causes"},
		{"Process failures", "non_software_causes"},
		{"Human factors", "non_software_causes"},
		{"Contributing factors (organisational)", "software_causes"}, // words in parentheses are left out
		{"Organisational contributing factors", ""},                  // does not start with a cause phrase
		{"Root causes: process", "non_software_causes"},
		{"Timeline (all times UTC)", "timeline"},
		{"3. Timeline", "timeline"},
		{"Resolution", "fixes"},
		{"Remediation", "fixes"},
		{"Mitigation", "fixes"},
		{"Fixes", "fixes"},
		{"Action items", "preventions"},
		{"Follow-ups", "preventions"},
		{"Prevention", "preventions"},
		{"Lessons learned", "preventions"},
		{"References", "references"},
		{"Links", "references"},
		{"Detection", ""},
		{"Impacted services", ""},
		{"Notes", ""},
	}
	for _, tt := range tests {
		md := "# T\n\n## " + tt.heading + "\n\nSome text.\n"
		in := parseMD(t, md)
		got := ""
		if in.Summary == "Some text." {
			got = "summary"
		}
		for _, f := range incident.Fields {
			if *f.Get(&in.Postmortem) == "1. Some text." {
				got = f.Key
			}
		}
		if got != tt.field {
			t.Errorf("heading %q fills %q, want %q (body %q)", tt.heading, got, tt.field, in.Body)
		}
		if tt.field == "" && !strings.Contains(in.Body, "## "+tt.heading+"\n\nSome text.") {
			t.Errorf("heading %q: section not kept in the body: %q", tt.heading, in.Body)
		}
	}
}

func TestParseMarkdownCases(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want func(in incident.Incident) string // "" when right
	}{
		{"title and date from the text", "# Disk full\n\n**Date:** 14 March 2022\n\nThe log volume filled up.\n", func(in incident.Incident) string {
			return expect(in.Title, "Disk full") + expect(in.Published, "2022-03-14") + expect(in.Summary, "The log volume filled up.") + expect(in.Body, "")
		}},
		{"setext title", "Disk full\n=========\n\nDate: 2022-03-14\n", func(in incident.Incident) string {
			return expect(in.Title, "Disk full") + expect(in.Published, "2022-03-14") + expect(in.Body, "")
		}},
		{"front matter beats the text", "---\ntitle: Disk full\ndate: 2022-03-14\nsummary: Logs.\n---\n# Disk full\n\nDate: 2022-03-15\n\n## Summary\n\nMore.\n", func(in incident.Incident) string {
			return expect(in.Published, "2022-03-14") + expect(in.Summary, "Logs.") +
				expect(in.Body, "Date: 2022-03-15\n\n## Summary\n\nMore.")
		}},
		{"first date key present wins, the others are kept", "---\ntitle: x\nsource_published_at: 2020-02-02T10:00:00Z\nstart_time: 2020-01-31T23:30:00-08:00\n---\n", func(in incident.Incident) string {
			return expect(in.Published, "2020-01-31") + expect(in.Body, "## Front matter\n\n```yaml\nsource_published_at: 2020-02-02T10:00:00Z\n```")
		}},
		{"a date that is no date is kept", "---\ntitle: x\ndate: soon\npublished: 2021-06-01\n---\n", func(in incident.Incident) string {
			return expect(in.Published, "2021-06-01") + expect(in.Body, "## Front matter\n\n```yaml\ndate: soon\n```")
		}},
		{"unknown keys kept as written", "---\ntitle: x\nseverity: SEV1   # paged\nowners:\n  - a\n  - b\ncompany: Acme\norg: Acme Corp\n---\nText.\n", func(in incident.Incident) string {
			return expect(in.Postmortem.ResponsibleOrg, "Acme") + expect(in.Postmortem.ImpactedOrg, "Acme") + expect(in.Summary, "Text.") +
				expect(in.Body, "## Front matter\n\n```yaml\nseverity: SEV1   # paged\nowners:\n  - a\n  - b\norg: Acme Corp\n```")
		}},
		{"a fence in kept front matter", "---\ntitle: x\nnote: \"```\"\n---\n", func(in incident.Incident) string {
			return expect(in.Body, "## Front matter\n\n````yaml\nnote: \"```\"\n````")
		}},
		{"labels from lists and comma lists, without repeats", "---\ntitle: x\ncategories: [cloud, Config-Change]\nkeywords: dns, cloud ,\ntags:\n  - config-change\n  - \"2021\"\n---\n", func(in incident.Incident) string {
			return expect(strings.Join(in.Labels, "|"), "cloud|Config-Change|dns|2021")
		}},
		{"system and url", "---\ntitle: x\nsystem: billing\nurl: https://example.org/pm\n---\n", func(in incident.Incident) string {
			return expect(in.Postmortem.System, "billing") + expect(in.URL, "https://example.org/pm")
		}},
		{"derived title", "---\ncompany: Acme\nsummary: The cache was cold. Everything was slow.\n---\n", func(in incident.Incident) string {
			return expect(in.Title, "Acme: The cache was cold")
		}},
		{"derived title, summary from the first paragraph", "---\ncompany: Acme\n---\nA memory leak in v2.1 took the API down, e.g. for all users. It came back.\n\nMore text.\n", func(in incident.Incident) string {
			return expect(in.Title, "Acme: A memory leak in v2.1 took the API down, e.g. for all users") +
				expect(in.Summary, "A memory leak in v2.1 took the API down, e.g. for all users. It came back.") + expect(in.Body, "More text.")
		}},
		{"subheadings of a section", "# T\n\n## Root causes\n\n### Database\n\n- pool too small\n\n### Network\n\nA flapping link.\n\n## Notes\n\nn\n", func(in incident.Incident) string {
			return expect(in.Postmortem.SoftwareCauses, "1. Database: pool too small\n2. Network: A flapping link.") + expect(in.Body, "## Notes\n\nn")
		}},
		{"a known subheading opens its own section", "# T\n\n## Incident\n\nPreamble.\n\n### Impact\n\nSlow.\n", func(in incident.Incident) string {
			return expect(in.Postmortem.Impacts, "1. Slow.") + expect(in.Body, "## Incident\n\nPreamble.")
		}},
		{"organisational causes", "# T\n\n## Root cause\n\nA bug.\n\n## Contributing factors: process\n\n1. No review.\n2. No canary.\n", func(in incident.Incident) string {
			return expect(in.Postmortem.SoftwareCauses, "1. A bug.") + expect(in.Postmortem.NonSoftwareCauses, "1. No review.\n2. No canary.")
		}},
		{"nested items and links", "# T\n\n## References\n\n- [Status page](https://status.example/1)\n- <https://blog.example/2>\n- Vendor notes\n  - part one\n  - part two\n", func(in incident.Incident) string {
			return expect(in.Postmortem.References, "1. Status page (https://status.example/1)\n2. https://blog.example/2\n3. Vendor notes part one; part two")
		}},
		{"timeline lines in a paragraph and a code block", "# T\n\n## Timeline\n\n10:00 deploy\n10:05 alert\n\n```\n10:10 rollback\n\n10:12 recovered\n```\n", func(in incident.Incident) string {
			return expect(in.Postmortem.Timeline, "1. 10:00 deploy\n2. 10:05 alert\n3. 10:10 rollback\n4. 10:12 recovered")
		}},
		{"escapes and entities", "# A \\*starred\\* &amp; title\n\n## Impact\n\n*Users* saw `500 &amp;` errors &#8212; all of them.\n", func(in incident.Incident) string {
			return expect(in.Title, "A *starred* & title") + expect(in.Postmortem.Impacts, "1. Users saw 500 &amp; errors — all of them.")
		}},
		{"CRLF and a BOM", "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n## Impact\r\n\r\nSlow.\r\n", func(in incident.Incident) string {
			return expect(in.Title, "x") + expect(in.Postmortem.Impacts, "1. Slow.")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := parseMD(t, tt.src)
			if msg := tt.want(in); msg != "" {
				t.Error(msg)
			}
			again := parseMD(t, tt.src)
			if !reflect.DeepEqual(in, again) {
				t.Errorf("a second parse of the same bytes differs")
			}
		})
	}
}

func expect(got, want string) string {
	if got == want {
		return ""
	}
	return "\n got " + quote(got) + "\nwant " + quote(want)
}

func quote(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "\t", `\t`) }

func TestParseMarkdownRefuses(t *testing.T) {
	tests := []struct {
		name, src string
		opts      importer.Options
		reason    string
	}{
		{"no title", "Just words without a heading, a title or an organisation.\n", importer.Options{}, ""},
		{"empty", "\n\n", importer.Options{}, "empty file"},
		{"bad yaml names its line", "---\ntitle: x\n  url: y\n---\n", importer.Options{}, "line 3: front matter: mapping values"},
		{"front matter not a mapping", "---\n- a\n- b\n---\n# T\n", importer.Options{}, "line 2: front matter is not"},
		{"field over the limit", "# T\n\n## Impact\n\n" + strings.Repeat("slow ", 60) + "\n", importer.Options{MaxField: 256}, "impacts is"},
		{"front matter over the limit", "---\ntitle: " + strings.Repeat("x", 300) + "\n---\n", importer.Options{MaxField: 256}, "line 1: front matter is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := importer.ParseMarkdown([]byte(tt.src), tt.opts)
			if err == nil {
				t.Fatal("parsed, want a refusal")
			}
			if tt.reason != "" && !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q, want it to say %q", err, tt.reason)
			}
		})
	}
}

func TestParseMarkdownWarnsWithLines(t *testing.T) {
	src := "---\ntitle: x\ndate: someday\n---\n# x\n\nDate: next week\n\nText \xff.\n"
	_, warns, err := importer.ParseMarkdown([]byte(src), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.Error())
	}
	want := []string{": invalid UTF-8 replaced with U+FFFD", ":3: front matter date \"someday\" is not a date; kept, not used", ":7: Date line \"next week\" is not a date; left in the body"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}

// iccoFrontMatter is the front matter of a file of the public collection,
// read on its own.
type iccoFrontMatter struct {
	Title             string   `yaml:"title"`
	URL               string   `yaml:"url"`
	StartTime         string   `yaml:"start_time"`
	SourcePublishedAt string   `yaml:"source_published_at"`
	Company           string   `yaml:"company"`
	Product           string   `yaml:"product"`
	Summary           string   `yaml:"summary"`
	Categories        []string `yaml:"categories"`
	Keywords          []string `yaml:"keywords"`
	UUID              string   `yaml:"uuid"`
}

// Every file of the public sample imports with its title, date,
// organisation, URL, summary, labels and body, checked against its own
// front matter.
func TestIccoPostmortems(t *testing.T) {
	if _, err := os.Stat(iccoDir); err != nil {
		t.Skip("postmortems not present at " + iccoDir)
	}
	paths, _ := filepath.Glob(filepath.Join(iccoDir, "*.md"))
	if len(paths) != 21 {
		t.Fatalf("%d files, want 21", len(paths))
	}
	recs, sum := importAll(t, importer.Options{}, paths...)
	if len(sum.Refused) > 0 || len(sum.Warnings) > 0 || sum.Formats[importer.Markdown] != 21 {
		t.Fatalf("refused %v, warnings %v, formats %v", sum.Refused, sum.Warnings, sum.Formats)
	}
	byPath := map[string]incident.Incident{}
	for _, r := range recs {
		byPath[r.Path] = r.Incident
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			parts := bytes.SplitN(data, []byte("\n---\n"), 2)
			var fm iccoFrontMatter
			if err := yaml.Unmarshal(bytes.TrimPrefix(parts[0], []byte("---\n")), &fm); err != nil {
				t.Fatal(err)
			}
			in, ok := byPath[p]
			if !ok {
				t.Fatal("not imported")
			}
			checkIcco(t, fm, in)
		})
	}
}

func checkIcco(t *testing.T, fm iccoFrontMatter, in incident.Incident) {
	t.Helper()
	title := fm.Title
	if title == "" {
		if !strings.HasPrefix(in.Title, fm.Company+": ") || len(in.Title) < len(fm.Company)+10 {
			t.Errorf("derived title %q does not start with the company %q and a sentence", in.Title, fm.Company)
		}
		title = in.Title
	}
	date := fm.StartTime
	if date == "" {
		date = fm.SourcePublishedAt
	}
	if len(date) > 10 {
		date = date[:10]
	}
	var labels []string
	seen := map[string]bool{}
	for _, l := range append(fm.Categories, fm.Keywords...) {
		if !seen[strings.ToLower(l)] {
			seen[strings.ToLower(l)] = true
			labels = append(labels, l)
		}
	}
	pm := in.Postmortem
	for _, c := range []struct{ name, got, want string }{
		{"title", in.Title, title},
		{"published", in.Published, date},
		{"responsible org", pm.ResponsibleOrg, fm.Company},
		{"impacted org", pm.ImpactedOrg, fm.Company},
		{"system", pm.System, fm.Product},
		{"url", in.URL, fm.URL},
		{"labels", strings.Join(in.Labels, "|"), strings.Join(labels, "|")},
	} {
		if c.got != c.want {
			t.Errorf("%s %q, want %q", c.name, c.got, c.want)
		}
	}
	if fm.Summary != "" && in.Summary != fm.Summary {
		t.Errorf("summary %q, want %q", in.Summary, fm.Summary)
	}
	if in.Summary == "" {
		t.Error("no summary")
	}
	if !strings.Contains(in.Body, "uuid: "+fm.UUID) {
		t.Errorf("body does not keep the uuid: %q", in.Body)
	}
	if in.ID != incident.MakeID(in.Title, in.Published) || in.Labels == nil {
		t.Errorf("record not whole: id %q labels %v", in.ID, in.Labels)
	}
}

func TestParseMarkdownList(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(markdownDir, "list.md"))
	if err != nil {
		t.Fatal(err)
	}
	recs, refused, warns, err := importer.ParseMarkdownList(data, importer.Options{})
	if err != nil || len(refused) > 0 || len(warns) > 0 {
		t.Fatalf("err %v, refused %v, warnings %v", err, refused, warns)
	}
	type entry struct{ line, title, org, url, summary, label string }
	want := []entry{
		{"12", "Acme Cloud: A regular expression in a new firewall rule backtracked without bound and…", "Acme Cloud", "https://status.acme.example/incidents/2019-07",
			"A regular expression in a new firewall rule backtracked without bound and took every edge server to full CPU. Rolled back after 27 minutes.", "Config changes"},
		{"14", "Bolt Payments: a DNS change removed the records of the API for two hours", "Bolt Payments", "https://bolt.example/blog/dns-outage",
			"a DNS change removed the records of the API for two hours. Clients cached the failure.", "Config changes"},
		{"16", "Cogs & Co: a feature flag turned on a code path that had never run in production, e.g.…", "Cogs & Co", "https://cogs.example/pm/42",
			"a feature flag turned on a code path that had never run in production, e.g. the bulk export.", "Config changes"},
		{"17", "Dyno: expired certificate on the internal service mesh", "Dyno", "http://dyno.example/outage",
			"expired certificate on the internal service mesh.", "Config changes"},
		{"21", "Ember Hosting: A UPS failed during maintenance and a whole hall lost power; disks in 200…", "Ember Hosting", "https://ember.example/postmortem/power",
			"A UPS failed during maintenance and a whole hall lost power; disks in 200 servers had to be replaced.", "Hardware"},
		{"23", "Flux DB https://flux.example/incident", "Flux DB", "https://flux.example/incident", "", "Hardware"},
	}
	var got []entry
	for _, r := range recs {
		in := r.Incident
		if in.Postmortem.ImpactedOrg != in.Postmortem.ResponsibleOrg || in.Published != "" || len(in.Labels) != 1 {
			t.Errorf("line %d: impacted %q, published %q, labels %q", r.Line, in.Postmortem.ImpactedOrg, in.Published, in.Labels)
			continue
		}
		got = append(got, entry{itoa(r.Line), in.Title, in.Postmortem.ResponsibleOrg, in.URL, in.Summary, in.Labels[0]})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n%q\nwant\n%q", got, want)
	}
	// whole files go through detection and Run
	recs2, sum := importAll(t, importer.Options{}, filepath.Join(markdownDir, "list.md"))
	if sum.Formats[importer.MarkdownList] != 1 || len(recs2) != len(want) || recs2[0].Path == "" {
		t.Errorf("Run: formats %v, %d records", sum.Formats, len(recs2))
	}
}

func itoa(n int) string {
	var b []byte
	for ; n > 0 || len(b) == 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestParseMarkdownListRefuses(t *testing.T) {
	if _, _, _, err := importer.ParseMarkdownList([]byte("# Links\n\n- [Home](#home)\n- [Docs](docs.md)\n"), importer.Options{}); err == nil {
		t.Error("a list without entries parsed")
	}
	src := "## A\n\n[Acme](https://a.example). " + strings.Repeat("word ", 80) + "\n\n[Bolt](https://b.example). Short.\n"
	recs, refused, _, err := importer.ParseMarkdownList([]byte(src), importer.Options{MaxField: 256})
	if err != nil || len(recs) != 1 || len(refused) != 1 || refused[0].Line != 3 {
		t.Errorf("records %d, refused %v, err %v; want one of each, refused at line 3", len(recs), refused, err)
	}
}

// A hostile file imports whole: its escapes are kept as given (display
// neutralises them), invalid UTF-8 is replaced with a warning, and the
// deep nesting costs no more than flat text.
func TestHostileMarkdownImports(t *testing.T) {
	recs, sum := importAll(t, importer.Options{}, filepath.Join(markdownDir, "hostile.md"))
	if len(sum.Refused) > 0 || len(recs) != 1 {
		t.Fatalf("refused %v, %d records", sum.Refused, len(recs))
	}
	in := recs[0].Incident
	if !strings.Contains(in.Title, "\x1b]52;c;") || !strings.Contains(in.Body, "\x1b[31m") || len(in.Labels) != 3 {
		t.Errorf("escapes not kept as given: title %q labels %q", in.Title, in.Labels)
	}
	if len(sum.Warnings) != 1 || !strings.Contains(sum.Warnings[0].Reason, "invalid UTF-8") {
		t.Errorf("warnings %v, want one for invalid UTF-8", sum.Warnings)
	}
	if !strings.Contains(in.Body, "x-note:") {
		t.Errorf("unknown front matter key dropped: %q", in.Body)
	}
}

// Nesting that makes a Markdown parser quadratic: without the guard each
// of these takes seconds to minutes.
func TestDeepNestingIsCheap(t *testing.T) {
	for _, src := range []string{
		"# T\n\n## Impact\n\n" + strings.Repeat(">", 200000) + " deep\n",
		"# T\n\n## Impact\n\n" + strings.Repeat("- ", 200000) + "deep\n",
		"# T\n\n## Impact\n\n" + strings.Repeat("1. ", 100000) + "deep\n",
	} {
		in := parseMD(t, src)
		if !strings.Contains(in.Postmortem.Impacts, "deep") {
			t.Errorf("text lost: %.80q", in.Postmortem.Impacts)
		}
	}
}

// Importing the same files twice gives the same records, byte for byte.
func TestMarkdownImportIsDeterministic(t *testing.T) {
	paths := []string{markdownDir}
	if _, err := os.Stat(iccoDir); err == nil {
		icco, _ := filepath.Glob(filepath.Join(iccoDir, "*.md"))
		paths = append(paths, icco...)
	}
	first, _ := importAll(t, importer.Options{}, paths...)
	second, _ := importAll(t, importer.Options{Workers: 1}, paths...)
	key := func(recs []importer.Record) map[string]importer.Record {
		m := map[string]importer.Record{}
		for _, r := range recs {
			m[r.Path+":"+itoa(r.Line)] = r
		}
		return m
	}
	if len(first) < 8 || !reflect.DeepEqual(key(first), key(second)) {
		t.Errorf("%d and %d records, or they differ", len(first), len(second))
	}
}

func TestMarkdownSizeLimit(t *testing.T) {
	big := "# T\n\n## Impact\n\n" + strings.Repeat("word ", 120)
	opts := importer.Options{MaxField: 256}
	if _, _, err := importer.ParseMarkdown([]byte(big), opts); !errors.Is(err, importer.ErrTooLarge) {
		t.Errorf("postmortem over twice MaxField: %v, want ErrTooLarge", err)
	}
	if _, _, _, err := importer.ParseMarkdownList([]byte(big), opts); !errors.Is(err, importer.ErrTooLarge) {
		t.Errorf("list over twice MaxField: %v, want ErrTooLarge", err)
	}
	p := filepath.Join(t.TempDir(), "big.md")
	if err := os.WriteFile(p, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	_, sum := importAll(t, opts, p)
	if len(sum.Refused) != 1 || !errors.Is(sum.Refused[0], importer.ErrTooLarge) {
		t.Errorf("refused %v, want the file as too large", sum.Refused)
	}
}

// Lines of unclosed links, and tables as wide as they are long, cost a
// Markdown parser time or memory out of all proportion to their size
// (unguarded, each of these takes seconds or gigabytes); the guard keeps
// both to a small multiple.
func TestPathologicalMarkdownIsCheap(t *testing.T) {
	opts := importer.Options{MaxField: 4 << 20}
	for name, src := range map[string]string{
		"unclosed links":  "# T\n\n## Impact\n\n" + strings.Repeat("[a](", 1<<14),
		"unclosed images": "# T\n\n## Impact\n\n" + strings.Repeat("![a](<", 1<<13),
		"wide table":      "# T\n\n## Action items\n\n|" + strings.Repeat("a|", 5000) + "\n|" + strings.Repeat("-|", 5000) + "\n" + strings.Repeat("|x\n", 5000),
		"long prose line": "# T\n\n## Impact\n\n" + strings.Repeat("word - # 1. ", 1<<12),
	} {
		in, _, err := importer.ParseMarkdown([]byte(src), opts)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if name == "long prose line" && in.Postmortem.Impacts != "1. "+strings.TrimSpace(strings.Repeat("word - # 1. ", 1<<12)) {
			t.Errorf("%s: the line breaks changed the text: %.120q", name, in.Postmortem.Impacts)
		}
	}
}
