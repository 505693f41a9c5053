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
)

// Triage clauses fall in three groups, each counted apart from its own
// terms like a taxonomy category.
const (
	groupStatus = iota // triage:, status:, is:<status>
	groupStar          // is:starred
	groupTag           // tag:
	triageGroups
)

// triageKeys are the facet keys of the groups, by group.
var triageKeys = [triageGroups]string{FacetTriage, FacetStarred, FacetTag}

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
	return g
}

// triageSets returns, for each group q has terms on, the documents of set
// passing them; nil for the others.
func (ix *Index) triageSets(q *Query, set bitset) [triageGroups]bitset {
	var sets [triageGroups]bitset
	groups := q.triageTerms()
	for g := range sets {
		if groups&(1<<g) != 0 {
			sets[g] = newBitset(ix.n)
		}
	}
	if groups == 0 {
		return sets
	}
	set.each(func(d int) {
		t := &ix.triage[d]
		if sets[groupStatus] != nil && q.statusMatch(t) {
			sets[groupStatus].set(d)
		}
		if sets[groupStar] != nil && q.starMatch(t) {
			sets[groupStar].set(d)
		}
		if sets[groupTag] != nil && q.tagMatch(t) {
			sets[groupTag].set(d)
		}
	})
	return sets
}

func (q *Query) statusMatch(t *incident.Triage) bool {
	st := statusOf(t)
	if len(q.triage) > 0 && !slices.Contains(q.triage, st) {
		return false
	}
	return !slices.Contains(q.ntriage, st)
}

func (q *Query) starMatch(t *incident.Triage) bool {
	return !(q.starred == 1 && !t.Starred || q.starred == -1 && t.Starred)
}

func (q *Query) tagMatch(t *incident.Triage) bool {
	hasTag := func(tag string) bool {
		for _, x := range t.Tags {
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

// statusOf is t's status, an unset one being new.
func statusOf(t *incident.Triage) string {
	if t.Status == "" {
		return incident.StatusNew
	}
	return t.Status
}

// tagCount is a tag's count and 1 + the last document counted under it,
// so that a tag listed twice by one incident counts once without a set per
// incident.
type tagCount struct {
	n    int
	last int
}

// triageCounts holds the triage facet counts of a set of documents.
type triageCounts struct {
	status  []int // by index in incident.Statuses
	starred int
	tags    map[string]tagCount
}

// countTriage counts the triage of the documents in set, for the groups
// whose bit (1 << group) is in groups.
func (ix *Index) countTriage(set bitset, groups uint8) triageCounts {
	c := triageCounts{status: make([]int, len(incident.Statuses))}
	if groups&(1<<groupTag) != 0 {
		c.tags = map[string]tagCount{}
	}
	set.each(func(d int) {
		t := &ix.triage[d]
		if groups&(1<<groupStatus) != 0 {
			if i := slices.Index(incident.Statuses, statusOf(t)); i >= 0 {
				c.status[i]++
			}
		}
		if groups&(1<<groupStar) != 0 && t.Starred {
			c.starred++
		}
		if groups&(1<<groupTag) != 0 {
			for _, tag := range t.Tags {
				tag = strings.ToLower(strings.TrimSpace(tag))
				if tag == "" {
					continue
				}
				if tc := c.tags[tag]; tc.last != d+1 {
					c.tags[tag] = tagCount{n: tc.n + 1, last: d + 1}
				}
			}
		}
	})
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
		}
		if len(m) > 0 {
			out[key] = m
		}
	}
}
