//go:build unix

package store

import (
	"os"
	"syscall"
)

// unlock drops the flock bbolt took on f's open file description.
func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
