package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/faultline/faultline/importer"
)

func ExampleDetect() {
	for _, f := range []struct{ name, head string }{
		{"2751.txt", "Incident: River Avon sluice gate fault\n"},
		{"export.csv", "Incident ID,Related Article IDs,Published,Title\n"},
		{"dump.json", `[{"model": "articles.incident", "pk": 2751`},
		{"all.jsonl", `{"id":"dc6a1ab44637","title":"River Avon"}` + "\n"},
		{"review.md", "---\ntitle: Login outage\n---\n## Impact\n"},
		{"list.md", "## Cloud\n[Acme](https://acme.example/pm). A bad push.\n[Bolt](https://bolt.example/pm). Disk full.\n[Cogs](https://cogs.example/pm). DNS.\n"},
		{"notes.rtf", "meeting notes\n"},
	} {
		format, err := importer.Detect(f.name, []byte(f.head))
		fmt.Printf("%s: %s %v\n", f.name, format, err)
	}
	// Output:
	// 2751.txt: page <nil>
	// export.csv: csv <nil>
	// dump.json: dumpdata <nil>
	// all.jsonl: jsonl <nil>
	// review.md: markdown <nil>
	// list.md: mdlist <nil>
	// notes.rtf:  unknown format: not a FAIL page, CSV, dumpdata, faultline JSON or Markdown
}

func ExampleRun() {
	dir, _ := os.MkdirTemp("", "import")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("Title,Published,Phase Option\n"+
		"River Avon sluice gate,2020-09-18 07:00:00+00:00,\"Design, operation\"\n"+
		",2020-09-19,design\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.jsonl"), []byte(`{"title":"Payroll run posted twice","published":"2019-12-31"}`+"\n"), 0o644)

	sum, err := importer.Run(context.Background(), []string{dir}, importer.Options{},
		func(batch []importer.Record) error {
			for _, r := range batch {
				fmt.Println(r.Incident.Published, r.Incident.Title, r.Incident.Taxonomy["phase"].Options)
			}
			return nil
		}, nil)
	fmt.Println(sum.Files, "files,", sum.Imported, "records,", err)
	for _, r := range sum.Refused {
		fmt.Println("refused:", filepath.Base(r.Path), r.Line, r.Reason)
	}
	// Unordered output:
	// 2020-09-18 River Avon sluice gate [design operation]
	// 2019-12-31 Payroll run posted twice []
	// 2 files, 2 records, <nil>
	// refused: a.csv 3 no title
}
