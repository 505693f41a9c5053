package ui

// renderMarkdown lays out a Markdown body for the detail view. It reads
// the Markdown a person writes (headings, lists, quotes, code, tables,
// emphasis, links) line by line, without building a tree, so that no
// input costs more than linear time or deep recursion. The whole text is
// sanitised before it is read: no byte of the source reaches the screen
// unneutralised, and styles are added to text that holds no escapes.

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/faultline/faultline/sanitize"
)

const (
	mdMaxDepth = 8    // indentation levels of nested lists and quotes
	mdMaxSpan  = 1024 // bytes searched for the end of a code span or link
)

var (
	mdFenceRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^ {0,3}(`{3,}|~{3,})") })
	mdHeadingRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	})
	mdRuleRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	})
	mdItemRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$`) })
	mdTableSep = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	})
	mdSetextRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`) })
)

// renderMarkdown returns src laid out in lines of at most w cells.
func renderMarkdown(src string, w int, s Styles) []string {
	text := strings.ReplaceAll(sanitize.Text(src), "\t", "    ")
	r := mdRenderer{s: s, w: max(w, 20)}
	r.blocks(strings.Split(text, "\n"), r.w, "")
	for len(r.out) > 0 && r.out[len(r.out)-1] == "" {
		r.out = r.out[:len(r.out)-1]
	}
	for i, l := range r.out {
		r.out[i] = truncate(l, r.w) // what cannot wrap (a table of many columns, deep bars) is cut
	}
	return r.out
}

type mdRenderer struct {
	s   Styles
	w   int
	out []string
}

// emit adds a line; blank marks the gap between blocks, never doubled.
func (r *mdRenderer) emit(l string) {
	if l == "" && (len(r.out) == 0 || r.out[len(r.out)-1] == "") {
		return
	}
	r.out = append(r.out, l)
}

// blocks renders lines, each output line prefixed by prefix, within w
// cells prefix included.
func (r *mdRenderer) blocks(lines []string, w int, prefix string) {
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case strings.TrimSpace(line) == "":
			r.emit("")
			i++
		case mdFenceRe().MatchString(line):
			i = r.code(lines, i, w, prefix)
		case mdHeadingRe().MatchString(line):
			m := mdHeadingRe().FindStringSubmatch(line)
			r.heading(len(m[1]), m[2], w, prefix)
			i++
		case mdRuleRe().MatchString(line):
			r.emit(prefix + r.s.Faint.Render(strings.Repeat("─", max(w-width(prefix), 1))))
			i++
		case strings.HasPrefix(strings.TrimLeft(line, " "), ">"):
			i = r.quote(lines, i, w, prefix)
		case mdItemRe().MatchString(line):
			i = r.list(lines, i, w, prefix)
		case i+1 < len(lines) && strings.Contains(line, "|") && mdTableSep().MatchString(lines[i+1]) && strings.Contains(lines[i+1], "-"):
			i = r.table(lines, i, w, prefix)
		case strings.HasPrefix(line, "    "):
			i = r.indentedCode(lines, i, w, prefix)
		default:
			i = r.paragraph(lines, i, w, prefix)
		}
	}
}

func (r *mdRenderer) heading(level int, text string, w int, prefix string) {
	r.emit("")
	mark := r.s.Faint.Render(strings.Repeat("#", level) + " ")
	hang := strings.Repeat(" ", level+1)
	style := func(_ mdRole, t string) string { return r.s.Heading.Render(t) }
	for i, l := range wrapSpans(inlineSpans(text), w, prefix+hang, prefix+hang, style) {
		if i == 0 {
			l = prefix + mark + strings.TrimPrefix(l, prefix+hang)
		}
		r.emit(l)
	}
	r.emit("")
}

// paragraph joins lines up to a blank line or another block, and a setext
// underline makes them a heading.
func (r *mdRenderer) paragraph(lines []string, i, w int, prefix string) int {
	var para []string
	for ; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			break
		}
		if len(para) > 0 && mdSetextRe().MatchString(l) {
			level := 1
			if strings.Contains(l, "-") {
				level = 2
			}
			r.heading(level, strings.Join(para, " "), w, prefix)
			return i + 1
		}
		if len(para) > 0 && startsBlock(l) {
			break
		}
		para = append(para, strings.TrimSpace(l))
	}
	for _, l := range wrapSpans(inlineSpans(strings.Join(para, " ")), w, prefix, prefix, r.s.inline) {
		r.emit(l)
	}
	return i
}

// startsBlock reports a line that ends a paragraph before it.
func startsBlock(l string) bool {
	return mdFenceRe().MatchString(l) || mdHeadingRe().MatchString(l) || mdRuleRe().MatchString(l) ||
		strings.HasPrefix(strings.TrimLeft(l, " "), ">") || mdItemRe().MatchString(l)
}

// code renders a fenced block as written, long lines broken, not wrapped.
func (r *mdRenderer) code(lines []string, i, w int, prefix string) int {
	fence := mdFenceRe().FindStringSubmatch(lines[i])[1]
	var body []string
	for i++; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
			i++
			break
		}
		body = append(body, lines[i])
	}
	r.codeLines(body, w, prefix)
	return i
}

func (r *mdRenderer) indentedCode(lines []string, i, w int, prefix string) int {
	var body []string
	for ; i < len(lines) && (strings.HasPrefix(lines[i], "    ") || strings.TrimSpace(lines[i]) == ""); i++ {
		body = append(body, strings.TrimPrefix(lines[i], "    "))
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	r.codeLines(body, w, prefix)
	return i
}

func (r *mdRenderer) codeLines(body []string, w int, prefix string) {
	r.emit("")
	pad := prefix + "  "
	for _, l := range body {
		for _, chunk := range breakCells(strings.TrimRight(l, " "), w-width(pad)) {
			r.emit(pad + r.s.Code.Render(chunk))
		}
		if l == "" {
			r.out = append(r.out, pad)
		}
	}
	r.emit("")
}

// quote renders the lines of one quote depth with a bar per level; what
// they hold is rendered as blocks of their own.
func (r *mdRenderer) quote(lines []string, i, w int, prefix string) int {
	depth := quoteDepth(lines[i])
	var inner []string
	for ; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || quoteDepth(l) != depth {
			break
		}
		inner = append(inner, stripQuotes(l))
	}
	bar := prefix + r.s.Faint.Render(strings.Repeat("│ ", min(depth, mdMaxDepth)))
	sub := mdRenderer{s: r.s, w: r.w}
	sub.blocks(inner, w-width(bar), "")
	r.emit("")
	for _, l := range sub.out {
		if l != "" || len(r.out) > 0 && r.out[len(r.out)-1] != "" {
			r.out = append(r.out, bar+l)
		}
	}
	r.emit("")
	return i
}

func quoteDepth(l string) int {
	d := 0
	for _, c := range l {
		switch c {
		case '>':
			d++
		case ' ':
		default:
			return d
		}
	}
	return d
}

func stripQuotes(l string) string { return strings.TrimLeft(l, " >") }

// list renders list items, nested by their indentation; lines indented
// under an item continue it.
func (r *mdRenderer) list(lines []string, i, w int, prefix string) int {
	r.emit("")
	for i < len(lines) {
		m := mdItemRe().FindStringSubmatch(lines[i])
		if m == nil {
			break
		}
		indent := len(m[1])
		text := []string{m[3]}
		for i++; i < len(lines); i++ {
			l := lines[i]
			if strings.TrimSpace(l) == "" || mdItemRe().MatchString(l) || !strings.HasPrefix(l, "  ") {
				break
			}
			text = append(text, strings.TrimSpace(l))
		}
		depth := min(indent/2, mdMaxDepth)
		marker := "•"
		if c := m[2][len(m[2])-1]; c == '.' || c == ')' {
			marker = m[2]
		}
		head := prefix + strings.Repeat("  ", depth) + marker + " "
		hang := prefix + strings.Repeat("  ", depth) + strings.Repeat(" ", width(marker)+1)
		for _, l := range wrapSpans(inlineSpans(strings.Join(text, " ")), w, head, hang, r.s.inline) {
			r.emit(l)
		}
		// a blank line between items of one list keeps the list going
		if i+1 < len(lines) && strings.TrimSpace(lines[i]) == "" && mdItemRe().MatchString(lines[i+1]) {
			i++
		}
	}
	r.emit("")
	return i
}

// table renders a table with columns as wide as their cells allow; when
// the table is too wide, the widest columns give way and cells are cut.
func (r *mdRenderer) table(lines []string, i, w int, prefix string) int {
	var rows [][]string
	head := splitRow(lines[i])
	for i += 2; i < len(lines) && strings.Contains(lines[i], "|") && strings.TrimSpace(lines[i]) != ""; i++ {
		rows = append(rows, splitRow(lines[i]))
	}
	cols := len(head)
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	cols = min(cols, 64)
	render := func(cells []string, paint func(mdRole, string) string) []string {
		out := make([]string, cols)
		for c := 0; c < cols && c < len(cells); c++ {
			out[c] = strings.Join(wrapSpans(inlineSpans(cells[c]), 1<<30, "", "", paint), " ")
		}
		return out
	}
	all := [][]string{render(head, func(_ mdRole, t string) string { return r.s.Label.Render(t) })}
	for _, row := range rows {
		all = append(all, render(row, r.s.inline))
	}
	widths := make([]int, cols)
	for _, row := range all {
		for c, cell := range row {
			widths[c] = max(widths[c], width(cell))
		}
	}
	shrinkColumns(widths, w-width(prefix)-3*(cols-1))
	sep := r.s.Faint.Render(" │ ")
	r.emit("")
	for k, row := range all {
		cells := make([]string, cols)
		for c := range cols {
			cells[c] = fit(row[c], widths[c])
		}
		r.emit(strings.TrimRight(prefix+strings.Join(cells, sep), " "))
		if k == 0 {
			rule := make([]string, cols)
			for c := range cols {
				rule[c] = strings.Repeat("─", widths[c])
			}
			r.emit(prefix + r.s.Faint.Render(strings.Join(rule, "─┼─")))
		}
	}
	r.emit("")
	return i
}

func splitRow(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(l, "|")
	if strings.HasSuffix(l, "|") && !strings.HasSuffix(l, `\|`) {
		l = l[:len(l)-1]
	}
	var cells []string
	var b strings.Builder
	for k := 0; k < len(l); k++ {
		switch {
		case l[k] == '\\' && k+1 < len(l) && l[k+1] == '|':
			b.WriteByte('|')
			k++
		case l[k] == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(l[k])
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}

// shrinkColumns narrows the widest columns until they fit in total cells,
// keeping each at least 3 wide.
func shrinkColumns(widths []int, total int) {
	for {
		sum, widest := 0, 0
		for c, wd := range widths {
			sum += wd
			if wd > widths[widest] {
				widest = c
			}
		}
		if sum <= total || widths[widest] <= 3 {
			return
		}
		widths[widest] -= max(1, min(sum-total, widths[widest]-3))
	}
}

// mdRole is how a run of inline text shows.
type mdRole int

const (
	mdPlain mdRole = iota
	mdEm
	mdStrong
	mdStrongEm
	mdCode
	mdLink
	mdNote // a link's address, an image's alt text
)

// mdSpan is a run of inline text in one role.
type mdSpan struct {
	text string
	role mdRole
}

// inline paints a run of text in its role.
func (s Styles) inline(role mdRole, t string) string {
	switch role {
	case mdEm:
		return s.Emphasis.Render(t)
	case mdStrong:
		return s.Strong.Render(t)
	case mdStrongEm:
		return s.Strong.Inherit(s.Emphasis).Render(t)
	case mdCode:
		return s.Code.Render(t)
	case mdLink:
		return s.Link.Render(t)
	case mdNote:
		return s.Subtle.Render(t)
	}
	return t
}

// inlineSpans reads emphasis, strong emphasis, code spans, links, images
// and escapes; a mark without its closing partner is text.
func inlineSpans(t string) []mdSpan {
	var spans []mdSpan
	var b strings.Builder
	var strong, em bool
	flush := func() {
		if b.Len() > 0 {
			spans = append(spans, mdSpan{b.String(), emphasis(strong, em)})
			b.Reset()
		}
	}
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == '\\' && i+1 < len(t) && isASCIIPunct(t[i+1]):
			b.WriteByte(t[i+1])
			i += 2
			continue
		case c == '`':
			n := runOf(t, i, '`')
			if end := strings.Index(t[i+n:min(len(t), i+n+mdMaxSpan)], t[i:i+n]); end >= 0 {
				flush()
				spans = append(spans, mdSpan{strings.TrimSpace(t[i+n : i+n+end]), mdCode})
				i += 2*n + end
				continue
			}
			b.WriteString(t[i : i+n])
			i += n
			continue
		case c == '*' || c == '_':
			n := runOf(t, i, c)
			if c == '_' && i > 0 && isWordByte(t[i-1]) && i+n < len(t) && isWordByte(t[i+n]) {
				break // snake_case
			}
			if n >= 2 && (strong || strings.Contains(t[i+2:], t[i:i+2])) {
				flush()
				strong = !strong
				i += 2
				continue
			}
			if em || strings.IndexByte(t[i+1:], c) >= 0 {
				flush()
				em = !em
				i++
				continue
			}
		case c == '[' || c == '!' && i+1 < len(t) && t[i+1] == '[':
			if text, url, n, ok := linkAt(t[i:]); ok {
				flush()
				if c == '!' {
					spans = append(spans, mdSpan{"[image: " + text + "]", mdNote})
				} else {
					spans = append(spans, mdSpan{text, mdLink})
					if url != "" && url != text && !strings.HasPrefix(url, "#") {
						spans = append(spans, mdSpan{" (" + url + ")", mdNote})
					}
				}
				i += n
				continue
			}
		case c == '<':
			if end := strings.IndexByte(t[i:min(len(t), i+mdMaxSpan)], '>'); end > 0 && isAutolink(t[i+1:i+end]) {
				flush()
				spans = append(spans, mdSpan{t[i+1 : i+end], mdLink})
				i += end + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	flush()
	return spans
}

func emphasis(strong, em bool) mdRole {
	switch {
	case strong && em:
		return mdStrongEm
	case strong:
		return mdStrong
	case em:
		return mdEm
	}
	return mdPlain
}

func runOf(t string, i int, c byte) int {
	n := 0
	for i+n < len(t) && t[i+n] == c {
		n++
	}
	return n
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && (unicode.IsPunct(rune(c)) || unicode.IsSymbol(rune(c)))
}

func isWordByte(c byte) bool {
	return c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isAutolink(s string) bool {
	return !strings.ContainsAny(s, " <") && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:"))
}

// linkAt reads "[text](url)" (or "![alt](src)") at the start of t.
func linkAt(t string) (text, url string, n int, ok bool) {
	start := 1
	if t[0] == '!' {
		start = 2
	}
	depth := 0
	for k := start; k < len(t) && k < mdMaxSpan; k++ {
		switch t[k] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
				continue
			}
			if k+1 >= len(t) || t[k+1] != '(' {
				return "", "", 0, false
			}
			end := strings.IndexByte(t[k+2:min(len(t), k+2+mdMaxSpan)], ')')
			if end < 0 {
				return "", "", 0, false
			}
			url = strings.TrimSpace(t[k+2 : k+2+end])
			if sp := strings.IndexAny(url, " \t"); sp >= 0 {
				url = url[:sp] // a title after the address
			}
			return t[start:k], strings.Trim(url, "<>"), k + 3 + end, true
		}
	}
	return "", "", 0, false
}

// mdWord is what wraps as one: the pieces of text between two spaces,
// which may be in several roles ("**bold**,").
type mdWord []mdSpan

func splitWords(spans []mdSpan) []mdWord {
	var words []mdWord
	open := false // the last word takes a piece that follows without a space
	for _, sp := range spans {
		if sp.text == "" {
			continue
		}
		fields := strings.FieldsFunc(sp.text, unicode.IsSpace)
		for k, f := range fields {
			if k == 0 && open && !unicode.IsSpace(firstRune(sp.text)) {
				words[len(words)-1] = append(words[len(words)-1], mdSpan{f, sp.role})
				continue
			}
			words = append(words, mdWord{{f, sp.role}})
		}
		open = len(fields) > 0 && !unicode.IsSpace(lastRune(sp.text))
	}
	return words
}

// wrapSpans lays spans out in lines of at most w cells, the first line
// starting with first and the others with rest; a word wider than a line
// is broken. paint styles each piece (nil: each in its role).
func wrapSpans(spans []mdSpan, w int, first, rest string, paint func(mdRole, string) string) []string {
	var out []string
	line, lineW, empty := first, width(first), true
	newLine := func() {
		out = append(out, line)
		line, lineW, empty = rest, width(rest), true
	}
	for _, word := range splitWords(spans) {
		ww := 0
		for _, p := range word {
			ww += width(p.text)
		}
		if !empty && lineW+1+ww > w {
			newLine()
		}
		if !empty {
			line += " "
			lineW++
		}
		for _, p := range word {
			for _, chunk := range breakCells(p.text, w) {
				cw := width(chunk)
				if lineW+cw > w && !empty {
					newLine()
				}
				for lineW+cw > w && empty && cw > 1 && w-lineW > 0 {
					// the line's prefix leaves less than a chunk
					cut := breakCells(chunk, w-lineW)
					line += paint(p.role, cut[0])
					chunk = chunk[len(cut[0]):]
					cw = width(chunk)
					newLine()
				}
				line += paint(p.role, chunk)
				lineW += cw
				empty = false
			}
		}
	}
	if !empty {
		out = append(out, line)
	}
	for i := range out {
		out[i] = strings.TrimRight(out[i], " ")
	}
	return out
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// breakCells cuts s into pieces of at most w cells, never inside a
// character.
func breakCells(s string, w int) []string {
	if s == "" {
		return []string{""}
	}
	w = max(w, 1)
	var out []string
	var b strings.Builder
	bw := 0
	for _, r := range s {
		rw := width(string(r))
		if bw+rw > w && b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
			bw = 0
		}
		b.WriteRune(r)
		bw += rw
	}
	return append(out, b.String())
}
