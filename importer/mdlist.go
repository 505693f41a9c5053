package importer

import (
	"io"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/faultline/faultline/incident"
)

// ParseMarkdownList reads a Markdown list of postmortems: headings name
// categories, and each paragraph or list item that starts with a link to
// a web page, "[Company](https://…). What happened.", is one incident.
// The link gives the organisation and the URL, the text after it the
// summary, the heading above it a label; the title is derived from them
// (see deriveTitle). Entries carry no date. Text that is not an entry
// (an introduction, a table of contents) is not imported. Each record
// has the line of its entry; an entry over the limits is refused alone.
func ParseMarkdownList(data []byte, opts Options) (recs []Record, refused, warnings []FileError, err error) {
	opts = opts.withDefaults()
	if err := checkMarkdownSize(int64(len(data)), opts); err != nil {
		return nil, nil, nil, err
	}
	pw := &pageWarnings{}
	text, err := pageText(data, pw)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, w := range pw.list() {
		warnings = append(warnings, FileError{Reason: w})
	}
	l := &mdList{src: []byte(text)}
	l.lines = newLineIndex(l.src, 1)
	l.blocks(mdParse(l.src))
	for _, e := range l.entries {
		in := entryIncident(e)
		if err := opts.withDefaults().checkRecord(&in); err != nil {
			refused = append(refused, FileError{Line: e.line, Reason: reasonOf(err)})
			continue
		}
		recs = append(recs, Record{Incident: in, Line: e.line})
	}
	if len(recs) == 0 && len(refused) == 0 {
		return nil, nil, warnings, errAt(0, "no list entries found (a paragraph or item starting \"[Company](https://…) description\")")
	}
	return recs, refused, warnings, nil
}

type mdList struct {
	src     []byte
	lines   lineIndex
	label   string // the heading entries are under
	entries []mdEntry
}

type mdEntry struct {
	org, url, desc, label string
	line                  int
}

// blocks finds the entries among the blocks of a container.
func (l *mdList) blocks(parent ast.Node) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		switch b := c.(type) {
		case *ast.Heading:
			l.label = oneSpaced(plainText(b, l.src, false))
		case *ast.Paragraph, *ast.TextBlock:
			l.entry(b, nil)
		case *ast.List:
			for li := b.FirstChild(); li != nil; li = li.NextSibling() {
				first := li.FirstChild()
				if first == nil || !l.entry(first, first.NextSibling()) {
					l.blocks(li) // a group of entries under a plain item
				}
			}
		case *ast.Blockquote:
			l.blocks(b)
		}
	}
}

// entry adds the entry that paragraph p starts, with the blocks from more
// on as the rest of its description, and reports whether p was one.
func (l *mdList) entry(p ast.Node, more ast.Node) bool {
	if _, ok := p.(*ast.Paragraph); !ok {
		if _, ok := p.(*ast.TextBlock); !ok {
			return false
		}
	}
	link, ok := p.FirstChild().(*ast.Link)
	if !ok {
		return false
	}
	url := strings.TrimSpace(string(link.Destination))
	if lower := strings.ToLower(url); !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return false // an anchor of a table of contents, a relative link
	}
	var rest []ast.Node
	for c := link.NextSibling(); c != nil; c = c.NextSibling() {
		rest = append(rest, c)
	}
	desc := strings.TrimLeft(oneSpaced(plainInlines(rest, l.src, false)), ".,:;-–— ")
	for b := more; b != nil; b = b.NextSibling() {
		if t := blockText(b, l.src); t != "" {
			desc = strings.TrimSpace(desc + " " + t)
		}
	}
	line := 0
	if s := blockStart(p); s >= 0 {
		line = l.lines.line(s)
	}
	l.entries = append(l.entries, mdEntry{
		org: oneSpaced(plainText(link, l.src, false)), url: url, desc: desc, label: l.label, line: line,
	})
	return true
}

// entryIncident makes the incident of a list entry.
func entryIncident(e mdEntry) incident.Incident {
	title := deriveTitle(e.org, e.desc)
	if e.desc == "" || strings.Trim(title, ".!?: ") == "" {
		// nothing to name it by but the link
		title = clipWords(oneSpaced(e.org+" "+e.url), maxTitle)
	}
	in := incident.Incident{Title: title, Summary: e.desc, URL: e.url, Articles: []int64{}}
	in.Postmortem.ResponsibleOrg, in.Postmortem.ImpactedOrg = e.org, e.org
	in.Labels = addLabels(nil, e.label)
	in.Normalize()
	return in
}

// readMarkdownList reads a list file whole and adds its entries.
func readMarkdownList(r io.Reader, size int64, rep *fileReport) error {
	if err := checkMarkdownSize(size, rep.opts); err != nil {
		return err
	}
	data, err := readAll(r, size)
	if err != nil {
		return err
	}
	recs, refused, warnings, err := ParseMarkdownList(data, rep.opts)
	for _, w := range warnings {
		rep.warn(w.Line, w.Reason)
	}
	for _, f := range refused {
		rep.refuse(f.Line, "%s", f.Reason)
	}
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := rep.add(rec); err != nil {
			return err
		}
	}
	return nil
}
