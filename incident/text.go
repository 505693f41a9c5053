package incident

import (
	"regexp"
	"strconv"
	"strings"
)

// citationRe matches a bracketed citation list: [104834],
// [131222, 130996] or [Article 131222, Article 130996].
var citationRe = regexp.MustCompile(`\[((?:\s*(?:Articles?\s*#?\s*)?\d+\s*,?)+)\]`)

var digitsRe = regexp.MustCompile(`\d+`)

// Citations returns the article ids cited in s, in order of first
// appearance, without repeats.
func Citations(s string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, m := range citationRe.FindAllStringSubmatch(s, -1) {
		for _, d := range digitsRe.FindAllString(m[1], -1) {
			n, err := strconv.ParseInt(d, 10, 64)
			if err != nil || seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// itemRe finds the start of a numbered item: "1. " at the start of the text,
// on a new line, or after the end of a sentence or citation, so that
// "version 2. " inside an item does not start a new one.
var itemRe = regexp.MustCompile(`(?:^|\n\s*|[.!?:;)\]"'”]\s+)(\d{1,3})\.\s`)

// Items splits a field into its numbered items ("1. … 2. …"), trimmed and
// without their numbers. Numbers must count up from 1 in steps of one. A field with no
// numbering is one item; an empty field has none.
func Items(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	locs := itemRe.FindAllStringSubmatchIndex(s, -1)
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
