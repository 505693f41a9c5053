package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

func init() { register(newCheckCmd) }

func newCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "verify a whole database file and say what is wrong with it",
		Long: `Verify the database: bbolt's own consistency check, every incident, triage,
sources, article and history value against its checksum and its form, the
lookup tables against the incidents, and the search index. Prints what is
wrong, or that nothing is; the exit status is 1 if anything is. It only
reads the file.`,
		Example: `  faultline check
  faultline check --db ~/reviews/q3.db || echo damaged`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return check(a) },
	}
}

func check(a *app) error {
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	s, err := store.Open(path, store.Options{ReadOnly: true, NoCreate: true, Timeout: lockWait, Waiting: a.notices().waiting(path)})
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s does not exist", path)
	}
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()
	problems, err := s.Verify(func(data []byte) error {
		_, err := search.Load(data, nil)
		return err
	})
	if err != nil {
		return err
	}
	n, _ := s.Count()
	arts, _ := s.ArticleCount()
	if len(problems) == 0 {
		fmt.Fprintf(a.stdout, "%s: no damage found (%d incidents, %d articles)\n", sanitize.Line(path), n, arts)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintf(a.stdout, "%s: %s\n", sanitize.Line(p.What), sanitize.Line(p.Reason))
	}
	fmt.Fprintf(a.stdout, "%s: %d %s found\n", sanitize.Line(path), len(problems), plural(len(problems), "problem", "problems"))
	return errReported
}
