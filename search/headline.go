package search

import (
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/sahilm/fuzzy"
	"golang.org/x/text/unicode/norm"
)

// headline is the precomputed fuzzy target of an incident: its title, then
// its system and organisations, folded to lower-case accent-free letters
// and digits with every other character a space.
type headline struct {
	target   string
	titleLen int      // target[:titleLen] comes from the title
	chars    uint64   // which characters target holds (see charMask)
	starts   []uint16 // offsets of target's words
}

// storedHeads are the headlines of a loaded segment as stored, flat.
type storedHeads struct {
	targets   strList
	titleLen  []uint32
	chars     []uint64
	starts    []uint16
	startsEnd []uint32
}

// chars returns the character mask of document d's headline (see
// charMask), and false when its stored form fails its check: read before
// the rest of a headline, it rules out most candidates.
func (ix *segment) chars(d int) (uint64, bool) {
	if ix.stored == nil {
		return ix.heads[d].chars, true
	}
	if !ix.soundAt(unsafe.Pointer(&ix.stored.chars[d]), 8) {
		return 0, false
	}
	return ix.stored.chars[d], true
}

// head returns the headline of document d, and false when its stored
// form fails its check (a loaded segment checks the parts of a headline
// the first time it reads them: a search reads those of its candidates).
func (ix *segment) head(d int) (headline, bool) {
	if ix.stored == nil {
		return ix.heads[d], true
	}
	st := ix.stored
	a := uint32(0)
	if d > 0 {
		a = st.targets.end[d-1]
	}
	b, s0, s1 := st.targets.end[d], st.startsEnd[d], st.startsEnd[d+1]
	if a > b || int(b) > len(st.targets.data) || s0 > s1 || int(s1) > len(st.starts) {
		return headline{}, false // damaged: the offsets run backwards or past the end
	}
	if !ix.soundAt(unsafe.Pointer(&st.targets.end[d]), 4) || !ix.soundAt(unsafe.Pointer(&st.titleLen[d]), 4) ||
		!ix.soundAt(unsafe.Pointer(&st.chars[d]), 8) || !ix.soundAt(unsafe.Pointer(&st.startsEnd[d]), 8) ||
		(d > 0 && !ix.soundAt(unsafe.Pointer(&st.targets.end[d-1]), 4)) ||
		(a < b && !ix.soundAt(unsafe.Pointer(&st.targets.data[a]), int(b-a))) ||
		(s0 < s1 && !ix.soundAt(unsafe.Pointer(&st.starts[s0]), 2*int(s1-s0))) {
		return headline{}, false
	}
	t := st.targets.view(d) // internal: see strList.view
	return headline{target: t, titleLen: min(int(st.titleLen[d]), len(t)), chars: st.chars[d],
		starts: st.starts[s0:s1:s1]}, true
}

// A headline takes from system and each organisation field the names
// that lead its first numbered items ("1. George Hotz, a hacker who…" gives
// "george hotz"): the rest is prose, which would let short abbreviations
// match nearly every headline.
const (
	headlineItems   = 3  // items per field
	headlineNameMax = 40 // bytes per name
)

// maxFoldedTitle caps the title part of a headline, in bytes: a hostile
// title can be megabytes long.
const maxFoldedTitle = 400

func (ix *segment) buildHeadlines() {
	ix.heads = make([]headline, len(ix.docs))
	sortTitles := make([]string, len(ix.docs))
	var b strings.Builder
	var buf []byte
	for d := range ix.docs {
		in := &ix.docs[d]
		h := &ix.heads[d]
		b.Reset()
		foldTitle(&b, in.Title, nil)
		h.titleLen = b.Len()
		sortTitles[d] = strings.Join(strings.Fields(b.String()), " ")
		for _, s := range []string{in.Postmortem.System, in.Postmortem.ResponsibleOrg, in.Postmortem.ImpactedOrg} {
			for _, name := range leadingNames(s, headlineItems) {
				b.WriteString("  ")
				start := b.Len()
				buf = scanWords(name, buf, func(w []byte, _, _ int) {
					if b.Len()-start+len(w) > headlineNameMax {
						return
					}
					if b.Len() > start {
						b.WriteByte(' ')
					}
					b.Write(w)
				})
			}
		}
		h.target = b.String()
		h.chars = charMask(h.target)
		h.starts = wordStarts(h.target)
	}
	ix.sortTitles = makeStrList(sortTitles)
}

// foldTitle writes the folded title to b and appends to offs, for each
// byte written, the offset of the title rune it came from; with offs nil
// it only writes.
func foldTitle(b *strings.Builder, title string, offs []int32) []int32 {
	start := b.Len()
	keep := offs != nil
	var tmp [utf8.UTFMax]byte
	for i, r := range title {
		if b.Len()-start >= maxFoldedTitle {
			break
		}
		if r < utf8.RuneSelf {
			c := byte(r)
			if !isAlnum(c) {
				c = ' '
			}
			b.WriteByte(c | lowerBit(c))
			if keep {
				offs = append(offs, int32(i))
			}
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
			for j := 0; keep && j < k; j++ {
				offs = append(offs, int32(i))
			}
		}
	}
	return offs
}

// leadingNames returns the text that leads each of the first k numbered
// items of s ("1. Sony [3825] 2. PlayStation 3 users, who…" gives "Sony",
// "PlayStation 3 users"), or of s itself when it is not numbered: up to
// the first comma, full stop, semicolon, colon, bracket or parenthesis.
func leadingNames(s string, k int) []string {
	var out []string
	i := 0
	for len(out) < k && i < len(s) {
		// skip an item number "12. "
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r') {
			j++
		}
		n := j
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n > j && n+1 < len(s) && s[n] == '.' && s[n+1] == ' ' {
			j = n + 2
		}
		end := j
		for end < len(s) && !strings.ContainsRune(",.;:[(\n", rune(s[end])) {
			end++
		}
		if name := strings.TrimSpace(s[j:end]); name != "" {
			out = append(out, name)
		}
		// the next item: after " N. " following this point
		next := nextItem(s, end)
		if next < 0 {
			break
		}
		i = next
	}
	return out
}

// nextItem returns the offset of the next " N. " item number at or after
// i, or -1.
func nextItem(s string, i int) int {
	for ; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\n' {
			continue
		}
		n := i + 1
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n > i+1 && n+1 < len(s) && s[n] == '.' && s[n+1] == ' ' {
			return i
		}
	}
	return -1
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

// minFuzzy is the shortest pattern (in bytes, spaces aside) matched
// fuzzily: one or two letters are served better by word prefixes, and
// would match nearly every headline.
const minFuzzy = 3

// wordStarts returns the offsets where the words of a folded target start
// (a target is at most a few hundred bytes: see maxFoldedTitle).
func wordStarts(t string) []uint16 {
	var out []uint16
	for i := 0; i < len(t) && i <= math.MaxUint16; i++ {
		if t[i] != ' ' && (i == 0 || t[i-1] == ' ') {
			out = append(out, uint16(i))
		}
	}
	return out
}

// matchStarts reports whether pattern (folded words separated by single
// spaces) matches the folded target t as abbreviations of its words, in
// order: each pattern word must start where a target word starts and take
// the rest of its letters in order from that word, moving on only to the
// start of the next word ("twtr secur" → "twitter s security", "ps3" →
// "playstation 3"). This is stricter than a plain subsequence, which
// matches almost any headline with a short pattern. starts are t's word
// starts (wordStarts; those past the end of t are ignored); with at != nil
// it appends the offset of each matched pattern byte (spaces aside) to
// *at.
func matchStarts(t string, starts []uint16, pattern string, at *[]int) bool {
	si, pos := 0, 0
	for pattern != "" {
		w, rest, _ := strings.Cut(pattern, " ")
		pattern = rest
		if w == "" {
			continue
		}
		found := false
		for ; si < len(starts); si++ {
			s := int(starts[si])
			if s >= len(t) {
				break
			}
			if s < pos || t[s] != w[0] {
				continue
			}
			mark := 0
			if at != nil {
				mark = len(*at)
			}
			if end, ok := abbrevAt(t, s, w, at); ok {
				pos, found = end, true
				si++
				break
			}
			if at != nil {
				*at = (*at)[:mark]
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// abbrevAt matches w as an abbreviation starting at the word at s.
func abbrevAt(t string, s int, w string, at *[]int) (int, bool) {
	end := wordEnd(t, s)
	j := s + 1
	if at != nil {
		*at = append(*at, s)
	}
	for i := 1; i < len(w); i++ {
		k := strings.IndexByte(t[j:end], w[i])
		if k >= 0 {
			j += k + 1
			if at != nil {
				*at = append(*at, j-1)
			}
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
		if at != nil {
			*at = append(*at, ns)
		}
	}
	return j, true
}

func wordEnd(t string, s int) int {
	if i := strings.IndexByte(t[s:], ' '); i >= 0 {
		return s + i
	}
	return len(t)
}

// fuzzyHit is an accepted headline match.
type fuzzyHit struct {
	doc     int32
	score   int  // sahilm/fuzzy's score
	inTitle bool // the title alone matched
}

// fuzzyOffsets returns the byte offsets in the title of doc d of the
// letters the pattern abbreviates (the abbreviation's own alignment, which
// reads better than a subsequence's: "Twitter's Security" for "twtr
// secur", not "Twitter's Security").
func (ix *segment) fuzzyOffsets(d int, pattern string, offs []int) []int {
	hd, ok := ix.head(d)
	if !ok {
		return offs
	}
	h := &hd
	var at []int
	if !matchStarts(h.target[:h.titleLen], h.starts, pattern, &at) {
		return offs
	}
	// Fold the title again for its offsets: cheaper than keeping them for
	// every incident when only the listed matches need them.
	var b strings.Builder
	titleOff := foldTitle(&b, ix.titles.view(d), make([]int32, 0, h.titleLen))
	for _, i := range at {
		if i < len(titleOff) { // a damaged index may disagree with its titles
			offs = append(offs, int(titleOff[i]))
		}
	}
	return offs
}

// titleSource feeds sahilm/fuzzy the folded titles of documents.
type titleSource struct {
	ix   *segment
	docs []int32
}

func (s titleSource) String(i int) string {
	h, _ := s.ix.head(int(s.docs[i])) // read already by fuzzyHeadlines
	return h.target[:h.titleLen]
}
func (s titleSource) Len() int { return len(s.docs) }

// fuzzyCache remembers which headlines recent patterns accepted: a pattern
// extending a remembered one (the next keystroke) only needs to look at
// those.
type fuzzyCache struct {
	mu      sync.Mutex
	entries []fuzzyEntry // most recent last
}

type fuzzyEntry struct {
	pattern string
	docs    []int32
}

const fuzzyCacheSize = 16

func (c *fuzzyCache) candidates(pattern string) ([]int32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	best := -1
	for i, e := range c.entries {
		if strings.HasPrefix(pattern, e.pattern) && (best < 0 || len(e.pattern) > len(c.entries[best].pattern)) {
			best = i
		}
	}
	if best < 0 {
		return nil, false
	}
	return c.entries[best].docs, true
}

func (c *fuzzyCache) add(pattern string, docs []int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == fuzzyCacheSize {
		c.entries = append(c.entries[:0], c.entries[1:]...)
	}
	c.entries = append(c.entries, fuzzyEntry{pattern, docs})
}

// fuzzyHeadlines returns the headlines that accept pattern, scored and with
// matched positions by sahilm/fuzzy.
//
// Documents in skip (those the words already match as words) are not
// tried: an abbreviation is for what the words do not find. The cache
// keeps them as candidates, since a longer pattern may not match them as
// words.
func (ix *segment) fuzzyHeadlines(pattern string, skip bitset) []fuzzyHit {
	if len(pattern)-strings.Count(pattern, " ") < minFuzzy {
		return nil
	}
	need := charMask(pattern)
	var docs, kept []int32
	accept := func(d int32) {
		if skip != nil && skip.has(int(d)) {
			kept = append(kept, d)
			return
		}
		if c, ok := ix.chars(int(d)); !ok || c&need != need {
			return
		}
		h, ok := ix.head(int(d))
		if ok && matchStarts(h.target, h.starts, pattern, nil) {
			docs = append(docs, d)
			kept = append(kept, d)
		}
	}
	bound := ix.abbrevCandidates(pattern)
	switch cand, ok := ix.fuzzy.candidates(pattern); {
	case ok:
		for _, d := range cand {
			if bound == nil || bound.has(int(d)) {
				accept(d)
			}
		}
	case bound != nil:
		bound.each(func(d int) { accept(int32(d)) })
	default:
		for d := range ix.n {
			accept(int32(d))
		}
	}
	ix.fuzzy.add(pattern, kept)
	if len(docs) == 0 {
		return nil
	}
	// sahilm/fuzzy scores the title matches (a few microseconds each);
	// a match in system or organisations only keeps a middling score.
	out := make([]fuzzyHit, 0, len(docs))
	var titled []int32
	for _, d := range docs {
		h, _ := ix.head(int(d))
		if matchStarts(h.target[:h.titleLen], h.starts, pattern, nil) {
			titled = append(titled, d)
		} else {
			out = append(out, fuzzyHit{doc: d})
		}
	}
	for _, m := range fuzzy.FindFromNoSort(pattern, titleSource{ix, titled}) {
		out = append(out, fuzzyHit{doc: titled[m.Index], score: m.Score, inTitle: true})
	}
	return out
}

// Abbreviations are found through the lexicon rather than by trying
// every headline: for each word of a headline target and each later
// character of that word, and the first character of the next word, the
// lexicon holds the pair term pairMark + first character + that
// character, with the field bit fPair (no query word can hold pairMark).
// A pattern word can match only where its first two characters are such
// a pair (abbrevAt takes the second from the same word or the start of
// the next), so the postings of those pairs bound the headlines to try.
const pairMark = 0

// eachPair calls fn with each pair of a folded target.
func eachPair(t string, fn func(c0, c1 byte)) {
	for s := 0; s < len(t); s++ {
		if t[s] == ' ' || s > 0 && t[s-1] != ' ' {
			continue
		}
		end := wordEnd(t, s)
		for k := s + 1; k < end; k++ {
			fn(t[s], t[k])
		}
		ns := end
		for ns < len(t) && t[ns] == ' ' {
			ns++
		}
		if ns < len(t) {
			fn(t[s], t[ns])
		}
	}
}

// pairTerm is the lexicon term of a pair.
func pairTerm(c0, c1 byte) string { return string([]byte{pairMark, c0, c1}) }

// abbrevCandidates returns the documents whose headlines may match
// pattern as abbreviations, or nil when the pattern has no word of two
// characters to bound them by. abbrevAt takes each character w[j] of a
// pattern word from the headline word it has reached or the start of the
// next, and that word starts with an earlier w[a]: so the headline holds
// the pair (w[a], w[j]) for some a < j, for every j. The first few j
// bound the candidates tightly enough.
func (ix *segment) abbrevCandidates(pattern string) bitset {
	var set bitset
	pairs := map[[2]byte]bitset{}
	var docs []uint32
	var masks []uint16
	pair := func(c0, c1 byte) bitset {
		k := [2]byte{c0, c1}
		if b, ok := pairs[k]; ok {
			return b
		}
		b := newBitset(ix.n)
		if lo, hi := ix.lex.find(pairTerm(c0, c1), false); lo < hi {
			docs, masks = ix.lex.postings(lo, docs[:0], masks[:0])
			for _, d := range docs {
				b.set(int(d))
			}
		}
		pairs[k] = b
		return b
	}
	for _, w := range strings.Fields(pattern) {
		for j := 1; j < len(w) && j <= abbrevBound; j++ {
			either := newBitset(ix.n)
			for a := range j {
				either.or(pair(w[a], w[j]))
			}
			if set == nil {
				set = either
			} else {
				set.and(either)
			}
		}
	}
	return set
}

// abbrevBound is the last character of a pattern word that bounds the
// candidates (see abbrevCandidates).
const abbrevBound = 4
