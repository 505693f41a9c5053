package search

import (
	"slices"
	"strings"
)

// TitleMatches returns the byte offsets, ascending, of the characters of
// the title of incident id that q matched: the letters its words
// abbreviate and the words its terms find. They are worked out on demand,
// for the hits on screen, rather than for every hit of every keystroke.
func (ix *Index) TitleMatches(q Query, id string) []int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg, d, ok := ix.lookup(id)
	if !ok {
		return nil
	}
	pattern := strings.Join(q.free, " ")
	fuzzy := len(pattern)-strings.Count(pattern, " ") >= minFuzzy && ix.abbreviates(&q)
	return sg.titleMatches(nil, d, q.titleRanges(sg), fuzzy, pattern)
}

// termSpan is a range of term numbers a query word matches.
type termSpan struct{ lo, hi uint32 }

// titleRanges returns the term ranges of the query's positive words that
// may match a title.
func (q Query) titleRanges(ix *segment) []termSpan {
	var out []termSpan
	for _, t := range q.text {
		if t.neg || t.fields&fTitle == 0 {
			continue
		}
		for i, w := range t.words {
			lo, hi := ix.termRange(w, t.prefix && i == len(t.words)-1)
			if lo < hi {
				out = append(out, termSpan{uint32(lo), uint32(hi)})
			}
		}
	}
	return out
}

// titleMatches appends to offs the byte offsets of the title characters
// that the query matched, ascending: those of the fuzzy headline match and
// of whole words.
func (ix *segment) titleMatches(offs []int, d int, ranges []termSpan, fuzzyTitle bool, pattern string) []int {
	start := len(offs)
	if fuzzyTitle {
		offs = ix.fuzzyOffsets(d, pattern, offs)
	}
	if len(ranges) > 0 && ix.sound(&ix.titleWordsPart) {
		title := ix.titles.view(d)
		for _, tw := range ix.titleWords[ix.titleWordOff[d]:ix.titleWordOff[d+1]] {
			if tw.start > tw.end || int(tw.end) > len(title) {
				continue // damaged: see check
			}
			for _, r := range ranges {
				if tw.term >= r.lo && tw.term < r.hi {
					if tw.ascii == 1 {
						for k := tw.start; k < tw.end; k++ {
							offs = append(offs, int(k))
						}
						break
					}
					for k := range title[tw.start:tw.end] {
						offs = append(offs, int(tw.start)+k)
					}
					break
				}
			}
		}
	}
	if fuzzyTitle && len(ranges) > 0 {
		slices.Sort(offs[start:])
		offs = append(offs[:start], slices.Compact(offs[start:])...)
	}
	return offs
}

// Highlight returns the byte offsets of the characters of s that belong to
// words the query's positive terms match, for highlighting s in a view.
func (q Query) Highlight(s string) []int {
	var offs []int
	scanWords(s, nil, func(w []byte, start, end int) {
		for _, t := range q.text {
			if t.neg {
				continue
			}
			for i, tw := range t.words {
				prefix := t.prefix && i == len(t.words)-1
				if string(w) == tw || prefix && strings.HasPrefix(string(w), tw) {
					for k := range s[start:end] {
						offs = append(offs, start+k)
					}
					return
				}
			}
		}
	})
	return offs
}
