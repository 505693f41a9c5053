package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
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
			incs, err := loadAll(path)
			if err != nil {
				return err
			}
			tax, years := taxonomyCounts(incs), yearCounts(incs)
			if *asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Incidents int                       `json:"incidents"`
					Taxonomy  map[string]map[string]int `json:"taxonomy"`
					Years     map[string]int            `json:"years"`
				}{len(incs), tax, years})
			}
			fmt.Fprintf(e.stdout, "%d incidents in %s\n", len(incs), path)
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
