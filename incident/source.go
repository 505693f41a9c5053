package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Source is one place a record was imported from: its provenance.
type Source struct {
	Form     string    `json:"form"`                // page, csv, dumpdata, jsonl, json, starter, …
	File     string    `json:"file,omitempty"`      // the file, as an absolute path
	SourceID string    `json:"source_id,omitempty"` // the id the source gives it (FAIL's Incident ID)
	First    time.Time `json:"first,omitzero"`      // first import
	Last     time.Time `json:"last,omitzero"`       // latest import
	Hash     string    `json:"hash,omitempty"`      // ContentHash of what it gave the latest time
}

// Form of the built-in starter set.
const FormStarter = "starter"

// Families of forms: where the data comes from, whatever its file format.
const (
	FamilyFAIL      = "fail"      // FAIL page text, CSV exports and dumps
	FamilyFaultline = "faultline" // our own exports
	FamilyMarkdown  = "markdown"  // postmortems written in Markdown
)

// Family returns the family of the source's form: fail, faultline,
// markdown, starter, or the form itself for one not known here.
func (s Source) Family() string {
	switch strings.ToLower(s.Form) {
	case "page", "csv", "dumpdata":
		return FamilyFAIL
	case "jsonl", "json":
		return FamilyFaultline
	case "markdown", "mdlist":
		return FamilyMarkdown
	}
	return strings.ToLower(s.Form)
}

// SourceKinds are the families and forms a source: query names.
var SourceKinds = []string{FamilyFAIL, FormStarter, FamilyFaultline, FamilyMarkdown,
	"page", "csv", "dumpdata", "jsonl", "json", "mdlist"}

// IsSourceKind reports whether v names a family or a form of sources
// rather than a file.
func IsSourceKind(v string) bool { return slices.Contains(SourceKinds, v) }

// Same reports whether s and o name the same source: form, file and id.
func (s Source) Same(o Source) bool {
	return s.Form == o.Form && s.File == o.File && s.SourceID == o.SourceID
}

// Name is how a person refers to the source: its file's base name, or
// its form when it has no file.
func (s Source) Name() string {
	if s.File == "" {
		return s.Form
	}
	return filepath.Base(s.File)
}

// Matches reports whether the query value v names the source: its form,
// its file's base name or its whole path (case-insensitive).
func (s Source) Matches(v string) bool {
	v = strings.ToLower(v)
	return v == strings.ToLower(s.Form) || v == strings.ToLower(s.Name()) ||
		(s.File != "" && v == strings.ToLower(s.File))
}

// FAILKey is the key of a FAIL incident id among all sources' ids, or ""
// for no id. FAIL ids are the only source ids so far; the prefix leaves
// room for others.
func FAILKey(sourceID string) string {
	id := strings.TrimSpace(sourceID)
	if id == "" {
		return ""
	}
	return "fail:" + id
}

// SourceKey returns the key of the incident's own source id, or "".
func (in *Incident) SourceKey() string { return FAILKey(in.SourceID) }

// IDForSource derives the record id of an incident that a source knows by
// key (see FAILKey): the same on every machine, whatever else was imported.
func IDForSource(key string) string {
	sum := sha256.Sum256([]byte("source\x00" + key))
	return hex.EncodeToString(sum[:6])
}

// MakeContentID derives the id of an incident without a source id that
// shares its title and date with another: the content tells them apart.
func MakeContentID(title, published, hash string) string {
	sum := sha256.Sum256([]byte(NormalizeTitle(title) + "\x00" + strings.TrimSpace(published) + "\x00" + hash))
	return hex.EncodeToString(sum[:6])
}

// TitleKey is the key under which incidents of one title and date meet:
// MakeID's value, which is what such an incident's id was before ids came
// from sources.
func TitleKey(title, published string) string { return MakeID(title, published) }

// ContentHash is a digest of what a source said about the incident: its
// texts, taxonomy and articles, without id, provenance or triage.
func ContentHash(in *Incident) string {
	c := *in
	c.ID, c.Sources, c.Triage, c.Cited = "", nil, Triage{}, nil
	data, err := json.Marshal(&c)
	if err != nil {
		return "" // cannot happen for these types
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// contentWords returns the set of words of the ten postmortem fields: what
// every form carries (page text has no summary).
func contentWords(in *Incident) map[string]struct{} {
	set := map[string]struct{}{}
	for _, f := range Fields {
		for _, w := range Words(*f.Get(&in.Postmortem)) {
			set[w] = struct{}{}
		}
	}
	return set
}

// SameContentThreshold is the Similarity from which two records with one
// title and date are taken for one source incident. On the FAIL sample,
// a page and the CSV row it was rendered from score 1; distinct FAIL
// incidents sharing a title and date score 0.52–0.68.
const SameContentThreshold = 0.85

// Similarity compares the words of two incidents' postmortem fields
// (Jaccard: shared words over all words). It is -1 when either has none,
// so there is nothing to compare.
func Similarity(a, b *Incident) float64 {
	wa, wb := contentWords(a), contentWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return -1
	}
	shared := 0
	for w := range wa {
		if _, ok := wb[w]; ok {
			shared++
		}
	}
	return float64(shared) / float64(len(wa)+len(wb)-shared)
}
