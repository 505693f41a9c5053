package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func init() { register(newManCmd) }

type manOptions struct {
	dir string
}

func newManCmd(a *app) *cobra.Command {
	var o manOptions
	c := &cobra.Command{
		Use:   "man [flags]",
		Short: "print the manual page, or write a page for every command",
		Long: `Print faultline(1), the manual page of faultline and its global flags, on
standard output; with --dir, write it and a page for every command
(faultline-search(1), ...) into a directory, replacing pages of the same
name. The pages are made from the same text as -h.`,
		Example: `  faultline man | man -l -
  faultline man --dir ~/.local/share/man/man1 && man faultline-search`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return o.run(a, c.Root()) },
	}
	c.Flags().StringVar(&o.dir, "dir", "", "write one page per command into `directory`")
	c.MarkFlagDirname("dir")
	return c
}

func (o *manOptions) run(a *app, root *cobra.Command) error {
	header := &doc.GenManHeader{Section: "1", Source: "faultline " + moduleVersion(), Manual: "faultline manual"}
	if t, ok := commitTime(); ok {
		header.Date = &t // the same page for the same build
	}
	forMan(root)
	root.Long += "\n\n" + commandsSection(root)
	if o.dir == "" {
		return doc.GenMan(root, header, a.stdout)
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	if err := doc.GenManTree(root, header, o.dir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}

// forMan readies the tree for cobra/doc, which reads each command's Long
// as Markdown: the plain text -h prints becomes Markdown that reads the
// same (see manText), and cobra's "auto generated" note is left out.
func forMan(c *cobra.Command) {
	c.DisableAutoGenTag = true
	c.Long = manText(c.Long)
	for _, sub := range c.Commands() {
		forMan(sub)
	}
}

// manText turns the plain text of a help into Markdown that renders as
// it reads: a paragraph with an indented line (a table such as the query
// language's) is kept as it is laid out, in a code block; the others are
// escaped so that nothing in them (is:<status>, a_b_c) is read as markup.
func manText(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		if strings.Contains(p, "\n ") || strings.HasPrefix(p, " ") {
			paras[i] = "```\n" + p + "\n```"
		} else {
			paras[i] = markdownEscaper.Replace(p)
		}
	}
	return strings.Join(paras, "\n\n")
}

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`,
)

// commandsSection lists root's commands for its page, as -h does.
func commandsSection(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString("# COMMANDS\n\n```\n")
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			fmt.Fprintf(&b, "%s\n    %s\n", c.UseLine(), c.Short)
		}
	}
	b.WriteString("```")
	return b.String()
}

// moduleVersion is faultline's module version, "(devel)" for a build
// from a work tree.
func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// commitTime is the time of the commit faultline was built from, when the
// build recorded it.
func commitTime() (time.Time, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return time.Time{}, false
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.time" {
			t, err := time.Parse(time.RFC3339, s.Value)
			return t, err == nil
		}
	}
	return time.Time{}, false
}
