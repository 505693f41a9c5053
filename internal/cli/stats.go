package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/ui"
)

func init() { register(newStatsCmd) }

type statsOptions struct {
	json bool
	by   string
}

func newStatsCmd(a *app) *cobra.Command {
	var o statsOptions
	c := &cobra.Command{
		Use:   "stats [flags] [QUERY...]",
		Short: "count incidents, all or those matching a query, by taxonomy, triage and year",
		Long: `Count the incidents, all or those matching a query, by taxonomy option, by
triage (status, starred, tags) and by year: what the explorer's stats
screen (v) shows for the same query. A triage group the query itself
filters on is left out, as on the screen.

With --json the counts are keyed as the query language names them, so
each key and option is the term that selects it: taxonomy.domain.finance
counts domain:finance, triage.is.starred counts is:starred, triage.tag.auth
counts tag:auth, years["2019"] counts year:2019. Every taxonomy category is
present, empty or not.

With --by A,B it counts instead the incidents by option of category A
against option of category B (B may be year): a cross-tab, options being
multi-valued as in the facets. --json prints {"rows": {a: {b: count}}}.

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline stats
  faultline stats domain:finance year:2015..
  faultline stats --json is:starred | jq '.taxonomy.domain'
  faultline stats --by phase,behaviour domain:finance
  faultline stats --by domain,year --json | jq '.rows.finance'`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	c.Flags().BoolVar(&o.json, "json", false, "print JSON: query, incidents, taxonomy, triage and years")
	c.Flags().StringVar(&o.by, "by", "", "count by two `categories`, as A,B: phase,behaviour or domain,year")
	return c
}

func (o *statsOptions) run(a *app, args []string) error {
	q, err := parseQuery(args)
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	if o.by != "" {
		return o.crossTab(a, path, q, strings.Join(args, " "))
	}
	var res search.Result
	err = withIndex(path, a.notices(), func(ix *search.Index) error {
		res = ix.Search(q, search.Options{Limit: 1})
		return nil
	})
	if err != nil {
		return err
	}
	query := strings.Join(args, " ")
	groups := ui.Stats(res, query)
	if o.json {
		return writeStatsJSON(a.stdout, query, res.Total, groups)
	}
	return writeStatsText(a.stdout, path, query, res.Total, groups)
}

// writeStatsText prints the groups as the stats screen draws them: a
// heading per group, then each option with its count and share.
func writeStatsText(w io.Writer, path, query string, total int, groups []ui.StatGroup) error {
	bw := bufio.NewWriter(w)
	matching := ""
	if strings.TrimSpace(query) != "" {
		matching = " matching " + sanitize.Line(query)
	}
	fmt.Fprintf(bw, "%d incidents%s in %s\n", total, matching, sanitize.Line(path))
	for _, g := range groups {
		fmt.Fprintf(bw, "\n%s\n", sanitize.Line(g.Name))
		for _, c := range g.Options {
			fmt.Fprintf(bw, "  %-26s %5d  %3d%%\n", sanitize.Line(c.Option), c.Count, percent(c.Count, total))
		}
	}
	return bw.Flush()
}

func percent(n, total int) int {
	if total == 0 {
		return 0
	}
	return (n*100 + total/2) / total
}

// writeStatsJSON prints the groups keyed by the query language's names.
func writeStatsJSON(w io.Writer, query string, total int, groups []ui.StatGroup) error {
	out := struct {
		Query     string                    `json:"query"`
		Incidents int                       `json:"incidents"`
		Taxonomy  map[string]map[string]int `json:"taxonomy"`
		Triage    map[string]map[string]int `json:"triage"`
		Sources   map[string]int            `json:"sources"`
		Labels    map[string]int            `json:"labels"`
		Years     map[string]int            `json:"years"`
	}{Query: query, Incidents: total, Taxonomy: map[string]map[string]int{},
		Triage: map[string]map[string]int{}, Sources: map[string]int{}, Labels: map[string]int{}, Years: map[string]int{}}
	for _, c := range incident.Categories {
		out.Taxonomy[c.Key] = map[string]int{}
	}
	for _, g := range groups {
		counts := map[string]int{}
		for _, c := range g.Options {
			counts[c.Option] = c.Count
		}
		switch g.Key {
		case "year":
			out.Years = counts
		case search.FacetTriage, search.FacetStarred, search.FacetTag, search.FacetReviewed:
			out.Triage[g.Key] = counts
		case search.FacetSource:
			out.Sources = counts
		case search.FacetLabel:
			out.Labels = counts
		default:
			out.Taxonomy[g.Key] = counts
		}
	}
	enc := json.NewEncoder(jsonOut{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// crossTab prints the cross-tab of --by.
func (o *statsOptions) crossTab(a *app, path string, q search.Query, query string) error {
	x, y, ok := strings.Cut(o.by, ",")
	x, y = strings.ToLower(strings.TrimSpace(x)), strings.ToLower(strings.TrimSpace(y))
	if !ok || x == "" || y == "" || strings.Contains(y, ",") {
		return usageError{fmt.Sprintf("--by %q: want two categories, as phase,behaviour", o.by)}
	}
	var tab search.CrossTab
	err := withIndex(path, a.notices(), func(ix *search.Index) (err error) {
		tab, err = ix.CrossTab(q, x, y)
		return err
	})
	if errors.Is(err, search.ErrCrossCategory) {
		return usageError{strings.TrimPrefix(err.Error(), "search: ")}
	}
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(jsonOut{a.stdout})
		enc.SetIndent("", "  ")
		return enc.Encode(tab)
	}
	return writeCrossTab(a.stdout, x, y, query, tab)
}

// writeCrossTab prints rows by count, columns by count, as a table.
func writeCrossTab(w io.Writer, x, y, query string, tab search.CrossTab) error {
	bw := bufio.NewWriter(w)
	rowTotals, colTotals := map[string]int{}, map[string]int{}
	for r, cols := range tab.Rows {
		for c, n := range cols {
			rowTotals[r] += n
			colTotals[c] += n
		}
	}
	rows, cols := sortedByCount(rowTotals), sortedByCount(colTotals)
	if y == search.CrossYear {
		slices.Sort(cols)
	}
	matching := ""
	if strings.TrimSpace(query) != "" {
		matching = " matching " + sanitize.Line(query)
	}
	fmt.Fprintf(bw, "%d incidents%s, by %s (rows) and %s (columns)\n\n", tab.Total, matching, x, y)
	width := len(x)
	for _, r := range rows {
		width = max(width, len(sanitize.Line(r)))
	}
	fmt.Fprintf(bw, "%-*s", width, x)
	for _, c := range cols {
		fmt.Fprintf(bw, "  %*s", max(len(sanitize.Line(c)), 3), sanitize.Line(c))
	}
	fmt.Fprintln(bw)
	for _, r := range rows {
		fmt.Fprintf(bw, "%-*s", width, sanitize.Line(r))
		for _, c := range cols {
			cell := "·"
			if n := tab.Rows[r][c]; n > 0 {
				cell = fmt.Sprint(n)
			}
			fmt.Fprintf(bw, "  %*s", max(len(sanitize.Line(c)), 3), cell)
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}
