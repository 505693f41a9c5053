package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// jsonRecord is an incident as our exports write it. Its Triage shadows the
// embedded one, so a record that carries no "triage" key can be told apart
// from one whose triage is empty.
type jsonRecord struct {
	incident.Incident
	Triage *incident.Triage `json:"triage"`
	Kind   string           `json:"kind"` // "triage": a line of a triage-only export
}

// decodeRecord turns one JSON object of our format into a record. Texts,
// ids, articles, provenance and triage are restored exactly, so that an
// export read back and written again is byte-identical; options are
// canonicalised (a no-op on our own exports) and unknown ones kept with a
// warning.
func decodeRecord(raw []byte) (rec Record, warnings []string, err error) {
	var jr jsonRecord
	if err := json.Unmarshal(raw, &jr); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return rec, nil, errors.New("field " + strings.TrimPrefix(te.Field, "Incident.") + " holds a JSON " + te.Value + ", not a " + te.Type.String())
		}
		return rec, nil, errors.New("not an incident object: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	in := jr.Incident
	if strings.TrimSpace(in.Title) == "" {
		return rec, nil, errors.New("no title")
	}
	if in.ID != "" && !isID(in.ID) {
		return rec, nil, errors.New("id " + strconv.Quote(clip(in.ID)) + " is not a faultline id")
	}
	if in.Published != "" {
		date, ok := parseDate(in.Published)
		if !ok {
			warnings = append(warnings, "published "+strconv.Quote(clip(in.Published))+" is not a date; left empty")
		}
		if date != in.Published {
			in.Published = date
		}
	}
	for _, key := range slices.Sorted(maps.Keys(in.Taxonomy)) { // warnings in a stable order
		cat := in.Taxonomy[key]
		if cat.Options == nil {
			continue
		}
		opts, unknown := canonicalOptions(key, strings.Join(cat.Options, ","))
		if !sameStrings(opts, cat.Options) {
			cat.Options = opts
			in.Taxonomy[key] = cat
		}
		for _, u := range unknown {
			warnings = append(warnings, key+": unknown option "+strconv.Quote(clip(u))+" kept")
		}
	}
	if in.Articles == nil {
		in.Articles = incident.ArticlesOf(&in)
	}
	switch jr.Kind {
	case "":
	case incident.KindTriage:
		rec.TriageOnly = true
		if jr.Triage == nil {
			return rec, nil, errors.New("a triage line without triage")
		}
	default:
		return rec, nil, errors.New("kind " + strconv.Quote(clip(jr.Kind)) + " is not one this faultline reads")
	}
	rec.ID = in.ID
	rec.Triage = jr.Triage
	in.Triage = incident.Triage{}
	in.Normalize()
	rec.Incident = in
	return rec, warnings, nil
}

// isID reports whether s has the form incident.MakeID gives.
func isID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lineLimit bounds what one JSON Lines line, which holds one record, may
// decode to: a record's text and room for its keys and punctuation. As
// written it may be up to maxEscape times that; a line is held in memory
// only while what it decodes to stays within the limit.
func lineLimit(opts Options) int64 { return opts.MaxFileSize + opts.MaxFileSize/8 }

// decodedSize counts, at least, the bytes JSON text decodes to: an escape
// ("\n", "\u001b") is one byte. It keeps its state across fragments.
type decodedSize struct {
	n       int64
	esc     bool
	hexLeft int
}

func (d *decodedSize) add(b []byte) {
	for _, c := range b {
		switch {
		case d.hexLeft > 0:
			d.hexLeft--
		case d.esc:
			d.esc = false
			if c == 'u' {
				d.hexLeft = 4
			}
			d.n++
		case c == '\\':
			d.esc = true
		default:
			d.n++
		}
	}
}

// readJSONL reads our JSON Lines export: one incident object per line.
// A line that cannot be read is refused with its number; the rest imports.
// No line is held in memory past what lineLimit allows.
func readJSONL(r io.Reader, rep *fileReport) error {
	br := bufio.NewReaderSize(r, 64<<10)
	limit := lineLimit(rep.opts)
	var buf []byte
	for line := 1; ; line++ {
		if err := rep.ctx.Err(); err != nil {
			return err
		}
		buf = buf[:0]
		var size decodedSize
		var raw int64
		var err error
		for {
			var frag []byte
			frag, err = br.ReadSlice('\n')
			raw += int64(len(frag))
			if size.n <= limit {
				size.add(frag)
			}
			if size.n <= limit {
				if need := len(buf) + len(frag); need > cap(buf) {
					// double, as append does not past 256 KiB, so a long
					// line costs at most twice its length
					grown := make([]byte, len(buf), max(need, min(2*cap(buf), int(limit)+len(frag))))
					copy(grown, buf)
					buf = grown
				}
				buf = append(buf, frag...)
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if size.n > limit {
			rep.refuse(line, "line is %s, over the %s limit", sizeText(raw), sizeText(limit))
		} else if err := readJSONLine(buf, line, rep); err != nil {
			return err
		}
		if err != nil { // io.EOF
			return nil
		}
	}
}

func readJSONLine(b []byte, line int, rep *fileReport) error {
	if line == 1 {
		b = bytes.TrimPrefix(b, utf8BOM)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	if reason, ok := scanJSONLimits(b, rep.opts.MaxField); !ok {
		rep.refuse(line, "%s", reason)
		return nil
	}
	rec, warnings, err := decodeRecord(b)
	for _, w := range warnings {
		rep.warn(line, w)
	}
	if err != nil {
		rep.refuse(line, "%s", err.Error())
		return nil
	}
	rec.Line = line
	return rep.add(rec)
}

// readJSON reads our JSON export (one array of incident objects) or incident
// objects one after another (a single pretty-printed record, say), streaming
// one object at a time through the guard.
func readJSON(r io.Reader, rep *fileReport) error {
	br := bufio.NewReaderSize(r, 64<<10)
	skipped, first, err := skipJSONSpace(br)
	if err != nil {
		return err
	}
	if first == 0 {
		return errAt(0, "empty JSON file")
	}
	g := newJSONGuard(br, rep.opts.jsonStringLimit(), rep.opts.MaxField)
	g.lineOff = skipped
	dec := json.NewDecoder(g)
	fail := func(err error) error { return jsonFailure(g, dec, err) }
	inArray := first == '['
	if inArray {
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
	}
	for {
		if err := rep.ctx.Err(); err != nil {
			return err
		}
		if inArray && !dec.More() {
			break
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if !inArray && errors.Is(err, io.EOF) {
				return nil
			}
			return fail(err)
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		line := g.lineAt(start)
		if cut, ok := g.cutIn(start, end); ok {
			rep.refuse(line, "string on line %d is %s, over the %s limit", cut.line+g.lineOff, sizeText(cut.size), sizeText(g.limit))
			continue
		}
		rec, warnings, err := decodeRecord(raw)
		for _, w := range warnings {
			rep.warn(line, w)
		}
		if err != nil {
			rep.refuse(line, "%s", err.Error())
			continue
		}
		rec.Line = line
		if err := rep.add(rec); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ]
		return fail(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(errors.New("data after the closing ]"))
	}
	return nil
}

// jsonFailure names the line of an error that stops a JSON stream.
func jsonFailure(g *jsonGuard, dec *json.Decoder, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return errAt(le.line+g.lineOff, "%s", le.reason)
	}
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errAt(g.lineAt(dec.InputOffset()), "JSON ends too early")
	}
	return errAt(g.lineAt(dec.InputOffset()), "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}
