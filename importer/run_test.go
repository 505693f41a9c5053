package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
)

// The same incidents as page text, CSV and dumpdata must meet under one
// title key (title and published date agree across the forms), and the
// forms that carry the FAIL id give it.
func TestSameIncidentsAcrossFormatsShareTitleKeys(t *testing.T) {
	dir := needFail(t)
	recs, arts, sum := importBoth(t, importer.Options{},
		filepath.Join(dir, "pages_a"), filepath.Join(dir, "csv", "incidents_a.csv"), filepath.Join(dir, "dumpdata_a.json"))
	if len(sum.Refused) > 0 {
		t.Errorf("refused: %v", sum.Refused)
	}
	byID := map[string][]importer.Record{}
	for _, r := range recs {
		if r.Incident.ID != r.Incident.NaturalID() {
			t.Errorf("%s:%d: id %s is not its natural id", r.Path, r.Line, r.Incident.ID)
		}
		if (r.Format == importer.CSV || r.Format == importer.Dumpdata) && r.Incident.SourceID == "" {
			t.Errorf("%s:%d: no FAIL id", r.Path, r.Line)
		}
		key := incident.TitleKey(r.Incident.Title, r.Incident.Published)
		byID[key] = append(byID[key], r)
	}
	if len(byID) != 31 {
		var ids []string
		for id, rs := range byID {
			ids = append(ids, id+" "+rs[0].Incident.Published+" "+rs[0].Incident.Title+" "+rs[0].Path)
		}
		sort.Strings(ids)
		t.Errorf("%d distinct title keys, want 31:\n%v", len(byID), ids)
	}
	// 31 .txt + 31 .variant.txt + 31 .json records, 31 CSV rows, 31 dumpdata
	// incidents; and 31 dumpdata articles
	if len(recs) != 5*31 || len(arts) != 31 {
		t.Errorf("%d incident records and %d articles, want %d and 31", len(recs), len(arts), 5*31)
	}
	for id, rs := range byID {
		if len(rs) != 5 {
			t.Errorf("title key %s: %d records, want 5 (one per source)", id, len(rs))
		}
	}
	t.Logf("formats %v, %d warnings", sum.Formats, len(sum.Warnings))
}

// manyFiles writes n JSON Lines files of per records each.
func manyFiles(t testing.TB, n, per int) string {
	dir := t.TempDir()
	for i := range n {
		var b strings.Builder
		for j := range per {
			fmt.Fprintf(&b, "{\"title\":\"incident %d-%d\"}\n", i, j)
		}
		writeFile(t, dir, fmt.Sprintf("f%03d.jsonl", i), b.String())
	}
	return dir
}

func TestRunBatchesAndProgress(t *testing.T) {
	dir := manyFiles(t, 40, 25)
	writeFile(t, dir, "bad.json", "[{")
	var batches []int
	seen := map[string]bool{}
	var last importer.Progress
	calls := 0
	sum, err := importer.Run(context.Background(), []string{dir}, importer.Options{BatchSize: 64, Workers: 3},
		func(b []importer.Record) error {
			batches = append(batches, len(b))
			for _, r := range b {
				if seen[r.Incident.ID] {
					t.Errorf("record %s handed twice", r.Incident.Title)
				}
				seen[r.Incident.ID] = true
			}
			return nil
		},
		func(p importer.Progress) { last = p; calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1000 || sum.Imported != 1000 {
		t.Errorf("%d distinct records, Imported %d, want 1000", len(seen), sum.Imported)
	}
	for i, n := range batches {
		if n < 64 && i != len(batches)-1 || n > 64+25 {
			t.Errorf("batch %d holds %d records (BatchSize 64, files of 25)", i, n)
		}
	}
	if sum.Files != 41 || sum.FilesRefused != 1 || len(sum.Refused) != 1 || sum.Formats[importer.JSONL] != 40 {
		t.Errorf("summary %+v", sum)
	}
	want := importer.Progress{FilesDone: 41, FilesTotal: 41, Records: 1000, Refused: 1}
	last.Elapsed = 0
	if last != want || calls < 2 {
		t.Errorf("last progress %+v after %d calls, want %+v", last, calls, want)
	}
}

func TestRunStopsOnSinkError(t *testing.T) {
	dir := manyFiles(t, 50, 10)
	boom := errors.New("disk full")
	calls := 0
	sum, err := importer.Run(context.Background(), []string{dir}, importer.Options{BatchSize: 10, Workers: 2},
		func(b []importer.Record) error {
			calls++
			if calls == 3 {
				return boom
			}
			return nil
		}, nil)
	if !errors.Is(err, boom) || !errors.Is(err, importer.ErrSink) {
		t.Fatalf("err = %v, want the sink's error", err)
	}
	if calls != 3 || sum.Imported != 20 {
		t.Errorf("sink called %d times, Imported %d; want 3 and 20", calls, sum.Imported)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	dir := manyFiles(t, 200, 5)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sum, err := importer.Run(ctx, []string{dir}, importer.Options{BatchSize: 5, Workers: 2},
		func(b []importer.Record) error {
			calls++
			if calls == 2 {
				cancel()
			}
			return nil
		}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls != 2 || sum.Imported != 10 {
		t.Errorf("sink called %d times after cancel, Imported %d; want 2 and 10", calls, sum.Imported)
	}
	if len(sum.Refused) != 0 {
		t.Errorf("cancel reported as refusals: %v", sum.Refused)
	}
}

func TestRunRefusesLargeFileUnread(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt") // page text: read whole
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("Incident: a page that goes on\n" + strings.Repeat("and on ", 1000)); err != nil {
		t.Fatal(err)
	}
	// sparse: 64 GiB on paper, nothing on disk; reading it would take minutes
	if err := f.Truncate(64 << 30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	writeFile(t, dir, "ok.jsonl", `{"title":"T"}`+"\n")
	recs, sum := importAll(t, importer.Options{}, dir)
	if len(recs) != 1 {
		t.Errorf("%d records, want the other file's 1", len(recs))
	}
	if len(sum.Refused) != 1 || !errors.Is(sum.Refused[0], importer.ErrTooLarge) ||
		sum.Refused[0].Error() != big+": file too large: 64 GiB, over the 16 MiB limit" {
		t.Errorf("refused %v", sum.Refused)
	}
	page := writeFile(t, t.TempDir(), "p.txt", "Incident: Title\n")
	_, sum = importAll(t, importer.Options{MaxFileSize: 4}, page)
	if len(sum.Refused) != 1 || !strings.Contains(sum.Refused[0].Reason, "16 bytes, over the 4 bytes limit") {
		t.Errorf("MaxFileSize 4: refused %v", sum.Refused)
	}
	// A streamed file is bounded record by record, not as a whole.
	stream := writeFile(t, t.TempDir(), "s.jsonl", strings.Repeat(`{"title":"T"}`+"\n", 3))
	if recs, sum := importAll(t, importer.Options{MaxFileSize: 32}, stream); len(recs) != 3 || len(sum.Refused) != 0 {
		t.Errorf("a 42-byte JSON Lines file of small records with MaxFileSize 32: %d records, refused %v", len(recs), sum.Refused)
	}
}
