package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

func init() { register(newCheckCmd) }

type checkOptions struct {
	reindex bool
	compact bool
}

func newCheckCmd(a *app) *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check",
		Short: "verify a whole database file and say what is wrong with it",
		Long: `Verify the database: bbolt's own consistency check, every incident, triage,
sources, article and history value against its checksum and its form, the
lookup tables against the incidents, and the search index. Prints what is
wrong, or that nothing is; the exit status is 1 if anything is. Without
flags it only reads the file.

--reindex drops the search index and builds it anew from the incidents:
the index holds nothing that is not in them, so this loses nothing, and it
mends an index found damaged. --compact rewrites the file without the space
bbolt keeps from deleted records and replaced indexes (it never gives it
back); the copy replaces the file only once it is whole. Either is followed
by a second check.`,
		Example: `  faultline check
  faultline check --db ~/reviews/q3.db || echo damaged
  faultline check --reindex --compact`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return o.run(a) },
	}
	c.Flags().BoolVar(&o.reindex, "reindex", false, "rebuild the search index from the incidents")
	c.Flags().BoolVar(&o.compact, "compact", false, "rewrite the file compactly")
	return c
}

func (o checkOptions) run(a *app) error {
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	if !store.Exists(path) {
		return fmt.Errorf("%s does not exist", path)
	}
	ok, err := verify(a, path)
	if err != nil {
		return err
	}
	if !o.reindex && !o.compact {
		if !ok {
			return errReported
		}
		return nil
	}
	n := a.notices()
	if o.reindex {
		if err := rebuildStoredIndex(path, n); err != nil {
			return fmt.Errorf("reindex %s: %w", path, err)
		}
		fmt.Fprintf(a.stdout, "%s: search index rebuilt\n", sanitize.Line(path))
	}
	if o.compact {
		before, after, err := store.Compact(path, store.Options{Timeout: lockWait, Waiting: n.waiting(path)})
		if err != nil {
			return fmt.Errorf("compact %s: %w", path, describeOpenError(err))
		}
		fmt.Fprintf(a.stdout, "%s: compacted from %s to %s\n", sanitize.Line(path), byteSize(before), byteSize(after))
	}
	if ok, err = verify(a, path); err == nil && !ok {
		err = errReported
	}
	return err
}

// verify prints what is wrong with the database at path, or that nothing
// is, and reports whether nothing is. It only reads the file.
func verify(a *app, path string) (bool, error) {
	s, err := store.Open(path, store.Options{ReadOnly: true, NoCreate: true, Timeout: lockWait, Waiting: a.notices().waiting(path)})
	if errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("%s does not exist", path)
	}
	if err != nil {
		return false, describeOpenError(err)
	}
	defer s.Close()
	problems, err := s.Verify(func(man []byte, segment func(uint64, bool) ([]byte, func(int, int) bool, error)) error {
		_, err := search.Open(man, func(id uint64) ([]byte, func(int, int) bool, error) { return segment(id, false) }, nil, false)
		return err
	})
	if err != nil {
		return false, err
	}
	n, _ := s.Count()
	arts, _ := s.ArticleCount()
	if len(problems) == 0 {
		fmt.Fprintf(a.stdout, "%s: no damage found (%d incidents, %d articles)\n", sanitize.Line(path), n, arts)
		return true, nil
	}
	for _, p := range problems {
		fmt.Fprintf(a.stdout, "%s: %s\n", sanitize.Line(p.What), sanitize.Line(p.Reason))
	}
	fmt.Fprintf(a.stdout, "%s: %d %s found\n", sanitize.Line(path), len(problems), plural(len(problems), "problem", "problems"))
	return false, nil
}

// rebuildStoredIndex drops the stored index of the database at path and
// builds it anew from every incident.
func rebuildStoredIndex(path string, n notice) error {
	s, err := store.Open(path, store.Options{Timeout: lockWait, NoCreate: true, Waiting: n.waiting(path)})
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	if err := s.DropIndex(); err != nil {
		return err
	}
	return indexer.Refresh(s)
}

// byteSize formats a file size for people.
func byteSize(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
