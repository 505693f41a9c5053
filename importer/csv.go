package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// maxColumns bounds the columns of a CSV row: the FAIL export has 47.
const maxColumns = 1024

// maxHeaderCell bounds a header cell, whatever the field limit.
const maxHeaderCell = 4096

// csvRow is one record of a CSV file as the scanner read it.
type csvRow struct {
	line         int // line the record starts on
	cells        []string
	ncols        int   // cells seen, also those past maxColumns
	oversize     int   // index of the first cell over the limit, or -1
	oversizeLen  int64 // its length
	unterminated bool  // a quoted cell ran to the end of the file
}

func (r *csvRow) empty() bool {
	for _, c := range r.cells {
		if c != "" {
			return false
		}
	}
	return r.oversize < 0
}

// csvScanner reads RFC 4180 records with bounded memory: a cell keeps at
// most maxField bytes and a row at most maxColumns cells; what is past
// either limit is read, counted and dropped, so an oversized row is
// reported and the next one is read as usual. Quoted cells may span lines;
// CRLF inside a quoted cell becomes LF. A stray quote is kept as text.
type csvScanner struct {
	br       *bufio.Reader
	line     int
	maxField int64
	field    []byte // the field being read, up to maxField bytes
	flen     int64  // its whole length
}

func newCSVScanner(r io.Reader, maxField int) *csvScanner {
	return &csvScanner{br: bufio.NewReaderSize(r, 64<<10), line: 1, maxField: int64(maxField)}
}

const (
	csvFieldStart = iota
	csvUnquoted
	csvQuoted
	csvQuoteInQuoted
)

// next reads the next record into row; it returns io.EOF when no bytes are left.
func (s *csvScanner) next(row *csvRow) error {
	*row = csvRow{line: s.line, cells: row.cells[:0], oversize: -1}
	s.field, s.flen = s.field[:0], 0
	state := csvFieldStart
	for first := true; ; first = false {
		c, err := s.br.ReadByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return err
			}
			if first {
				return io.EOF
			}
			row.unterminated = state == csvQuoted
			s.end(row)
			return nil
		}
		if state == csvFieldStart {
			if c == '"' {
				state = csvQuoted
				continue
			}
			state = csvUnquoted
		}
		var done bool
		if state, done = s.step(row, state, c); done {
			return nil
		}
	}
}

// step takes byte c of a field in state, and returns the next state and
// whether c ended the row.
func (s *csvScanner) step(row *csvRow, state int, c byte) (int, bool) {
	switch state {
	case csvQuoted:
		switch c {
		case '"':
			return csvQuoteInQuoted, false
		case '\r':
			if b, err := s.br.Peek(1); err == nil && b[0] == '\n' {
				s.br.ReadByte()
				s.line++
				c = '\n'
			}
		case '\n':
			s.line++
		}
		s.add(c)
		return csvQuoted, false
	case csvQuoteInQuoted:
		switch c {
		case '"':
			s.add('"')
			return csvQuoted, false
		case ',', '\n', '\r':
		default:
			s.add('"')
			s.add(c)
			return csvUnquoted, false
		}
	}
	switch c {
	case ',':
		s.end(row)
		return csvFieldStart, false
	case '\n', '\r':
		s.newline(c)
		s.end(row)
		return state, true
	}
	s.add(c)
	return state, false
}

// add appends c to the field, keeping no more than maxField bytes of it.
func (s *csvScanner) add(c byte) {
	s.flen++
	if s.flen <= s.maxField {
		s.field = append(s.field, c)
	}
}

// end ends the field: a cell of the row, empty when the field is over the
// limit (the row says which and how long), none past maxColumns.
func (s *csvScanner) end(row *csvRow) {
	row.ncols++
	switch {
	case row.ncols > maxColumns:
	case s.flen > s.maxField:
		if row.oversize < 0 {
			row.oversize, row.oversizeLen = len(row.cells), s.flen
		}
		row.cells = append(row.cells, "")
	default:
		row.cells = append(row.cells, string(s.field))
	}
	s.field, s.flen = s.field[:0], 0
}

// newline counts a line ended by c, taking the LF of a CRLF.
func (s *csvScanner) newline(c byte) {
	if c == '\r' {
		if b, err := s.br.Peek(1); err == nil && b[0] == '\n' {
			s.br.ReadByte()
		}
	}
	s.line++
}

// readCSV reads a FAIL CSV table: an incident export, an article table or
// a table linking articles to incidents, told apart by their header.
// Columns are found by header name in any order; unknown columns of an
// incident table are ignored with a warning. A header whose names were
// glued together (rows wider than it) is realigned when that is
// unambiguous, otherwise the file is refused: a shifted file never
// imports. A row that cannot be read is refused with its line and the rest
// of the file imports.
func readCSV(r io.Reader, rep *fileReport) error {
	sc := newCSVScanner(r, max(rep.opts.MaxField, maxHeaderCell))
	var row csvRow
	if err := firstRow(sc, &row); err != nil {
		if errors.Is(err, io.EOF) {
			return errAt(0, "empty CSV file")
		}
		return err
	}
	if row.ncols > maxColumns {
		return errAt(row.line, "header has %d columns, more than the %d a CSV export may have", row.ncols, maxColumns)
	}
	if row.oversize >= 0 {
		return errAt(row.line, "header cell %d is %s long", row.oversize+1, sizeText(row.oversizeLen))
	}
	sc.maxField = int64(rep.opts.MaxField)
	header := append([]string(nil), row.cells...)
	header[0] = string(bytes.TrimPrefix([]byte(header[0]), utf8BOM))
	headerLine := row.line

	err := firstRow(sc, &row)
	if errors.Is(err, io.EOF) {
		_, err = planTable(header, len(header), headerLine, rep)
		return err // a header alone: nothing to import, but say what is wrong with it
	}
	if err != nil {
		return err
	}
	width := len(header)
	if row.ncols > width && row.ncols <= maxColumns && !trailingEmpty(row.cells, width) {
		width = row.ncols
	}
	t, err := planTable(header, width, headerLine, rep)
	if err != nil {
		return err
	}
	if width > len(header) {
		if err := t.checkAligned(&row); err != nil {
			return err
		}
	}
	for {
		if err := t.row(&row, rep); err != nil {
			return err
		}
		if err := rep.ctx.Err(); err != nil {
			return err
		}
		err := firstRow(sc, &row)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// firstRow reads the next row that is not blank.
func firstRow(sc *csvScanner, row *csvRow) error {
	for {
		if err := sc.next(row); err != nil {
			return err
		}
		if !row.empty() {
			return nil
		}
	}
}

// trailingEmpty reports whether the cells past n are all empty: a trailing
// comma, not a shifted row.
func trailingEmpty(cells []string, n int) bool {
	for _, c := range cells[min(n, len(cells)):] {
		if c != "" {
			return false
		}
	}
	return true
}
