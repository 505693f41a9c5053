package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/faultline/faultline/incident"
)

// How two incidents are compared. The weights and thresholds were chosen
// on the FAIL sample (testdata/same_event_pairs.txt): there, reports of
// one failure score 0.80–1, and 0.60–1 without their articles; reports of
// different failures score at most 0.37, and 0.55 for the two that cite
// an article in common (both years apart).
const (
	// Window is how many days apart two reports of one failure are
	// expected to be published; most are days apart, follow-ups weeks.
	Window = 30

	wTitle    = 0.30 // Jaccard of the title stems
	wText     = 0.35 // Jaccard of the text stems, full at textFull
	wNames    = 0.35 // Jaccard of the names, full at namesFull
	wArticles = 0.20 // articles in common, over the fewer cited
	textFull  = 0.5
	namesFull = 0.5

	// minText is the text similarity below which two incidents that both
	// have a text (minTextStems stems or more) are never linked, however
	// alike their titles and names: reports of one failure agree on what
	// happened, not only on who it happened to. On the sample, reports of
	// one failure share 0.21 or more; two reports of Tesla's different
	// failures seven weeks apart share 0.11.
	minText      = 0.15
	minTextStems = 40

	// NearThreshold is the score from which two incidents published
	// within Window days of each other are linked.
	NearThreshold = 0.5
	// FarThreshold is the score from which other pairs are linked: both
	// undated, or further apart (or one undated) and citing an article in
	// common; further apart without one, two reports are never linked.
	FarThreshold = 0.7
)

// evidence is what two profiles share.
type evidence struct {
	title, text, names float64 // Jaccard similarities
	articles           int     // articles in common
	fewer              int     // articles cited by the one citing fewer
	days               int32   // days apart; < 0 when a date is unknown
}

// Values of evidence.days when dates are missing.
const (
	oneUndated  = -1
	bothUndated = -2
)

// near reports whether the dates put the two reports in one window.
func (e *evidence) near() bool { return e.days >= 0 && e.days <= Window }

// undated reports whether neither report has a date.
func (e *evidence) undated() bool { return e.days == bothUndated }

func (e *evidence) threshold() float64 {
	switch {
	case e.near():
		return NearThreshold
	case e.undated() || e.articles > 0:
		return FarThreshold
	}
	return 2 // out of reach: see FarThreshold
}

func (e *evidence) score() float64 {
	s := wTitle*e.title + wText*min(1, e.text/textFull) + wNames*min(1, e.names/namesFull)
	if e.fewer > 0 {
		s += wArticles * float64(e.articles) / float64(e.fewer)
	}
	return min(1, s)
}

// compare weighs what p and q share. It returns false, without working
// out the text similarity, when even full text similarity could not reach
// the threshold: most candidate pairs are settled that cheaply.
func compare(p, q *profile) (evidence, bool) {
	e := evidence{days: oneUndated}
	switch {
	case p.day != noDay && q.day != noDay:
		e.days = max(p.day-q.day, q.day-p.day)
	case p.day == noDay && q.day == noDay:
		e.days = bothUndated
	}
	e.title = jaccard(p.title, q.title)
	e.names = jaccard(p.names, q.names)
	if len(p.articles) > 0 && len(q.articles) > 0 {
		e.articles = shared(p.articles, q.articles)
		e.fewer = min(len(p.articles), len(q.articles))
	}
	if e.score()+wText < e.threshold() {
		return e, false
	}
	e.text = jaccard(p.text, q.text)
	return e, e.linked(p, q)
}

// linked reports whether the evidence, text similarity included, links p
// and q.
func (e *evidence) linked(p, q *profile) bool {
	if len(p.text) >= minTextStems && len(q.text) >= minTextStems && e.text < minText {
		return false
	}
	return e.score() >= e.threshold()
}

// maxReasonNames is how many shared names a reason lists.
const maxReasonNames = 3

// reason says why p and q were linked, naming the shared names as p
// writes them, in the order p first writes them.
func reason(p, q *profile, e evidence) string {
	var parts []string
	switch {
	case e.title == 1:
		parts = append(parts, "same title")
	case e.title >= 0.2:
		parts = append(parts, fmt.Sprintf("title %.2f similar", e.title))
	}
	var names []nameWord
	for _, f := range p.forms {
		if _, ok := slices.BinarySearch(q.names, f.h); ok {
			names = append(names, f)
		}
	}
	if len(names) > 0 {
		slices.SortFunc(names, func(a, b nameWord) int { return int(a.pos - b.pos) })
		shown := make([]string, 0, maxReasonNames)
		for _, n := range names[:min(len(names), maxReasonNames)] {
			shown = append(shown, n.form)
		}
		parts = append(parts, "both name "+strings.Join(shown, ", "))
	}
	if e.text >= 0.1 {
		parts = append(parts, fmt.Sprintf("text %.2f similar", e.text))
	}
	switch {
	case e.articles == 1:
		parts = append(parts, "1 article in common")
	case e.articles > 1:
		parts = append(parts, fmt.Sprintf("%d articles in common", e.articles))
	}
	switch {
	case e.undated():
		parts = append(parts, "both undated")
	case e.days < 0:
		parts = append(parts, "one undated")
	case e.days == 0:
		parts = append(parts, "same day")
	case e.days == 1:
		parts = append(parts, "1 day apart")
	default:
		parts = append(parts, fmt.Sprintf("%d days apart", e.days))
	}
	return strings.Join(parts, ", ")
}

// makeLink is the link of two profiles, A the one with the smaller id.
func makeLink(p, q *profile, e evidence) Link {
	if q.id < p.id {
		p, q = q, p
	}
	return Link{A: p.id, B: q.id, Score: e.score(), Reason: reason(p, q, e)}
}

// Compare scores two incidents as grouping does and says why, and reports
// whether the score reaches the threshold for their distance in time.
// A Grouper links such a pair unless they share only words too common in
// their 30 days to be compared (see Grouper).
func Compare(a, b *incident.Incident) (Link, bool) {
	var ws wordSet
	p, q := makeProfile(a, &ws), makeProfile(b, &ws)
	e, _ := compare(p, q)
	e.text = jaccard(p.text, q.text) // always: the score is shown
	return makeLink(p, q, e), e.linked(p, q)
}
