package ui

// The query line's help while typing: what part of a query is still being
// typed (and is left out of the search meanwhile), and what tab completes.
// Pure functions of the query text, covered by table tests.

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// lastToken returns where the last word of q starts and the word: what
// follows the last blank outside quotes, so that a phrase, closed or still
// open, is one word. A query ending in a blank outside quotes has no last
// word being typed.
func lastToken(q string) (int, string) {
	start, quoted := 0, false
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '"':
			quoted = !quoted
		case ' ', '\t':
			if !quoted {
				start = i + 1
			}
		}
	}
	return start, q[start:]
}

// splitKey splits a token into its negation, key and value: "-domain:fin"
// gives "-", "domain", "fin"; a word without a key has key "".
func splitKey(tok string) (neg, key, value string) {
	if strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "!") {
		neg, tok = tok[:1], tok[1:]
	}
	k, v, ok := strings.Cut(tok, ":")
	if !ok || k == "" || strings.ContainsAny(k, `"`) {
		return neg, "", tok
	}
	return neg, strings.ToLower(k), v
}

// typing is the state of a query as typed: the part searched now, and a
// hint about the rest.
type typing struct {
	usable string // what is searched: the query without a term still being typed
	hint   string // what the term being typed needs, "" when the query is whole
}

// readQuery tells a query still being typed from a finished one. A last
// term that does not parse yet (a lone "-", "domain:", an open quote,
// "year:20") or names an option only in part ("domain:fin") is left out
// of the search, so the list keeps the matches of what came before it,
// and the hint says what it needs; a mistake before the last term is an
// error, returned as such.
func readQuery(q string) (typing, error) {
	start, tok := lastToken(q)
	_, err := search.Parse(q)
	if tok == "" {
		return typing{usable: q}, err
	}
	rest := strings.TrimRight(q[:start], " \t")
	hint, partial := partialTerm(tok)
	if err == nil && !partial {
		return typing{usable: q}, nil
	}
	if _, restErr := search.Parse(rest); restErr != nil {
		if err == nil {
			err = restErr
		}
		return typing{usable: q}, err
	}
	if hint == "" {
		hint = syntaxMessage(err)
	}
	return typing{usable: rest, hint: hint}, nil
}

// partialTerm says what a last term still being typed needs, and whether
// it is partial although it may parse (an option named in part).
func partialTerm(tok string) (string, bool) {
	neg, key, value := splitKey(tok)
	complete := "tab completes"
	switch {
	case tok == neg:
		return neg + " excludes the word that follows it", true
	case strings.Count(tok, `"`)%2 == 1:
		return `a phrase: close it with "`, true
	case key == "":
		return "", false
	case value == "":
		return key + ": needs a value · " + complete, true
	case strings.HasSuffix(value, ","):
		return key + ": another option after the comma · " + complete, true
	}
	if spec, ok := incident.CategoryByKey(key); ok {
		last := value[strings.LastIndexByte(value, ',')+1:]
		if _, canonical := incident.CanonicalOption(key, last); canonical {
			return "", false
		}
		opts := optionsWithPrefix(spec.Options, last)
		if len(opts) == 0 {
			return fmt.Sprintf("%s: no option starts with %q (%s)", key, oneLine(last), strings.Join(spec.Options, ", ")), true
		}
		return fmt.Sprintf("%s:%s… %s · %s", key, oneLine(last), strings.Join(opts, ", "), complete), true
	}
	for _, k := range search.Keys() {
		if k.Name == key && len(k.Values) > 0 && !slices.Contains(k.Values, strings.ToLower(value)) {
			opts := optionsWithPrefix(k.Values, strings.ToLower(value))
			if len(opts) == 0 {
				return "", false // the search says what is wrong
			}
			return fmt.Sprintf("%s:%s… %s · %s", key, oneLine(value), strings.Join(opts, ", "), complete), true
		}
	}
	return "", false
}

func optionsWithPrefix(opts []string, prefix string) []string {
	var out []string
	for _, o := range opts {
		if strings.HasPrefix(o, strings.ToLower(prefix)) {
			out = append(out, o)
		}
	}
	return out
}

// syntaxMessage is a query error without its package prefix and column.
func syntaxMessage(err error) string {
	var se *search.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// compItem is one completion of the word being typed.
type compItem struct {
	text  string // the whole word it becomes: "domain:finance", "fixes:"
	label string // as listed: the option, or the key
	count int    // incidents it would match in the current set, -1 unknown
	desc  string
}

// completions lists what the last word of q may become: a key of the
// query language (search.Keys) while it has no colon, else the values of
// its key, with their counts in facets (the current result's) where it
// has them, the most common first.
func completions(q string, keys []search.Key, facets map[string]map[string]int) (int, []compItem) {
	start, tok := lastToken(q)
	neg, key, value := splitKey(tok)
	if key == "" {
		if strings.ContainsAny(tok, `"`) {
			return start, nil
		}
		var out []compItem
		for _, k := range keys {
			if strings.HasPrefix(k.Name, strings.ToLower(value)) {
				out = append(out, compItem{text: neg + k.Name + ":", label: k.Name + ":", count: -1, desc: k.Desc})
			}
		}
		return start, out
	}
	head := neg + tok[len(neg):len(neg)+len(key)+1]
	before, last := "", value
	if i := strings.LastIndexByte(value, ','); i >= 0 {
		before, last = value[:i+1], value[i+1:]
	}
	var values []string
	for _, k := range keys {
		if k.Name == key {
			values = slices.Clone(k.Values)
		}
	}
	counts := facets[key]
	if key == "status" {
		counts = facets[search.FacetTriage]
	}
	for v := range counts {
		if !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	var out []compItem
	for _, v := range values {
		if !strings.HasPrefix(v, strings.ToLower(last)) || strings.Contains(","+before, ","+v+",") {
			continue
		}
		n := -1
		if counts != nil {
			n = counts[v]
		}
		out = append(out, compItem{text: head + before + quoteOption(v), label: v, count: n})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].label < out[j].label
	})
	return start, out
}

// quoteOption quotes a value holding a space, as the query language reads it.
func quoteOption(v string) string {
	if strings.ContainsAny(v, " \t") {
		return `"` + v + `"`
	}
	return v
}

// commonPrefix is the longest prefix every item's text shares.
func commonPrefix(items []compItem) string {
	if len(items) == 0 {
		return ""
	}
	p := items[0].text
	for _, it := range items[1:] {
		for !strings.HasPrefix(it.text, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
