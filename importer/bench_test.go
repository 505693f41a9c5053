package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/internal/gencorpus"
	"github.com/faultline/faultline/internal/ingest"
	"github.com/faultline/faultline/store"
)

// benchPages is the size of the page corpus the benchmarks import.
const benchPages = 2000

// writePages writes n generated incidents as page files into dir.
func writePages(tb testing.TB, dir string, n int, seed int64) int64 {
	tb.Helper()
	var total int64
	for i, in := range gencorpus.Incidents(n, seed) {
		page := importer.FormatPage(in)
		total += int64(len(page))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%06d.txt", i)), page, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return total
}

func benchRun(b *testing.B, sink func(dir string) func([]importer.Record) error) {
	dir := b.TempDir()
	bytes := writePages(b, dir, benchPages, 1)
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sum, err := importer.Run(context.Background(), []string{dir}, importer.Options{}, sink(filepath.Join(b.TempDir(), fmt.Sprint(i))), nil)
		if err != nil || sum.Imported != benchPages || len(sum.Refused) > 0 {
			b.Fatalf("imported %d of %d, refused %v, err %v", sum.Imported, benchPages, sum.Refused, err)
		}
	}
	b.ReportMetric(float64(benchPages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkRunPages measures reading and parsing page files: walk, detect,
// parse on all cores, batches handed to a sink that keeps nothing.
//
//	go test ./importer -run '^$' -bench RunPages -benchtime 5x
func BenchmarkRunPages(b *testing.B) {
	benchRun(b, func(string) func([]importer.Record) error {
		return func([]importer.Record) error { return nil }
	})
}

// BenchmarkRunPagesStore adds writing every batch to a fresh store, one
// transaction per batch, as the import command does.
func BenchmarkRunPagesStore(b *testing.B) {
	var st *store.Store
	b.Cleanup(func() {
		if st != nil {
			st.Close()
		}
	})
	benchRun(b, func(path string) func([]importer.Record) error {
		if st != nil {
			st.Close()
		}
		var err error
		if st, err = store.Open(path, store.Options{}); err != nil {
			b.Fatal(err)
		}
		sink := &ingest.Sink{Store: st}
		return sink.Put
	})
}
