// Package incident is the domain of faultline: an incident postmortem, its
// fault taxonomy and the vocabulary of that taxonomy. It does no I/O.
package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Incident is one software-failure postmortem. Texts are kept exactly as a
// source gave them; they are neutralised only where they are displayed.
type Incident struct {
	ID         string              `json:"id"`
	SourceID   string              `json:"source_id"`
	Title      string              `json:"title"`
	Published  string              `json:"published"` // YYYY-MM-DD or ""
	Summary    string              `json:"summary"`
	Postmortem Postmortem          `json:"postmortem"`
	Taxonomy   map[string]Category `json:"taxonomy"`
	Articles   []int64             `json:"articles"`
	// Labels are the source's own categories and keywords (a team's
	// postmortem front matter, a list's section heading), as written.
	Labels []string `json:"labels"`
	URL    string   `json:"url"` // where the original postmortem is published
	// Body is the Markdown of a postmortem that no postmortem field took:
	// prose outside known headings, sections such as Detection, front
	// matter faultline has no field for. It is shown and searched.
	Body    string   `json:"body"`
	Sources []Source `json:"sources"`
	Triage  Triage   `json:"triage"`
	// Cited are the stored articles among Articles, filled by a read that
	// resolves them; never stored with the incident.
	Cited []CitedArticle `json:"cited_articles,omitempty"`
}

// Postmortem holds the ten postmortem fields, in the order the FAIL page
// shows them.
type Postmortem struct {
	Timeline          string `json:"timeline"`
	System            string `json:"system"`
	ResponsibleOrg    string `json:"responsible_org"`
	ImpactedOrg       string `json:"impacted_org"`
	SoftwareCauses    string `json:"software_causes"`
	NonSoftwareCauses string `json:"non_software_causes"`
	Impacts           string `json:"impacts"`
	Preventions       string `json:"preventions"`
	Fixes             string `json:"fixes"`
	References        string `json:"references"`
}

// Category is one taxonomy category of an incident: canonical options and
// the rationale the source gave for them.
type Category struct {
	Options   []string `json:"options"`
	Rationale string   `json:"rationale"`
}

// FieldSpec names one postmortem field: its key in records and queries, its
// label on the FAIL page, and how to reach it in a Postmortem.
type FieldSpec struct {
	Key   string
	Label string
	Get   func(*Postmortem) *string
}

// Fields lists the ten postmortem fields in page order.
var Fields = []FieldSpec{
	{"timeline", "Timeline", func(p *Postmortem) *string { return &p.Timeline }},
	{"system", "System", func(p *Postmortem) *string { return &p.System }},
	{"responsible_org", "Responsible Organization", func(p *Postmortem) *string { return &p.ResponsibleOrg }},
	{"impacted_org", "Impacted Organization", func(p *Postmortem) *string { return &p.ImpactedOrg }},
	{"software_causes", "Software Causes", func(p *Postmortem) *string { return &p.SoftwareCauses }},
	{"non_software_causes", "Non-software Causes", func(p *Postmortem) *string { return &p.NonSoftwareCauses }},
	{"impacts", "Impacts", func(p *Postmortem) *string { return &p.Impacts }},
	{"preventions", "Preventions", func(p *Postmortem) *string { return &p.Preventions }},
	{"fixes", "Fixes", func(p *Postmortem) *string { return &p.Fixes }},
	{"references", "References", func(p *Postmortem) *string { return &p.References }},
}

// Field returns the value of the postmortem field with the given key, and
// whether the key names a field.
func (p *Postmortem) Field(key string) (string, bool) {
	for _, f := range Fields {
		if f.Key == key {
			return *f.Get(p), true
		}
	}
	return "", false
}

// MakeID derives the stable id of an incident from its title and published
// date, so that the same incident from any source gets the same id.
func MakeID(title, published string) string {
	sum := sha256.Sum256([]byte(NormalizeTitle(title) + "\x00" + strings.TrimSpace(published)))
	return hex.EncodeToString(sum[:6])
}

// NormalizeTitle folds a title to lower case letters and digits separated by
// single spaces, with accents removed, so that copies that differ only in
// case, punctuation, white space or Unicode form compare equal.
func NormalizeTitle(s string) string {
	return strings.Join(Words(s), " ")
}

// Words splits s into lower-case, accent-free words of letters and digits.
// It is the one tokeniser shared by ids and search.
func Words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining mark left by NFKD: drop it to fold accents
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// NaturalID is the id an incident gets when nothing else is stored: from
// its source key when it has one (IDForSource), else from its title and
// date (MakeID).
func (in *Incident) NaturalID() string {
	if key := in.SourceKey(); key != "" {
		return IDForSource(key)
	}
	return MakeID(in.Title, in.Published)
}

// Normalize fills what a record must always have: an id, every taxonomy
// category with non-nil options, non-nil slices. It keeps every text as is.
func (in *Incident) Normalize() {
	if in.ID == "" {
		in.ID = in.NaturalID()
	}
	if in.Taxonomy == nil {
		in.Taxonomy = make(map[string]Category, len(Categories))
	}
	for _, c := range Categories {
		cat := in.Taxonomy[c.Key]
		if cat.Options == nil {
			cat.Options = []string{}
		}
		in.Taxonomy[c.Key] = cat
	}
	if in.Articles == nil {
		in.Articles = []int64{}
	}
	if in.Sources == nil {
		in.Sources = []Source{}
	}
	if in.Labels == nil {
		in.Labels = []string{}
	}
}

// Year returns the four-digit year of the published date, or "".
func (in *Incident) Year() string {
	if len(in.Published) >= 4 {
		return in.Published[:4]
	}
	return ""
}

// HasOption reports whether the incident's category holds option opt.
func (in *Incident) HasOption(category, opt string) bool {
	for _, o := range in.Taxonomy[category].Options {
		if o == opt {
			return true
		}
	}
	return false
}
