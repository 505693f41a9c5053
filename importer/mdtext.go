package importer

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// What both Markdown readers share: parsing with goldmark behind a guard
// on nesting, plain text out of inline Markdown, line numbers, titles.

// goldmark takes time quadratic in the nesting of containers (100,000 ">"
// on a line take seconds, a file of them hours) and in the length of a
// line of unclosed links ("[a](" a megabyte long takes a minute), and pads
// every row of a table to the columns of its delimiter row, so the parser
// sees a copy in which container markers past these bounds are no longer
// markers, long lines are broken and a delimiter row of too many columns
// is text. The copy has the same length, so every offset the parser
// reports reads the original text.
const (
	mdMaxMarkers = 16   // block quote and list markers on one line
	mdMaxIndent  = 64   // columns of indentation
	mdMaxLine    = 1024 // bytes of a line
	mdMaxColumns = 64   // columns of a table
)

// mdParse parses src as CommonMark with GitHub tables.
func mdParse(src []byte) ast.Node {
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	return md.Parser().Parse(text.NewReader(mdGuard(src)))
}

// mdGuard returns src, or a copy of the same length in which container
// markers past mdMaxMarkers or mdMaxIndent on a line are replaced by 'x'
// and lines longer than mdMaxLine are broken (see breakLine).
func mdGuard(src []byte) []byte {
	out, copied := src, false
	edit := func() {
		if !copied {
			out, copied = bytes.Clone(src), true
		}
	}
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		markers, col := 0, 0
	scan:
		for i := start; i < end; {
			switch src[i] {
			case ' ':
				col++
				i++
			case '\t':
				col += 4 - col%4
				i++
			default:
				n := mdMarkerLen(src[i:end])
				if n == 0 {
					break scan
				}
				markers++
				if markers > mdMaxMarkers || col > mdMaxIndent {
					edit()
					out[i+n-1] = 'x'
				}
				col += n
				i += n
			}
		}
		if line := src[start:end]; bytes.Count(line, []byte("|")) > mdMaxColumns && len(bytes.Trim(line, "|-: \t")) == 0 {
			edit()
			for i := start; i < end; i++ {
				if src[i] == '|' {
					out[i] = 'x' // a delimiter row no more
				}
			}
		}
		if end-start > mdMaxLine {
			edit()
			breakLine(src, out, start, end)
		}
		start = end + 1
	}
	return out
}

// breakLine puts newlines into out so that the line src[start:end] runs
// at most mdMaxLine bytes between them: in place of a space before a
// letter, which the parser reads back as the space it was (a line that
// starts with a letter continues a paragraph and opens no block), or in a
// line without such a space, of another ASCII byte before a letter.
func breakLine(src, out []byte, start, end int) {
	letter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	for end-start > mdMaxLine {
		cut := -1
		for _, space := range []bool{true, false} {
			for i := start + mdMaxLine - 1; i >= start+mdMaxLine/2 && cut < 0; i-- {
				if letter(src[i+1]) && (src[i] == ' ' || !space && src[i] < 0x80 && !letter(src[i])) {
					cut = i
				}
			}
		}
		if cut < 0 {
			start += mdMaxLine / 2 // no place to break: leave this stretch
			continue
		}
		out[cut] = '\n'
		start = cut + 1
	}
}

// mdMarkerLen returns the length of the container marker (">", "-", "+",
// "*", "1." or "1)") that starts b, or 0.
func mdMarkerLen(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	switch b[0] {
	case '>':
		return 1
	case '-', '+', '*':
		if len(b) == 1 || b[1] == ' ' || b[1] == '\t' {
			return 1
		}
		return 0
	}
	i := 0
	for i < len(b) && i < 9 && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i > 0 && i < len(b) && (b[i] == '.' || b[i] == ')') && (i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\t') {
		return i + 1
	}
	return 0
}

// lineIndex turns byte offsets into 1-based line numbers.
type lineIndex struct {
	starts []int // offset of each line
	first  int   // number of the first line
}

func newLineIndex(s []byte, first int) lineIndex {
	li := lineIndex{starts: []int{0}, first: first}
	for i, c := range s {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li lineIndex) line(off int) int {
	return sort.SearchInts(li.starts, off+1) - 1 + li.first
}

// lineStart returns the offset of the start of the line holding off.
func (li lineIndex) lineStart(off int) int {
	return li.starts[sort.SearchInts(li.starts, off+1)-1]
}

// blockStart returns the offset where block n's text starts, or -1 when it
// holds none.
func blockStart(n ast.Node) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			if t, ok := c.(*ast.Text); ok {
				return t.Segment.Start
			}
			continue
		}
		if s := blockStart(c); s >= 0 {
			return s
		}
	}
	return -1
}

// plainText is the text of inline Markdown as a reader sees it: emphasis
// and code marks dropped, escapes and entities resolved, a link as its
// text followed by its address in parentheses. Soft line breaks become
// newlines when keepLines is set and spaces otherwise. It walks with its
// own stack: emphasis can nest as deep as a file has asterisks.
func plainText(n ast.Node, src []byte, keepLines bool) string {
	var kids []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		kids = append(kids, c)
	}
	return plainInlines(kids, src, keepLines)
}

// plainInlines is plainText of a run of inline nodes.
func plainInlines(nodes []ast.Node, src []byte, keepLines bool) string {
	var b strings.Builder
	type frame struct {
		node  ast.Node
		after string // written when the node's children are done
	}
	var stack []frame
	pushAll := func(list []ast.Node) {
		for i := len(list) - 1; i >= 0; i-- { // the first is popped first
			stack = append(stack, frame{node: list[i]})
		}
	}
	push := func(parent ast.Node) {
		var kids []ast.Node
		for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
			kids = append(kids, c)
		}
		pushAll(kids)
	}
	pushAll(nodes)
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.node == nil {
			b.WriteString(f.after)
			continue
		}
		switch c := f.node.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if !c.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				if keepLines {
					b.WriteByte('\n')
				} else {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(src))
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				s := c.Segments.At(i)
				b.Write(s.Value(src))
			}
		case *ast.Link:
			dest := string(c.Destination)
			stack = append(stack, frame{after: linkSuffix(c, src, dest)})
			push(c)
		default:
			push(c)
		}
	}
	return b.String()
}

// linkSuffix is what follows a link's text: its address, unless the text
// already is the address.
func linkSuffix(l *ast.Link, src []byte, dest string) string {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return ""
	}
	if strings.TrimSpace(plainText(l, src, false)) == dest {
		return ""
	}
	return " (" + dest + ")"
}

// blockText is the plain text of a block and everything in it, on one
// line: paragraphs and nested items joined by spaces, list items by "; ",
// table cells by " | ".
func blockText(n ast.Node, src []byte) string {
	var parts []string
	switch c := n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		return oneSpaced(plainText(c, src, false))
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		return oneSpaced(string(linesText(n, src)))
	case *ast.List:
		for li := c.FirstChild(); li != nil; li = li.NextSibling() {
			if t := blockText(li, src); t != "" {
				parts = append(parts, t)
			}
		}
		return strings.Join(parts, "; ")
	case *east.TableRow, *east.TableHeader:
		for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
			parts = append(parts, oneSpaced(plainText(cell, src, false)))
		}
		return strings.Join(parts, " | ")
	}
	for k := n.FirstChild(); k != nil; k = k.NextSibling() {
		if k.Type() != ast.TypeBlock {
			continue
		}
		if t := blockText(k, src); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// linesText is the raw text of a code or HTML block.
func linesText(n ast.Node, src []byte) []byte {
	var b []byte
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		b = append(b, s.Value(src)...)
	}
	if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
		b = append(b, h.ClosureLine.Value(src)...)
	}
	return b
}

// oneSpaced trims s and turns every run of white space into one space.
func oneSpaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// maxTitle bounds a derived title, in characters.
const maxTitle = 90

// deriveTitle makes a title for a postmortem that has none: the
// organisation, a colon, and the first sentence of the description,
// clipped at a word to maxTitle characters. Either part may be missing.
func deriveTitle(org, desc string) string {
	org, sentence := oneSpaced(org), firstSentence(oneSpaced(desc))
	title := sentence
	switch {
	case sentence == "":
		title = org
	case org != "" && !strings.HasPrefix(strings.ToLower(sentence), strings.ToLower(org)):
		title = org + ": " + sentence
	}
	return clipWords(title, maxTitle)
}

// firstSentence returns s up to the end of its first sentence: a '.', '!'
// or '?' followed by a space and an upper-case letter or digit, so that
// "e.g. the" and "v1.2" do not end it.
func firstSentence(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
			if i+2 < len(s) && s[i+1] == ' ' {
				r, _ := utf8.DecodeRuneInString(s[i+2:])
				if unicode.IsUpper(r) || unicode.IsDigit(r) {
					return strings.TrimRight(s[:i], " ")
				}
			}
		}
	}
	return strings.TrimRight(s, ".!? ")
}

// clipWords shortens s to at most n characters, cutting at a space where
// one is near and ending in "…".
func clipWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, count := 0, 0
	for i := range s {
		if count == n-1 {
			cut = i
			break
		}
		count++
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > cut/2 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:-") + "…"
}
