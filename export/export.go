// Package export writes incidents out: JSON Lines and JSON that the
// importer reads back exactly, the FAIL CSV layout for spreadsheets and
// FAIL's own tools, and a Markdown report for people. Formats lists them;
// WriteFile is the one way an export reaches a named file, for the
// command line and the explorer alike.
//
// A JSON Lines line is json.Marshal of a Normalize()d incident, triage
// included; JSON is the same objects in one array, one per line. Both are
// byte-for-byte stable: exporting what an export imported gives the same
// bytes.
package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
)

// normalized returns a Normalize()d copy of in that shares nothing mutable
// with it, its texts made valid UTF-8 the way a JSON decoder reads them
// (each bad byte as U+FFFD), so that an export read back and written again
// gives the same bytes.
func normalized(in incident.Incident) incident.Incident {
	in.Taxonomy = maps.Clone(in.Taxonomy)
	in.Normalize()
	for _, p := range []*string{&in.ID, &in.SourceID, &in.Title, &in.Published, &in.Summary, &in.URL, &in.Body} {
		*p = validUTF8(*p)
	}
	in.Triage = validTriage(in.Triage)
	for _, f := range incident.Fields {
		p := f.Get(&in.Postmortem)
		*p = validUTF8(*p)
	}
	for key, cat := range in.Taxonomy {
		if !validCategory(key, cat) {
			delete(in.Taxonomy, key)
			cat.Rationale = validUTF8(cat.Rationale)
			cat.Options = validAll(cat.Options)
			in.Taxonomy[validUTF8(key)] = cat
		}
	}
	in.Labels = validAll(in.Labels)
	return in
}

// validTriage is t with its texts made valid UTF-8, as for the incident.
func validTriage(t incident.Triage) incident.Triage {
	t = t.Clone()
	t.Status.Value, t.Status.By, t.Star.By = validUTF8(t.Status.Value), validUTF8(t.Status.By), validUTF8(t.Star.By)
	for tag, m := range t.Tags {
		if !utf8.ValidString(tag) || !utf8.ValidString(m.By) {
			delete(t.Tags, tag)
			m.By = validUTF8(m.By)
			t.Tags[validUTF8(tag)] = m
		}
	}
	for i := range t.Notes {
		t.Notes[i].By, t.Notes[i].Text = validUTF8(t.Notes[i].By), validUTF8(t.Notes[i].Text)
	}
	return t
}

// validUTF8 replaces each byte of s that is not valid UTF-8 with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func validAll(list []string) []string {
	for i, s := range list {
		if !utf8.ValidString(s) {
			list = slices.Clone(list)
			for j := i; j < len(list); j++ {
				list[j] = validUTF8(list[j])
			}
			break
		}
	}
	return list
}

func validCategory(key string, c incident.Category) bool {
	if !utf8.ValidString(key) || !utf8.ValidString(c.Rationale) {
		return false
	}
	for _, o := range c.Options {
		if !utf8.ValidString(o) {
			return false
		}
	}
	return true
}

// record is an incident as our exports write it: without the cited
// articles, which belong to the database, not to the record.
func record(in incident.Incident) incident.Incident {
	in = normalized(in)
	in.Cited = nil
	return in
}

// marshalRecord is the JSON of an incident as our exports write it, safe
// to print (see sanitize.JSON).
func marshalRecord(in incident.Incident) ([]byte, error) {
	b, err := json.Marshal(record(in))
	return sanitize.JSON(b), err
}

// WriteJSONL writes one JSON object per incident per line.
func WriteJSONL(w io.Writer, incs []incident.Incident) error {
	bw := bufio.NewWriter(w)
	for _, in := range incs {
		b, err := marshalRecord(in)
		if err != nil {
			return fmt.Errorf("export: jsonl: incident %s: %w", in.ID, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: jsonl: %w", err)
	}
	return nil
}

// WriteJSON writes the incidents as one JSON array, one object per line.
func WriteJSON(w io.Writer, incs []incident.Incident) error {
	bw := bufio.NewWriter(w)
	bw.WriteByte('[')
	for i, in := range incs {
		b, err := marshalRecord(in)
		if err != nil {
			return fmt.Errorf("export: json: incident %s: %w", in.ID, err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(b)
	}
	if len(incs) > 0 {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: json: %w", err)
	}
	return nil
}
