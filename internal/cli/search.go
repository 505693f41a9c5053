package cli

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

var searchCmd = command{
	name:    "search",
	summary: "print the incidents matching a query, best first",
	usage:   "[--db FILE] [--json] [--limit N] [--sort relevance|date|title] [--reverse] QUERY...",
	example: `faultline search twtr secur
faultline search 'ransomware -atlanta' --limit 5
faultline search --json 'domain:finance year:2015..2020' | jq .total`,
	details: search.Help,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		db := dbFlag(fs)
		asJSON := fs.Bool("json", false, "print JSON: total, hits and facet counts over all matches")
		limit := fs.Int("limit", 20, "print at most `n` hits (0: all)")
		sortBy := fs.String("sort", "", "order: relevance, date or title (default relevance with words, else date)")
		reverse := fs.Bool("reverse", false, "reverse the order")
		return func(e *env, args []string) error {
			if *limit < 0 {
				return usageError{"--limit must be 0 or more"}
			}
			opts := search.Options{Reverse: *reverse}
			sorting, err := parseSort(*sortBy)
			if err != nil {
				return err
			}
			opts.Sort = sorting
			path, err := e.dbPath(*db)
			if err != nil {
				return err
			}
			q, err := search.Parse(strings.Join(args, " "))
			if err != nil {
				return usageError{err.Error()}
			}
			opts.Limit = *limit
			return withIndex(path, func(ix *search.Index) error {
				res := ix.Search(q, opts)
				if *asJSON {
					return writeSearchJSON(e.stdout, res)
				}
				bw := bufio.NewWriter(e.stdout)
				for _, h := range res.Hits {
					fmt.Fprintf(bw, "%s  %-10s  %s\n", h.ID, sanitize.Line(h.Published), sanitize.Line(h.Title))
				}
				if err := bw.Flush(); err != nil {
					return err
				}
				if len(res.Hits) < res.Total {
					fmt.Fprintf(e.stderr, "%d of %d matches shown (--limit 0 shows all)\n", len(res.Hits), res.Total)
				}
				return nil
			})
		}
	},
}

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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func parseSort(s string) (search.Sort, error) {
	switch s {
	case "", "relevance":
		return search.Relevance, nil
	case "date":
		return search.Date, nil
	case "title":
		return search.Title, nil
	}
	return 0, usageError{fmt.Sprintf("--sort %q: want relevance, date or title", s)}
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
