package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

func init() { register(newDeleteCmd) }

type deleteOptions struct {
	yes bool
}

func newDeleteCmd(a *app) *cobra.Command {
	var o deleteOptions
	c := &cobra.Command{
		Use:   "delete [flags] QUERY...",
		Short: "remove the incidents matching a query (with --yes)",
		Long: `Remove the incidents a query matches. Without --yes it only lists them and
says how many would go. Their triage is kept aside, so that importing an
incident again brings its triage back. The built-in starter set goes with
'faultline delete source:starter --yes'.

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline delete source:starter             # what would go
  faultline delete source:starter --yes       # leave only what you imported
  faultline delete --yes source:incidents_c.csv year:..2012`,
		Args: func(_ *cobra.Command, args []string) error {
			if strings.TrimSpace(strings.Join(args, " ")) == "" {
				return usageError{"name a query: delete never takes every incident by default"}
			}
			return nil
		},
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	c.Flags().BoolVar(&o.yes, "yes", false, "remove them; without it, only list them")
	return c
}

func (o *deleteOptions) run(a *app, args []string) error {
	q, err := parseQuery(args)
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	n := a.notices()
	var hits []search.Hit
	err = withIndex(path, n, func(ix *search.Index) error {
		hits = ix.Search(q, search.Options{Sort: search.Date}).Hits
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range hits {
		fmt.Fprintf(a.stdout, "%s  %-10s  %s\n", h.ID, sanitize.Line(h.Published), sanitize.Line(h.Title))
	}
	if !o.yes {
		fmt.Fprintf(a.stdout, "%d %s would be removed: run again with --yes to remove %s\n",
			len(hits), plural(len(hits), "incident", "incidents"), plural(len(hits), "it", "them"))
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	s, err := openForWriting(path, n)
	if err != nil {
		return describeOpenError(err)
	}
	from, err := s.Generation()
	if err != nil {
		s.Close()
		return err
	}
	removed, err := s.Delete(ids)
	s.Close()
	if err != nil {
		return err
	}
	if err := refreshStoredIndex(path, n); err != nil {
		return err
	}
	if err := refreshEvents(path, n, eventChanges{from: from, removed: ids}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d %s removed from %s; their triage is kept for their return\n",
		removed, plural(removed, "incident", "incidents"), sanitize.Line(path))
	return nil
}
