package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Format names a form of incident data the importer reads.
type Format string

const (
	Page     Format = "page"     // FAIL detail page text, one incident per file
	CSV      Format = "csv"      // FAIL CSV export
	Dumpdata Format = "dumpdata" // Django dumpdata JSON of the FAIL schema
	JSONL    Format = "jsonl"    // our export: one incident object per line
	JSON     Format = "json"     // our export: one array, or incident objects one after another

	Markdown     Format = "markdown" // a postmortem in Markdown, YAML front matter optional
	MarkdownList Format = "mdlist"   // a Markdown list of postmortems: "[Company](url). What happened."
)

// HeadSize is how much of a file Detect needs to see.
const HeadSize = 4096

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Detect tells the format of a file from the first bytes of its content
// (up to HeadSize), with the name's extension as a hint where the content
// alone is ambiguous. A file in no known form gets an error wrapping
// ErrUnknownFormat whose text says why.
func Detect(name string, head []byte) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	for _, bom := range [][]byte{{0xFE, 0xFF}, {0xFF, 0xFE}} {
		if bytes.HasPrefix(head, bom) {
			return "", fmt.Errorf("%w: UTF-16 text (save it as UTF-8)", ErrUnknownFormat)
		}
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	body := bytes.TrimLeft(head, " \t\r\n")
	if len(body) == 0 {
		if ext == ".jsonl" || ext == ".ndjson" {
			return JSONL, nil // an export of nothing
		}
		return "", fmt.Errorf("%w: empty file", ErrUnknownFormat)
	}
	if looksBinary(head) {
		return "", fmt.Errorf("%w: binary content", ErrUnknownFormat)
	}
	first, _, _ := bytes.Cut(body, []byte("\n"))
	switch body[0] {
	case '[':
		if mdLinkStartRe().Match(first) {
			break // "[Company](https://…)": a list of postmortems
		}
		switch firstKey(body[1:]) {
		case "model", "pk", "fields":
			return Dumpdata, nil
		}
		return JSON, nil
	case '{':
		switch ext {
		case ".jsonl", ".ndjson":
			return JSONL, nil
		case ".json":
			return JSON, nil
		}
		// One object on the first line is JSON Lines; an object spread over
		// lines is a single (pretty-printed) record.
		line, _, complete := bytes.Cut(body, []byte("\n"))
		if complete && bytes.HasSuffix(bytes.TrimRight(line, " \t\r"), []byte("}")) {
			return JSONL, nil
		}
		return JSON, nil
	}
	if hasPrefixFold(body, "incident:") {
		return Page, nil
	}
	if f, ok := markdownForm(body, first, ext); ok {
		if f == "" {
			return "", fmt.Errorf("%w: Markdown with no front matter, postmortem headings or Date: line: not a postmortem", ErrUnknownFormat)
		}
		return f, nil
	}
	if bytes.IndexByte(first, ',') >= 0 {
		lower := strings.ToLower(string(first))
		if strings.Contains(lower, "title") || ext == ".csv" {
			return CSV, nil
		}
	}
	switch ext {
	case ".txt":
		// Let the page parser say what is wrong with it.
		return Page, nil
	case ".json", ".jsonl", ".ndjson":
		return "", fmt.Errorf("%w: %s file does not start with [ or {", ErrUnknownFormat, ext)
	case ".csv":
		return "", fmt.Errorf("%w: CSV file without a header row", ErrUnknownFormat)
	}
	return "", fmt.Errorf("%w: not a FAIL page, CSV, dumpdata, faultline JSON or Markdown", ErrUnknownFormat)
}

var (
	// front matter: a "---" line, then a key
	frontMatterRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^---[ \t]*\r?\n[ \t]*(?:#.*\r?\n[ \t]*)*[\w"'-][^:\n]*:`)
	})
	atxHeadingRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]|\r?$)`) })
	setextRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\S[^\n]*\r?\n {0,3}=+[ \t]*\r?(?:\n|$)`) })
	mdLinkStartRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[[^\]\n]+\]\(`) })
	// a list entry: "[Company](https://…). text", maybe as a list item
	mdEntryRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)^ {0,3}(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?\[[^\]\n]+\]\([ \t]*<?[hH][tT][tT][pP][sS]?://[^)\s]*>?\)[^\pL\pN\n]{0,4}[\pL\pN]`)
	})
	atxLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^ {0,3}#{1,6}[ \t]+(.*)$`) })
	// a template's "Date: 2024-07-19" under the title: what dateLineRe
	// reads, on any line of the head
	dateInHeadRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?mi)^\s*(?:[-*+]\s+)?[*_]{0,2}(?:incident\s+)?date(?:\s+of\s+(?:the\s+)?incident)?[*_]{0,2}\s*:`)
	})
)

// markdownForm tells Markdown from the head of a file: front matter makes
// a postmortem; so does a heading on the first line, or a .md name, when
// the head also has a postmortem section heading (Impact, Root cause, …)
// or a Date: line; three or more list entries and no such heading make a
// list of postmortems. A Markdown file with none of these (a README) is
// no postmortem: it reports ok with no format.
func markdownForm(head, first []byte, ext string) (Format, bool) {
	if frontMatterRe().Match(head) {
		return Markdown, true
	}
	postmortem := hasPostmortemHeading(head) || dateInHeadRe().Match(head)
	isList := len(mdEntryRe().FindAllIndex(head, 3)) >= 3 && !postmortem
	switch {
	case isList:
		return MarkdownList, true
	case postmortem && (atxHeadingRe().Match(first) || setextRe().Match(head)):
		return Markdown, true
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		if postmortem {
			return Markdown, true
		}
		return "", true // Markdown, but no postmortem: see Detect
	}
	return "", false
}

// hasPostmortemHeading reports a heading of a postmortem section (Impact,
// Root cause, Timeline, …) in head.
func hasPostmortemHeading(head []byte) bool {
	for _, m := range atxLineRe().FindAllSubmatch(head, -1) {
		if _, known := classifyHeading(string(m[1])); known {
			return true
		}
	}
	return false
}

// looksBinary reports content no text format holds: NUL bytes, or many
// control characters.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	return ctl*10 > len(b)
}

// firstKey returns the first object key in b, which follows a '[', or "".
func firstKey(b []byte) string {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return ""
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) == 0 || b[0] != '"' {
		return ""
	}
	end := bytes.IndexByte(b[1:], '"')
	if end < 0 {
		return ""
	}
	return string(b[1 : 1+end])
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}
