package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/sanitize"
)

// app is the context every command shares: the outside world and the
// global flags, which cobra has set by the time a command runs.
type app struct {
	*env
	dbFlag       string
	reviewerFlag string
	noColorFlag  bool
}

// subcommands are the constructors of faultline's subcommands, one
// registered by the init of each command's file.
var subcommands []func(*app) *cobra.Command

// register adds a subcommand to every command tree newRoot builds.
func register(newCmd func(*app) *cobra.Command) {
	subcommands = append(subcommands, newCmd)
}

func init() {
	// The explorer is the default command: started from Windows' file
	// explorer, it runs in the console window that opens, so cobra's
	// "this is a command line tool" notice would only be in the way.
	cobra.MousetrapHelpText = ""
}

const rootLong = `With no command faultline opens the explorer; the commands serve scripts.

The database is --db FILE, else $FAULTLINE_DB, else
$XDG_DATA_HOME/faultline/faultline.db (~/.local/share/faultline/faultline.db).
A reading command on a database that does not exist yet creates it with the
built-in starter set of incidents.

Global flags go before or after the command. Exit status: 0 success,
1 failure (or a file refused by import), 2 a usage mistake.`

// newRoot builds the command tree, wired to a: a new tree for every run,
// so that nothing of one run's flags outlives it.
func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "faultline",
		Short: "an offline terminal explorer of software-failure postmortems",
		Long:  rootLong,
		Example: `  faultline                                  # the explorer
  faultline --db team.db search --limit 5 ransomware
  faultline stats domain:finance --json
  faultline help search                      # the query language`,
		Args:          rootArgs,
		Version:       version(),
		SilenceErrors: true, // report prints them, once
		SilenceUsage:  true,
		RunE:          func(*cobra.Command, []string) error { return a.explore() },

		SuggestionsMinimumDistance: 2,
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.SetVersionTemplate("faultline {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbFlag, "db", "", "database `file` (default $FAULTLINE_DB, else the XDG data directory)")
	pf.StringVar(&a.reviewerFlag, "reviewer", "", "reviewer `name` for triage (default $FAULTLINE_REVIEWER, else the login name)")
	pf.BoolVar(&a.noColorFlag, "no-color", false, "draw without colour, as NO_COLOR=1 does")
	root.SetHelpTemplate(helpTemplate)
	for _, newCmd := range subcommands {
		root.AddCommand(newCmd(a))
	}
	root.SetHelpCommand(newHelpCmd())
	addCompletionCmd(root)
	argsAreUsage(root)
	return root
}

// helpTemplate puts what a command is and how it is used first, and the
// longer explanation (the query language, for one) after the flags.
const helpTemplate = `{{with .Short}}{{. | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}{{with .Long}}
{{. | trimTrailingWhitespaces}}
{{end}}`

// newHelpCmd is "faultline help COMMAND": cobra's, but a command it does
// not know is a usage mistake rather than a success.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "help [command]",
		Short:   "print the help of a command",
		Example: "  faultline help search          # the query language, too",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			if len(args) == 0 {
				for _, sub := range c.Root().Commands() {
					if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
						out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
					}
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageError{fmt.Sprintf("no help for %q: there is no such command", strings.Join(args, " "))}
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// argsAreUsage makes every argument check of the tree, cobra's own
// included, report a usage mistake (exit status 2).
func argsAreUsage(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			var ue usageError
			if err != nil && !errors.As(err, &ue) {
				return usageError{err.Error()}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		argsAreUsage(sub)
	}
}

// rootArgs refuses words after faultline that name no command.
func rootArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return usageError{msg}
}

// noArgs is the Args of a command that takes none.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q: %s takes none", args[0], c.Name())}
	}
	return nil
}

// reviewer is the name triage is recorded under: --reviewer, else
// $FAULTLINE_REVIEWER, else the login name ($USER, $USERNAME, the user
// database). It is kept on one line and
// free of control characters, as it is shown and stored beside triage.
func (a *app) reviewer() string {
	// $USER and $USERNAME name the login on Unix and Windows; the user
	// database comes last, as asking it may go through the C library's
	// name services (a socket to nscd).
	for _, name := range []func() string{
		func() string { return a.reviewerFlag },
		func() string { return a.getenv("FAULTLINE_REVIEWER") },
		func() string { return a.getenv("USER") },
		func() string { return a.getenv("USERNAME") },
		func() string {
			if a.login == nil {
				return ""
			}
			return a.login()
		},
	} {
		if n := strings.TrimSpace(sanitize.Line(name())); n != "" {
			return n
		}
	}
	return ""
}

// noColor reports whether output should be drawn without colour: the
// --no-color flag or, as everywhere, a non-empty $NO_COLOR.
func (a *app) noColor() bool {
	return a.noColorFlag || a.getenv("NO_COLOR") != ""
}

// dbPath resolves the database path: --db, else $FAULTLINE_DB, else
// faultline/faultline.db under $XDG_DATA_HOME or ~/.local/share.
func (a *app) dbPath() (string, error) {
	if a.dbFlag != "" {
		return a.dbFlag, nil
	}
	if p := a.getenv("FAULTLINE_DB"); p != "" {
		return p, nil
	}
	dir := a.getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := a.getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no database path: set --db or $FAULTLINE_DB (%v)", err)
			}
			home = h
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "faultline", "faultline.db"), nil
}
