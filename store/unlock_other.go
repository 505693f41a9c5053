//go:build !unix

package store

import "os"

// unlock: elsewhere bbolt's lock is not tied to a mapping that outlives
// Close, so closing the file is enough.
func unlock(f *os.File) {}
