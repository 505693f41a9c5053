package search

import (
	"slices"
	"strings"

	"github.com/faultline/faultline/incident"
)

// Keys of the triage pseudo-categories in Result.Facets and Result.Counts,
// named as the query language names them.
const (
	FacetTriage  = "triage" // status → incidents; an empty status counts as new
	FacetStarred = "is"     // "starred" → starred incidents
	FacetTag     = "tag"    // lower-cased tag → incidents
	// FacetReviewed counts, as "yes" and "no", the incidents whose
	// taxonomy a reviewer corrected and the others.
	FacetReviewed = "reviewed"
)

// Triage clauses, and label: clauses on the incidents' own labels, fall in
// groups, each counted apart from its own terms like a taxonomy category.
const (
	groupStatus   = iota // triage:, status:, is:<status>
	groupStar            // is:starred
	groupTag             // tag:
	groupLabel           // label:
	groupReviewed        // reviewed:
	triageGroups
)

// triageKeys are the facet keys of the groups, by group.
var triageKeys = [triageGroups]string{FacetTriage, FacetStarred, FacetTag, FacetLabel, FacetReviewed}

// triageTerms returns the bit (1 << group) of each group q has terms on.
func (q *Query) triageTerms() uint8 {
	var g uint8
	if len(q.triage)+len(q.ntriage) > 0 {
		g |= 1 << groupStatus
	}
	if q.starred != 0 {
		g |= 1 << groupStar
	}
	if len(q.tags)+len(q.ntags) > 0 {
		g |= 1 << groupTag
	}
	if len(q.labels)+len(q.nlabels) > 0 {
		g |= 1 << groupLabel
	}
	if q.reviewed|q.nreviewed != 0 {
		g |= 1 << groupReviewed
	}
	return g
}

// buildTriageSets makes the triage sets from triage.
func (ix *segment) buildTriageSets() {
	ix.statusDocs = make([]bitset, len(incident.Statuses))
	for i := range ix.statusDocs {
		ix.statusDocs[i] = newBitset(ix.n)
	}
	ix.starredDocs = newBitset(ix.n)
	ix.taggedDocs = newBitset(ix.n)
	ix.reviewedDocs = newBitset(ix.n)
	untouched := incident.Triage{}
	if i := slices.Index(incident.Statuses, untouched.State()); i >= 0 {
		ix.statusDocs[i].fill(ix.n)
	}
	for d := range ix.triage {
		ix.setTriageBits(int(d))
	}
}

// setTriageBits brings document d's bits of the triage sets in step with
// its triage.
func (ix *segment) setTriageBits(d int) {
	t := ix.triageOf(d)
	st := t.State()
	for i, set := range ix.statusDocs {
		if incident.Statuses[i] == st {
			set.set(d)
		} else {
			set.unset(d)
		}
	}
	ix.starredDocs.unset(d)
	if t.Starred() {
		ix.starredDocs.set(d)
	}
	ix.taggedDocs.unset(d)
	if len(t.TagList()) > 0 {
		ix.taggedDocs.set(d)
	}
	ix.reviewedDocs.unset(d)
	if t.Reviewed() {
		ix.reviewedDocs.set(d)
	}
}

// triageSets returns, for each group q has terms on, the documents of set
// passing them; nil for the others.
func (ix *segment) triageSets(q *Query, set bitset) [triageGroups]bitset {
	var sets [triageGroups]bitset
	n := ix.n
	if len(q.triage)+len(q.ntriage) > 0 {
		// A status outside incident.Statuses is in no set: it passes
		// exclusions only, as statuses are parsed from that list.
		ss := slices.Clone(set)
		if len(q.triage) > 0 {
			either := newBitset(n)
			for _, st := range q.triage {
				if i := slices.Index(incident.Statuses, st); i >= 0 {
					either.or(ix.statusDocs[i])
				}
			}
			ss.and(either)
		}
		for _, st := range q.ntriage {
			if i := slices.Index(incident.Statuses, st); i >= 0 {
				ss.andNot(ix.statusDocs[i])
			}
		}
		sets[groupStatus] = ss
	}
	if q.starred != 0 {
		sets[groupStar] = either(set, ix.starredDocs, q.starred > 0)
	}
	if allow := q.reviewedAllowed(); allow != 3 {
		switch allow {
		case 0:
			sets[groupReviewed] = newBitset(n)
		case 1:
			sets[groupReviewed] = either(set, ix.reviewedDocs, false)
		case 2:
			sets[groupReviewed] = either(set, ix.reviewedDocs, true)
		}
	}
	if len(q.tags)+len(q.ntags) > 0 {
		// Only tagged incidents are looked at: the others pass when no
		// tag is asked for.
		ss := newBitset(n)
		if len(q.tags) == 0 {
			ss = slices.Clone(set)
			ss.andNot(ix.taggedDocs)
		}
		set.eachAnd(ix.taggedDocs, func(d int) {
			if t := ix.triageOf(d); q.tagMatch(&t) {
				ss.set(d)
			}
		})
		sets[groupTag] = ss
	}
	if len(q.labels)+len(q.nlabels) > 0 {
		ss := newBitset(n)
		set.each(func(d int) {
			if ix.labelMatch(q, d) {
				ss.set(d)
			}
		})
		sets[groupLabel] = ss
	}
	return sets
}

// reviewedAllowed returns the reviewed: values q lets pass, as bits (1
// no, 2 yes).
func (q *Query) reviewedAllowed() uint8 {
	allow := q.reviewed
	if allow == 0 {
		allow = 3
	}
	return allow &^ q.nreviewed
}

// either returns the documents of set in docs (in) or not in them.
func either(set, docs bitset, in bool) bitset {
	out := slices.Clone(set)
	if in {
		out.and(docs)
	} else {
		out.andNot(docs)
	}
	return out
}

func (q *Query) tagMatch(t *incident.Triage) bool {
	tags := t.TagList()
	hasTag := func(tag string) bool {
		for _, x := range tags {
			if strings.EqualFold(strings.TrimSpace(x), tag) {
				return true
			}
		}
		return false
	}
	if len(q.tags) > 0 && !slices.ContainsFunc(q.tags, hasTag) {
		return false
	}
	return !slices.ContainsFunc(q.ntags, hasTag)
}

// tagCount is a tag's count and 1 + the last document counted under it,
// so that a tag listed twice by one incident counts once without a set per
// incident.
type tagCount struct {
	n    int
	last int
}

// triageCounts holds the triage and label facet counts of a set of
// documents.
type triageCounts struct {
	status   []int // by index in incident.Statuses
	starred  int
	tags     map[string]tagCount
	labels   map[string]int
	reviewed [2]int // not reviewed, reviewed
}

// countTriage counts the triage and labels of the documents in set, for
// the groups whose bit (1 << group) is in groups.
func (ix *segment) countTriage(set bitset, groups uint8) triageCounts {
	c := triageCounts{status: make([]int, len(incident.Statuses))}
	if groups&(1<<groupStatus) != 0 {
		for i, ss := range ix.statusDocs {
			c.status[i] = set.andCount(ss)
		}
	}
	if groups&(1<<groupStar) != 0 {
		c.starred = set.andCount(ix.starredDocs)
	}
	if groups&(1<<groupTag) != 0 {
		c.tags = map[string]tagCount{}
		set.eachAnd(ix.taggedDocs, func(d int) {
			t := ix.triageOf(d)
			for _, tag := range t.TagList() {
				tag = strings.ToLower(strings.TrimSpace(tag))
				if tag == "" {
					continue
				}
				if tc := c.tags[tag]; tc.last != d+1 {
					c.tags[tag] = tagCount{n: tc.n + 1, last: d + 1}
				}
			}
		})
	}
	if groups&(1<<groupLabel) != 0 {
		c.labels = ix.countLabels(set)
	}
	if groups&(1<<groupReviewed) != 0 {
		c.reviewed[1] = set.andCount(ix.reviewedDocs)
		c.reviewed[0] = set.count() - c.reviewed[1]
	}
	return c
}

// addTo puts the non-zero counts of the groups in groups into out under
// their facet keys; a key with no count is left out.
func (c triageCounts) addTo(out map[string]map[string]int, groups uint8) {
	for g, key := range triageKeys {
		if groups&(1<<g) == 0 {
			continue
		}
		m := map[string]int{}
		switch g {
		case groupStatus:
			for i, n := range c.status {
				if n > 0 {
					m[incident.Statuses[i]] = n
				}
			}
		case groupStar:
			if c.starred > 0 {
				m["starred"] = c.starred
			}
		case groupTag:
			for tag, tc := range c.tags {
				m[tag] = tc.n
			}
		case groupLabel:
			m = c.labels
		case groupReviewed:
			// only once a reviewer corrected something: until then
			// it would say of every incident that none was
			if c.reviewed[1] > 0 {
				m["yes"], m["no"] = c.reviewed[1], c.reviewed[0]
				if c.reviewed[0] == 0 {
					delete(m, "no")
				}
			}
		}
		if len(m) > 0 {
			out[key] = m
		}
	}
}
