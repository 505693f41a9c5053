package importer_test

import (
	"errors"
	"testing"

	"github.com/faultline/faultline/importer"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, head string
		want             importer.Format
		refused          bool
	}{
		{"page", "x.txt", "Incident: Gate fault\n\nPublished Date: 2020-09-18\n", importer.Page, false},
		{"page without extension", "gate", "Incident: Gate fault\n", importer.Page, false},
		{"page with BOM and blank lines", "x", "\xEF\xBB\xBF\n\n  Incident: Gate\n", importer.Page, false},
		{"page with CRLF", "x.txt", "Incident: Gate\r\n\r\nPublished Date: 2020-09-18\r\n", importer.Page, false},
		{"txt of another kind goes to the page parser", "notes.txt", "shopping list\n", importer.Page, false},
		{"FAIL csv", "a.csv", "Incident ID,Related Article IDs,Published,Title\n1,[2],2020-01-01,T\n", importer.CSV, false},
		{"csv without extension", "export", "Title,Published\nT,2020-01-01\n", importer.CSV, false},
		{"csv with BOM", "a.csv", "\xEF\xBB\xBFTitle,Summary\n", importer.CSV, false},
		{"csv extension, other header", "a.csv", "a,b,c\n1,2,3\n", importer.CSV, false},
		{"dumpdata", "dump.json", "[\n {\n  \"model\": \"articles.incident\",\n  \"pk\": 1,", importer.Dumpdata, false},
		{"dumpdata pk first", "dump", `[{"pk": 1, "model": "articles.article"}]`, importer.Dumpdata, false},
		{"dumpdata cut in the head", "dump.json", `[{"model`, importer.JSON, false},
		{"json array export", "out.json", `[` + "\n" + `{"id":"abc","title":"x"}`, importer.JSON, false},
		{"empty json array", "out.json", "[]\n", importer.JSON, false},
		{"jsonl export", "out.jsonl", `{"id":"abc","title":"x"}` + "\n" + `{"id":"abd"}`, importer.JSONL, false},
		{"jsonl without extension", "out", `{"title":"x"}` + "\n", importer.JSONL, false},
		{"jsonl single line without newline", "out.jsonl", `{"title":"x"}`, importer.JSONL, false},
		{"pretty-printed record", "2728.json", "{\n \"title\": \"x\",\n", importer.JSON, false},
		{"pretty-printed record without extension", "rec", "{\n \"title\": \"x\",\n", importer.JSON, false},
		{"empty jsonl", "out.jsonl", "", importer.JSONL, false},
		{"empty", "x.txt", "", "", true},
		{"only white space", "x.csv", " \n\r\n\t", "", true},
		{"binary", "x.txt", "\x7fELF\x02\x01\x01\x00\x00\x00", "", true},
		{"control characters", "x", "\x01\x02\x03\x04\x05abc\x06\x07", "", true},
		{"UTF-16", "x.txt", "\xFF\xFEI\x00n\x00", "", true},
		{"a README is no postmortem", "README.md", "# faultline\n\nSome text.\n\n## Install\n", "", true},
		{"markdown postmortem", "pm.md", "# Login outage\n\nSome text.\n\n## Impact\n\nSlow.\n", importer.Markdown, false},
		{"front matter", "pm.md", "---\ntitle: Login outage\ndate: 2024-01-05\n---\n", importer.Markdown, false},
		{"front matter without extension", "pm", "---\n# a comment\nuuid: 1\n", importer.Markdown, false},
		{"front matter with CRLF and BOM", "pm", "\xEF\xBB\xBF---\r\ntitle: x\r\n", importer.Markdown, false},
		{"heading without extension", "pm", "## Postmortem: login\n\nDate: 2024-01-05\n", importer.Markdown, false},
		{"heading in a .txt", "pm.txt", "# Login outage\n\n## Root cause\n\nA flag.\n", importer.Markdown, false},
		{"setext heading", "pm", "Login outage\n============\n\nDate: 2024-01-05\n", importer.Markdown, false},
		{"prose in a .md", "notes.md", "Just some notes.\n", "", true},
		{"a date line makes a template postmortem", "notes.md", "Login outage\n\n**Date:** 2024-01-05\n", importer.Markdown, false},
		{"rule is no front matter", "x", "---\n\nhello\n", "", true},
		{"list of postmortems", "README.md", "# Postmortems\n\n## Config\n\n[Acme](https://acme.example/a). A bad push.\n\n[Bolt](http://bolt.example/b): disk full.\n\n[Cogs](https://cogs.example/c). DNS.\n", importer.MarkdownList, false},
		{"list starting with a link is not JSON", "list", "[Acme](https://acme.example/a). A bad push.\n\n[Bolt](https://bolt.example/b). Disk.\n\n[Cogs](https://cogs.example/c). DNS.\n", importer.MarkdownList, false},
		{"list of items without heading", "list.txt", "Failures we know of\n\n* [Acme](https://acme.example/a) - a bad push\n* [Bolt](https://bolt.example/b) - disk\n1. [Cogs](https://cogs.example/c) — DNS\n", importer.MarkdownList, false},
		{"postmortem with a list of links", "pm.md", "# Outage\n\n## Impact\n\nSlow.\n\n## References\n\n- [A](https://a.example/x) blog\n- [B](https://b.example/y) status\n- [C](https://c.example/z) news\n", importer.Markdown, false},
		{"two links are no list", "x", "[Acme](https://acme.example/a). A bad push.\n\n[Bolt](https://bolt.example/b). Disk.\n", "", true},
		{"go source", "main.go", "package main\n", "", true},
		{"json extension, not json", "x.json", "hello\n", "", true},
		{"csv extension, one column", "x.csv", "hello\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Detect(tt.file, []byte(tt.head))
			if tt.refused {
				if err == nil || !errors.Is(err, importer.ErrUnknownFormat) {
					t.Fatalf("Detect = %q, %v; want ErrUnknownFormat", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
