package search

import (
	"strings"

	"github.com/faultline/faultline/incident"
)

// The query editing functions keep a query string and a facet panel in
// step: they add or remove category:option terms and leave every other
// part of the query as typed. They work on malformed queries too.

// catToken is a category:option term found in a query string.
type catToken struct {
	start, end int
	neg        bool
	opts       []string // canonical options (a,b lists several)
}

func catTokens(q, category string) []catToken {
	category = strings.ToLower(category)
	toks, _ := lex(q)
	var out []catToken
	for _, t := range toks {
		if t.key != category {
			continue
		}
		ct := catToken{start: t.start, end: t.end, neg: t.neg}
		for _, v := range strings.Split(t.value, ",") {
			if strings.TrimSpace(v) == "" {
				continue
			}
			o, _ := incident.CanonicalOption(category, v)
			ct.opts = append(ct.opts, o)
		}
		out = append(out, ct)
	}
	return out
}

// removeSpans cuts the spans out of q and tidies the white space left.
func removeSpans(q string, spans [][2]int) string {
	if len(spans) == 0 {
		return q
	}
	var b strings.Builder
	prev := 0
	for _, s := range spans {
		b.WriteString(q[prev:s[0]])
		prev = s[1]
	}
	b.WriteString(q[prev:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// rewrite drops option opt (negated or not, per neg) from the category's
// terms; a term listing several options keeps the others. It reports
// whether it found the option.
func rewrite(q, category, opt string, neg bool) (string, bool) {
	o, _ := incident.CanonicalOption(category, opt)
	found := false
	var b strings.Builder
	prev := 0
	for _, t := range catTokens(q, category) {
		if t.neg != neg {
			continue
		}
		var keep []string
		hit := false
		for _, x := range t.opts {
			if x == o {
				hit = true
			} else {
				keep = append(keep, x)
			}
		}
		if !hit {
			continue
		}
		found = true
		b.WriteString(q[prev:t.start])
		if len(keep) > 0 {
			b.WriteString(formatCat(category, strings.Join(keep, ","), neg))
		}
		prev = t.end
	}
	if !found {
		return q, false
	}
	b.WriteString(q[prev:])
	return strings.Join(strings.Fields(b.String()), " "), true
}

func formatCat(category, opt string, neg bool) string {
	s := category + ":" + quoteValue(opt)
	if neg {
		s = "-" + s
	}
	return s
}

// quoteValue quotes a value that holds white space or a quote.
func quoteValue(v string) string {
	if strings.ContainsAny(v, " \t\r\n\f\v\"") || v == "" {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

func appendTerm(q, term string) string {
	q = strings.TrimRight(q, " \t\r\n\f\v")
	if q == "" {
		return term
	}
	return q + " " + term
}

// ToggleOption adds category:option to q, or removes it if q selects or
// excludes it already.
func ToggleOption(q, category, option string) string {
	if r, ok := rewrite(q, category, option, false); ok {
		return r
	}
	if r, ok := rewrite(q, category, option, true); ok {
		return r
	}
	o, _ := incident.CanonicalOption(category, option)
	return appendTerm(q, formatCat(category, o, false))
}

// ExcludeOption adds -category:option to q, replacing a selection of the
// option; if q excludes it already, it removes the exclusion.
func ExcludeOption(q, category, option string) string {
	if r, ok := rewrite(q, category, option, true); ok {
		return r
	}
	r, _ := rewrite(q, category, option, false)
	o, _ := incident.CanonicalOption(category, option)
	return appendTerm(r, formatCat(category, o, true))
}

// NarrowOption narrows q to category:option: q's terms selecting options
// of the category (OR-ed, so domain:finance,health) give way to the one
// option, and its exclusions stay, so the incidents matching the result
// are those of q that hold the option. category may be "year", option a
// year. It is what a cross-tab's cell filters by.
func NarrowOption(q, category, option string) string {
	var spans [][2]int
	for _, t := range catTokens(q, category) {
		if !t.neg {
			spans = append(spans, [2]int{t.start, t.end})
		}
	}
	o, _ := incident.CanonicalOption(category, option)
	return appendTerm(removeSpans(q, spans), formatCat(strings.ToLower(category), o, false))
}

// ClearCategory removes every term on category from q.
func ClearCategory(q, category string) string {
	var spans [][2]int
	for _, t := range catTokens(q, strings.ToLower(category)) {
		spans = append(spans, [2]int{t.start, t.end})
	}
	return removeSpans(q, spans)
}

// Selected returns the options q selects, per category, canonical, in
// query order.
func Selected(q string) map[string][]string { return optionsIn(q, false) }

// Excluded returns the options q excludes (-category:option), per category.
func Excluded(q string) map[string][]string { return optionsIn(q, true) }

func optionsIn(q string, neg bool) map[string][]string {
	out := map[string][]string{}
	for _, c := range incident.Categories {
		for _, t := range catTokens(q, c.Key) {
			if t.neg == neg {
				for _, o := range t.opts {
					if !contains(out[c.Key], o) {
						out[c.Key] = append(out[c.Key], o)
					}
				}
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
