package cli

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// takesQuery is the annotation of a command whose arguments are a query,
// so that its words may begin with a dash (see queryArgs).
const takesQuery = "faultline/query"

// queryAnnotation marks a command as taking a query.
func queryAnnotation() map[string]string { return map[string]string{takesQuery: "yes"} }

// queryRule states, for help and the README, how queryArgs reads a line.
const queryRule = `Words of the query may begin with a dash. A flag is spelled --name, or -x
alone for a one-letter flag (-h, -o FILE); any other word that begins with
a single dash is a query term, such as -atlanta or -phase:design. An
unknown --name is an error. Everything after -- is query.`

// queryArgs rewrites the command line of a command that takes a query so
// that cobra reads it by queryRule: the words of the query move, in their
// order, behind a "--", and the flags stay in front. Other command lines
// are returned as they are. A completion request (cobra's __complete)
// keeps the word being completed last.
func queryArgs(root *cobra.Command, args []string) []string {
	var head []string
	rest := args
	completing := len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
	if completing {
		head, rest = args[:1], args[1:]
	}
	c, _, err := root.Find(rest)
	if err != nil || c.Annotations[takesQuery] == "" || len(rest) == 0 {
		return args
	}
	c.InitDefaultHelpFlag()
	last := len(rest)
	if completing {
		last--
	}
	isWord := classify(c, rest[:last])
	if completing {
		toComplete := rest[last]
		prevNeedsValue := last > 0 && !isWord[last-1] && needsValue(c, rest[last-1])
		if prevNeedsValue || strings.HasPrefix(toComplete, "--") || toComplete == "-" || isFlagWord(c, toComplete) {
			// A flag or its value is being completed: keep the line as
			// it is, less the dashed words cobra would read as flags.
			out := append([]string{}, head...)
			for i, a := range rest[:last] {
				if !isWord[i] || !strings.HasPrefix(a, "-") {
					out = append(out, a)
				}
			}
			return append(out, toComplete)
		}
		isWord = append(isWord, true)
	}
	flags := append([]string{}, head...)
	var words []string
	for i, a := range rest {
		if isWord[i] {
			words = append(words, a)
		} else if a != "--" {
			flags = append(flags, a)
		}
	}
	if len(words) == 0 {
		return flags
	}
	return append(append(flags, "--"), words...)
}

// classify tells, for each argument of c's command line, whether it is a
// word of the query (true) or a flag, a flag's value, the command's name
// or the "--" that ends the flags (false).
func classify(c *cobra.Command, args []string) []bool {
	isWord := make([]bool, len(args))
	named := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(args); j++ {
				isWord[j] = true
			}
			return isWord
		case isFlagWord(c, a):
			if needsValue(c, a) {
				i++ // its value, whatever it looks like
			}
		case !named:
			// Before the command's name, words are left to cobra: the
			// first that is not a flag is the name.
			named = !strings.HasPrefix(a, "-")
		default:
			isWord[i] = true
		}
	}
	return isWord
}

// isFlagWord reports whether a is spelled as a flag: --name (known or
// not: cobra refuses the unknown), or -x or -x=value for a one-letter
// flag c has.
func isFlagWord(c *cobra.Command, a string) bool {
	if strings.HasPrefix(a, "--") {
		return len(a) > 2
	}
	if len(a) < 2 || a[0] != '-' || len(a) > 2 && a[2] != '=' {
		return false
	}
	return lookupShorthand(c, a[1:2]) != nil
}

// needsValue reports whether flag word a takes the next argument as its
// value: it names a flag that is not boolean and has no "=value".
func needsValue(c *cobra.Command, a string) bool {
	if strings.Contains(a, "=") {
		return false
	}
	var f *pflag.Flag
	if name, ok := strings.CutPrefix(a, "--"); ok {
		f = lookupFlag(c, name)
	} else if len(a) == 2 && a[0] == '-' {
		f = lookupShorthand(c, a[1:])
	}
	return f != nil && f.NoOptDefVal == ""
}

// lookupFlag finds a flag of c by name, its own or inherited.
func lookupFlag(c *cobra.Command, name string) *pflag.Flag {
	if f := c.LocalFlags().Lookup(name); f != nil {
		return f
	}
	return c.InheritedFlags().Lookup(name)
}

// lookupShorthand finds a flag of c by its one-letter name.
func lookupShorthand(c *cobra.Command, s string) *pflag.Flag {
	if f := c.LocalFlags().ShorthandLookup(s); f != nil {
		return f
	}
	return c.InheritedFlags().ShorthandLookup(s)
}
