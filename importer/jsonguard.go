package importer

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// maxDepth bounds the nesting of JSON values: an incident nests 4 deep.
const maxDepth = 64

// jsonGuard sits between a file and json.Decoder. It reads the stream
// lexically, so that the decoder never holds more than one over-long string
// or more than maxDepth nested values:
//   - a string over maxField bytes as written (maxEscape times the limit on
//     its decoded text, so that it cannot be within that) is cut at the
//     limit (the rest is dropped
//     before the decoder sees it) and marked, so the record holding it can be
//     refused with its line while the decoder carries on;
//   - nesting deeper than maxDepth stops the stream with an error naming the line;
//   - newlines are counted, so offsets the decoder reports map to lines.
type jsonGuard struct {
	r        io.Reader
	maxField int64 // as written
	limit    int64 // the limit on decoded text, for messages
	buf      []byte

	inStr, esc, dropping bool
	hexLeft              int
	strLen               int64
	strOff               int64
	strLine              int
	depth                int

	out     int64   // bytes handed to the reader so far
	line    int     // line of the next byte
	nl      []int64 // output offsets of newlines not yet passed by lineAt
	nlSkip  int     // newlines before nl[0]
	marks   []guardMark
	err     error
	lineOff int // lines consumed before the guard started (skipped leading white space)
}

// guardMark records a string cut at the limit.
type guardMark struct {
	off  int64 // output offset of its opening quote
	line int
	size int64 // its full length in the file
}

// newJSONGuard guards r, cutting strings over written bytes as written;
// limit is the limit on decoded text that messages name.
func newJSONGuard(r io.Reader, written, limit int) *jsonGuard {
	return &jsonGuard{r: r, maxField: int64(written), limit: int64(limit), line: 1, buf: make([]byte, 32<<10)}
}

func (g *jsonGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	for {
		n, err := g.r.Read(g.buf[:min(len(p), len(g.buf))])
		w := 0
		for i := 0; i < n; i++ {
			c := g.buf[i]
			if g.inStr && !g.esc && g.hexLeft == 0 && c != '"' && c != '\\' {
				// a run of plain string bytes: pass it (up to the
				// limit) in one copy
				run := g.buf[i:n]
				if end := plainRun(run); end >= 0 {
					run = run[:end]
				}
				keep := int64(len(run))
				if g.dropping {
					keep = 0
				} else if room := g.maxField - g.strLen; keep > room {
					keep = max(room, 0)
					g.dropping = true
				}
				for k := bytes.IndexByte(run, '\n'); k >= 0; k = indexFrom(run, k+1, '\n') {
					g.nl = append(g.nl, g.out+int64(w)+min(int64(k), keep)) // raw newline: invalid, but counted
					g.line++
				}
				w += copy(p[w:], run[:keep])
				g.strLen += int64(len(run))
				i += len(run) - 1
				continue
			}
			keep := true
			if g.inStr {
				if c == '"' && !g.esc && g.hexLeft == 0 {
					g.inStr = false
					if g.strLen > g.maxField {
						g.marks = append(g.marks, guardMark{off: g.strOff, line: g.strLine, size: g.strLen})
					}
				} else {
					if g.strLen >= g.maxField && !g.esc && g.hexLeft == 0 {
						g.dropping = true
					}
					keep = !g.dropping
					g.strLen++
					switch {
					case g.hexLeft > 0:
						g.hexLeft--
					case g.esc:
						g.esc = false
						if c == 'u' {
							g.hexLeft = 4
						}
					case c == '\\':
						g.esc = true
					}
				}
			} else {
				switch c {
				case '"':
					g.inStr, g.esc, g.dropping, g.hexLeft, g.strLen = true, false, false, 0, 0
					g.strOff, g.strLine = g.out+int64(w), g.line
				case '{', '[':
					g.depth++
					if g.depth > maxDepth {
						g.err = errAt(g.line, "JSON nested deeper than %d levels", maxDepth)
						g.out += int64(w)
						return w, g.err
					}
				case '}', ']':
					if g.depth > 0 {
						g.depth--
					}
				}
			}
			if c == '\n' {
				g.nl = append(g.nl, g.out+int64(w))
				g.line++
			}
			if keep {
				p[w] = c
				w++
			}
		}
		g.out += int64(w)
		if err != nil {
			g.err = err
			return w, err
		}
		if w > 0 || n == 0 {
			return w, nil
		}
	}
}

// plainRun returns the index of the first quote or backslash in b, or -1.
func plainRun(b []byte) int {
	q := bytes.IndexByte(b, '"')
	if q < 0 {
		q = len(b)
	}
	if bs := bytes.IndexByte(b[:q], '\\'); bs >= 0 {
		return bs
	}
	if q == len(b) {
		return -1
	}
	return q
}

func indexFrom(b []byte, from int, c byte) int {
	if k := bytes.IndexByte(b[from:], c); k >= 0 {
		return from + k
	}
	return -1
}

// lineAt returns the line of the byte at output offset off. Offsets must
// not decrease from one call to the next.
func (g *jsonGuard) lineAt(off int64) int {
	i := 0
	for i < len(g.nl) && g.nl[i] < off {
		i++
	}
	g.nlSkip += i
	g.nl = g.nl[i:]
	if len(g.nl) == 0 {
		g.nl = g.nl[:0:0]
	}
	return g.lineOff + g.nlSkip + 1
}

// cutIn returns the first string cut at the limit that starts in the
// output range [start, end), and forgets cut strings before end.
func (g *jsonGuard) cutIn(start, end int64) (guardMark, bool) {
	var found guardMark
	ok := false
	i := 0
	for ; i < len(g.marks) && g.marks[i].off < end; i++ {
		if !ok && g.marks[i].off >= start {
			found, ok = g.marks[i], true
		}
	}
	g.marks = g.marks[i:]
	return found, ok
}

// skipJSONSpace consumes a UTF-8 BOM and leading white space, returning the
// number of newlines it passed and the first byte after them (0 at EOF).
func skipJSONSpace(br *bufio.Reader) (lines int, first byte, err error) {
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == utf8BOM[0] && b[1] == utf8BOM[1] && b[2] == utf8BOM[2] {
		br.Discard(3)
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return lines, 0, nil
		}
		if err != nil {
			return lines, 0, err
		}
		switch c {
		case '\n':
			lines++
		case ' ', '\t', '\r':
		default:
			br.UnreadByte()
			return lines, c, nil
		}
	}
}

// scanJSONLimits checks one JSON text held in memory against the same
// limits: the first string that cannot decode to maxField bytes or fewer,
// or nesting over maxDepth.
func scanJSONLimits(b []byte, maxField int) (reason string, ok bool) {
	written := maxEscape * maxField
	inStr, esc := false, false
	depth, strLen := 0, 0
	for _, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if strLen > written {
					return "string is " + sizeText(int64(strLen)) + ", over the " + sizeText(int64(maxField)) + " limit", false
				}
				continue
			}
			strLen++
			continue
		}
		switch c {
		case '"':
			inStr, strLen = true, 0
		case '{', '[':
			depth++
			if depth > maxDepth {
				return "JSON nested deeper than " + strconv.Itoa(maxDepth) + " levels", false
			}
		case '}', ']':
			depth--
		}
	}
	if inStr && strLen > written {
		return "string is " + sizeText(int64(strLen)) + ", over the " + sizeText(int64(maxField)) + " limit", false
	}
	return "", true
}
