package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// compactTxSize bounds what Compact copies in one transaction, and so the
// memory it takes.
const compactTxSize = 32 << 20

// Compact rewrites the database at path compactly: bbolt reuses the pages
// a file frees but never gives them back, so a file that held a larger
// index, or many deleted incidents, can be made smaller. The copy is made
// beside the file under the write lock (waiting at most opts.Timeout) and
// moved into place only once it is whole, so a crash leaves the old file;
// it returns the sizes before and after.
func Compact(path string, opts Options) (before, after int64, err error) {
	opts.ReadOnly, opts.NoCreate = false, true
	s, err := Open(path, opts)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	if fi, err := os.Stat(path); err == nil {
		before = fi.Size()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		return 0, 0, writeErr(path, "compact", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // after a successful rename, there is nothing there
	tmp.Close()
	dst, err := bolt.Open(name, fileMode, &bolt.Options{Timeout: opts.timeout()})
	if err != nil {
		return 0, 0, writeErr(path, "compact", err)
	}
	err = guard(path, func() error { return bolt.Compact(dst, s.db, compactTxSize) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	// The lock is held until the old file is replaced: no writer can slip
	// in between the copy and the rename.
	if err := os.Rename(name, path); err != nil {
		return 0, 0, writeErr(path, "compact", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	if fi, err := os.Stat(path); err == nil {
		after = fi.Size()
	}
	return before, after, nil
}
