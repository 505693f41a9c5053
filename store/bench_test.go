package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/faultline/faultline/incident"
)

const benchBatch = 500

// benchRecs returns a batch of ~16 KB incidents whose ids start with tag.
func benchRecs(tag string) []incident.Incident {
	recs := make([]incident.Incident, benchBatch)
	for i := range recs {
		recs[i] = big(i, 16<<10)
		recs[i].ID = fmt.Sprintf("%s-%04d", tag, i)
	}
	return recs
}

func batchBytes(b *testing.B, recs []incident.Incident) int64 {
	var n int64
	for i := range recs {
		data, err := encodeIncident(&recs[i])
		if err != nil {
			b.Fatal(err)
		}
		n += int64(len(data))
	}
	return n
}

// BenchmarkPut imports new incidents in batches of 500, each batch one
// transaction with bbolt's default fsync on commit.
func BenchmarkPut(b *testing.B) {
	s := openTemp(b, Options{})
	recs := benchRecs("x")
	b.SetBytes(batchBytes(b, recs))
	b.ReportAllocs()
	iter := 0
	for b.Loop() {
		for i := range recs {
			recs[i].ID = fmt.Sprintf("%d-%04d", iter, i)
		}
		iter++
		if st, err := put(s, recs, false); err != nil || st.New != benchBatch {
			b.Fatalf("Put = %+v, %v", st, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N*benchBatch)*1e6, "µs/incident")
}

// BenchmarkPutUnchanged re-imports a stored batch: every record is merged
// and found byte-identical, so nothing is written.
func BenchmarkPutUnchanged(b *testing.B) {
	s := openTemp(b, Options{})
	recs := benchRecs("x")
	mustPut(b, s, recs, false)
	b.SetBytes(batchBytes(b, recs))
	b.ReportAllocs()
	for b.Loop() {
		if st, err := put(s, recs, false); err != nil || st.Unchanged != benchBatch {
			b.Fatalf("Put = %+v, %v", st, err)
		}
	}
}

// BenchmarkAll loads 2,500 incidents of ~16 KB, about the size of the
// whole FAIL database, as the explorer does at start.
func BenchmarkAll(b *testing.B) {
	path := filepath.Join(b.TempDir(), "faultline.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		mustPut(b, s, benchRecs(fmt.Sprint(i)), false)
	}
	s.Close()
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	for b.Loop() {
		all, err := s.All()
		if err != nil || len(all) != 5*benchBatch {
			b.Fatalf("All = %d, %v", len(all), err)
		}
	}
}
