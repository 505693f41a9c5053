package importer

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
)

// Record is one incident, or one article, read from a file, with where it
// came from.
type Record struct {
	Incident incident.Incident
	// Article, when not nil, makes the record an article (of a FAIL
	// article table or dump) rather than an incident.
	Article *incident.Article
	// Triage is the triage the source carried (our own exports), nil when
	// it carried none; Incident.Triage is then empty.
	Triage *incident.Triage
	// TriageOnly marks a record of a triage export: it names an incident
	// and carries its triage, but no text to import.
	TriageOnly bool
	// ID is the id our own export gave the incident; "" for other forms.
	ID     string
	Format Format // the form of the file
	Path   string
	Line   int // 1-based line where the record starts; 0 for whole-file records
}

// columnKind says which part of an incident a CSV column or dumpdata field fills.
type columnKind int

const (
	colIgnore columnKind = iota
	colSourceID
	colArticles
	colPublished
	colTitle
	colSummary
	colField     // a postmortem field, key in column.key
	colOption    // options of the category in column.key
	colRationale // rationale of the category in column.key
)

type column struct {
	kind columnKind
	key  string
}

// columnsByName maps a folded column or field name (lower case letters and
// digits only) to what it fills. CSV headers ("Responsible Org", "SEcauses",
// "Recurring Option") and dumpdata fields ("ResponsibleOrg", "recurring_option")
// fold to the same names.
var columnsByName = func() map[string]column {
	m := map[string]column{
		"incidentid":              {kind: colSourceID},
		"sourceid":                {kind: colSourceID},
		"failid":                  {kind: colSourceID},
		"relatedarticleids":       {kind: colArticles},
		"relatedarticles":         {kind: colArticles},
		"articleids":              {kind: colArticles},
		"articles":                {kind: colArticles},
		"published":               {kind: colPublished},
		"publisheddate":           {kind: colPublished},
		"title":                   {kind: colTitle},
		"summary":                 {kind: colSummary},
		"time":                    {kind: colField, key: "timeline"},
		"secauses":                {kind: colField, key: "software_causes"},
		"nsecauses":               {kind: colField, key: "non_software_causes"},
		"responsibleorganization": {kind: colField, key: "responsible_org"},
		"impactedorganization":    {kind: colField, key: "impacted_org"},
	}
	for _, f := range incident.Fields {
		m[foldName(f.Key)] = column{kind: colField, key: f.Key}
	}
	for _, c := range incident.Categories {
		names := []string{c.Key}
		if c.Key == "behaviour" {
			names = append(names, "behavior")
		}
		for _, n := range names {
			m[n+"option"] = column{kind: colOption, key: c.Key}
			m[n+"options"] = column{kind: colOption, key: c.Key}
			m[n+"rationale"] = column{kind: colRationale, key: c.Key}
		}
	}
	return m
}()

// foldName lower-cases s and keeps only ASCII letters and digits.
func foldName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// draft collects the values of one incident from a tabular source (CSV row,
// dumpdata fields) before they become a Record.
type draft struct {
	inc      incident.Incident
	articles string
	options  map[string]string
	warnings []string
}

func newDraft() *draft {
	return &draft{options: map[string]string{}, inc: incident.Incident{Taxonomy: map[string]incident.Category{}}}
}

// set stores value v of column c. Texts are kept as given apart from line
// ends, surrounding white space, invalid UTF-8 and the "None"/"N/A" that
// sources write for empty.
func (d *draft) set(c column, name, v string) {
	v = d.clean(name, v)
	switch c.kind {
	case colSourceID:
		d.inc.SourceID = v
	case colArticles:
		d.articles = v
	case colPublished:
		if v == "" {
			return
		}
		date, ok := parseDate(v)
		if !ok {
			d.warnings = append(d.warnings, "published "+strconv.Quote(clip(v))+" is not a date; left empty")
		}
		d.inc.Published = date
	case colTitle:
		d.inc.Title = v
	case colSummary:
		d.inc.Summary = v
	case colField:
		pm := &d.inc.Postmortem
		for _, f := range incident.Fields {
			if f.Key == c.key {
				*f.Get(pm) = v
			}
		}
	case colOption:
		d.options[c.key] = v
	case colRationale:
		cat := d.inc.Taxonomy[c.key]
		cat.Rationale = v
		d.inc.Taxonomy[c.key] = cat
	}
}

// hasAnalysis reports whether any postmortem field or taxonomy category
// holds something.
func (d *draft) hasAnalysis() bool {
	for _, f := range incident.Fields {
		if *f.Get(&d.inc.Postmortem) != "" {
			return true
		}
	}
	for _, v := range d.options {
		if v != "" {
			return true
		}
	}
	for _, c := range d.inc.Taxonomy {
		if c.Rationale != "" {
			return true
		}
	}
	return false
}

func (d *draft) clean(name, v string) string {
	if !utf8.ValidString(v) {
		d.warnings = append(d.warnings, name+": invalid UTF-8 replaced")
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	v = strings.TrimSpace(v)
	switch v {
	case "None", "N/A", "null", "NULL":
		return ""
	}
	return v
}

// finish turns the draft into a Normalize()d incident: options
// canonicalised (unknown ones kept, with a warning), articles from the
// source's list followed by those cited in the text.
func (d *draft) finish() (incident.Incident, []string, error) {
	in := d.inc
	if in.Title == "" {
		return in, d.warnings, errAt(0, "no title")
	}
	for _, c := range incident.Categories {
		raw, ok := d.options[c.Key]
		if !ok {
			continue
		}
		opts, unknown := canonicalOptions(c.Key, raw)
		for _, u := range unknown {
			d.warnings = append(d.warnings, c.Key+": unknown option "+strconv.Quote(clip(u))+" kept")
		}
		cat := in.Taxonomy[c.Key]
		cat.Options = opts
		in.Taxonomy[c.Key] = cat
	}
	in.Articles = mergeArticles(articleIDs(d.articles), incident.ArticlesOf(&in))
	in.Normalize()
	return in, d.warnings, nil
}

// canonicalOptions splits a comma-separated option list into canonical
// options without repeats, and lists those outside the vocabulary.
func canonicalOptions(category, raw string) (opts, unknown []string) {
	opts = []string{}
	for _, o := range strings.Split(raw, ",") {
		o = strings.TrimSpace(o)
		if o == "" || o == "None" || o == "N/A" {
			continue
		}
		c, known := incident.CanonicalOption(category, o)
		if !known {
			unknown = append(unknown, c)
		}
		dup := false
		for _, x := range opts {
			dup = dup || x == c
		}
		if !dup {
			opts = append(opts, c)
		}
	}
	return opts, unknown
}

var numberRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d+`) })

// articleIDs reads a list of article ids: "[104834]", "[1, 2]", "1 2".
func articleIDs(s string) []int64 {
	if ids := incident.Citations(s); len(ids) > 0 {
		return ids
	}
	var out []int64
	for _, d := range numberRe().FindAllString(s, -1) {
		if n, err := strconv.ParseInt(d, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// mergeArticles appends to a the ids of b it lacks, keeping order.
func mergeArticles(a, b []int64) []int64 {
	seen := make(map[int64]bool, len(a)+len(b))
	out := make([]int64, 0, len(a)+len(b))
	for _, list := range [][]int64{a, b} {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// parseDate takes the date of a published time as the source wrote it:
// "2020-09-18", "2020-09-18 07:00:00+00:00", "2020-09-18T07:00:00Z".
// The calendar date is kept as written, not moved to another zone, so all
// sources of one incident agree on it.
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if _, err := time.Parse("2006-01-02", s[:10]); err == nil && (len(s) == 10 || s[10] == ' ' || s[10] == 'T') {
			return s[:10], true
		}
	}
	for _, layout := range []string{"2006/01/02", "January 2, 2006", "Jan 2, 2006", "2 January 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// clip shortens a value quoted in a reason text.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
