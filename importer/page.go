package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
)

// Reasons a page text is refused. The caller adds the file name.
var (
	ErrEmptyFile     = errors.New("empty file")
	ErrBinaryContent = errors.New("binary content")
	ErrNoTitle       = errors.New(`no "Incident:" title line`)
)

// Fixed texts of the FAIL page layout, shared by ParsePage and FormatPage.
const (
	pageTitlePrefix     = "Incident:"
	pagePublishedPrefix = "Published Date:"
	pageHeadPostmortem  = "Postmortem Analysis"
	pageHeadFaults      = "Software Taxonomy of Faults"
	pageHeadIoT         = "IoT System Layer"
	pageHeadOther       = "Other Details"
	pageHeadCategory    = "Category Option Rationale"
	pageHeadLayer       = "Layer Option Rationale"
	pageHeadSources     = "Sources"
	pageHeadBack        = "Back to List"
	pageEmptyValue      = "None"
)

// pageMaxWarnings bounds the warnings of one page, so a hostile page cannot
// turn into millions of them.
const pageMaxWarnings = 20

type pageLabelKind int

const (
	pageKindHeader    pageLabelKind = iota // a line of its own, no value
	pageKindPublished                      // "Published Date: <date>"
	pageKindField                          // "<Field label> <value>"
	pageKindCategory                       // "<Category label> <options> <rationale>"
	pageKindEnd                            // "Back to List": nothing after it belongs to the page
)

// pageLabel is one line kind the page shows, in page order.
type pageLabel struct {
	text  string
	kind  pageLabelKind
	field int                    // index into incident.Fields for pageKindField
	cat   *incident.CategorySpec // for pageKindCategory
}

// pageLabels lists every label of the page in the fixed order the page
// shows them; the parser never lets a label follow a later one.
var pageLabels = buildPageLabels()

func buildPageLabels() []pageLabel {
	ls := []pageLabel{
		{text: pagePublishedPrefix, kind: pageKindPublished},
		{text: pageHeadPostmortem, kind: pageKindHeader},
	}
	for i, f := range incident.Fields {
		ls = append(ls, pageLabel{text: f.Label, kind: pageKindField, field: i})
	}
	for _, b := range []struct {
		block       incident.Block
		head, table string
	}{
		{incident.BlockFaults, pageHeadFaults, pageHeadCategory},
		{incident.BlockIoT, pageHeadIoT, pageHeadLayer},
		{incident.BlockOther, pageHeadOther, pageHeadCategory},
	} {
		ls = append(ls, pageLabel{text: b.head, kind: pageKindHeader}, pageLabel{text: b.table, kind: pageKindHeader})
		for i := range incident.Categories {
			if incident.Categories[i].Block == b.block {
				ls = append(ls, pageLabel{text: incident.Categories[i].Label, kind: pageKindCategory, cat: &incident.Categories[i]})
			}
		}
	}
	return append(ls, pageLabel{text: pageHeadSources, kind: pageKindHeader}, pageLabel{text: pageHeadBack, kind: pageKindEnd})
}

// ParsePage reads one FAIL page text into a normalised incident. It takes in
// what real copies do to a page (BOM, CRLF, stray blank lines, values over
// several lines, missing blocks, None and N/A, messy options) and reports
// what it had to repair as warnings. Page text carries no FAIL id, so
// SourceID stays empty.
func ParsePage(data []byte) (incident.Incident, []string, error) {
	var in incident.Incident
	w := &pageWarnings{}
	text, err := pageText(data, w)
	if err != nil {
		return in, nil, err
	}
	lines := pageSplitLines(text)
	title := -1
	for i, l := range lines {
		if t := pageTrimLeft(text[l.start:l.end]); pageHasPrefixFold(t, pageTitlePrefix) {
			title = i
			in.Title = strings.TrimSpace(t[len(pageTitlePrefix):])
			break
		}
	}
	if title < 0 {
		return in, nil, ErrNoTitle
	}
	if strings.TrimSpace(text[:lines[title].start]) != "" {
		w.add(`text before the "Incident:" line ignored`)
	}
	if in.Title == "" {
		w.add("empty title")
	}

	rest := lines[title+1:]
	chain := pageLabelChain(text, rest)
	rows := 0
	for k, c := range chain {
		end := len(text)
		if k+1 < len(chain) {
			end = rest[chain[k+1].line-1].end
		}
		value := strings.TrimSpace(text[c.valueStart:max(end, c.valueStart)])
		lab := pageLabels[c.label]
		switch lab.kind {
		case pageKindPublished:
			in.Published = pageParseDate(value, w)
		case pageKindField:
			rows++
			*incident.Fields[lab.field].Get(&in.Postmortem) = pageEmptyIfNone(value)
		case pageKindCategory:
			rows++
			if in.Taxonomy == nil {
				in.Taxonomy = make(map[string]incident.Category, len(incident.Categories))
			}
			in.Taxonomy[lab.cat.Key] = pageParseCategory(lab.cat, value, w)
		case pageKindEnd:
			if value != "" {
				w.add(`text after "Back to List" ignored`)
			}
		}
	}
	if rows == 0 {
		w.add("no postmortem field or taxonomy row found")
	}
	in.Articles = incident.ArticlesOf(&in)
	in.Normalize()
	return in, w.list(), nil
}

// pageText turns raw bytes into the text the parser reads: no BOM, "\n"
// line ends, valid UTF-8; or refuses bytes that are no page text at all.
func pageText(data []byte, w *pageWarnings) (string, error) {
	data = pageTrimBOM(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmptyFile
	}
	if pageIsBinary(data) {
		return "", ErrBinaryContent
	}
	s := string(data)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		w.add("invalid UTF-8 replaced with U+FFFD")
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		// a lone CR is text, kept as given, unless the file ends its
		// lines with CR alone (old Mac files)
		if strings.IndexByte(s, '\n') < 0 {
			s = strings.ReplaceAll(s, "\r", "\n")
		}
	}
	return s, nil
}

func pageTrimBOM(b []byte) []byte {
	for len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	return b
}

// pageIsBinary reports NUL bytes anywhere, or a head that is mostly control
// bytes and broken UTF-8: what no copy of a page holds. Text in a legacy
// encoding stays well under the threshold and is imported with
// replacement characters instead.
func pageIsBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	head := b[:min(len(b), 64<<10)]
	bad := 0
	for i := 0; i < len(head); {
		c := head[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f {
				bad++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n == 1 && len(head)-i >= utf8.UTFMax {
			bad++
		}
		i += n
	}
	return bad*10 > len(head)*3
}

// pageLineSpan is one line of the text, without its "\n".
type pageLineSpan struct{ start, end int }

func pageSplitLines(s string) []pageLineSpan {
	lines := make([]pageLineSpan, 0, strings.Count(s, "\n")+1)
	start := 0
	for {
		i := strings.IndexByte(s[start:], '\n')
		if i < 0 {
			return append(lines, pageLineSpan{start, len(s)})
		}
		lines = append(lines, pageLineSpan{start, start + i})
		start += i + 1
	}
}

// pageCandidate is a line that may start the label: its line (relative to the
// lines after the title), where its value starts in the text, and how much
// the line looks like that label rather than a value line that happens to
// start with the label's words.
type pageCandidate struct {
	line       int
	label      int
	valueStart int
	score      int
	prev       int // previous candidate in the best chain ending here, or -1
}

// pageLabelChain picks which lines start which labels. A value can run over
// several lines, and a continuation line can begin with the words of a
// label ("Impacts were seen..."), so a line that starts with a label is only
// a candidate. The chain kept is the one with labels in page order and the
// highest total score: a row that reads like a real row ("Impacts 1. ...",
// "Domain information [..]") beats one that reads like prose, and a label
// taken too early would cost every label between it and its true place.
// On equal scores the later line wins, since continuation lines mostly
// belong to the field before the label they resemble. It is a weighted
// longest increasing subsequence over the labels: O(lines × labels).
func pageLabelChain(text string, lines []pageLineSpan) []pageCandidate {
	type best struct{ val, cand int }
	ends := make([]best, len(pageLabels))
	for j := range ends {
		ends[j] = best{-1, -1}
	}
	var cands []pageCandidate
	var updates []best
	for i, l := range lines {
		t := pageTrimLeft(text[l.start:l.end])
		if t == "" {
			continue
		}
		off := l.end - len(t)
		updates = updates[:0]
		for j := range pageLabels {
			vs, score, ok := pageMatchLabel(j, t)
			if !ok {
				continue
			}
			predVal, pred := 0, -1
			for k := 0; k < j; k++ {
				if ends[k].val >= predVal && ends[k].cand >= 0 {
					predVal, pred = ends[k].val, ends[k].cand
				}
			}
			cands = append(cands, pageCandidate{line: i, label: j, valueStart: off + vs, score: score, prev: pred})
			updates = append(updates, best{score + predVal, len(cands) - 1})
		}
		// apply after the line's candidates are scored, so one line never
		// chains to itself
		for _, u := range updates {
			j := cands[u.cand].label
			if u.val >= ends[j].val {
				ends[j] = u
			}
		}
	}
	top := best{0, -1}
	for _, e := range ends {
		if e.cand >= 0 && e.val >= top.val {
			top = e
		}
	}
	var chain []pageCandidate
	for c := top.cand; c >= 0; c = cands[c].prev {
		chain = append(chain, cands[c])
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// pageMatchLabel reports whether line t (left-trimmed) starts label j, where
// its value starts within t, and a score of how much it looks like a real
// row of that label.
func pageMatchLabel(j int, t string) (valueStart, score int, ok bool) {
	lab := pageLabels[j]
	switch lab.kind {
	case pageKindHeader:
		if strings.TrimRightFunc(t, unicode.IsSpace) == lab.text {
			return len(t), 10, true
		}
		return 0, 0, false
	case pageKindEnd:
		if strings.HasPrefix(t, lab.text) {
			return len(lab.text), 10, true
		}
		return 0, 0, false
	case pageKindPublished:
		if pageHasPrefixFold(t, lab.text) {
			return len(lab.text), 10, true
		}
		return 0, 0, false
	}
	if !strings.HasPrefix(t, lab.text) {
		return 0, 0, false
	}
	rest := t[len(lab.text):]
	if rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsSpace(r) {
			return 0, 0, false
		}
	}
	v := strings.TrimSpace(rest)
	if lab.kind == pageKindField {
		return len(lab.text), pageFieldScore(v), true
	}
	return len(lab.text), pageCategoryScore(lab.cat, v), true
}

// pageFieldScore: numbered items and None are what field rows hold; prose that
// continues with a lower-case word ("Impacts were seen") is a sentence that
// happens to start with the label.
func pageFieldScore(v string) int {
	switch {
	case v == "":
		return 5
	case pageIsNone(pageFirstWord(v)) || pageStartsNumbered(v):
		return 10
	case pageStartsLower(v):
		return 2
	}
	return 6
}

func pageCategoryScore(cat *incident.CategorySpec, v string) int {
	if v == "" {
		return 5
	}
	if pageIsNone(pageFirstWord(v)) {
		return 10
	}
	opts, rationale, unknown := pageScanOptions(cat, v, 8)
	switch {
	case len(opts) == 0:
		return 3
	case unknown > 0:
		return 4
	case pageStartsLower(rationale):
		return 7
	}
	return 10
}

func pageStartsNumbered(v string) bool {
	i := 0
	for i < len(v) && i < 4 && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	return i > 0 && i < len(v) && v[i] == '.'
}

func pageStartsLower(v string) bool {
	r, _ := utf8.DecodeRuneInString(v)
	return unicode.IsLower(r)
}

func pageFirstWord(v string) string {
	if i := strings.IndexFunc(v, unicode.IsSpace); i >= 0 {
		return v[:i]
	}
	return v
}

// pageIsNone reports the words pages use for a null value.
func pageIsNone(s string) bool {
	return strings.EqualFold(s, "None") || strings.EqualFold(s, "N/A")
}

func pageEmptyIfNone(v string) string {
	if pageIsNone(v) {
		return ""
	}
	return v
}

// pageParseDate keeps the YYYY-MM-DD of a published date; a timestamp such as
// "2020-09-18 07:00:00+00:00" gives its date.
func pageParseDate(v string, w *pageWarnings) string {
	v = pageEmptyIfNone(v)
	if v == "" {
		return ""
	}
	if len(v) >= 10 && pageIsDate(v[:10]) && (len(v) == 10 || !pageIsDigit(v[10])) {
		return v[:10]
	}
	w.add(fmt.Sprintf("published date %q is not YYYY-MM-DD, left empty", pageClip(v, 40)))
	return ""
}

func pageIsDate(s string) bool {
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if !pageIsDigit(s[i]) {
			return false
		}
	}
	return s[5:7] >= "01" && s[5:7] <= "12" && s[8:10] >= "01" && s[8:10] <= "31"
}

func pageIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// pageParseCategory splits a taxonomy row value into canonical options and the
// rationale; options outside the vocabulary are kept and warned about.
func pageParseCategory(cat *incident.CategorySpec, v string, w *pageWarnings) incident.Category {
	if pageIsNone(pageFirstWord(v)) {
		return incident.Category{Options: []string{}, Rationale: pageEmptyIfNone(strings.TrimSpace(v[len(pageFirstWord(v)):]))}
	}
	opts, rationale, _ := pageScanOptions(cat, v, 0)
	out := make([]string, 0, len(opts))
	seen := make(map[string]bool, len(opts))
	for _, o := range opts {
		c, known := incident.CanonicalOption(cat.Key, o)
		if seen[c] {
			continue
		}
		seen[c] = true
		if !known {
			w.add(fmt.Sprintf("unknown option %q in %s, kept", pageClip(c, 40), cat.Key))
		}
		out = append(out, c)
	}
	return incident.Category{Options: out, Rationale: pageEmptyIfNone(rationale)}
}

// pageMaxOptionLen bounds a single-word option: a longer run is rationale.
const pageMaxOptionLen = 64

// pageScanOptions reads the comma-separated options at the start of a row
// value and returns them (as written), the rationale after them, and how
// many are outside the vocabulary. An option is a spelled-out phrase of the
// vocabulary ("connectivity level", "wired/wireless link level", plurals)
// or one word that reads like an option ("true", "one_organization"); the
// first word that is neither, or a missing comma, starts the rationale.
// limit > 0 stops after that many options.
func pageScanOptions(cat *incident.CategorySpec, v string, limit int) (opts []string, rationale string, unknown int) {
	pos := 0
	for {
		pos = pageSkipSpace(v, pos)
		n := pageMatchPhrase(cat.Key, v[pos:])
		if n == 0 {
			n = pageOptionWord(cat.Key, v[pos:])
		}
		if n == 0 {
			break
		}
		o := v[pos : pos+n]
		if _, known := incident.CanonicalOption(cat.Key, o); !known {
			unknown++
		}
		opts = append(opts, o)
		pos += n
		if limit > 0 && len(opts) >= limit {
			break
		}
		if c := pageSkipSpace(v, pos); c < len(v) && v[c] == ',' {
			// "a , b" and "a,, b" are typos, not the end of the options
			for pos = c; pos < len(v) && v[pos] == ','; {
				pos = pageSkipSpace(v, pos+1)
			}
			continue
		}
		break
	}
	if len(opts) == 0 {
		return nil, strings.TrimSpace(v), 0
	}
	return opts, strings.TrimSpace(v[pos:]), unknown
}

// pagePhrases holds, per category, the multi-word spellings of its options,
// longest first.
var pagePhrases = pageBuildPhrases()

func pageBuildPhrases() map[string][]string {
	m := make(map[string][]string)
	for _, c := range incident.Categories {
		var ps []string
		for _, o := range c.Options {
			if strings.Contains(o, "_") {
				ps = append(ps, strings.ReplaceAll(o, "_", " "))
			}
		}
		if c.Key == "communication" {
			ps = append(ps, "wired/wireless link level", "wired link level", "wireless link level")
		}
		// longest first, so "wired/wireless link level" wins over "link level"
		for i := 1; i < len(ps); i++ {
			for k := i; k > 0 && len(ps[k]) > len(ps[k-1]); k-- {
				ps[k], ps[k-1] = ps[k-1], ps[k]
			}
		}
		m[c.Key] = ps
	}
	return m
}

// pageMatchPhrase returns the length of a spelled-out option phrase (with an
// optional plural s) at the start of s that ends at a word boundary, or 0.
func pageMatchPhrase(cat, s string) int {
	for _, p := range pagePhrases[cat] {
		if len(s) < len(p) || !strings.EqualFold(s[:len(p)], p) {
			continue
		}
		n := len(p)
		if n < len(s) && (s[n] == 's' || s[n] == 'S') {
			n++
		}
		if pageAtBoundary(s, n) {
			return n
		}
		if pageAtBoundary(s, len(p)) {
			return len(p)
		}
	}
	return 0
}

// pageAtBoundary reports whether an option can end at s[n]: at a comma,
// white space (a browser copy may give a no-break space) or the end.
func pageAtBoundary(s string, n int) bool {
	if n == len(s) || s[n] == ',' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[n:])
	return unicode.IsSpace(r)
}

func pageSkipSpace(s string, pos int) int {
	for pos < len(s) {
		r, size := utf8.DecodeRuneInString(s[pos:])
		if !unicode.IsSpace(r) {
			break
		}
		pos += size
	}
	return pos
}

// pageOptionWord returns the length of a one-word option at the start of s, or
// 0 when the word does not read like one: options are lower-case words of
// letters, digits, "_", "-" and "/"; a capitalised word counts only when it
// names an option of the vocabulary ("Unknown").
func pageOptionWord(cat, s string) int {
	n := 0
	for n < len(s) && !pageAtBoundary(s, n) {
		n++
	}
	if n == 0 || n > pageMaxOptionLen {
		return 0
	}
	w := s[:n]
	if w[0] >= 'a' && w[0] <= 'z' {
		ok := true
		for i := 0; i < n; i++ {
			c := w[i]
			if !(c >= 'a' && c <= 'z' || pageIsDigit(c) || c == '_' || c == '-' || c == '/') {
				ok = false
				break
			}
		}
		if ok {
			return n
		}
	}
	if _, known := incident.CanonicalOption(cat, w); known {
		return n
	}
	return 0
}

func pageTrimLeft(s string) string { return strings.TrimLeftFunc(s, unicode.IsSpace) }

func pageHasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// pageClip shortens untrusted text quoted in a warning.
func pageClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// pageWarnings collects what a parse repaired, up to pageMaxWarnings.
type pageWarnings struct {
	msgs    []string
	dropped int
}

func (w *pageWarnings) add(msg string) {
	if len(w.msgs) >= pageMaxWarnings {
		w.dropped++
		return
	}
	w.msgs = append(w.msgs, msg)
}

func (w *pageWarnings) list() []string {
	if w.dropped > 0 {
		return append(w.msgs, fmt.Sprintf("%d more warnings", w.dropped))
	}
	return w.msgs
}
