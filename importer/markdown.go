package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"go.yaml.in/yaml/v3"

	"github.com/faultline/faultline/incident"
)

// ParseMarkdown reads one postmortem written in Markdown: optional YAML
// front matter, then sections under headings, mapped to the postmortem
// fields as the package documentation says. Text under no known heading
// stays in the Body, Markdown as written. Warnings carry the line they
// are about (Path is left for the caller); an error refuses the file, and
// names the line where it can.
func ParseMarkdown(data []byte, opts Options) (incident.Incident, []FileError, error) {
	opts = opts.withDefaults()
	if err := checkMarkdownSize(int64(len(data)), opts); err != nil {
		return incident.Incident{}, nil, err
	}
	p := &mdDoc{opts: opts}
	pw := &pageWarnings{}
	text, err := pageText(data, pw)
	if err != nil {
		return incident.Incident{}, nil, err
	}
	for _, w := range pw.list() {
		p.warn(0, "%s", w)
	}
	fm, body, bodyLine, hasFM := splitFrontMatter(text)
	if hasFM {
		if err := p.frontMatter(fm); err != nil {
			return incident.Incident{}, p.warns, err
		}
	}
	p.src = []byte(body)
	p.lines = newLineIndex(p.src, bodyLine)
	p.sections(mdParse(p.src))
	in, err := p.finish()
	return in, p.warns, err
}

// mdDoc is one postmortem being read.
type mdDoc struct {
	opts  Options
	warns []FileError
	in    incident.Incident
	fmSet map[string]bool // fields the front matter gave
	other []string        // front matter lines kept for the body
	src   []byte          // the Markdown after the front matter
	lines lineIndex

	secs    []*mdSection
	regions []mdRegion // where the body's and the sections' text starts
	cut     [][2]int   // spans of body regions taken elsewhere (title, date line, lead)
	lead    string     // the first paragraph of prose, for want of a summary
	leadAt  [2]int
	h1      string // the first level-1 heading, when it is the title
}

// mdSection is the text under a heading that maps to a field.
type mdSection struct {
	field   string // a key of incident.Fields, "summary"
	heading string
	level   int
	prefix  string // the unknown subheading the next items are under
	items   []string
}

// mdRegion starts at off and runs to the next region: body text or not.
type mdRegion struct {
	off  int
	body bool
}

func (p *mdDoc) warn(line int, format string, args ...any) {
	if len(p.warns) < pageMaxWarnings {
		p.warns = append(p.warns, FileError{Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

// splitFrontMatter separates YAML front matter (between a first line "---"
// and the next line "---" or "...") from the Markdown after it, whose
// first line number it returns. Without a closing line there is none.
func splitFrontMatter(s string) (fm, body string, bodyLine int, ok bool) {
	first, rest, found := strings.Cut(s, "\n")
	if !found || strings.TrimRight(first, " \t") != "---" {
		return "", s, 1, false
	}
	off, line := 0, 2
	for off <= len(rest) {
		end := strings.IndexByte(rest[off:], '\n')
		l := rest[off:]
		if end >= 0 {
			l = rest[off : off+end]
		}
		if t := strings.TrimRight(l, " \t"); t == "---" || t == "..." {
			if end < 0 {
				return rest[:off], "", line + 1, true
			}
			return rest[:off], rest[off+end+1:], line + 1, true
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return "", s, 1, false
}

// Front matter keys faultline has a field for. Of a group, the first key
// present with a value wins; the others are kept with the unknown keys.
var (
	fmDateKeys   = []string{"date", "start_time", "published", "source_published_at"}
	fmOrgKeys    = []string{"company", "org", "organisation", "organization"}
	fmSystemKeys = []string{"product", "system"}
	fmLabelKeys  = []string{"categories", "keywords", "tags"} // all taken, in this order
)

var yamlLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// fmPair is one key of the front matter: its value and the lines it was
// written on.
type fmPair struct {
	key      string // lower case
	val      *yaml.Node
	from, to int // lines of the front matter, 0-based, to exclusive
}

// fmPairs decodes the front matter into its keys, in order. An error
// names the line of the file (the "---" being line 1).
func fmPairs(fm string) ([]fmPair, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(fm)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // empty front matter
		}
		msg := err.Error()
		if m := yamlLineRe().FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return nil, errAt(n+1, "front matter: %s", m[2])
		}
		return nil, errAt(1, "front matter: %s", strings.TrimPrefix(msg, "yaml: "))
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, errAt(2, "front matter is not a list of key: value pairs")
	}
	lines := strings.Count(fm, "\n") + 1
	var pairs []fmPair
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		to := lines
		if i+2 < len(root.Content) {
			to = root.Content[i+2].Line - 1
		}
		from := max(k.Line-1, 0)
		to = max(min(to, lines), from+1)
		pairs = append(pairs, fmPair{strings.ToLower(strings.TrimSpace(k.Value)), resolveAlias(root.Content[i+1]), from, to})
	}
	return pairs, nil
}

// frontMatter reads the YAML front matter into the incident and keeps
// what it has no field for.
func (p *mdDoc) frontMatter(fm string) error {
	if len(fm) > p.opts.MaxField {
		return errAt(1, "front matter is %s, over the %s limit", sizeText(int64(len(fm))), sizeText(int64(p.opts.MaxField)))
	}
	pairs, err := fmPairs(fm)
	if err != nil || pairs == nil {
		return err
	}
	fmLines := strings.Split(fm, "\n")
	used := make([]bool, len(pairs))
	find := func(key string) []int {
		var out []int
		for i, pr := range pairs {
			if pr.key == key {
				out = append(out, i)
			}
		}
		return out
	}
	// takeFirst gives the first value of the keys, in order, that set accepts.
	takeFirst := func(keys []string, set func(v string, line int) bool) {
		for _, k := range keys {
			for _, i := range find(k) {
				v, ok := scalarText(pairs[i].val)
				if !ok || v == "" {
					continue
				}
				if set(v, pairs[i].from+2) {
					used[i] = true
					return
				}
			}
		}
	}
	p.fmSet = map[string]bool{}
	text := func(field string, dst *string) func(string, int) bool {
		return func(v string, _ int) bool { *dst, p.fmSet[field] = v, true; return true }
	}
	takeFirst([]string{"title"}, text("title", &p.in.Title))
	takeFirst([]string{"url"}, text("url", &p.in.URL))
	takeFirst([]string{"summary"}, text("summary", &p.in.Summary))
	takeFirst(fmSystemKeys, text("system", &p.in.Postmortem.System))
	takeFirst(fmOrgKeys, func(v string, _ int) bool {
		p.in.Postmortem.ResponsibleOrg, p.in.Postmortem.ImpactedOrg = v, v
		return true
	})
	takeFirst(fmDateKeys, func(v string, line int) bool {
		d, ok := parseDate(v)
		if !ok {
			p.warn(line, "front matter date %s is not a date; kept, not used", strconv.Quote(clip(v)))
			return false
		}
		p.in.Published, p.fmSet["published"] = d, true
		return true
	})
	for _, k := range fmLabelKeys {
		for _, i := range find(k) {
			if labels, ok := labelList(pairs[i].val); ok {
				p.in.Labels = addLabels(p.in.Labels, labels...)
				used[i] = true
			}
		}
	}
	for i, pr := range pairs {
		if used[i] {
			continue
		}
		if v, ok := scalarText(pr.val); ok && v == "" && isKnownKey(pr.key) {
			continue // a known key left empty holds nothing
		}
		p.other = append(p.other, strings.TrimRight(strings.Join(fmLines[pr.from:pr.to], "\n"), " \t\n"))
	}
	return nil
}

func isKnownKey(k string) bool {
	switch k {
	case "title", "url", "summary":
		return true
	}
	for _, g := range [][]string{fmDateKeys, fmOrgKeys, fmSystemKeys, fmLabelKeys} {
		for _, x := range g {
			if x == k {
				return true
			}
		}
	}
	return false
}

// resolveAlias follows a YAML alias to the node it names.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n != nil && n.Kind == yaml.AliasNode; i++ {
		n = n.Alias
	}
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n
}

// scalarText is a front matter value as text: a scalar as written, a list
// of scalars joined by ", ". A mapping is not text.
func scalarText(n *yaml.Node) (string, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", true
		}
		return strings.TrimSpace(n.Value), true
	case yaml.SequenceNode:
		list, ok := labelList(n)
		return strings.Join(list, ", "), ok
	}
	return "", false
}

// labelList reads labels: a YAML list of scalars, or one scalar of
// comma-separated labels.
func labelList(n *yaml.Node) ([]string, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil, true
		}
		return strings.Split(n.Value, ","), true
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			c = resolveAlias(c)
			if c.Kind != yaml.ScalarNode {
				return nil, false
			}
			if c.Tag != "!!null" {
				out = append(out, c.Value)
			}
		}
		return out, true
	}
	return nil, false
}

// addLabels appends the labels not yet in list (compared without case),
// trimmed, skipping empty ones.
func addLabels(list []string, labels ...string) []string {
	seen := make(map[string]bool, len(list)+len(labels))
	for _, x := range list {
		seen[strings.ToLower(x)] = true
	}
	for _, l := range labels {
		l = oneSpaced(l)
		if k := strings.ToLower(l); l != "" && !seen[k] {
			seen[k] = true
			list = append(list, l)
		}
	}
	return list
}

// mdHeadings maps heading phrases to the field their section fills; ""
// keeps the section in the body. A heading matches a phrase when its words
// start with the phrase's words; the longest phrase wins.
var mdHeadings = []struct {
	field   string
	phrases []string
}{
	{"summary", []string{"summary", "overview", "what happened", "executive summary", "incident summary", "description", "tl dr", "tldr"}},
	{"impacts", []string{"impact", "impacts", "customer impact", "user impact", "business impact"}},
	{"software_causes", []string{"root cause", "root causes", "cause", "causes", "contributing factor", "contributing factors",
		"trigger", "triggers", "what went wrong", "human factors", "organisational factors", "organizational factors",
		"process failures", "non software causes"}},
	{"timeline", []string{"timeline", "incident timeline", "chronology", "sequence of events"}},
	{"", []string{"detection"}},
	{"fixes", []string{"resolution", "remediation", "mitigation", "mitigations", "fix", "fixes", "recovery", "workaround"}},
	{"preventions", []string{"action items", "action item", "follow ups", "follow up", "followups", "prevention", "preventions",
		"lessons learned", "lessons learnt", "corrective actions", "corrective and preventive actions", "next steps"}},
	{"references", []string{"references", "links", "sources", "further reading"}},
}

// mdOrgWords make a cause heading a non-software one.
var mdOrgWords = map[string]bool{
	"organisational": true, "organizational": true, "organisation": true, "organization": true,
	"process": true, "processes": true, "procedural": true, "human": true, "people": true, "non": true,
}

var parenRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\([^)]*\)`) })

// classifyHeading returns the field a heading's section fills ("" for the
// body) and whether the heading is one faultline knows.
func classifyHeading(h string) (string, bool) {
	words := incident.Words(parenRe().ReplaceAllString(h, " "))
	for len(words) > 0 && strings.Trim(words[0], "0123456789") == "" {
		words = words[1:] // "1. Summary", "2 Impact"
	}
	best, bestLen, known := "", 0, false
	for _, m := range mdHeadings {
		for _, ph := range m.phrases {
			pw := strings.Fields(ph)
			if len(pw) <= bestLen || len(pw) > len(words) {
				continue
			}
			match := true
			for i, w := range pw {
				match = match && words[i] == w
			}
			if match {
				best, bestLen, known = m.field, len(pw), true
			}
		}
	}
	if best == "software_causes" {
		for _, w := range words {
			if mdOrgWords[w] {
				return "non_software_causes", true
			}
		}
	}
	return best, known
}

// sections walks the top-level blocks: headings open sections or body
// regions, blocks fill the open section.
func (p *mdDoc) sections(doc ast.Node) {
	p.regions = []mdRegion{{0, true}}
	var cur *mdSection
	preamble := true // before the first heading other than the title
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		h, ok := c.(*ast.Heading)
		if !ok {
			if cur != nil {
				cur.add(p.blockItems(c, cur.field == "timeline"))
			} else if preamble {
				p.preambleBlock(c)
			}
			continue
		}
		htext := oneSpaced(plainText(h, p.src, false))
		start := -1
		if s := blockStart(h); s >= 0 {
			start = p.lines.lineStart(s)
		}
		if p.h1 == "" && h.Level == 1 && start >= 0 && p.isTitle(htext) {
			p.h1 = htext
			p.cut = append(p.cut, [2]int{start, p.headingEnd(h, start)})
			continue
		}
		preamble = false
		field, known := classifyHeading(htext)
		if field == "summary" && p.fmSet["summary"] {
			field = "" // the front matter's summary wins; the section stays
		}
		switch {
		case known && field != "":
			cur = &mdSection{field: field, heading: htext, level: h.Level}
			p.secs = append(p.secs, cur)
			p.region(start, false)
		case !known && cur != nil && h.Level > cur.level:
			cur.prefix = htext // a subheading of the open section
		default:
			cur = nil
			p.region(start, true)
		}
	}
}

// isTitle reports whether a level-1 heading names the postmortem: it is
// not a section heading, and agrees with a front matter title if any.
func (p *mdDoc) isTitle(h string) bool {
	if h == "" {
		return false
	}
	if _, known := classifyHeading(h); known {
		return false
	}
	return !p.fmSet["title"] || incident.NormalizeTitle(h) == incident.NormalizeTitle(p.in.Title)
}

// headingEnd returns the offset after a heading's line, and after its
// underline for a setext heading.
func (p *mdDoc) headingEnd(h *ast.Heading, start int) int {
	last := h.Lines().At(h.Lines().Len() - 1)
	end := p.lineEnd(max(last.Stop-1, last.Start))
	if !strings.HasPrefix(strings.TrimLeft(string(p.src[start:min(start+8, len(p.src))]), " "), "#") {
		end = p.lineEnd(end) // a setext heading's underline
	}
	return end
}

// lineEnd returns the offset just past the newline ending the line at off.
func (p *mdDoc) lineEnd(off int) int {
	if off >= len(p.src) {
		return len(p.src)
	}
	if i := bytes.IndexByte(p.src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(p.src)
}

// region starts a region at off; a heading without text (off < 0) stays
// in the region before it.
func (p *mdDoc) region(off int, body bool) {
	if off >= 0 {
		p.regions = append(p.regions, mdRegion{off, body})
	}
}

func (s *mdSection) add(items []string) {
	for _, it := range items {
		if s.prefix != "" {
			it = s.prefix + ": " + it
		}
		s.items = append(s.items, it)
	}
}

var (
	dateLineRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?[*_]{0,2}(?:incident\s+)?date(?:\s+of\s+(?:the\s+)?incident)?[*_]{0,2}\s*:\s*[*_]{0,2}\s*(.*?)\s*$`)
	})
	metaLineRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\s*(?:[-*+]\s+)?[*_]{0,2}[\pL][\pL /&-]{0,30}[*_]{0,2}\s*:`)
	})
)

// preambleBlock looks at a block before the first section: a "Date:" line
// gives the date, the first paragraph of prose a summary if none comes.
func (p *mdDoc) preambleBlock(b ast.Node) {
	para, ok := b.(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return
	}
	lines := para.Lines()
	meta := true
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := string(seg.Value(p.src))
		if !metaLineRe().MatchString(line) {
			meta = false
			continue
		}
		m := dateLineRe().FindStringSubmatch(strings.ReplaceAll(strings.ReplaceAll(line, "**", ""), "__", ""))
		if m == nil || p.in.Published != "" || p.fmSet["published"] {
			continue
		}
		v := strings.Trim(m[1], "*_ ")
		if d, ok := parseDate(v); ok {
			p.in.Published = d
			p.cut = append(p.cut, [2]int{p.lines.lineStart(seg.Start), p.lineEnd(seg.Start)})
		} else {
			p.warn(p.lines.line(seg.Start), "Date line %s is not a date; left in the body", strconv.Quote(clip(v)))
		}
	}
	if !meta && p.lead == "" {
		p.lead = oneSpaced(plainText(para, p.src, false))
		last := lines.At(lines.Len() - 1)
		p.leadAt = [2]int{p.lines.lineStart(lines.At(0).Start), p.lineEnd(max(last.Stop-1, last.Start))}
	}
}

// blockItems turns a block of a section into the field's items: a list
// item, a table row, a paragraph each make one; in a timeline every line
// of a paragraph or code block is an event of its own.
func (p *mdDoc) blockItems(b ast.Node, perLine bool) []string {
	var out []string
	add := func(s string) {
		if s = oneSpaced(s); s != "" {
			out = append(out, s)
		}
	}
	switch c := b.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		if !perLine {
			add(plainText(c, p.src, false))
			break
		}
		for _, l := range strings.Split(plainText(c, p.src, true), "\n") {
			add(l)
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		if !perLine {
			add(string(linesText(c, p.src)))
			break
		}
		for _, l := range strings.Split(string(linesText(c, p.src)), "\n") {
			add(l)
		}
	case *ast.List:
		for li := c.FirstChild(); li != nil; li = li.NextSibling() {
			add(blockText(li, p.src))
		}
	case *ast.Blockquote:
		for k := c.FirstChild(); k != nil; k = k.NextSibling() {
			out = append(out, p.blockItems(k, perLine)...)
		}
	case *east.Table:
		out = tableItems(c, p.src)
	case *ast.ThematicBreak:
	default:
		add(blockText(c, p.src))
	}
	return out
}

// tableItems makes one item of each body row of a table: its first cell,
// then the others as "Header: value" in parentheses. A leading column of
// row numbers ("#", "No.") is left out.
func tableItems(t *east.Table, src []byte) []string {
	var head []string
	var rows [][]string
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, oneSpaced(plainText(c, src, false)))
		}
		if _, ok := r.(*east.TableHeader); ok {
			head = cells
		} else {
			rows = append(rows, cells)
		}
	}
	skip := 0
	if len(head) > 1 {
		switch strings.ToLower(strings.Trim(head[0], " .")) {
		case "#", "no", "nr", "id", "":
			skip = 1
		}
	}
	var out []string
	for _, cells := range rows {
		var first string
		var rest []string
		for i := skip; i < len(cells); i++ {
			if cells[i] == "" {
				continue
			}
			if first == "" {
				first = cells[i]
				continue
			}
			if i < len(head) && head[i] != "" {
				rest = append(rest, head[i]+": "+cells[i])
			} else {
				rest = append(rest, cells[i])
			}
		}
		if first == "" {
			continue
		}
		if len(rest) > 0 {
			first += " (" + strings.Join(rest, "; ") + ")"
		}
		out = append(out, first)
	}
	return out
}

// finish fills the fields from the sections, builds the body and checks
// the limits.
func (p *mdDoc) finish() (incident.Incident, error) {
	in := p.in
	for _, key := range append([]string{"summary"}, fieldKeys()...) {
		var secs []*mdSection
		for _, s := range p.secs {
			if s.field == key {
				secs = append(secs, s)
			}
		}
		var items []string
		for _, s := range secs {
			for _, it := range s.items {
				if len(secs) > 1 {
					it = s.heading + ": " + it
				}
				items = append(items, it)
			}
		}
		if len(items) == 0 {
			continue
		}
		if key == "summary" {
			if in.Summary == "" {
				in.Summary = strings.Join(items, "\n\n")
			}
			continue
		}
		for _, f := range incident.Fields {
			if f.Key == key {
				*f.Get(&in.Postmortem) = numbered(items)
			}
		}
	}
	if in.Summary == "" && p.lead != "" {
		in.Summary = p.lead
		p.cut = append(p.cut, p.leadAt)
	}
	if in.Title == "" {
		in.Title = p.h1
	}
	if in.Title == "" && p.fmSet != nil {
		// a record of a collection, named by its metadata
		in.Title = deriveTitle(in.Postmortem.ResponsibleOrg, in.Summary)
	}
	if in.Title == "" {
		return in, errAt(0, "no title: no front matter title and no # heading")
	}
	in.Body = p.body()
	in.Articles = []int64{}
	in.Normalize()
	if err := p.opts.withDefaults().checkRecord(&in); err != nil {
		return in, err
	}
	return in, nil
}

func fieldKeys() []string {
	keys := make([]string, len(incident.Fields))
	for i, f := range incident.Fields {
		keys[i] = f.Key
	}
	return keys
}

// numbered writes items in the form incident.Items reads: "1. …" lines.
func numbered(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(it)
	}
	return b.String()
}

// body joins the body regions, less what was taken from them, and the
// front matter kept, into the Markdown of the Body.
func (p *mdDoc) body() string {
	var pieces []string
	for i, r := range p.regions {
		if !r.body {
			continue
		}
		end := len(p.src)
		if i+1 < len(p.regions) {
			end = p.regions[i+1].off
		}
		pos := r.off
		for pos < end {
			next, skip := end, end
			for _, c := range p.cut {
				if c[1] > pos && c[0] < next {
					next, skip = max(c[0], pos), c[1]
				}
			}
			if piece := trimBlankLines(string(p.src[pos:next])); piece != "" {
				pieces = append(pieces, piece)
			}
			pos = max(skip, next)
		}
	}
	if len(p.other) > 0 {
		block := strings.Join(p.other, "\n")
		fence := "```"
		for strings.Contains(block, fence) {
			fence += "`"
		}
		pieces = append(pieces, "## Front matter\n\n"+fence+"yaml\n"+block+"\n"+fence)
	}
	return strings.Join(pieces, "\n\n")
}

// trimBlankLines drops the blank lines around s and white space at its end,
// keeping the indentation of its first line.
func trimBlankLines(s string) string {
	s = strings.TrimRight(s, " \t\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			if strings.TrimSpace(s) == "" {
				return ""
			}
			return s
		}
		s = rest
	}
}

// checkMarkdownSize refuses Markdown over twice MaxField: no postmortem
// or list is that long, and a Markdown parse takes up to a few hundred
// times its input in memory.
func checkMarkdownSize(size int64, opts Options) error {
	if limit := 2 * int64(opts.MaxField); size > limit {
		return fmt.Errorf("%w: %s of Markdown, over the %s limit (twice the field limit)", ErrTooLarge, sizeText(size), sizeText(limit))
	}
	return nil
}

// readMarkdown reads one Markdown postmortem file whole and parses it.
func readMarkdown(r io.Reader, size int64, rep *fileReport) error {
	if err := checkMarkdownSize(size, rep.opts); err != nil {
		return err
	}
	data, err := readAll(r, size)
	if err != nil {
		return err
	}
	in, warns, err := ParseMarkdown(data, rep.opts)
	for _, w := range warns {
		rep.warn(w.Line, w.Reason)
	}
	if err != nil {
		return err
	}
	return rep.add(Record{Incident: in})
}
