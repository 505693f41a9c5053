package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/internal/ingest"
	"github.com/faultline/faultline/starter"
	"github.com/faultline/faultline/store"
)

var importCmd = command{
	name:    "import",
	summary: "import incidents from FAIL page text, FAIL CSV, dumpdata JSON or faultline JSONL/JSON",
	usage:   "[--db FILE] [--starter] [--max-size BYTES] [-v] PATH...",
	example: `faultline import ~/fail/pages/            # a directory, recursively
faultline import incidents.csv dump.json      # files of any known form
faultline export > all.jsonl && faultline import --db copy.db all.jsonl
faultline import --starter                    # add the built-in incidents`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		db := dbFlag(fs)
		withStarter := fs.Bool("starter", false, "also import the built-in starter incidents")
		maxSize := fs.Int64("max-size", importer.DefaultMaxFileSize, "refuse files larger than `bytes`")
		verbose := fs.Bool("v", false, "list every warning, not only their count")
		return func(e *env, args []string) error {
			if len(args) == 0 && !*withStarter {
				return usageError{"no files or directories to import"}
			}
			if *maxSize <= 0 {
				return usageError{"--max-size must be positive"}
			}
			path, err := e.dbPath(*db)
			if err != nil {
				return err
			}
			return e.runImport(path, args, *withStarter, *maxSize, *verbose)
		}
	},
}

// importHeap is the heap an import asks the Go runtime to keep to (unless
// GOMEMLIMIT says otherwise): what it holds at once is bounded (a batch of
// records, a segment of the index), and without a limit the collector
// lets the heap grow to twice that.
const importHeap = 160 << 20

func (e *env) runImport(dbPath string, paths []string, withStarter bool, maxSize int64, verbose bool) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importHeap)
	}
	s, err := openForWriting(dbPath)
	if err != nil {
		return describeOpenError(err)
	}
	defer s.Close()

	idx := indexer.Start(s)
	sink := &ingest.Sink{Store: s, Stored: idx.Add}
	if withStarter {
		incs, err := starter.Incidents()
		if err != nil {
			return fmt.Errorf("starter set: %w", err)
		}
		st, err := s.Put(starterInputs(incs))
		if err != nil {
			return err
		}
		sink.Stats.Add(st)
	}
	total := &sink.Stats
	if len(paths) == 0 {
		if err := refreshIndex(s); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", dbPath, formatPutStats(*total))
		return nil
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := newProgressBar(e.stderr)
	sum, err := importer.Run(ctx, paths, importer.Options{MaxFileSize: maxSize}, sink.Put, bar.update)
	bar.done()
	if err != nil {
		return fmt.Errorf("import into %s: %w", dbPath, err)
	}
	if err := idx.Finish(); err != nil {
		return fmt.Errorf("import into %s: %w", dbPath, err)
	}

	fmt.Fprintf(e.stdout, "%s: %d files read, %d records: %s\n", dbPath, sum.Files, sum.Imported, formatPutStats(*total))
	if n := len(sum.Warnings); n > 0 {
		if verbose {
			for _, w := range sum.Warnings {
				fmt.Fprintf(e.stderr, "warning: %v\n", w)
			}
		}
		fmt.Fprintf(e.stdout, "%d warnings (-v lists them)\n", n)
	}
	if sum.Skipped > 0 {
		fmt.Fprintf(e.stdout, "%d objects that are not incidents skipped\n", sum.Skipped)
	}
	if len(sum.Refused) > 0 {
		for _, r := range sum.Refused {
			fmt.Fprintf(e.stderr, "refused: %v\n", r)
		}
		fmt.Fprintf(e.stdout, "%d refused: files or records that could not be read (listed on stderr)\n", len(sum.Refused))
		return errReported
	}
	return nil
}

func formatPutStats(st store.PutStats) string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged", st.New, st.Updated, st.Unchanged)
}
