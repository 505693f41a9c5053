package search

import "math/bits"

// bitset is a set of document numbers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) unset(i int)    { b[i>>6] &^= 1 << (uint(i) & 63) }

// fill sets the first n bits.
func (b bitset) fill(n int) {
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		b[len(b)-1] = 1<<uint(r) - 1
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) andNot(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) count() int {
	c := 0
	for _, w := range b {
		c += bits.OnesCount64(w)
	}
	return c
}

// andCount counts the members of b that are in o too.
func (b bitset) andCount(o bitset) int {
	c := 0
	for i, w := range b {
		c += bits.OnesCount64(w & o[i])
	}
	return c
}

// each calls fn for every member, in ascending order.
func (b bitset) each(fn func(i int)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(wi<<6 + t)
			w &= w - 1
		}
	}
}

// eachAnd calls fn for every member of b that is in o too, in ascending
// order.
func (b bitset) eachAnd(o bitset, fn func(i int)) {
	for wi, w := range b {
		w &= o[wi]
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(wi<<6 + t)
			w &= w - 1
		}
	}
}
