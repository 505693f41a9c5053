package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// tableKind is what the rows of a CSV table are.
type tableKind int

const (
	incidentTable tableKind = iota // FAIL incidents
	articleTable                   // FAIL news articles
	linkTable                      // article id → incident id
)

// articleColumns maps the folded names of an article table's columns to
// the Article field they fill; any other column is kept in Article.Extra.
var articleColumns = map[string]string{
	"articleid":          "id",
	"relatedincidentids": "incidents",
	"incidentid":         "incidents",
	"incidentids":        "incidents",
	"published":          "published",
	"url":                "url",
	"source":             "source",
	"articlesummary":     "summary",
	"body":               "body",
	"headline":           "headline",
}

// table is a CSV table's plan: what each column of its rows fills.
type table struct {
	kind   tableKind
	names  []string // column names, realigned
	cols   []column // for incident tables
	fields []string // for article and link tables: articleColumns' value, or "" for extra
	// analysis: the table has postmortem or taxonomy columns, so a row
	// with all of them empty is worth a warning.
	analysis bool
	date     int // index of the published column, or -1
}

// kindOf tells the kind of table from its folded column names.
func kindOf(folded []string) tableKind {
	has := func(n string) bool { return slices.Contains(folded, n) }
	switch {
	case has("articleid") && (has("url") || has("headline") || has("body")):
		return articleTable
	case has("articleid") && has("incidentid") && !has("title"):
		return linkTable
	}
	return incidentTable
}

// knownName reports whether a folded name is a column the kind reads.
func knownName(kind tableKind, f string) bool {
	if kind == incidentTable {
		_, ok := columnsByName[f]
		return ok
	}
	_, ok := articleColumns[f]
	return ok
}

// planTable plans a table of header whose rows are width cells wide,
// realigning glued header names when width is wider than the header.
func planTable(header []string, width, line int, rep *fileReport) (*table, error) {
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = foldName(h)
	}
	kind := kindOf(folded)
	names := header
	if width > len(header) {
		var err error
		var split []string
		if names, split, err = realign(header, kind, width); err != nil {
			return nil, errAt(line, "%s", err)
		}
		rep.warn(line, fmt.Sprintf("header names glued together, realigned to rows of %d cells: %s",
			width, strings.Join(split, "; ")))
		kind = kindOf(foldAll(names))
	}
	t := &table{kind: kind, names: names, date: -1}
	if kind == incidentTable {
		return t, t.planIncidents(line, rep)
	}
	t.fields = make([]string, len(names))
	hasID := false
	for i, n := range names {
		f := foldName(n)
		t.fields[i] = articleColumns[f]
		hasID = hasID || t.fields[i] == "id"
		if t.fields[i] == "published" {
			t.date = i
		}
	}
	if !hasID {
		return nil, errAt(line, "article table has no Article ID column")
	}
	return t, nil
}

func (t *table) planIncidents(line int, rep *fileReport) error {
	t.cols = make([]column, len(t.names))
	seen := map[column]string{}
	hasTitle := false
	for i, name := range t.names {
		c, ok := columnsByName[foldName(name)]
		if !ok {
			if name != "" {
				rep.warn(line, "column "+strconv.Quote(clip(name))+" ignored")
			}
			continue
		}
		if prev, dup := seen[c]; dup {
			rep.warn(line, "column "+strconv.Quote(clip(name))+" repeats "+strconv.Quote(prev)+"; the first is used")
			continue
		}
		seen[c] = name
		t.cols[i] = c
		hasTitle = hasTitle || c.kind == colTitle
		t.analysis = t.analysis || c.kind == colField || c.kind == colOption || c.kind == colRationale
		if c.kind == colPublished {
			t.date = i
		}
	}
	if !hasTitle {
		return errAt(line, "CSV header has no Title column")
	}
	return nil
}

// checkAligned refuses a realigned table whose first row does not fit its
// plan: a date column that holds no date means the columns are still
// shifted.
func (t *table) checkAligned(row *csvRow) error {
	if t.date < 0 || t.date >= len(row.cells) {
		return nil
	}
	v := strings.TrimSpace(row.cells[t.date])
	if _, ok := parseDate(v); ok || v == "" || v == "None" || v == "N/A" {
		return nil
	}
	return errAt(row.line, "column %s holds %q, not a date: the columns are shifted against the header",
		strconv.Quote(clip(t.names[t.date])), clip(v))
}

// row reads one data row.
func (t *table) row(row *csvRow, rep *fileReport) error {
	switch {
	case row.ncols > maxColumns:
		rep.refuse(row.line, "row has %d columns, more than %d", row.ncols, maxColumns)
		return nil
	case row.oversize >= 0:
		name := "column " + strconv.Itoa(row.oversize+1)
		if row.oversize < len(t.names) && t.names[row.oversize] != "" {
			name = strconv.Quote(clip(t.names[row.oversize]))
		}
		rep.refuse(row.line, "cell %s is %s, over the %s limit", name, sizeText(row.oversizeLen), sizeText(int64(rep.opts.MaxField)))
		return nil
	case row.unterminated:
		rep.refuse(row.line, "quoted cell never closed before the end of the file")
		return nil
	case len(row.cells) > len(t.names) && !trailingEmpty(row.cells, len(t.names)):
		rep.refuse(row.line, "row has %d cells, the header %d: its columns would be shifted", len(row.cells), len(t.names))
		return nil
	}
	if t.kind != incidentTable {
		return t.articleRow(row, rep)
	}
	d := newDraft()
	for i, v := range row.cells {
		if i < len(t.cols) && t.cols[i].kind != colIgnore {
			d.set(t.cols[i], t.names[i], v)
		}
	}
	if t.analysis && !d.hasAnalysis() && d.inc.Title != "" {
		d.warnings = append(d.warnings, "no postmortem analysis: every postmortem field and taxonomy category is empty")
	}
	return rep.draft(d, row.line)
}

// articleRow reads a row of an article or link table.
func (t *table) articleRow(row *csvRow, rep *fileReport) error {
	a := incident.Article{Incidents: []int64{}}
	d := newDraft() // for its cleaning of values
	for i, raw := range row.cells {
		if i >= len(t.fields) {
			break
		}
		v := d.clean(t.names[i], raw)
		switch t.fields[i] {
		case "id":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				rep.refuse(row.line, "article id %q is not a number", clip(v))
				return nil
			}
			a.ID = n
		case "incidents":
			a.Incidents = mergeArticles(a.Incidents, articleIDs(v))
		case "published":
			if date, ok := parseDate(v); ok {
				v = date
			}
			a.Published = v
		case "url":
			a.URL = v
		case "source":
			a.Source = v
		case "summary":
			a.Summary = v
		case "body":
			a.Body = v
		case "headline":
			a.Headline = v
		default:
			if v != "" {
				if a.Extra == nil {
					a.Extra = map[string]string{}
				}
				a.Extra[t.names[i]] = v
			}
		}
	}
	for _, w := range d.warnings {
		rep.warn(row.line, w)
	}
	return rep.add(Record{Article: &a, Line: row.line})
}

// realign splits glued header names so that the header has width names.
// A name is split only where it is not a known column but reads as known
// columns run together, optionally after a label of its own
// ("POSTMORTEM FIELDSPublished" → "POSTMORTEM FIELDS", "Published"). It
// fails unless exactly one way of splitting gives width names.
func realign(header []string, kind tableKind, width int) (names, split []string, err error) {
	need := width - len(header)
	options := make([][][]string, len(header)) // per name: its possible splits
	for i, h := range header {
		if !knownName(kind, foldName(h)) {
			options[i] = splits(h, kind)
		}
	}
	type way struct{ names, split []string }
	var found []way
	var walk func(i, left int, acc way)
	walk = func(i, left int, acc way) {
		if len(found) > 1 {
			return
		}
		if i == len(header) {
			if left == 0 {
				found = append(found, way{slices.Clone(acc.names), slices.Clone(acc.split)})
			}
			return
		}
		walk(i+1, left, way{append(acc.names, header[i]), acc.split})
		for _, parts := range options[i] {
			if extra := len(parts) - 1; extra <= left {
				desc := strconv.Quote(clip(header[i])) + " as " + quoteList(parts)
				walk(i+1, left-extra, way{append(acc.names, parts...), append(acc.split, desc)})
			}
		}
	}
	walk(0, need, way{})
	switch len(found) {
	case 1:
		return found[0].names, found[0].split, nil
	case 0:
		return nil, nil, fmt.Errorf("rows have %d cells but the header names %d columns, and no glued header names explain it: the columns would be shifted", width, len(header))
	}
	return nil, nil, fmt.Errorf("rows have %d cells but the header names %d columns, and its glued names split in more than one way: the columns would be shifted", width, len(header))
}

// splits returns the ways name reads as known column names run together,
// optionally after a label that is no column.
func splits(name string, kind tableKind) [][]string {
	// folded[k] is the letter or digit at raw offset at[k]
	var folded []byte
	var at []int
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			continue
		}
		folded = append(folded, c)
		at = append(at, i)
	}
	raw := func(from, to int) string { // the raw text of folded[from:to]
		end := len(name)
		if to < len(at) {
			end = at[to]
		}
		return strings.TrimSpace(name[at[from]:end])
	}
	var out [][]string
	var walk func(pos int, acc []string)
	walk = func(pos int, acc []string) {
		if pos == len(folded) {
			out = append(out, slices.Clone(acc))
			return
		}
		for end := pos + 1; end <= len(folded); end++ {
			if knownName(kind, string(folded[pos:end])) {
				walk(end, append(acc, raw(pos, end)))
			}
		}
	}
	for start := 0; start < len(folded) && len(out) < 8; start++ {
		var acc []string
		if start > 0 {
			acc = []string{raw(0, start)}
		}
		walk(start, acc)
	}
	// a split needs two parts (a lone known name is no split); a label
	// that is itself a known name gives the same split twice
	out = slices.DeleteFunc(out, func(p []string) bool { return len(p) < 2 })
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return slices.CompactFunc(out, slices.Equal)
}

func foldAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = foldName(n)
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(clip(n))
	}
	return strings.Join(q, ", ")
}
