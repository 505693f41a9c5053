// Package cli holds faultline's subcommands. Each has its own options, a
// flag set with help and an example, and a run function; Main routes to
// them. Exit status: 0 success, 1 failure (or a refused input), 2 usage.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// env is what a subcommand may touch of the outside world; tests give it
// buffers.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // argument synopsis after the name
	example string
	details string // more help after the flags, such as the query language
	flags   func(fs *flag.FlagSet) func(e *env, args []string) error
}

// usageError marks an error that should exit with status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// failedError exits 1 without printing again: the command has already said
// what went wrong (refused files, say).
var errReported = errors.New("reported")

var commands []command

func init() {
	commands = []command{exploreCmd, importCmd, searchCmd, showCmd, exportCmd, statsCmd}
}

// Main runs faultline with the given arguments (without the program name)
// and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return e.main(args)
}

func (e *env) main(args []string) int {
	name := "explore"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		e.topUsage(e.stdout)
		return exitOK
	}
	if name == "help" {
		if len(args) == 0 {
			e.topUsage(e.stdout)
			return exitOK
		}
		name, args = args[0], []string{"-h"}
	}
	for _, c := range commands {
		if c.name == name {
			return e.run(c, args)
		}
	}
	fmt.Fprintf(e.stderr, "faultline: unknown command %q\n\n", name)
	e.topUsage(e.stderr)
	return exitUsage
}

func (e *env) run(c command, args []string) int {
	fs := flag.NewFlagSet("faultline "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	runFn := c.flags(fs)
	fs.Usage = func() { e.commandUsage(fs, c) }
	flagArgs, pos, err := splitArgs(fs, args)
	if err != nil {
		fmt.Fprintf(e.stderr, "faultline %s: %v\n", c.name, err)
		return exitUsage
	}
	if err := fs.Parse(flagArgs); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			e.commandUsage(fs, c)
			return exitOK
		}
		return exitUsage
	}
	err = runFn(e, append(fs.Args(), pos...))
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "faultline %s: %s\n", c.name, ue.msg)
		fmt.Fprintf(e.stderr, "Run 'faultline %s -h' for help.\n", c.name)
		return exitUsage
	case errors.Is(err, errReported):
		return exitFail
	default:
		fmt.Fprintf(e.stderr, "faultline %s: %v\n", c.name, err)
		return exitFail
	}
}

// splitArgs separates flags from positional arguments anywhere on the line,
// so "search ransomware --json" works. An argument that looks like a flag
// but is not one of the command's ("-atlanta") is a positional query word;
// everything after "--" is positional.
func splitArgs(fs *flag.FlagSet, args []string) (flags, pos []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(pos, args[i+1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		if name == "h" || name == "help" {
			flags = append(flags, a)
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() || hasValue {
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, fmt.Errorf("flag %s needs a value", a)
		}
		i++
		flags = append(flags, args[i])
	}
	return flags, pos, nil
}

func (e *env) topUsage(w io.Writer) {
	fmt.Fprint(w, `faultline: an offline terminal explorer of software-failure postmortems.

Usage:
  faultline [--db PATH]              open the explorer
  faultline COMMAND [flags] [args]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
The database is --db PATH, else $FAULTLINE_DB, else
$XDG_DATA_HOME/faultline/faultline.db (~/.local/share/faultline/faultline.db).
A reading command on a database that does not exist yet creates it with the
built-in starter set of incidents.

Run 'faultline COMMAND -h' for a command's flags and an example.
`)
}

func (e *env) commandUsage(fs *flag.FlagSet, c command) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: faultline %s %s\n\n%s\n", c.name, c.usage, c.summary)
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(c.example, "  "))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.details, "\n"))
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
