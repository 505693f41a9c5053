package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/faultline/faultline/incident"
)

// Sentinel errors; test for them with errors.Is.
var (
	// ErrLocked: another process holds the file for writing (or, for a
	// writer, for reading) longer than Options.Timeout.
	ErrLocked = errors.New("database is locked")
	// ErrNotDatabase: the file is not a faultline database, or is damaged.
	ErrNotDatabase = errors.New("not a faultline database")
	// ErrNewerSchema: the file was written by a newer faultline.
	ErrNewerSchema = errors.New("database schema is newer than this faultline")
	// ErrNotFound: no incident has the id or id prefix.
	ErrNotFound = errors.New("incident not found")
	// ErrAmbiguous: more than one incident id starts with the prefix.
	ErrAmbiguous = errors.New("ambiguous incident id prefix")
	// ErrReadOnly: a write to a Store opened read-only, or a writable Open
	// of a file or directory that cannot be written.
	ErrReadOnly = errors.New("database is read-only")
)

// DefaultTimeout is how long Open waits for the file lock when
// Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// fileMode is the mode of a new database file; its directory gets dirMode.
const (
	fileMode = 0o600
	dirMode  = 0o700
)

// Options tune Open.
type Options struct {
	// ReadOnly opens with a shared lock that any number of readers may
	// hold at once; writes then fail with ErrReadOnly.
	ReadOnly bool
	// Timeout bounds the wait for the file lock: zero means DefaultTimeout,
	// a negative value means a single attempt.
	Timeout time.Duration
	// NoCreate makes a missing file an error (wrapping fs.ErrNotExist)
	// instead of creating it. A read-only Open never creates.
	NoCreate bool
	// Waiting, when not nil, is called once when Open has to wait for
	// another process's lock for more than a moment, so that a command can
	// say what it waits for.
	Waiting func()
	// Provenance, when not nil, tells a migration from a schema that kept
	// no provenance where the incident of an id came from (the built-in
	// starter set, say); nil for unknown.
	Provenance func(id string) []incident.Source
}

func (o Options) timeout() time.Duration {
	switch {
	case o.Timeout == 0:
		return DefaultTimeout
	case o.Timeout < 0:
		return time.Nanosecond // bbolt treats 0 as "wait forever"
	}
	return o.Timeout
}

// Store is an open faultline database. Its methods may be called from
// several goroutines, but not concurrently with Close.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
}

// Exists reports whether a file (of whatever content) exists at path.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Open opens the faultline database at path, creating it (mode 0600, its
// directory 0700) when it is missing unless opts.ReadOnly or opts.NoCreate.
// A file that is not a faultline database is refused with ErrNotDatabase
// and left untouched; an older schema is migrated, a newer one refused
// with ErrNewerSchema.
func Open(path string, opts Options) (*Store, error) {
	l := newLocker(opts)
	if err := prepareFile(path, opts, l); err != nil {
		return nil, err
	}
	// Recognise the file under a shared lock before anything may write.
	ro, err := l.open(path, true)
	if err != nil {
		return nil, err
	}
	version, err := recognise(ro, path)
	if err != nil {
		ro.Close()
		return nil, err
	}
	if version == latestVersion() && opts.ReadOnly {
		return &Store{db: ro, path: path, readOnly: true}, nil
	}
	ro.Close()
	rw, err := l.open(path, false)
	if err != nil {
		if opts.ReadOnly {
			return nil, fmt.Errorf("store: open %s: schema %d must be migrated to %d first: %w",
				path, version, latestVersion(), err)
		}
		return nil, err
	}
	if version != latestVersion() {
		if err := migrateFile(rw, path, opts); err != nil {
			rw.Close()
			return nil, err
		}
	}
	if !opts.ReadOnly {
		return &Store{db: rw, path: path}, nil
	}
	if err := rw.Close(); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if ro, err = l.open(path, true); err != nil {
		return nil, err
	}
	return &Store{db: ro, path: path, readOnly: true}, nil
}

// locker takes the file locks of one Open under one deadline, so that a
// writer, which locks twice (to recognise, then to write), still waits at
// most Timeout.
type locker struct {
	timeout  time.Duration
	deadline time.Time
	notify   func()
}

func newLocker(opts Options) *locker {
	l := &locker{timeout: opts.timeout()}
	l.deadline = time.Now().Add(l.timeout)
	if opts.Waiting != nil {
		var once sync.Once
		l.notify = func() { once.Do(opts.Waiting) }
	}
	return l
}

// wait is what is left of the deadline.
func (l *locker) wait() time.Duration { return max(time.Until(l.deadline), time.Nanosecond) }

func (l *locker) open(path string, readOnly bool) (*bolt.DB, error) {
	return openBolt(path, readOnly, l.wait(), l.timeout, l.notify)
}

// prepareFile makes the file when it is missing and may be made, and refuses
// what is not a regular file, or a damaged file to be written.
func prepareFile(path string, opts Options, l *locker) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.ReadOnly || opts.NoCreate {
			return fmt.Errorf("store: open %s: %w", path, fs.ErrNotExist)
		}
		if err := create(path, l.wait()); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("store: open %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return notDatabase(path, "not a regular file")
	}
	damaged, err := checkHeader(path)
	if err != nil {
		return err
	}
	if damaged != "" && !opts.ReadOnly {
		return fmt.Errorf("store: open %s: %w: %s; it can be read but nothing is written to it (faultline check says more)",
			path, ErrDamaged, damaged)
	}
	return nil
}

// migrateFile brings the schema of the file rw holds up to date, in one
// transaction.
func migrateFile(rw *bolt.DB, path string, opts Options) error {
	return guard(path, func() error {
		return rw.Update(func(tx *bolt.Tx) error {
			v, err := schemaOf(tx, path)
			if err != nil {
				return err
			}
			if err := migrate(tx, v, opts); err != nil {
				return fmt.Errorf("store: open %s: %w", path, err)
			}
			return nil
		})
	})
}

// create makes a new database at path atomically: it is built in a
// temporary file beside path and linked into place, so no process ever sees
// a half-initialised file, and an empty file at path is never ours.
func create(path string, timeout time.Duration) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return writeErr(path, "create directory", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return writeErr(path, "create", err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	if err := tmp.Close(); err != nil {
		return writeErr(path, "create", err)
	}
	db, err := bolt.Open(name, fileMode, &bolt.Options{Timeout: timeout})
	if err != nil {
		return writeErr(path, "create", err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return migrate(tx, 0, Options{}) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return writeErr(path, "create", err)
	}
	switch err := os.Link(name, path); {
	case err == nil, errors.Is(err, fs.ErrExist):
		// a concurrent Open may have won the race; its file is as good
	default:
		// file systems without hard links: rename, which may replace a
		// file created in the same instant by another faultline
		if err := os.Rename(name, path); err != nil {
			return writeErr(path, "create", err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the new directory entry durable; best effort
		d.Close()
	}
	return nil
}

// waitNotice is how long Open waits for a lock before it tells
// Options.Waiting that it waits.
const waitNotice = 300 * time.Millisecond

// openBolt opens path with bbolt, waiting at most wait for the lock, and
// translates its errors; timeout is the caller's whole wait, for messages.
// waiting, when not nil, is called once if the lock is not free at once.
// A file that Compact replaced while this process waited for its lock is
// let go and the new one opened: writing to the old would lose it all.
func openBolt(path string, readOnly bool, wait, timeout time.Duration, waiting func()) (*bolt.DB, error) {
	for range 3 {
		db, file, err := openBoltOnce(path, readOnly, wait, timeout, waiting)
		if err != nil {
			return nil, err
		}
		now, err1 := os.Stat(path)
		held, err2 := file.Stat()
		if err1 != nil || err2 != nil || os.SameFile(now, held) {
			return db, nil
		}
		db.Close()
	}
	return nil, fmt.Errorf("store: open %s: %w: the file keeps being replaced", path, ErrLocked)
}

// openBoltOnce opens path with bbolt once, saying when it has to wait.
func openBoltOnce(path string, readOnly bool, wait, timeout time.Duration, waiting func()) (*bolt.DB, *os.File, error) {
	first := wait
	if waiting != nil && wait > waitNotice {
		first = waitNotice
	}
	db, file, err := tryBolt(path, readOnly, first)
	if errors.Is(err, berrors.ErrTimeout) && first < wait {
		waiting()
		db, file, err = tryBolt(path, readOnly, wait-first)
	}
	switch {
	case err == nil:
		return db, file, nil
	case errors.Is(err, ErrNotDatabase):
		return nil, nil, err
	case errors.Is(err, berrors.ErrTimeout):
		return nil, nil, fmt.Errorf("store: open %s: %w: another faultline process holds it (waited %s)",
			path, ErrLocked, timeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return nil, nil, notDatabase(path, err.Error())
	case !readOnly:
		return nil, nil, writeErr(path, "open for writing", err)
	}
	return nil, nil, fmt.Errorf("store: open %s: %w", path, err)
}

// tryBolt opens path with bbolt, waiting at most wait for the lock.
func tryBolt(path string, readOnly bool, wait time.Duration) (*bolt.DB, *os.File, error) {
	var (
		db   *bolt.DB
		file *os.File
	)
	open := func(name string, flag int, perm os.FileMode) (f *os.File, err error) {
		file, err = os.OpenFile(name, flag, perm)
		return file, err
	}
	err := guard(path, func() (err error) {
		db, err = bolt.Open(path, fileMode, &bolt.Options{ReadOnly: readOnly, Timeout: wait, OpenFile: open})
		return err
	})
	if db == nil && file != nil {
		// bbolt releases its file on the errors it returns, not when it
		// panics on a damaged page. Its mapping, which we cannot reach,
		// keeps the open file (and so the lock) alive past Close: unlock
		// first.
		unlock(file)
		file.Close()
	}
	return db, file, err
}

// writeErr wraps err, adding ErrReadOnly when the file or directory cannot
// be written, so that callers can fall back to a read-only Open.
func writeErr(path, what string, err error) error {
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("store: %s %s: %w: %w", what, path, ErrReadOnly, err)
	}
	return fmt.Errorf("store: %s %s: %w", what, path, err)
}

func notDatabase(path, reason string) error {
	return fmt.Errorf("store: open %s: %w: %s", path, ErrNotDatabase, reason)
}

// guard turns a panic or a memory fault inside bbolt, which a damaged file
// can cause, into an error.
func guard(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: %s: %w: damaged file (%v)", path, ErrNotDatabase, r)
		}
	}()
	return fn()
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	return guard(s.path, func() error { return s.db.View(fn) })
}

// update runs fn in one write transaction. fn's errors carry their own
// context; a failed commit (a full disk, an I/O error) is named here.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("store: %s: %w", s.path, ErrReadOnly)
	}
	return guard(s.path, func() error {
		tx, err := s.db.Begin(true)
		if err != nil {
			return fmt.Errorf("store: begin write to %s: %w", s.path, err)
		}
		defer tx.Rollback() // after a commit: a harmless ErrTxClosed
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: commit to %s: %w", s.path, err)
		}
		releaseMapped(s.path) // an import commits a batch at a time: see there
		return nil
	})
}

// Path returns the file the Store was opened on.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the Store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close releases the file and its lock. Closing twice is harmless.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	if err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}
