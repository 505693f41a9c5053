package incident

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// maxCitation bounds the text between brackets that can be a citation list,
// so a stray "[" in a long field costs little.
const maxCitation = 512

// Citations returns the article ids cited in s, in order of first
// appearance, without repeats. It looks only between "[" and "]": running
// a regexp over whole fields made it the slowest step of an import.
func Citations(s string) []int64 {
	var out []int64
	var seen map[int64]bool
	for i := 0; i < len(s); {
		open := strings.IndexByte(s[i:], '[')
		if open < 0 {
			break
		}
		open += i
		end := strings.IndexByte(s[open+1:min(len(s), open+1+maxCitation)], ']')
		if end < 0 {
			i = open + 1
			continue
		}
		inner := s[open+1 : open+1+end]
		i = open + 1 + end + 1
		ids, ok := citationIDs(inner)
		if !ok {
			// "[" inside a non-citation may open a citation later on
			i = open + 1
			continue
		}
		for _, n := range ids {
			if seen[n] {
				continue
			}
			if seen == nil {
				seen = map[int64]bool{}
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// citationIDs reads the inside of a citation list: "104834",
// "131222, 130996" or "Article 131222, Article #130996".
func citationIDs(inner string) ([]int64, bool) {
	var ids []int64
	for _, part := range strings.Split(inner, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(part, "Articles"); ok {
			part = rest
		} else if rest, ok := strings.CutPrefix(part, "Article"); ok {
			part = rest
		}
		part = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), "#"))
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n < 0 || part[0] == '+' {
			return nil, false
		}
		ids = append(ids, n)
	}
	return ids, len(ids) > 0
}

// itemRe finds the start of a numbered item: "1. " at the start of the text,
// on a new line, or after the end of a sentence or citation, so that
// "version 2. " inside an item does not start a new one.
var itemRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:^|\n\s*|[.!?:;)\]"'”]\s+)(\d{1,3})\.\s`) })

// Items splits a field into its numbered items ("1. … 2. …"), trimmed and
// without their numbers. Numbers must count up from 1 in steps of one. A field with no
// numbering is one item; an empty field has none.
func Items(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	locs := itemRe().FindAllStringSubmatchIndex(s, -1)
	var starts, bodies []int
	next := 1
	for _, l := range locs {
		n, _ := strconv.Atoi(s[l[2]:l[3]])
		if n != next {
			continue
		}
		if next == 1 && strings.TrimSpace(s[:l[2]]) != "" {
			// text before "1." : not a numbered field
			break
		}
		starts = append(starts, l[2])
		bodies = append(bodies, l[1])
		next++
	}
	if len(starts) == 0 {
		return []string{s}
	}
	items := make([]string, 0, len(starts))
	for i := range starts {
		end := len(s)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if it := strings.TrimSpace(s[bodies[i]:end]); it != "" {
			items = append(items, it)
		}
	}
	return items
}

// ArticlesOf collects the article ids cited anywhere in the incident's
// postmortem fields and rationales, in order of first appearance.
func ArticlesOf(in *Incident) []int64 {
	var b strings.Builder
	for _, f := range Fields {
		b.WriteString(*f.Get(&in.Postmortem))
		b.WriteByte('\n')
	}
	for _, c := range Categories {
		b.WriteString(in.Taxonomy[c.Key].Rationale)
		b.WriteByte('\n')
	}
	return Citations(b.String())
}
