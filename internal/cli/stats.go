package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

var statsCmd = command{
	name:    "stats",
	summary: "count incidents by taxonomy option and by year",
	usage:   "[--db FILE] [--json]",
	example: `faultline stats
faultline stats --json | jq '.taxonomy.domain'`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		db := dbFlag(fs)
		asJSON := fs.Bool("json", false, "print JSON: incidents, taxonomy and years")
		return func(e *env, args []string) error {
			if len(args) > 0 {
				return usageError{"stats takes no arguments"}
			}
			path, err := e.dbPath(*db)
			if err != nil {
				return err
			}
			var res search.Result
			err = withIndex(path, func(ix *search.Index) error {
				res = ix.Search(search.Query{}, search.Options{Limit: 1})
				return nil
			})
			if err != nil {
				return err
			}
			tax, years := map[string]map[string]int{}, res.YearCounts
			for _, c := range incident.Categories {
				tax[c.Key] = res.Counts[c.Key]
				if tax[c.Key] == nil {
					tax[c.Key] = map[string]int{}
				}
			}
			if *asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Incidents int                       `json:"incidents"`
					Taxonomy  map[string]map[string]int `json:"taxonomy"`
					Years     map[string]int            `json:"years"`
				}{res.Total, tax, years})
			}
			fmt.Fprintf(e.stdout, "%d incidents in %s\n", res.Total, path)
			for _, c := range incident.Categories {
				counts := tax[c.Key]
				if len(counts) == 0 {
					continue
				}
				fmt.Fprintf(e.stdout, "\n%s\n", c.Key)
				for _, o := range sortedByCount(counts) {
					fmt.Fprintf(e.stdout, "  %-26s %5d\n", sanitize.Line(o), counts[o])
				}
			}
			ys := make([]string, 0, len(years))
			for y := range years {
				ys = append(ys, y)
			}
			sort.Strings(ys)
			fmt.Fprintln(e.stdout, "\nyears")
			for _, y := range ys {
				fmt.Fprintf(e.stdout, "  %-26s %5d\n", y, years[y])
			}
			return nil
		}
	},
}
