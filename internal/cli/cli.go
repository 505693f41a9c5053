// Package cli holds faultline's command line: a cobra command tree whose
// root is the explorer and whose subcommands are each in their own file.
//
// A subcommand file registers a constructor in its init (see register);
// the constructor gets the shared context (*app: the outside world and the
// global flags) and returns a *cobra.Command whose RunE calls the
// command's run method on its own options struct. Exit status: 0 success,
// 1 failure (or a refused input), 2 usage; run methods return usageError
// for a usage mistake and errReported when they have already said what
// went wrong.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/sanitize"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// env is what a command may touch of the outside world; tests give it
// buffers and a fixed environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	login          func() string    // the login name of the user, "" if unknown
	clock          func() time.Time // nil: the system's
}

// now is the time of the env's clock: a report's date, in tests fixed.
func (e *env) now() time.Time {
	if e.clock != nil {
		return e.clock()
	}
	return time.Now()
}

// usageError marks an error that should exit with status 2 and point to
// the command's help.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// errReported exits 1 without printing again: the command has already said
// what went wrong (refused files, say).
var errReported = errors.New("reported")

// Main runs faultline with the given arguments (without the program name)
// and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, login: loginName}
	return e.main(args)
}

func (e *env) main(args []string) int {
	root := newRoot(&app{env: e})
	root.SetArgs(queryArgs(root, args))
	cmd, err := root.ExecuteC()
	return e.report(cmd, err)
}

// report prints err, once, prefixed with the path of the command that
// failed ("faultline search: ..."), and returns the exit status for it.
func (e *env) report(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errReported) {
		return exitFail
	}
	path := "faultline"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	// The layers wrap their errors with their own name ("search: ...",
	// "export: ..."), which for these commands is the command's name too.
	msg := err.Error()
	if cmd != nil && cmd.HasParent() {
		msg = strings.TrimPrefix(msg, cmd.Name()+": ")
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", path, sanitize.Line(msg))
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "Run '%s -h' for help.\n", path)
		return exitUsage
	}
	return exitFail
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

// orList writes items for a sentence: "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
