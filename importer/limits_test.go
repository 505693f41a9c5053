package importer

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeatReader yields prefix, then n bytes of c, then suffix, without ever
// holding the n bytes.
func repeatReader(prefix string, c byte, n int64, suffix string) io.Reader {
	src := &byteSource{chunk: bytes.Repeat([]byte{c}, 64<<10)}
	return io.MultiReader(strings.NewReader(prefix), io.LimitReader(src, n), strings.NewReader(suffix))
}

type byteSource struct{ chunk []byte }

func (b *byteSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], b.chunk)
	}
	return n, nil
}

// A huge line, cell or string is refused by line while memory stays
// bounded by the limits, not by the input, and what follows still imports.
func TestHugeInputsMemoryBounded(t *testing.T) {
	// a line of 1 GiB, cells and strings of 32 MiB: far past every budget
	line, field := int64(1<<30), int64(32<<20)
	if testing.Short() {
		line = 64 << 20
	}
	const next = "\n"
	tests := []struct {
		name    string
		read    func(io.Reader, *fileReport) error
		input   func() io.Reader
		refused string
		budget  uint64 // bytes the reader may allocate
	}{
		{
			name:    "JSON Lines line without end",
			read:    readJSONL,
			input:   func() io.Reader { return repeatReader(`{"title":"`, 'a', line, "\"}\n{\"title\":\"after\"}\n") },
			refused: "1: line is ",
			budget:  56 << 20, // the 18 MiB line limit, grown by doubling up to it
		},
		{
			name:    "CSV cell",
			read:    readCSV,
			input:   func() io.Reader { return repeatReader("Title,Summary\nbig,\"", 'a', field, "\"\nafter,x\n") },
			refused: "2: cell \"Summary\" is ",
			budget:  8 << 20,
		},
		{
			name:    "JSON string",
			read:    readJSON,
			input:   func() io.Reader { return repeatReader(`[{"title":"`, 'a', field, "\"},\n{\"title\":\"after\"}]") },
			refused: "1: string on line 1 is ",
			budget:  32 << 20, // 6 MiB as written may decode within 1 MiB
		},
		{
			name: "dumpdata string",
			read: readDumpdata,
			input: func() io.Reader {
				return repeatReader(`[{"model":"articles.incident","fields":{"title":"`, 'a', field, "\"}},\n{\"model\":\"articles.incident\",\"fields\":{\"title\":\"after\"}}]")
			},
			refused: "1: string on line 1 is ",
			budget:  32 << 20,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []Record
			rep := &fileReport{ctx: context.Background(), path: "huge", opts: Options{}.withDefaults()}
			rep.send = func(b []Record) error { recs = append(recs, b...); return nil }
			in := tt.input()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := tt.read(in, rep)
			if err == nil {
				err = rep.flush()
			}
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.refused) != 1 || !strings.HasPrefix(rep.refused[0].Error(), "huge:"+tt.refused) {
				t.Errorf("refused %v, want one starting %q", rep.refused, tt.refused)
			}
			if len(recs) != 1 || recs[0].Incident.Title != "after" {
				t.Errorf("records %d, want the one after the huge one", len(recs))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > tt.budget {
				t.Errorf("allocated %s reading it, budget %s", sizeText(int64(alloc)), sizeText(int64(tt.budget)))
			}
		})
	}
}

// The size guard stops a file that grows past the limit while it is read.
func TestSizeGuard(t *testing.T) {
	g := &sizeGuard{r: bytes.NewReader(make([]byte, 100)), limit: 64}
	n, err := io.Copy(io.Discard, g)
	if err == nil || n > 65 {
		t.Fatalf("read %d bytes of a 100-byte file with a 64-byte limit, err %v", n, err)
	}
	g = &sizeGuard{r: bytes.NewReader(make([]byte, 64)), limit: 64}
	if n, err := io.Copy(io.Discard, g); err != nil || n != 64 {
		t.Fatalf("read %d bytes of a 64-byte file with a 64-byte limit, err %v", n, err)
	}
}
