package search

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// MaxQueryLen is the longest query Parse accepts, in bytes.
const MaxQueryLen = 1000

// ErrQueryTooLong is returned by Parse for a query over MaxQueryLen bytes.
var ErrQueryTooLong = fmt.Errorf("search: query longer than %d bytes", MaxQueryLen)

// SyntaxError reports a malformed query: what is wrong and the byte offset
// in the query where it was found.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("search: query at column %d: %s", e.Offset+1, e.Msg)
}

// ErrSyntax is matched by every *SyntaxError through errors.Is.
var ErrSyntax = errors.New("search: malformed query")

// Is lets errors.Is(err, ErrSyntax) hold for every syntax error.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// textTerm is a word or phrase that must (or, negated, must not) occur in
// the given fields.
type textTerm struct {
	fields uint16   // where to look
	words  []string // normalised words; more than one is a phrase
	prefix bool     // the last word also matches as a prefix
	neg    bool
	free   bool // a bare word: it may match the headline fuzzily instead
}

type catTerm struct {
	cat string
	opt string // canonical
	neg bool
}

type yearRange struct {
	lo, hi int
	neg    bool
}

// yesNo reads the value of a yes-or-no key.
var yesNo = map[string]bool{"yes": true, "y": true, "true": true, "no": false, "n": false, "false": false}

// Query is a parsed query. The zero Query matches every incident.
type Query struct {
	text    []textTerm
	free    []string // the free words as typed, folded, for fuzzy headline matching
	cats    []catTerm
	years   []yearRange
	triage  []string // statuses, OR-ed
	ntriage []string // excluded statuses
	starred int      // 1 only starred, -1 only unstarred, 0 either
	// reviewed and nreviewed are the reviewed: values asked for (OR-ed)
	// and excluded, as bits: 1 for no, 2 for yes
	reviewed, nreviewed uint8
	tags                []string // OR-ed
	ntags               []string
	labels              []string // folded, OR-ed
	nlabels             []string
}

// Terms returns the normalised positive words of the query (free words,
// phrases and field words), for highlighting. The last may be a prefix
// of the word it matched; Highlight applies that rule.
func (q Query) Terms() []string {
	var out []string
	for _, t := range q.text {
		if !t.neg {
			out = append(out, t.words...)
		}
	}
	return out
}

// HasText reports whether the query holds positive words or phrases, the
// case in which results are ranked by relevance by default.
func (q Query) HasText() bool {
	for _, t := range q.text {
		if !t.neg {
			return true
		}
	}
	return false
}

// IsEmpty reports whether the query has no terms at all.
func (q Query) IsEmpty() bool {
	return len(q.text) == 0 && len(q.cats) == 0 && len(q.years) == 0 && len(q.triage) == 0 &&
		len(q.ntriage) == 0 && q.starred == 0 && len(q.tags) == 0 && len(q.ntags) == 0 &&
		len(q.labels) == 0 && len(q.nlabels) == 0 && q.reviewed|q.nreviewed == 0
}

// token is one lexical unit of a query with its byte span.
type token struct {
	start, end int
	neg        bool
	key        string // lower-cased field key, "" for a free word
	keyRaw     string
	value      string // unquoted value
	quoted     bool
	valueAt    int // offset of the value
}

// lex splits q into tokens. It reports an unterminated quote or a stray
// quote as a *SyntaxError but still returns the tokens read so far, so that
// the query editing functions work on malformed queries too.
func lex(q string) ([]token, error) {
	var toks []token
	i := 0
	for {
		for i < len(q) && isSpace(q[i]) {
			i++
		}
		if i >= len(q) {
			return toks, nil
		}
		t := token{start: i}
		if q[i] == '-' || q[i] == '!' {
			t.neg = true
			i++
			if i >= len(q) || isSpace(q[i]) {
				t.end = i
				toks = append(toks, t)
				return toks, &SyntaxError{t.start, fmt.Sprintf("nothing after %q", q[t.start:i])}
			}
		}
		// key: a run of letters and underscores followed by ':'
		j := i
		for j < len(q) && (isLetter(q[j]) || q[j] == '_') {
			j++
		}
		if j > i && j < len(q) && q[j] == ':' {
			t.keyRaw = q[i:j]
			t.key = strings.ToLower(t.keyRaw)
			i = j + 1
		}
		t.valueAt = i
		if i < len(q) && q[i] == '"' {
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				t.value, t.quoted, t.end = q[i+1:], true, len(q)
				toks = append(toks, t)
				return toks, &SyntaxError{i, "unterminated quote"}
			}
			t.value, t.quoted = q[i+1:i+1+end], true
			i += end + 2
			t.end = i
			toks = append(toks, t)
			if i < len(q) && !isSpace(q[i]) {
				return toks, &SyntaxError{i, "want a space after a closing quote"}
			}
			continue
		}
		for i < len(q) && !isSpace(q[i]) {
			if q[i] == '"' {
				t.value, t.end = q[t.valueAt:i], i
				toks = append(toks, t)
				return toks, &SyntaxError{i, "a quote may only start a word or a field value"}
			}
			i++
		}
		t.value, t.end = q[t.valueAt:i], i
		toks = append(toks, t)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// Parse reads a query in the language described by Help.
func Parse(q string) (Query, error) {
	if len(q) > MaxQueryLen {
		return Query{}, ErrQueryTooLong
	}
	toks, err := lex(q)
	if err != nil {
		return Query{}, err
	}
	var out Query
	lastText := -1 // index in out.text of the last bare or field word, for prefix matching
	for ti, t := range toks {
		n := len(out.text)
		if err := out.add(t); err != nil {
			return Query{}, err
		}
		_, field := textFields[t.key]
		if ti == len(toks)-1 && len(out.text) > n && !t.quoted && !t.neg && (t.key == "" || field) {
			lastText = len(out.text) - 1
		}
	}
	// The last word matches as a prefix while it is being typed, that is
	// unless the query ends in white space.
	if lastText >= 0 && (len(q) == 0 || !isSpace(q[len(q)-1])) {
		out.text[lastText].prefix = true
	}
	return out, nil
}

// add adds the term of token t.
func (out *Query) add(t token) error {
	if t.key == "" {
		return out.addWords(t)
	}
	if !t.quoted && t.value == "" {
		return &SyntaxError{t.start, fmt.Sprintf("%s: needs a value", t.keyRaw)}
	}
	if bits, ok := textFields[t.key]; ok {
		words := incident.Words(t.value)
		if len(words) == 0 {
			return &SyntaxError{t.valueAt, fmt.Sprintf("%s: needs a word", t.keyRaw)}
		}
		out.text = append(out.text, textTerm{fields: bits, words: words, neg: t.neg})
		return nil
	}
	if t.key == FacetSource {
		term, err := sourceTerm(t)
		out.cats = append(out.cats, term.cats...)
		out.text = append(out.text, term.text...)
		return err
	}
	if _, ok := incident.CategoryByKey(t.key); ok {
		for _, v := range strings.Split(t.value, ",") {
			if strings.TrimSpace(v) == "" {
				return &SyntaxError{t.valueAt, fmt.Sprintf("%s: empty option", t.keyRaw)}
			}
			opt, _ := incident.CanonicalOption(t.key, v)
			out.cats = append(out.cats, catTerm{cat: t.key, opt: opt, neg: t.neg})
		}
		return nil
	}
	return out.addTriage(t)
}

// addWords adds a bare word or phrase: free words, unless negated or
// quoted, also match as an abbreviation.
func (out *Query) addWords(t token) error {
	if !t.quoted && t.value == "" {
		return nil
	}
	words := incident.Words(t.value)
	if len(words) == 0 {
		if t.quoted {
			return &SyntaxError{t.start, "empty phrase"}
		}
		return nil // punctuation only
	}
	free := !t.neg && !t.quoted
	out.text = append(out.text, textTerm{fields: fAll, words: words, neg: t.neg, free: free})
	if free {
		out.free = append(out.free, strings.Join(words, " "))
	}
	return nil
}

// addTriage adds a term on what is not the incident's text or taxonomy:
// its year, triage and labels.
func (out *Query) addTriage(t token) error {
	switch t.key {
	case "year":
		yr, err := parseYears(t.value)
		if err != nil {
			return &SyntaxError{t.valueAt, fmt.Sprintf("year:%s: %v", t.value, err)}
		}
		yr.neg = t.neg
		out.years = append(out.years, yr)
	case "triage", "status":
		st := strings.ToLower(t.value)
		if !slices.Contains(incident.Statuses, st) {
			return &SyntaxError{t.valueAt, fmt.Sprintf("%s:%s: unknown status (want one of %s)", t.keyRaw, t.value, strings.Join(incident.Statuses, ", "))}
		}
		addTo(&out.triage, &out.ntriage, st, t.neg)
	case "is":
		return out.addIs(t)
	case FacetReviewed:
		yes, ok := yesNo[strings.ToLower(t.value)]
		if !ok {
			return &SyntaxError{t.valueAt, fmt.Sprintf("%s:%s: want yes or no", t.keyRaw, t.value)}
		}
		bit := uint8(1)
		if yes {
			bit = 2
		}
		if t.neg {
			out.nreviewed |= bit
		} else {
			out.reviewed |= bit
		}
	case "tag":
		addTo(&out.tags, &out.ntags, strings.ToLower(strings.TrimSpace(t.value)), t.neg)
	case "label":
		label := foldLabel(t.value)
		if label == "" {
			return &SyntaxError{t.valueAt, "label: needs a label"}
		}
		addTo(&out.labels, &out.nlabels, label, t.neg)
	default:
		return &SyntaxError{t.start, fmt.Sprintf("unknown field %q (see the query help for the fields)", t.keyRaw)}
	}
	return nil
}

// addIs adds is:starred or is:STATUS.
func (out *Query) addIs(t token) error {
	v := strings.ToLower(t.value)
	switch {
	case v == "starred" && t.neg:
		out.starred = -1
	case v == "starred":
		out.starred = 1
	case slices.Contains(incident.Statuses, v):
		addTo(&out.triage, &out.ntriage, v, t.neg)
	default:
		return &SyntaxError{t.valueAt, fmt.Sprintf("is:%s: unknown (want is:starred or is:<status>)", t.value)}
	}
	return nil
}

// addTo appends v to pos, or to neg when the term is negated.
func addTo(pos, neg *[]string, v string, negated bool) {
	if negated {
		*neg = append(*neg, v)
	} else {
		*pos = append(*pos, v)
	}
}

// sourceTerm reads source:VALUE: a family or form of sources (fail,
// starter, csv, …) is a facet option; anything else names a file, matched
// as a phrase of its words in the sources' file names.
func sourceTerm(t token) (Query, error) {
	var out Query
	v := strings.ToLower(strings.TrimSpace(t.value))
	if incident.IsSourceKind(v) {
		out.cats = append(out.cats, catTerm{cat: FacetSource, opt: v, neg: t.neg})
		return out, nil
	}
	words := incident.Words(v)
	if len(words) == 0 {
		return out, &SyntaxError{t.valueAt, fmt.Sprintf("%s: needs a file name or a form", t.keyRaw)}
	}
	out.text = append(out.text, textTerm{fields: fSource, words: words, neg: t.neg})
	return out, nil
}

// parseYears reads 2019, 2015..2020, 2015.. or ..2020.
func parseYears(v string) (yearRange, error) {
	lo, hi, isRange := strings.Cut(v, "..")
	r := yearRange{lo: 0, hi: 9999}
	if !isRange {
		y, err := parseYear(v)
		if err != nil {
			return r, err
		}
		return yearRange{lo: y, hi: y}, nil
	}
	if lo == "" && hi == "" {
		return r, errors.New("want YYYY, YYYY..YYYY, YYYY.. or ..YYYY")
	}
	var err error
	if lo != "" {
		if r.lo, err = parseYear(lo); err != nil {
			return r, err
		}
	}
	if hi != "" {
		if r.hi, err = parseYear(hi); err != nil {
			return r, err
		}
	}
	if r.lo > r.hi {
		return r, errors.New("range runs backwards")
	}
	return r, nil
}

func parseYear(s string) (int, error) {
	if len(s) != 4 {
		return 0, errors.New("want a four-digit year (YYYY, YYYY..YYYY)")
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 0 {
		return 0, errors.New("want a four-digit year (YYYY, YYYY..YYYY)")
	}
	return y, nil
}
