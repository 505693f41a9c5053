package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

func init() { register(newSearchCmd) }

type searchOptions struct {
	json    bool
	limit   int
	sort    string
	reverse bool
}

func newSearchCmd(a *app) *cobra.Command {
	var o searchOptions
	c := &cobra.Command{
		Use:   "search [flags] QUERY...",
		Short: "print the incidents matching a query, best first",
		Long: "Print the incidents matching a query, best first: id, date and title, or\n" +
			"with --json the total, the hits and the facet counts over all matches.\n\n" +
			queryRule + "\n\n" + search.Help + "\n\n" + search.RankingHelp,
		Example: `  faultline search twtr secur
  faultline search ransomware -atlanta --limit 5
  faultline search --sort date -- -phase:design year:2015..2020
  faultline search --json 'domain:finance year:2015..2020' | jq .total`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	f := c.Flags()
	f.BoolVar(&o.json, "json", false, "print JSON: total, hits and facet counts over all matches")
	f.IntVar(&o.limit, "limit", 20, "print at most `n` hits (0: all)")
	f.StringVar(&o.sort, "sort", "", "`order`: "+sortNames()+" (default relevance with words, else date)")
	f.BoolVar(&o.reverse, "reverse", false, "reverse the order")
	c.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(sortOrders(), cobra.ShellCompDirectiveNoFileComp))
	return c
}

func (o *searchOptions) run(a *app, args []string) error {
	if o.limit < 0 {
		return usageError{"--limit must be 0 or more"}
	}
	sorting, ok := search.ParseSort(o.sort)
	if o.sort != "" && !ok {
		return usageError{fmt.Sprintf("--sort %q: want %s", o.sort, sortNames())}
	}
	q, err := parseQuery(args)
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	opts := search.Options{Sort: sorting, Reverse: o.reverse, Limit: o.limit}
	return withIndex(path, a.notices(), func(ix *search.Index) error {
		res := ix.Search(q, opts)
		if o.json {
			return writeSearchJSON(a.stdout, res)
		}
		bw := bufio.NewWriter(a.stdout)
		for _, h := range res.Hits {
			fmt.Fprintf(bw, "%s  %-10s  %s\n", h.ID, sanitize.Line(h.Published), sanitize.Line(h.Title))
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if len(res.Hits) < res.Total {
			fmt.Fprintf(a.stderr, "%d of %d matches shown (--limit 0 shows all)\n", len(res.Hits), res.Total)
		}
		return nil
	})
}

// parseQuery reads the words of a command line as one query; a malformed
// query is a usage mistake.
func parseQuery(args []string) (search.Query, error) {
	q, err := search.Parse(strings.Join(args, " "))
	if err != nil {
		return q, usageError{strings.TrimPrefix(err.Error(), "search: ")}
	}
	return q, nil
}

// sortOrders names the orders search.ParseSort reads, from search itself:
// each order's String reads back as that order, and the first that does
// not ends the list.
func sortOrders() []string {
	var names []string
	for s := search.Sort(0); ; s++ {
		if back, ok := search.ParseSort(s.String()); !ok || back != s {
			return names
		}
		names = append(names, s.String())
	}
}

// sortNames is sortOrders for a sentence: "relevance, date or title".
func sortNames() string { return orList(sortOrders()) }

// writeSearchJSON prints a search's total, hits and counts over all
// matches.
func writeSearchJSON(w io.Writer, res search.Result) error {
	type jsonHit struct {
		ID        string  `json:"id"`
		Title     string  `json:"title"`
		Published string  `json:"published"`
		Score     float64 `json:"score"`
	}
	out := struct {
		Total  int                       `json:"total"`
		Hits   []jsonHit                 `json:"hits"`
		Facets map[string]map[string]int `json:"facets"`
		Years  map[string]int            `json:"years"`
	}{Total: res.Total, Hits: []jsonHit{}, Facets: taxonomyOnly(res.Counts), Years: res.YearCounts}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, jsonHit{h.ID, h.Title, h.Published, h.Score})
	}
	enc := json.NewEncoder(jsonOut{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// taxonomyOnly keeps the taxonomy categories of counts: "facets" in the
// JSON of search has always held those only, and scripts reading it
// should not meet the triage keys search counts beside them.
func taxonomyOnly(counts map[string]map[string]int) map[string]map[string]int {
	out := make(map[string]map[string]int, len(incident.Categories))
	for _, c := range incident.Categories {
		if m, ok := counts[c.Key]; ok {
			out[c.Key] = m
		}
	}
	return out
}
