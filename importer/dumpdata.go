package importer

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// The Django models of the FAIL schema that are read: incidents and the
// news articles they cite.
const (
	incidentModel = "articles.incident"
	articleModel  = "articles.article"
)

// readDumpdata reads Django dumpdata JSON of the FAIL schema: an array of
// {"model", "pk", "fields"} objects. It streams token by token, holding one
// object's fields at a time. Objects of other models are skipped and
// counted; null values are empty; pk becomes the source id.
func readDumpdata(r io.Reader, rep *fileReport) error {
	br := bufio.NewReaderSize(r, 64<<10)
	skipped, first, err := skipJSONSpace(br)
	if err != nil {
		return err
	}
	if first != '[' {
		return errAt(skipped+1, "dumpdata is not a JSON array")
	}
	g := newJSONGuard(br, rep.opts.jsonStringLimit(), rep.opts.MaxField)
	g.lineOff = skipped
	dec := json.NewDecoder(g)
	dec.UseNumber()
	fail := func(err error) error { return jsonFailure(g, dec, err) }
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	for dec.More() {
		if err := rep.ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		start := dec.InputOffset() - 1
		line := g.lineAt(start)
		if tok != json.Delim('{') {
			if err := skipRest(dec, tok); err != nil {
				return fail(err)
			}
			rep.refuse(line, "array element is not an object")
			continue
		}
		obj, err := readDumpObject(dec)
		if err != nil {
			return fail(err)
		}
		cut, isCut := g.cutIn(start, dec.InputOffset())
		if obj.model == articleModel && !isCut && obj.problem == "" {
			if err := dumpArticle(obj, line, rep); err != nil {
				return err
			}
			continue
		}
		if obj.model != incidentModel {
			rep.skipped++ // another model's long text is no reason to complain
			continue
		}
		if isCut {
			rep.refuse(line, "string on line %d is %s, over the %s limit", cut.line+g.lineOff, sizeText(cut.size), sizeText(g.limit))
			continue
		}
		if obj.problem != "" {
			rep.refuse(line, "%s", obj.problem)
			continue
		}
		d := newDraft()
		d.set(column{kind: colSourceID}, "pk", obj.pk)
		for _, f := range obj.fields {
			if c, ok := columnsByName[foldName(f.name)]; ok && c.kind != colSourceID {
				d.set(c, f.name, f.value)
			}
		}
		if err := rep.draft(d, line); err != nil {
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

// dumpArticle adds an article object; its fields are named as the article
// table's columns are, "title" being its headline and "incident" the
// incident it belongs to.
func dumpArticle(obj dumpObject, line int, rep *fileReport) error {
	id, err := strconv.ParseInt(strings.TrimSpace(obj.pk), 10, 64)
	if err != nil || id < 0 {
		rep.refuse(line, "article pk %q is not a number", clip(obj.pk))
		return nil
	}
	a := incident.Article{ID: id, Incidents: []int64{}}
	d := newDraft()
	for _, f := range obj.fields {
		v := d.clean(f.name, f.value)
		name := foldName(f.name)
		switch {
		case name == "title" || articleColumns[name] == "headline":
			a.Headline = v
		case name == "incident" || articleColumns[name] == "incidents":
			a.Incidents = mergeArticles(a.Incidents, articleIDs(v))
		case articleColumns[name] == "published":
			if date, ok := parseDate(v); ok {
				v = date
			}
			a.Published = v
		case articleColumns[name] == "url":
			a.URL = v
		case articleColumns[name] == "source":
			a.Source = v
		case articleColumns[name] == "summary" || name == "summary":
			a.Summary = v
		case articleColumns[name] == "body":
			a.Body = v
		case v != "":
			if a.Extra == nil {
				a.Extra = map[string]string{}
			}
			a.Extra[f.name] = v
		}
	}
	for _, w := range d.warnings {
		rep.warn(line, w)
	}
	return rep.add(Record{Article: &a, Line: line})
}

type dumpObject struct {
	model, pk string
	fields    []dumpField
	problem   string // why the object cannot be an incident
}

type dumpField struct{ name, value string }

// readDumpObject reads the members of an object whose '{' was read, up to
// and including its '}'.
func readDumpObject(dec *json.Decoder) (dumpObject, error) {
	var obj dumpObject
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return obj, err
		}
		tok, err := dec.Token()
		if err != nil {
			return obj, err
		}
		switch key {
		case "model":
			obj.model, _ = tok.(string)
		case "pk":
			switch v := tok.(type) {
			case json.Number:
				obj.pk = v.String()
			case string:
				obj.pk = v
			}
		case "fields":
			if tok != json.Delim('{') {
				obj.problem = `"fields" is not an object`
				break
			}
			if obj.fields, err = readDumpFields(dec, &obj); err != nil {
				return obj, err
			}
			continue
		}
		if err := skipRest(dec, tok); err != nil {
			return obj, err
		}
	}
	_, err := dec.Token() // '}'
	return obj, err
}

// readDumpFields reads the members of "fields": scalars as text, null as
// empty, lists of numbers (article ids) as space-separated numbers; a
// nested object is noted as a problem.
func readDumpFields(dec *json.Decoder, obj *dumpObject) ([]dumpField, error) {
	var out []dumpField
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return out, err
		}
		name, _ := key.(string)
		tok, err := dec.Token()
		if err != nil {
			return out, err
		}
		var v string
		switch t := tok.(type) {
		case string:
			v = t
		case json.Number:
			v = t.String()
		case bool:
			v = strconv.FormatBool(t)
		case nil:
		case json.Delim:
			if v, err = readDumpList(dec, t); err != nil {
				return out, err
			}
			if _, known := columnsByName[foldName(name)]; known && t == '{' {
				obj.problem = "field " + strconv.Quote(clip(name)) + " holds an object"
			}
		}
		out = append(out, dumpField{name, v})
	}
	_, err := dec.Token() // '}'
	return out, err
}

// readDumpList reads a list of scalars as space-separated text; anything
// nested deeper is skipped and gives "".
func readDumpList(dec *json.Decoder, open json.Delim) (string, error) {
	if open != '[' {
		return "", skipRest(dec, open)
	}
	var parts []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case json.Number:
			parts = append(parts, t.String())
		case string:
			parts = append(parts, t)
		case json.Delim:
			if err := skipRest(dec, t); err != nil {
				return "", err
			}
		}
	}
	_, err := dec.Token() // ']'
	return strings.Join(parts, " "), err
}

// skipRest skips the rest of a value whose first token was tok.
func skipRest(dec *json.Decoder, tok json.Token) error {
	if d, ok := tok.(json.Delim); !ok || (d != '{' && d != '[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}
