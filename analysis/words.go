package analysis

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faultline/faultline/incident"
)

// eachWord calls fn for every word of s as incident.Words gives it, with
// the word as written (an ASCII word; others as folded, letters and
// digits only) and whether it is written as a name: capitalised
// and not the first word of a sentence or item, or letters and digits
// ("S5", "LV0"). ASCII runs, nearly all of every incident, are folded
// here without allocating; a run holding other bytes goes through
// incident.Words. w is only valid during the call.
func eachWord(s string, buf []byte, fn func(w []byte, orig string, name bool)) []byte {
	start := true // at the start of a sentence
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 && !isAlnum(c) {
			switch c {
			case '.', '!', '?', ':', ';', '\n':
				start = true
			}
			i++
			continue
		}
		from, ascii := i, true
		upper, digit := c >= 'A' && c <= 'Z', false
		buf = buf[:0]
		for ; i < len(s); i++ {
			c := s[i]
			if c >= 0x80 {
				ascii = false
			} else if !isAlnum(c) {
				break
			}
			digit = digit || c >= '0' && c <= '9'
			if ascii {
				buf = append(buf, lower(c))
			}
		}
		if !ascii {
			r, _ := utf8.DecodeRuneInString(s[from:])
			upper = unicode.IsUpper(r)
		}
		// a bare number (a year, a count, an item number) names nothing
		name := !start && upper || digit && !isNumber(buf)
		start = false
		if ascii {
			fn(buf, s[from:i], name)
			continue
		}
		for _, w := range incident.Words(s[from:i]) {
			fn(append(buf[:0], w...), w, name) // folded: the run may hold any bytes
		}
	}
	return buf
}

// isNumber reports whether w is all digits.
func isNumber(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(w) > 0
}

func isAlnum(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// stem folds the inflections that make two reports of one failure word it
// differently ("Recalls"/"recall", "Consoles"/"console", "hacked"/"hacking"/
// "hack") onto one form. It is deliberately light, a few suffix rules in
// the spirit of Porter's first step; it never changes words of three
// letters or fewer, nor words that start with a digit. It rewrites w in
// place and returns it.
func stem(w []byte) []byte {
	if len(w) <= 3 || w[0] >= '0' && w[0] <= '9' {
		return w
	}
	switch {
	case hasSuffix(w, "ies") && len(w) > 4:
		w = append(w[:len(w)-3], 'y')
	case hasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case hasSuffix(w, "ss"), hasSuffix(w, "us"), hasSuffix(w, "is"):
	case hasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	for _, suf := range []string{"ing", "ed"} {
		if hasSuffix(w, suf) && len(w)-len(suf) >= 3 && hasVowel(w[:len(w)-len(suf)]) {
			w = w[:len(w)-len(suf)]
			// "stopped" → "stop", but "missed" stays "miss"
			if n := len(w); w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
				w = w[:n-1]
			}
			break
		}
	}
	if n := len(w); n > 4 && w[n-1] == 'e' {
		w = w[:n-1] // "update" and "updat(ed)" meet
	}
	return w
}

func hasSuffix(w []byte, suf string) bool {
	return len(w) >= len(suf) && string(w[len(w)-len(suf):]) == suf
}

func hasVowel(w []byte) bool {
	for _, c := range w {
		if strings.IndexByte("aeiouy", c) >= 0 {
			return true
		}
	}
	return false
}

// hashWord is the 64-bit FNV-1a hash of w: sets of words are sorted
// slices of hashes, which need no shared dictionary, so incidents are read
// in parallel and compare the same whatever else was read before.
func hashWord(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// hashSet is a set of word hashes: an open-addressing table, for it is
// asked about every word of every text.
type hashSet []uint64

// newHashSet returns the set of the hashes of the stems of words.
func newHashSet(words string) hashSet {
	ws := strings.Fields(words)
	size := 1
	for size < 4*len(ws) {
		size *= 2
	}
	s := make(hashSet, size)
	for _, w := range ws {
		h := hashWord(stem([]byte(w)))
		i := h & uint64(size-1)
		for s[i] != 0 && s[i] != h {
			i = (i + 1) & uint64(size-1)
		}
		s[i] = h
	}
	return s
}

// has reports whether h is in s. (No word hashes to 0 in practice; were
// one to, it would read as absent.)
func (s hashSet) has(h uint64) bool {
	mask := uint64(len(s) - 1)
	for i := h & mask; s[i] != 0; i = (i + 1) & mask {
		if s[i] == h {
			return true
		}
	}
	return false
}

// stopWords never count as shared: function words, and the words every
// FAIL postmortem uses about itself ("the software failure incident was
// caused by …").
var stopWords = newHashSet(`a about above after again against all also although am an and
	any are as at be because been before being below between both but by can cannot could
	did do does doing down during each either etc even ever every few for from further had
	has have having he her here hers him his how however i if in into is it its itself just
	may me might more most much must my no nor not now of off on once one only onto or other
	our ours out over own per same she should since so some such than that the their theirs
	them then there these they this those though through thus to too under until up upon us
	very via was we well were what when where whether which while who whom whose why will
	with within without would yet you your
	software failure failures incident incidents article articles report reported reports
	cause caused causes causing led lead leads leading due result resulted results resulting
	issue issues occur occurred occurs happen happened related involve involved involving
	regard regarding specific specifically mention mentioned base based indicate indicated
	include included including particular particularly following new potential potentially
	significant significantly several various`)

// genericNames are capitalised words that name no one in particular:
// months and days, which reports of different failures of one month share,
// words that postmortems capitalise as headings or in citations, and the
// parts of institutions' names that many institutions share.
var genericNames = newHashSet(`january february march april may june july august september
	october november december monday tuesday wednesday thursday friday saturday sunday
	software system security user users company inc ltd corp covid coronavirus
	department administration federal national state government agency bureau office
	authority university internet network service year`)

// isStop reports whether the stem w, whose hash is h, says nothing about
// which failure a text is about: a stop word, or a lone letter or digit.
func isStop(w []byte, h uint64) bool { return len(w) < 2 || stopWords.has(h) }

// wordSet collects the hashes of the distinctive stems of texts, and
// apart those of the words written as names with how each was first
// written.
type wordSet struct {
	stems []uint64
	names []nameWord
	buf   []byte
	skip  map[string]bool // words not to count (cited article ids)
}

type nameWord struct {
	h    uint64
	pos  int32  // order of first appearance
	form string // as first written
}

// maxText bounds the bytes of one text read for a comparison: a hostile
// field can be megabytes long, and a failure is named at the start.
const maxText = 4 << 10

// add reads the words of s; with names false it collects no names.
func (ws *wordSet) add(s string, names bool) {
	if len(s) > maxText {
		s = s[:maxText]
	}
	ws.buf = eachWord(s, ws.buf, func(w []byte, orig string, name bool) {
		if len(ws.skip) > 0 && isNumber(w) && ws.skip[string(w)] {
			return
		}
		w = stem(w)
		h := hashWord(w)
		if isStop(w, h) {
			return
		}
		ws.stems = append(ws.stems, h)
		if names && name && !genericNames.has(h) {
			// a copy: the profile outlives the text, which an import
			// would otherwise keep whole for the sake of one word
			ws.names = append(ws.names, nameWord{h, int32(len(ws.names)), strings.Clone(orig)})
		}
	})
}

// take returns the sorted distinct stems and names collected, and
// empties ws.
func (ws *wordSet) take() (stems []uint64, names []nameWord) {
	slices.Sort(ws.stems)
	stems = slices.Clone(slices.Compact(ws.stems))
	if len(ws.names) > 0 {
		// by hash, the first appearance of each
		slices.SortStableFunc(ws.names, func(a, b nameWord) int {
			switch {
			case a.h < b.h:
				return -1
			case a.h > b.h:
				return 1
			}
			return 0
		})
		names = slices.Clone(slices.CompactFunc(ws.names, func(a, b nameWord) bool { return a.h == b.h }))
	}
	ws.stems, ws.names = ws.stems[:0], ws.names[:0]
	return stems, names
}

// shared counts the members of two sorted sets that are in both.
func shared[T uint64 | uint32 | int64 | int32](a, b []T) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// jaccard is |a ∩ b| / |a ∪ b| of two sorted sets, 0 when either is empty.
// narrow returns the distinct stems of a text as 32-bit hashes, sorted: a
// text averages some 170 distinct stems, which took most of a grouping's
// memory as 64-bit hashes. Two stems of one incident's text may come to
// share a hash (a few in a million); its similarity to others then moves
// by a hundredth or less.
func narrow(stems []uint64) []uint32 {
	out := make([]uint32, len(stems))
	for i, h := range stems {
		out[i] = uint32(h ^ h>>32)
	}
	slices.Sort(out)
	return slices.Clip(slices.Compact(out))
}

func jaccard[T uint64 | uint32 | int32](a, b []T) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	k := shared(a, b)
	return float64(k) / float64(len(a)+len(b)-k)
}
