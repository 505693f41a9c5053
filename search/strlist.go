package search

import (
	"strings"
	"unsafe"
)

// strList is a list of strings. A built index holds them as strings; a
// loaded one holds the stored end offsets and bytes, and copies a string
// out only when it is asked for: a one-shot search reads a few titles of
// ten thousand, and copying them all was a good part of its time.
type strList struct {
	s     []string
	end   []uint32 // loaded: string i is data[end[i-1]:end[i]], the first from 0
	data  []byte
	owned bool // data is the index's for good: strings may share it (LoadOwned)
}

func makeStrList(s []string) strList { return strList{s: s} }

func (l strList) len() int {
	if l.s != nil {
		return len(l.s)
	}
	return len(l.end)
}

// raw returns string i's stored bytes, in place.
func (l strList) raw(i int) []byte {
	a := uint32(0)
	if i > 0 {
		a = l.end[i-1]
	}
	return l.data[a:l.end[i]]
}

// at returns string i; the caller may keep it.
func (l strList) at(i int) string {
	if l.s != nil {
		return l.s[i]
	}
	if l.owned {
		return l.view(i)
	}
	return string(l.raw(i))
}

// copySize is how many bytes copyAt appends for string i.
func (l strList) copySize(i int) int {
	if l.s != nil || l.owned {
		return 0
	}
	return len(l.raw(i))
}

// copyAt is at, with the copy, if one is needed, appended to *buf, whose
// capacity must hold it (see copySize): the strings of many hits are one
// allocation, and share it.
func (l strList) copyAt(buf *[]byte, i int) string {
	if l.s != nil || l.owned {
		return l.at(i)
	}
	b := l.raw(i)
	if len(b) == 0 {
		return ""
	}
	start := len(*buf)
	*buf = append(*buf, b...)
	return unsafe.String(&(*buf)[start], len(b))
}

// compare is strings.Compare(l.at(i), s) without the copy.
func (l strList) compare(i int, s string) int { return strings.Compare(l.view(i), s) }

// view returns string i in place, for use inside the index only: it is
// valid only as long as the stored bytes, so it must never reach a caller.
func (l strList) view(i int) string {
	if l.s != nil {
		return l.s[i]
	}
	b := l.raw(i)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// check verifies that the offsets run forwards and end with the bytes.
func (l strList) check() bool {
	if l.s != nil {
		return true
	}
	prev := uint32(0)
	for _, e := range l.end {
		if e < prev {
			return false
		}
		prev = e
	}
	return int(prev) == len(l.data)
}
