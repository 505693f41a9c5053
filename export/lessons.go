package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/analysis"
)

// WriteLessons writes lessons as a Markdown checklist a team can adopt:
// one box per lesson, most often said first, with the failures it comes
// from. query is the query of the incidents they were gathered from ("":
// every incident), incidents how many those were. The command line's
// lessons --md and the explorer's copy of its lessons both write it.
func WriteLessons(w io.Writer, query string, incidents int, lessons []analysis.Lesson) error {
	bw := bufio.NewWriter(w)
	scope := "every incident"
	if strings.TrimSpace(query) != "" {
		scope = "the incidents matching " + code(query)
	}
	fmt.Fprintf(bw, "# Lessons\n\nWhat would have prevented these failures, from %s (%d), most often said first.\n\n", scope, incidents)
	for _, l := range lessons {
		fmt.Fprintf(bw, "- [ ] %s (%d %s)\n", inline(l.Text), l.Events, plural(l.Events, "failure", "failures"))
	}
	return bw.Flush()
}
