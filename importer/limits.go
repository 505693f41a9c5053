package importer

import (
	"fmt"

	"github.com/faultline/faultline/incident"
)

// One set of limits holds for every form, checked on a record as it will
// be stored (after line ends, surrounding space and invalid UTF-8 were
// dealt with), so that what one form accepts every other form, our own
// export first, takes back:
//   - every text (a title, a field, a rationale, an option, a label, …)
//     is at most Options.MaxField bytes;
//   - a whole record is at most Options.MaxFileSize bytes of text.
//
// The readers bound their memory on top of these: a file read whole (page
// text, Markdown) is at most MaxFileSize, Markdown at most twice MaxField
// (see checkMarkdownSize); a streamed file (CSV, JSON, JSON Lines,
// dumpdata) may be of any length, one record at a time.

// checkRecord refuses an incident over the limits, naming the text.
func (o Options) checkRecord(in *incident.Incident) error {
	total := 0
	var over error
	check := func(name, v string) {
		total += len(v)
		if over == nil && len(v) > o.MaxField {
			over = errAt(0, "%s is %s, over the %s limit", name, sizeText(int64(len(v))), sizeText(int64(o.MaxField)))
		}
	}
	for _, f := range []struct{ name, v string }{{"title", in.Title}, {"summary", in.Summary}, {"published", in.Published},
		{"source id", in.SourceID}, {"url", in.URL}, {"body", in.Body}} {
		check(f.name, f.v)
	}
	for _, f := range incident.Fields {
		check(f.Key, *f.Get(&in.Postmortem))
	}
	for key, c := range in.Taxonomy {
		check(key+" rationale", c.Rationale)
		for _, o := range c.Options {
			check(key+" option", o)
		}
	}
	for _, l := range in.Labels {
		check("a label", l)
	}
	if over != nil {
		return over
	}
	if int64(total) > o.MaxFileSize {
		return errAt(0, "the record holds %s of text, over the %s limit", sizeText(int64(total)), sizeText(o.MaxFileSize))
	}
	return nil
}

// checkArticle refuses an article over the limits.
func (o Options) checkArticle(a *incident.Article) error {
	total := 0
	for _, f := range []struct{ name, v string }{{"headline", a.Headline}, {"source", a.Source}, {"url", a.URL},
		{"summary", a.Summary}, {"body", a.Body}, {"published", a.Published}} {
		total += len(f.v)
		if len(f.v) > o.MaxField {
			return errAt(0, "article %s is %s, over the %s limit", f.name, sizeText(int64(len(f.v))), sizeText(int64(o.MaxField)))
		}
	}
	for k, v := range a.Extra {
		total += len(k) + len(v)
		if len(v) > o.MaxField {
			return errAt(0, "article column %q is %s, over the %s limit", clip(k), sizeText(int64(len(v))), sizeText(int64(o.MaxField)))
		}
	}
	if int64(total) > o.MaxFileSize {
		return fmt.Errorf("the article holds %s of text, over the %s limit", sizeText(int64(total)), sizeText(o.MaxFileSize))
	}
	return nil
}

// maxEscape is how many bytes of JSON one stored byte can take at most
// ("\u001b" for an ESC): a string of n stored bytes is at most maxEscape·n
// bytes in the file.
const maxEscape = 6

// jsonStringLimit is the longest JSON string, as written, that can hold a
// text within the limit.
func (o Options) jsonStringLimit() int { return maxEscape * o.MaxField }
