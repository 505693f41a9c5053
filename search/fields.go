package search

import (
	"fmt"
	"strings"

	"github.com/faultline/faultline/incident"
)

// The texts of an incident that words are indexed in, each with a field
// bit, in the order fieldText gives them: the title, the summary, the
// postmortem fields of incident.Fields in their order, the taxonomy
// rationales, the Markdown body and the names of the sources. The bits,
// the query language's field: keys and their help all come from
// incident.Fields and the table queryFields below.
const (
	fTitle   uint16 = 1 << 0
	fSummary uint16 = 1 << 1
	// incident.Fields[i] has bit fPostmortem << i
	fPostmortem uint16 = 1 << 2
)

var (
	fRationale = fPostmortem << len(incident.Fields) // any taxonomy rationale
	fBody      = fRationale << 1                     // the Markdown body
	fSource    = fBody << 1                          // the sources' file names; only source: looks here
	fAll       = fSource - 1                         // where a word without a field looks
	fPair      = fSource << 1                        // a headline pair term: see pairTerm

	fSystem            = postmortemBit("system")
	fResponsibleOrg    = postmortemBit("responsible_org")
	fImpactedOrg       = postmortemBit("impacted_org")
	fSoftwareCauses    = postmortemBit("software_causes")
	fNonSoftwareCauses = postmortemBit("non_software_causes")
	fImpacts           = postmortemBit("impacts")
	fPreventions       = postmortemBit("preventions")
	fFixes             = postmortemBit("fixes")

	fHeadline = fTitle | fSystem | fResponsibleOrg | fImpactedOrg
	fCauses   = fSoftwareCauses | fNonSoftwareCauses
	// what Related compares: what happened and what was learnt
	fRelated = fTitle | fSummary | fCauses | fImpacts | fPreventions | fFixes
)

// postmortemBit returns the bit of the postmortem field with key; the
// table must hold it, and all the bits must fit in 16.
func postmortemBit(key string) uint16 {
	if 4+len(incident.Fields) > 16 {
		panic("search: more postmortem fields than field bits")
	}
	for i, f := range incident.Fields {
		if f.Key == key {
			return fPostmortem << i
		}
	}
	panic("search: no postmortem field " + key)
}

// fieldText lists the texts of an incident with their field bits.
func fieldText(in *incident.Incident, fn func(bits uint16, s string)) {
	fn(fTitle, in.Title)
	fn(fSummary, in.Summary)
	for i, f := range incident.Fields {
		fn(fPostmortem<<i, *f.Get(&in.Postmortem))
	}
	for _, c := range incident.Categories {
		fn(fRationale, in.Taxonomy[c.Key].Rationale)
	}
	fn(fBody, in.Body)
	for _, src := range in.Sources {
		fn(fSource, src.Name())
	}
}

// queryField is a field: key of the query language.
type queryField struct {
	key  string
	bits uint16
	note string // for the help, when the key is not a field of its own
}

// queryFields are the field: keys, in the order the help lists them: the
// title and summary, every postmortem field, then the keys that join or
// name other texts.
var queryFields = func() []queryField {
	out := []queryField{{key: "title", bits: fTitle}, {key: "summary", bits: fSummary}}
	for i, f := range incident.Fields {
		out = append(out, queryField{key: f.Key, bits: fPostmortem << i})
	}
	return append(out,
		queryField{"org", fResponsibleOrg | fImpactedOrg, "both organisations"},
		queryField{"causes", fCauses, "both cause fields"},
		queryField{"rationale", fRationale, "taxonomy rationales"},
		queryField{"body", fBody, "the rest of a Markdown postmortem"})
}()

// textFields maps every field: key of the query language to its bits.
var textFields = func() map[string]uint16 {
	m := map[string]uint16{}
	for _, f := range queryFields {
		m[f.key] = f.bits
	}
	return m
}()

// fieldHelp lists the field: keys for the help, wrapped to width columns
// after an indent.
func fieldHelp(indent string, width int) string {
	var parts []string
	for _, f := range queryFields {
		p := f.key + ":"
		if f.note != "" {
			p += " (" + f.note + ")"
		}
		parts = append(parts, p)
	}
	return wrap(parts, indent, width)
}

// categoryHelp lists the taxonomy categories' keys for the help.
func categoryHelp(indent string, width int) string {
	var keys []string
	for _, c := range incident.Categories {
		keys = append(keys, c.Key)
	}
	return wrap(keys, indent, width)
}

// wrap joins parts with spaces into lines of at most width columns, each
// after indent; the first line has no indent (it follows a label).
func wrap(parts []string, indent string, width int) string {
	var b strings.Builder
	line := len(indent)
	for i, p := range parts {
		switch {
		case i == 0:
		case line+1+len(p) > width:
			fmt.Fprintf(&b, "\n%s", indent)
			line = len(indent)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(p)
		line += len(p)
	}
	return b.String()
}
