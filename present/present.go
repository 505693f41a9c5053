// Package present decides what an incident shows and in which order, once,
// for every place that shows one: the explorer's detail, `faultline show`
// and the Markdown report. Each of those draws a Doc in its own medium;
// none decides again which facts, fields or lists there are.
//
// Texts in a Doc are as stored: every renderer neutralises them (package
// sanitize) on its way to the screen or the file.
package present

import (
	"fmt"
	"strings"

	"github.com/faultline/faultline/incident"
)

// Fact is one labelled value of an incident's header.
type Fact struct{ Label, Value string }

// Field is one postmortem field (or the summary) as its numbered items.
type Field struct {
	Key, Label string
	Items      []string // one item is a paragraph, not a list
}

// Category is one taxonomy category as shown: the source's options and
// rationale, and the reviewer's correction when there is one.
type Category struct {
	Key, Label string
	Options    []string // the source's
	Rationale  string
	Corrected  bool
	Correction []string // the reviewer's options, when Corrected
	By         string   // who corrected, and when
}

// Note is a reviewer's note with its author and time.
type Note struct {
	Who  string // "alice, 2026-12-01 10:00 UTC"
	Text string
}

// Triage is what reviewers recorded, as shown.
type Triage struct {
	Status   string
	StatusBy string // who set it, and when; "" when never set
	Starred  bool
	Tags     []string
	Notes    []Note
}

// Article is a cited article: the headline, source, date and address of
// one imported, the id alone of one not.
type Article struct {
	ID                               int64
	Imported                         bool
	Headline, Source, Published, URL string
}

// Doc is an incident as every view shows it.
type Doc struct {
	Title    string
	Facts    []Fact // id, FAIL id, published, URL, labels
	Triage   Triage
	Touched  bool // the triage shows something
	Summary  Field
	Fields   []Field // the ten postmortem fields that hold something, page order
	Taxonomy []Category
	Body     string // Markdown, as the source wrote it
	Articles []Article
	Sources  []string // one line each
}

// Of returns the Doc of in.
func Of(in *incident.Incident) Doc {
	d := Doc{Title: in.Title}
	if d.Title == "" {
		d.Title = "(untitled)"
	}
	fact := func(label, value string) {
		if value != "" {
			d.Facts = append(d.Facts, Fact{label, value})
		}
	}
	fact("ID", in.ID)
	if in.SourceID != "" {
		fact("FAIL ID", in.SourceID+" (fail:"+in.SourceID+")")
	}
	fact("Published", in.Published)
	fact("URL", in.URL)
	fact("Labels", strings.Join(in.Labels, ", "))
	d.Triage, d.Touched = triageOf(&in.Triage), !in.Triage.Untouched()
	d.Summary = Field{Key: "summary", Label: "Summary", Items: incident.Items(in.Summary)}
	for _, f := range incident.Fields {
		if items := incident.Items(*f.Get(&in.Postmortem)); len(items) > 0 {
			d.Fields = append(d.Fields, Field{f.Key, f.Label, items})
		}
	}
	d.Taxonomy = taxonomyOf(in)
	d.Body = in.Body
	d.Articles = articlesOf(in)
	for _, s := range in.Sources {
		d.Sources = append(d.Sources, SourceLine(s))
	}
	return d
}

func triageOf(t *incident.Triage) Triage {
	out := Triage{Status: t.State(), Starred: t.Starred(), Tags: t.TagList()}
	if !t.Status.IsZero() {
		out.StatusBy = incident.Stamp{By: t.Status.By, At: t.Status.At}.Describe()
	}
	for _, n := range t.LiveNotes() {
		out.Notes = append(out.Notes, Note{Who: incident.Stamp{By: n.By, At: n.At}.Describe(), Text: n.Text})
	}
	return out
}

func taxonomyOf(in *incident.Incident) []Category {
	var out []Category
	for _, c := range incident.Categories {
		src := in.Taxonomy[c.Key]
		row := Category{Key: c.Key, Label: c.Label, Options: src.Options, Rationale: src.Rationale}
		if opts, ok := in.Triage.Corrected(c.Key); ok {
			m := in.Triage.Taxonomy[c.Key]
			row.Corrected, row.Correction = true, opts
			row.By = incident.Stamp{By: m.By, At: m.At}.Describe()
		}
		if len(row.Options) > 0 || row.Rationale != "" || row.Corrected {
			out = append(out, row)
		}
	}
	return out
}

func articlesOf(in *incident.Incident) []Article {
	stored := map[int64]incident.CitedArticle{}
	for _, a := range in.Cited {
		stored[a.ID] = a
	}
	out := make([]Article, 0, len(in.Articles))
	for _, id := range in.Articles {
		a, ok := stored[id]
		out = append(out, Article{ID: id, Imported: ok, Headline: a.Headline, Source: a.Source, Published: a.Published, URL: a.URL})
	}
	return out
}

// SourceLine says where a record came from and when, on one line.
func SourceLine(src incident.Source) string {
	parts := []string{src.Form}
	if src.File != "" {
		parts = append(parts, src.File)
	}
	if src.SourceID != "" {
		parts = append(parts, "id "+src.SourceID)
	}
	if !src.First.IsZero() {
		parts = append(parts, "first imported "+src.First.UTC().Format("2006-01-02 15:04"))
	}
	if !src.Last.IsZero() && !src.Last.Equal(src.First) {
		parts = append(parts, "last "+src.Last.UTC().Format("2006-01-02 15:04"))
	}
	return strings.Join(parts, " · ")
}

// OptionList is options for a sentence: "design, operation", or "none".
func OptionList(opts []string) string {
	if len(opts) == 0 {
		return "none"
	}
	return strings.Join(opts, ", ")
}

// Meta is one line of an article's source, date and address.
func (a Article) Meta() string {
	var parts []string
	for _, s := range []string{a.Source, a.Published, a.URL} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// String is the article as one line of text.
func (a Article) String() string {
	if !a.Imported {
		return fmt.Sprintf("[%d] (not imported)", a.ID)
	}
	return fmt.Sprintf("[%d] %s", a.ID, a.Headline)
}
