// Command gencorpus writes a synthetic corpus of incidents for measuring
// import and search speed: page text (one file per incident), one
// FAIL-style CSV, one JSON Lines file, or one CSV for an SQLite FTS5 table
// of the same pages (fts: title, fixes, domain and the whole page as body).
//
//	go run ./cmd/gencorpus -n 10000 -format page -out /tmp/corpus
//	go run ./cmd/gencorpus -n 10100 -from 10000 -out /tmp/more   # the next 1%
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/faultline/faultline/export"
	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

func main() {
	n := flag.Int("n", 10000, "number of incidents")
	seed := flag.Int64("seed", 1, "random seed; the same seed gives the same corpus")
	format := flag.String("format", "page", "page (one .txt file each), csv, jsonl or fts (one file)")
	out := flag.String("out", "corpus", "directory to write into (created if missing)")
	from := flag.Int("from", 0, "write only incidents from this number on (of the n the seed gives)")
	flag.Parse()
	if err := run(*n, *from, *seed, *format, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func run(n, from int, seed int64, format, out string) error {
	if n < 0 {
		return fmt.Errorf("-n %d: must not be negative", n)
	}
	if from < 0 || from > n {
		return fmt.Errorf("-from %d: want 0 to -n", from)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Incident i depends on i and the seed alone, so the incidents from
	// `from` on are those a full corpus of n holds.
	incs := gencorpus.Incidents(n, seed)[from:]
	var total int64
	switch format {
	case "page":
		for i, in := range incs {
			page := importer.FormatPage(in)
			total += int64(len(page))
			if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%06d.txt", from+i)), page, 0o644); err != nil {
				return err
			}
		}
	case "csv":
		p := filepath.Join(out, "incidents.csv")
		if err := writeFile(p, func(w *bufio.Writer) error { return writeCSV(w, incs) }); err != nil {
			return err
		}
		total = size(p)
	case "jsonl":
		p := filepath.Join(out, "incidents.jsonl")
		if err := writeFile(p, func(w *bufio.Writer) error { return export.WriteJSONL(w, incs) }); err != nil {
			return err
		}
		total = size(p)
	case "fts":
		p := filepath.Join(out, "fts.csv")
		if err := writeFile(p, func(w *bufio.Writer) error { return writeFTS(w, incs) }); err != nil {
			return err
		}
		total = size(p)
	default:
		return fmt.Errorf("-format %q: want page, csv, jsonl or fts", format)
	}
	avg := int64(0)
	if len(incs) > 0 {
		avg = total / int64(len(incs))
	}
	fmt.Fprintf(os.Stderr, "gencorpus: %d incidents as %s in %s: %d bytes (%d per incident)\n", len(incs), format, out, total, avg)
	return nil
}

func writeFile(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func size(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// writeCSV writes the FAIL CSV export layout: the header names the FAIL
// database uses, Published with a time and zone.
func writeCSV(w *bufio.Writer, incs []incident.Incident) error {
	cw := csv.NewWriter(w)
	header := []string{"Incident ID", "Related Article IDs", "Published", "Title", "Summary", "Time", "System",
		"ResponsibleOrg", "ImpactedOrg", "SEcauses", "NSEcauses", "Impacts", "Preventions", "Fixes", "References"}
	for _, c := range incident.Categories {
		label := strings.ToUpper(c.Key[:1]) + c.Key[1:]
		if c.Key == "cps" {
			label = "CPS"
		}
		header = append(header, label+" Option", label+" Rationale")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, in := range incs {
		ids := make([]string, len(in.Articles))
		for j, a := range in.Articles {
			ids[j] = strconv.FormatInt(a, 10)
		}
		published := ""
		if in.Published != "" {
			published = in.Published + " 07:00:00+00:00"
		}
		p := in.Postmortem
		row := []string{strconv.Itoa(100000 + i), "[" + strings.Join(ids, ", ") + "]", published, in.Title, in.Summary,
			p.Timeline, p.System, p.ResponsibleOrg, p.ImpactedOrg, p.SoftwareCauses, p.NonSoftwareCauses,
			p.Impacts, p.Preventions, p.Fixes, p.References}
		for _, c := range incident.Categories {
			cat := in.Taxonomy[c.Key]
			row = append(row, strings.Join(cat.Options, ", "), cat.Rationale)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeFTS writes, for an SQLite FTS5 table fts5(title, fixes, domain,
// body), one CSV row per incident: its title, fixes, domain options and
// its whole page text, as the page files hold it.
func writeFTS(w *bufio.Writer, incs []incident.Incident) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"title", "fixes", "domain", "body"}); err != nil {
		return err
	}
	for _, in := range incs {
		row := []string{in.Title, in.Postmortem.Fixes, strings.Join(in.Taxonomy["domain"].Options, " "), string(importer.FormatPage(in))}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
