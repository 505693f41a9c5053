package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
)

// triageLine is one line of a triage export: what names the incident on
// any machine (its id, its FAIL id, its title and date) and its triage.
type triageLine struct {
	Kind      string          `json:"kind"`
	ID        string          `json:"id"`
	SourceID  string          `json:"source_id,omitempty"`
	Title     string          `json:"title"`
	Published string          `json:"published,omitempty"`
	Triage    incident.Triage `json:"triage"`
}

// WriteTriage writes only triage: one line per incident that has any, in
// id order, each field with who set it and when. A reviewer's file of
// these diffs line by line and merges field by field on import, so a team
// can share its review through a git repository: see the README.
func WriteTriage(w io.Writer, incs []incident.Incident) error {
	sorted := slices.Clone(incs)
	slices.SortFunc(sorted, func(a, b incident.Incident) int { return strings.Compare(a.ID, b.ID) })
	bw := bufio.NewWriter(w)
	for _, in := range sorted {
		if in.Triage.IsZero() {
			continue
		}
		in = normalized(in)
		b, err := json.Marshal(triageLine{Kind: incident.KindTriage, ID: in.ID, SourceID: in.SourceID,
			Title: in.Title, Published: in.Published, Triage: in.Triage})
		b = sanitize.JSON(b)
		if err != nil {
			return fmt.Errorf("export: triage: incident %s: %w", in.ID, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: triage: %w", err)
	}
	return nil
}
