package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

func init() { register(newLessonsCmd) }

type lessonsOptions struct {
	json  bool
	md    bool
	limit int
}

func newLessonsCmd(a *app) *cobra.Command {
	var o lessonsOptions
	c := &cobra.Command{
		Use:   "lessons [flags] [QUERY...]",
		Short: "what would have prevented these failures: the preventions and fixes that recur",
		Long: `Gather the numbered items of the Preventions and Fixes of the incidents (all,
or those a query matches), merge the items that say the same thing (they
share enough distinctive words: see the analysis package's documentation)
and rank them by the number of events they come from, so that a failure
reported three times counts once. A reviewer's note line that starts with
"Lesson:" adds a lesson of its own.

--md writes the lessons as a checklist a team can adopt.

` + queryRule + ` The query language is in 'faultline search -h'.`,
		Example: `  faultline lessons ransomware
  faultline lessons --md domain:finance > checklist.md
  faultline lessons --json | jq '.lessons[0]'`,
		Annotations:       queryAnnotation(),
		ValidArgsFunction: a.completeQuery,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args) },
	}
	f := c.Flags()
	f.BoolVar(&o.json, "json", false, `print {"lessons":[{"text","incidents":[ids],"events":N}]}`)
	f.BoolVar(&o.md, "md", false, "print a Markdown checklist")
	f.IntVar(&o.limit, "limit", 30, "print at most `n` lessons (0: all)")
	return c
}

func (o *lessonsOptions) run(a *app, args []string) error {
	if o.json && o.md {
		return usageError{"--json and --md: choose one"}
	}
	if o.limit < 0 {
		return usageError{"--limit must be 0 or more"}
	}
	q, err := parseQuery(args)
	if err != nil {
		return err
	}
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	n := a.notices()
	var incs []incident.Incident
	err = withIndex(path, n, func(ix *search.Index) error {
		for _, h := range ix.Search(q, search.Options{}).Hits {
			if in, ok := ix.Get(h.ID); ok {
				incs = append(incs, in)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g, err := grouping(path, n)
	if err != nil {
		return err
	}
	lessons := analysis.Lessons(incs, g.Events(), analysis.NoteLessons(incs))
	if o.limit > 0 && len(lessons) > o.limit {
		lessons = lessons[:o.limit]
	}
	switch {
	case o.json:
		return writeLessonsJSON(a.stdout, lessons)
	case o.md:
		return export.WriteLessons(a.stdout, strings.Join(args, " "), len(incs), lessons)
	}
	return writeLessonsText(a.stdout, lessons)
}

func writeLessonsText(w io.Writer, lessons []analysis.Lesson) error {
	bw := bufio.NewWriter(w)
	for i, l := range lessons {
		fmt.Fprintf(bw, "%2d. %s\n", i+1, sanitize.Line(l.Text))
		fmt.Fprintf(bw, "    %d %s, %d %s (%s): %s\n", l.Events, plural(l.Events, "event", "events"),
			len(l.Incidents), plural(len(l.Incidents), "incident", "incidents"), strings.Join(l.Fields, ", "),
			strings.Join(shortIDs(l.Incidents, 8), " "))
	}
	return bw.Flush()
}

func writeLessonsJSON(w io.Writer, lessons []analysis.Lesson) error {
	type lesson struct {
		Text      string   `json:"text"`
		Incidents []string `json:"incidents"`
		Events    int      `json:"events"`
		Fields    []string `json:"fields"`
	}
	out := struct {
		Lessons []lesson `json:"lessons"`
	}{Lessons: []lesson{}}
	for _, l := range lessons {
		out.Lessons = append(out.Lessons, lesson{l.Text, l.Incidents, l.Events, l.Fields})
	}
	enc := json.NewEncoder(jsonOut{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func shortIDs(ids []string, max int) []string {
	out := make([]string, 0, min(len(ids), max+1))
	for i, id := range ids {
		if i == max {
			out = append(out, fmt.Sprintf("+%d", len(ids)-max))
			break
		}
		out = append(out, id[:min(8, len(id))])
	}
	return out
}
