package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
	"golang.org/x/text/unicode/norm"
)

// headline is the precomputed fuzzy target of an incident: its title, then
// its system and organisations, folded to lower-case accent-free letters
// and digits with every other character a space.
type headline struct {
	target    string
	titleLen  int     // target[:titleLen] comes from the title
	titleOff  []int32 // byte offset in Title of each byte of target[:titleLen]
	chars     uint64  // which characters target holds (see charMask)
	sortTitle string  // incident.NormalizeTitle(Title), for sorting by title
}

// headlinePartMax caps the bytes each of system and the organisations adds
// to a headline: their first item names them; the rest is prose.
const headlinePartMax = 96

func (ix *Index) buildHeadlines() {
	ix.heads = make([]headline, len(ix.docs))
	var b strings.Builder
	var buf []byte
	for d := range ix.docs {
		in := &ix.docs[d]
		h := &ix.heads[d]
		b.Reset()
		h.titleOff = foldTitle(&b, in.Title)
		h.titleLen = b.Len()
		h.sortTitle = strings.Join(strings.Fields(b.String()), " ")
		for _, s := range []string{in.Postmortem.System, in.Postmortem.ResponsibleOrg, in.Postmortem.ImpactedOrg} {
			s = stripCitations(s)
			b.WriteString("  ")
			start := b.Len()
			buf = scanWords(s, buf, func(w []byte, _, _ int) {
				if b.Len()-start+len(w) > headlinePartMax {
					return
				}
				if b.Len() > start {
					b.WriteByte(' ')
				}
				b.Write(w)
			})
		}
		h.target = b.String()
		h.chars = charMask(h.target)
	}
}

// foldTitle writes the folded title to b and returns, for each byte written,
// the offset of the title rune it came from.
func foldTitle(b *strings.Builder, title string) []int32 {
	offs := make([]int32, 0, len(title))
	var tmp [utf8.UTFMax]byte
	for i, r := range title {
		if r < utf8.RuneSelf {
			c := byte(r)
			if !isAlnum(c) {
				c = ' '
			}
			b.WriteByte(c | lowerBit(c))
			offs = append(offs, int32(i))
			continue
		}
		n := utf8.EncodeRune(tmp[:], r)
		for _, d := range norm.NFKD.String(string(tmp[:n])) {
			switch {
			case unicode.Is(unicode.Mn, d):
				continue
			case unicode.IsLetter(d) || unicode.IsDigit(d):
				d = unicode.ToLower(d)
			default:
				d = ' '
			}
			k := utf8.EncodeRune(tmp[:], d)
			b.Write(tmp[:k])
			for range k {
				offs = append(offs, int32(i))
			}
		}
	}
	return offs
}

// stripCitations drops bracketed article citations ("[3825, 3740]").
func stripCitations(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// charMask sets bit c-'a' for each ASCII letter, 26+digit for each digit
// and bit 36 for any other non-space byte.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			m |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			m |= 1 << (26 + c - '0')
		case c == ' ':
		default:
			m |= 1 << 36
		}
	}
	return m
}

// acceptHeadline reports whether pattern (folded words separated by single
// spaces) matches target as abbreviations of its words, in order: each
// pattern word must start where a target word starts and take the rest of
// its letters in order from that word, moving on only to the start of the
// next word ("twtr secur" → "twitter s security", "ps3" → "playstation 3").
// This is stricter than a plain subsequence, which matches almost any
// headline with a short pattern.
func acceptHeadline(target, pattern string) bool {
	pos := 0
	for pattern != "" {
		w, rest, _ := strings.Cut(pattern, " ")
		pattern = rest
		if w == "" {
			continue
		}
		found := false
		for pos < len(target) {
			s := nextWordStart(target, pos)
			if s < 0 {
				return false
			}
			if target[s] == w[0] {
				if end, ok := abbrevAt(target, s, w); ok {
					pos, found = end, true
					break
				}
			}
			pos = s + 1
		}
		if !found {
			return false
		}
	}
	return true
}

func nextWordStart(t string, pos int) int {
	for i := pos; i < len(t); i++ {
		if t[i] != ' ' && (i == 0 || t[i-1] == ' ') {
			return i
		}
	}
	return -1
}

// abbrevAt matches w as an abbreviation starting at the word at s.
func abbrevAt(t string, s int, w string) (int, bool) {
	end := wordEnd(t, s)
	j := s + 1
	for i := 1; i < len(w); i++ {
		k := strings.IndexByte(t[j:end], w[i])
		if k >= 0 {
			j += k + 1
			continue
		}
		ns := end
		for ns < len(t) && t[ns] == ' ' {
			ns++
		}
		if ns >= len(t) || t[ns] != w[i] {
			return 0, false
		}
		j, end = ns+1, wordEnd(t, ns)
	}
	return j, true
}

func wordEnd(t string, s int) int {
	for s < len(t) && t[s] != ' ' {
		s++
	}
	return s
}

// fuzzyHit is an accepted headline match.
type fuzzyHit struct {
	score   int   // sahilm/fuzzy's score
	indexes []int // matched byte offsets in the target
}

type headSource struct {
	heads []headline
	docs  []int32
}

func (s headSource) String(i int) string { return s.heads[s.docs[i]].target }
func (s headSource) Len() int            { return len(s.docs) }

// fuzzyHeadlines matches pattern against the headlines of the candidate
// documents and returns the accepted ones.
func (ix *Index) fuzzyHeadlines(pattern string, cand bitset) map[int32]fuzzyHit {
	need := charMask(pattern)
	var docs []int32
	cand.each(func(d int) {
		h := &ix.heads[d]
		if h.chars&need == need && acceptHeadline(h.target, pattern) {
			docs = append(docs, int32(d))
		}
	})
	out := make(map[int32]fuzzyHit, len(docs))
	if len(docs) == 0 {
		return out
	}
	for _, m := range fuzzy.FindFromNoSort(pattern, headSource{ix.heads, docs}) {
		out[docs[m.Index]] = fuzzyHit{score: m.Score, indexes: m.MatchedIndexes}
	}
	for _, d := range docs {
		if _, ok := out[d]; !ok {
			out[d] = fuzzyHit{}
		}
	}
	return out
}
