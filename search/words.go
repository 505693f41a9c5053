package search

import (
	"github.com/faultline/faultline/incident"
)

// scanWords calls fn for every word of s, in order, with the word as
// incident.Words would give it and the byte span of s it came from. ASCII
// text, most of every incident, is folded here without allocating; a chunk
// holding other bytes goes through incident.Words, so the words are always
// those of the shared tokeniser (every word of such a chunk gets the span of
// the whole chunk). w is only valid during the call.
func scanWords(s string, buf []byte, fn func(w []byte, start, end int)) []byte {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < 0x80 && !isAlnum(c) {
			i++
			continue
		}
		start := i
		ascii := true
		buf = buf[:0]
		for i < len(s) {
			c = s[i]
			if c >= 0x80 {
				ascii = false
			} else if !isAlnum(c) {
				break
			}
			if ascii {
				buf = append(buf, c|lowerBit(c))
			}
			i++
		}
		if ascii {
			fn(buf, start, i)
			continue
		}
		for _, w := range incident.Words(s[start:i]) {
			fn(append(buf[:0], w...), start, i)
		}
	}
	return buf
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// lowerBit is the bit that lower-cases an ASCII letter, 0 for a digit.
func lowerBit(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return 0x20
	}
	return 0
}
