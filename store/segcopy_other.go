//go:build !linux

package store

// mapCopy is not available: the caller copies to the heap.
func mapCopy(string, uintptr, []byte) ([]byte, bool) { return nil, false }

// ReleaseCopies has no copies to let go of.
func ReleaseCopies() {}
