package search

import (
	"encoding/binary"
	"runtime"
	"unsafe"
)

// A loaded index reads its numeric arrays where they lie in the stored
// bytes instead of copying them: for a one-shot search, copying was most
// of the time Load took. This is the one place that does so; it relies on
// Load's contract that the bytes stay unchanged and readable while the
// index is used, and every value read is checked where it is used, as a
// copy would be. Strings that leave the index (in hits, summaries and
// counts) are copied, since they may outlive the bytes, unless the index
// owns the bytes for good (LoadOwned; see strList).

type fixed interface {
	~uint16 | ~int16 | ~uint32 | ~int32 | ~uint64 | ~float32 | titleWord
}

// inPlace reports whether b can be read as little-endian values of the
// given size where it lies: on a little-endian machine, when b is aligned
// for them or the machine reads unaligned values (amd64, arm64).
func inPlace(b []byte, size int) bool {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return false
	}
	return runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" ||
		uintptr(unsafe.Pointer(unsafe.SliceData(b)))%uintptr(size) == 0
}

// view returns the little-endian values of T that b holds.
func view[T fixed](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	k := len(b) / size
	if k == 0 {
		return []T{}
	}
	if inPlace(b, size) {
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), k)
	}
	out := make([]T, k)
	if _, err := binary.Decode(b, binary.LittleEndian, out); err != nil {
		return nil // cannot happen: b holds k values; Load refuses a short array
	}
	return out
}
