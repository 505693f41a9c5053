package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/indexer"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

// Shell completion (cobra's completion command and its hidden __complete)
// offers incident ids for show, and the query language for the commands
// that take a query. It reads the database only through the index stored
// in it, never creates it, and gives up on a busy file at once: a TAB must
// not wait, or change anything.

// completionExamples show how each shell loads the script.
var completionExamples = map[string]string{
	"bash":       `  source <(faultline completion bash)          # in ~/.bashrc`,
	"zsh":        `  faultline completion zsh > "${fpath[1]}/_faultline"`,
	"fish":       `  faultline completion fish > ~/.config/fish/completions/faultline.fish`,
	"powershell": `  faultline completion powershell | Out-String | Invoke-Expression`,
}

// addCompletionCmd adds cobra's completion command to root, worded as
// faultline's other commands are, with examples.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Short = "print the shell completion script for bash, zsh, fish or powershell"
		c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		var all, shells []string
		for _, sh := range c.Commands() {
			shells = append(shells, sh.Name())
			sh.Short = "print the completion script for " + sh.Name()
			sh.Example = completionExamples[sh.Name()]
			all = append(all, sh.Example)
		}
		c.Example = strings.Join(all, "\n")
		c.Args = func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("no completion for %q: want %s", args[0], orList(shells))}
			}
			return nil
		}
	}
}

// completionWait is how long a completion waits for an import to let go
// of the database before it offers nothing.
const completionWait = 200 * time.Millisecond

// completeIncidentID offers the ids of the stored incidents that start
// with what is typed, each with its title.
func (a *app) completeIncidentID(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	a.withCompletionIndex(func(ix *search.Index) {
		for _, h := range ix.Search(search.Query{}, search.Options{}).Hits {
			if strings.HasPrefix(h.ID, toComplete) {
				out = append(out, cobra.CompletionWithDesc(h.ID, completionText(h.Title)))
			}
		}
	})
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeQuery completes the query word being typed: a key of the query
// language (fix → fixes:), or the value after a key with a fixed set of
// values (domain:fin → domain:finance) or, for tag:, the tags in use. A
// leading - or ! (an exclusion) is kept.
func (a *app) completeQuery(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	neg, word := "", toComplete
	if word != "" && (word[0] == '-' || word[0] == '!') {
		neg, word = word[:1], word[1:]
	}
	key, value, hasValue := strings.Cut(word, ":")
	if !hasValue {
		var out []cobra.Completion
		for _, k := range search.Keys() {
			if strings.HasPrefix(k.Name, strings.ToLower(word)) {
				out = append(out, cobra.CompletionWithDesc(neg+k.Name+":", k.Desc))
			}
		}
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	if strings.HasPrefix(value, `"`) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	// Options of one category may be listed with commas: complete the last.
	done, last := "", value
	if i := strings.LastIndexByte(value, ','); i >= 0 {
		done, last = value[:i+1], value[i+1:]
	}
	key = strings.ToLower(key)
	prefix := neg + key + ":" + done
	var out []cobra.Completion
	for _, v := range a.queryValues(key) {
		// a value a terminal would act on, or that has a space, cannot be
		// typed as a word: it is not offered
		if strings.HasPrefix(v, strings.ToLower(last)) && sanitize.Line(v) == v && !strings.Contains(v, " ") {
			out = append(out, prefix+v)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// queryValues are the values key takes: its fixed set, or for tag: the
// tags the database holds, most used first.
func (a *app) queryValues(key string) []string {
	for _, k := range search.Keys() {
		if k.Name == key && len(k.Values) > 0 {
			return k.Values
		}
	}
	if key != search.FacetTag {
		return nil
	}
	var tags []string
	a.withCompletionIndex(func(ix *search.Index) {
		counts := ix.Search(search.Query{}, search.Options{Limit: 1}).Counts[search.FacetTag]
		tags = sortedByCount(counts)
	})
	return tags
}

// withCompletionIndex calls fn with the index stored in the database, its
// triage laid over it, if the database exists, holds a current index and
// can be read at once; otherwise it does nothing.
func (a *app) withCompletionIndex(fn func(ix *search.Index)) {
	path, err := a.dbPath()
	if err != nil || !store.Exists(path) {
		return
	}
	s, err := store.Open(path, store.Options{ReadOnly: true, NoCreate: true, Timeout: completionWait})
	if err != nil {
		return
	}
	defer s.Close()
	noTexts := func(string) (incident.Incident, bool) { return incident.Incident{}, false }
	s.ViewIndex(func(r *store.IndexReader) error {
		ix, err := indexer.Load(r, noTexts, false)
		if err != nil {
			return err
		}
		fn(ix)
		return nil
	})
}

// completionText makes a title fit for a completion menu: one line,
// neutralised, and short.
func completionText(s string) string {
	s = sanitize.Line(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}
