package cli

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

var exportCmd = command{
	name:    "export",
	summary: "write incidents (all, or those matching a query) as JSONL, JSON or Markdown",
	usage:   "[--db FILE] [--format jsonl|json|md] [-o FILE] [QUERY...]",
	example: `faultline export > backup.jsonl               # every record, triage included
faultline export --format md 'domain:finance' -o finance.md
faultline export --format json 'is:starred' | jq length`,
	details: "JSONL is faultline's own form: importing it restores every record and its\ntriage exactly, so export | import | export gives the same bytes.",
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		db := dbFlag(fs)
		format := fs.String("format", "jsonl", "output `form`: jsonl, json or md")
		out := fs.String("o", "", "write to `file` instead of standard output")
		return func(e *env, args []string) error {
			write, ok := exportWriters[*format]
			if !ok {
				return usageError{fmt.Sprintf("--format %q: want jsonl, json or md", *format)}
			}
			path, err := e.dbPath(*db)
			if err != nil {
				return err
			}
			q := strings.Join(args, " ")
			if strings.TrimSpace(q) == "" {
				incs, err := loadAll(path)
				if err != nil {
					return err
				}
				return writeTo(e.stdout, *out, func(w io.Writer) error { return write(w, incs) })
			}
			parsed, err := search.Parse(q)
			if err != nil {
				return usageError{err.Error()}
			}
			var incs []incident.Incident
			err = withIndex(path, func(ix *search.Index) error {
				for _, h := range ix.Search(parsed, search.Options{}).Hits {
					if in, ok := ix.Get(h.ID); ok {
						incs = append(incs, in)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return writeTo(e.stdout, *out, func(w io.Writer) error { return write(w, incs) })
		}
	},
}

var exportWriters = map[string]func(io.Writer, []incident.Incident) error{
	"jsonl": export.WriteJSONL,
	"json":  export.WriteJSON,
	"md":    export.WriteMarkdown,
}

// writeTo runs write on a buffered stdout, or on a new file that replaces
// name only once it is complete.
func writeTo(stdout io.Writer, name string, write func(io.Writer) error) error {
	if name == "" || name == "-" {
		bw := bufio.NewWriter(stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(dirOf(name), ".faultline-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("export to %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("export to %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export to %s: %w", name, err)
	}
	return os.Rename(tmp.Name(), name)
}

func dirOf(name string) string {
	if i := strings.LastIndexByte(name, os.PathSeparator); i >= 0 {
		return name[:i+1]
	}
	return "."
}
