package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faultline/faultline/incident"
)

// csvFieldColumns names the postmortem fields as the FAIL CSV export does,
// by incident.Fields key.
var csvFieldColumns = map[string]string{
	"timeline":            "Time",
	"system":              "System",
	"responsible_org":     "ResponsibleOrg",
	"impacted_org":        "ImpactedOrg",
	"software_causes":     "SEcauses",
	"non_software_causes": "NSEcauses",
	"impacts":             "Impacts",
	"preventions":         "Preventions",
	"fixes":               "Fixes",
	"references":          "References",
}

// csvCategoryName is a category's name in FAIL's column headers: "Phase"
// for "Phase (Design/Operation)", so "Phase Option", "Phase Rationale".
func csvCategoryName(c incident.CategorySpec) string {
	name, _, _ := strings.Cut(c.Label, " (")
	return name
}

// csvHeader is the header row WriteCSV writes.
func csvHeader() []string {
	h := []string{"Incident ID", "Related Article IDs", "Published", "Title", "Summary"}
	for _, f := range incident.Fields {
		h = append(h, csvFieldColumns[f.Key])
	}
	for _, c := range incident.Categories {
		h = append(h, csvCategoryName(c)+" Option")
	}
	for _, c := range incident.Categories {
		h = append(h, csvCategoryName(c)+" Rationale")
	}
	return h
}

// WriteCSV writes the incidents in the layout of the FAIL CSV export: one
// row per incident under FAIL's column names, options comma-separated,
// article ids as "[1, 2]". The importer reads it back to the same texts,
// options and ids. The layout has no place for triage or for categories
// outside the taxonomy, so those are not written; texts are written as
// stored (made valid UTF-8), as in the JSON forms.
func WriteCSV(w io.Writer, incs []incident.Incident) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	for _, in := range incs {
		if err := cw.Write(csvRow(normalized(in))); err != nil {
			return fmt.Errorf("export: csv: incident %s: %w", in.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

func csvRow(in incident.Incident) []string {
	articles := ""
	if len(in.Articles) > 0 {
		ids := make([]string, len(in.Articles))
		for i, a := range in.Articles {
			ids[i] = strconv.FormatInt(a, 10)
		}
		articles = "[" + strings.Join(ids, ", ") + "]"
	}
	row := []string{in.SourceID, articles, in.Published, in.Title, in.Summary}
	for _, f := range incident.Fields {
		row = append(row, *f.Get(&in.Postmortem))
	}
	for _, c := range incident.Categories {
		row = append(row, strings.Join(in.Taxonomy[c.Key].Options, ", "))
	}
	for _, c := range incident.Categories {
		row = append(row, in.Taxonomy[c.Key].Rationale)
	}
	return row
}
