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
	"github.com/faultline/faultline/ui"
)

func init() { register(newStatsCmd) }

type statsOptions struct {
	json bool
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

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline stats
  faultline stats domain:finance year:2015..
  faultline stats --json is:starred | jq '.taxonomy.domain'`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	c.Flags().BoolVar(&o.json, "json", false, "print JSON: query, incidents, taxonomy, triage and years")
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
		case search.FacetTriage, search.FacetStarred, search.FacetTag:
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
