package search

import (
	"slices"
	"sort"

	"github.com/faultline/faultline/incident"
)

// Key is a key of the query language, as in fixes:word or domain:finance.
type Key struct {
	Name   string
	Desc   string   // what it selects, for a completion menu
	Values []string // the values it takes, when they are a fixed set
}

// textKeyDescs says what each field: key of textFields that is not a
// postmortem field selects; the postmortem fields are described by their
// labels.
var textKeyDescs = map[string]string{
	"title":     "a word in the title",
	"summary":   "a word in the summary",
	"causes":    "a word in either cause field",
	"org":       "a word in either organisation",
	"rationale": "a word in a taxonomy rationale",
	"body":      "a word in a Markdown postmortem's body",
}

// filterKeys are the keys Parse reads beside text fields and taxonomy
// categories, each with the values it takes where they are fixed.
var filterKeys = []Key{
	{Name: "year", Desc: "published in a year or range: 2019, 2015..2020"},
	{Name: "triage", Desc: "triage status", Values: incident.Statuses},
	{Name: "status", Desc: "triage status (as triage:)", Values: incident.Statuses},
	{Name: "is", Desc: "starred, or a triage status", Values: append([]string{"starred"}, incident.Statuses...)},
	{Name: "tag", Desc: "a triage tag"},
	{Name: FacetReviewed, Desc: "whether a reviewer corrected its taxonomy", Values: []string{"yes", "no"}},
	{Name: FacetLabel, Desc: "a label the postmortem's source gave it"},
	{Name: FacetSource, Desc: "where it came from: a form, or a file name", Values: incident.SourceKinds},
}

// Keys lists every key of the query language: the text fields (postmortem
// fields in page order, then the others by name), the taxonomy categories
// in page order with their canonical options, then the triage and year
// filters.
func Keys() []Key {
	var keys []Key
	for _, f := range incident.Fields {
		if _, ok := textFields[f.Key]; ok {
			keys = append(keys, Key{Name: f.Key, Desc: "a word in " + f.Label})
		}
	}
	var others []string
	for k := range textFields {
		if !slices.ContainsFunc(incident.Fields, func(f incident.FieldSpec) bool { return f.Key == k }) {
			others = append(others, k)
		}
	}
	sort.Strings(others)
	for _, k := range others {
		keys = append(keys, Key{Name: k, Desc: textKeyDescs[k]})
	}
	for _, c := range incident.Categories {
		keys = append(keys, Key{Name: c.Key, Desc: "taxonomy: " + c.Label, Values: c.Options})
	}
	return append(keys, filterKeys...)
}
