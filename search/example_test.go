package search_test

import (
	"fmt"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

func exampleIncidents() []incident.Incident {
	mk := func(title, published, fixes, domain string) incident.Incident {
		in := incident.Incident{
			Title:      title,
			Published:  published,
			Postmortem: incident.Postmortem{Fixes: fixes},
			Taxonomy:   map[string]incident.Category{"domain": {Options: []string{domain}}},
		}
		in.Normalize()
		return in
	}
	return []incident.Incident{
		mk("Twitter's Security Vulnerabilities and Privacy Failures", "2022-08-23", "Security audits.", "information"),
		mk("Ransomware Attack on City of Atlanta's Information Systems", "2018-03-22", "Restored backups; added encryption.", "government"),
		mk("Bank Payments Fail After Certificate Expiry", "2015-02-10", "Renewed the certificate; encryption keys rotated.", "finance"),
	}
}

func ExampleBuild() {
	ix := search.Build(exampleIncidents())
	fmt.Println(ix.Len(), "incidents")
	// Output: 3 incidents
}

// A stored index is loaded, given the triage recorded apart from it, and
// fetches an incident's texts only when they are needed.
func ExampleLoad() {
	incs := exampleIncidents()
	data, _ := search.Build(incs).MarshalBinary()
	ix, err := search.Load(data, func(id string) (incident.Incident, bool) {
		for _, in := range incs {
			if in.ID == id {
				return in, true
			}
		}
		return incident.Incident{}, false
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var starred incident.Triage
	starred.SetStar(true, incident.NewStamp("alice"))
	ix.SetTriage(incs[1].ID, starred)
	q, _ := search.Parse("is:starred")
	r := ix.Search(q, search.Options{})
	in, _ := ix.Get(r.Hits[0].ID)
	fmt.Println(r.Total, in.Postmortem.Fixes)
	// Output: 1 Restored backups; added encryption.
}

func ExampleIndex_Search() {
	ix := search.Build(exampleIncidents())
	q, err := search.Parse("fixes:encryption -domain:finance")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := ix.Search(q, search.Options{Sort: search.Date})
	for _, h := range r.Hits {
		fmt.Println(h.Title)
	}
	// Facet counts ignore the query's own domain terms.
	fmt.Println(r.Total, r.Facets["domain"])
	// Output:
	// Ransomware Attack on City of Atlanta's Information Systems
	// 1 map[finance:1 government:1]
}

func ExampleIndex_Search_abbreviation() {
	ix := search.Build(exampleIncidents())
	q, _ := search.Parse("twtr secur")
	r := ix.Search(q, search.Options{Limit: 1})
	in, _ := ix.Get(r.Hits[0].ID)
	for _, off := range ix.TitleMatches(q, r.Hits[0].ID) {
		fmt.Print(in.Title[off : off+1])
	}
	fmt.Println()
	// Output: TwtrSecurity
}

func ExampleParse_error() {
	_, err := search.Parse(`colour:red`)
	fmt.Println(err)
	// Output: search: query at column 1: unknown field "colour" (see the query help for the fields)
}

func ExampleToggleOption() {
	q := search.ToggleOption("ransomware", "domain", "Finance")
	fmt.Println(q)
	fmt.Println(search.Selected(q))
	fmt.Println(search.ToggleOption(q, "domain", "finance"))
	// Output:
	// ransomware domain:finance
	// map[domain:[finance]]
	// ransomware
}
