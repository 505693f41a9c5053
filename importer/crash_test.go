package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/ingest"
	"github.com/faultline/faultline/store"
)

// The crash test re-executes the test binary as a child that imports a
// corpus into a store; these variables make it the child.
const (
	crashChildEnv    = "FAULTLINE_IMPORT_CHILD_DB"
	crashChildCorpus = "FAULTLINE_IMPORT_CHILD_CORPUS"
	crashBatch       = 16
)

// importInto runs an import of dir into the store at db, batch by batch as
// the import command does, calling after with the records stored so far.
func importInto(db, dir string, after func(n int)) (importer.Summary, error) {
	st, err := store.Open(db, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		return importer.Summary{}, err
	}
	defer st.Close()
	n := 0
	sink := &ingest.Sink{Store: st}
	return importer.Run(context.Background(), []string{dir}, importer.Options{BatchSize: crashBatch},
		func(recs []importer.Record) error {
			if err := sink.Put(recs); err != nil {
				return err
			}
			n += len(recs)
			if after != nil {
				after(n)
			}
			return nil
		}, nil)
}

// TestCrashChild is the child's side: it imports and reports each
// committed batch on stdout until it is killed.
func TestCrashChild(t *testing.T) {
	db := os.Getenv(crashChildEnv)
	if db == "" {
		t.Skip("runs only as the child of TestImportSurvivesKill")
	}
	if _, err := importInto(db, os.Getenv(crashChildCorpus), func(n int) { fmt.Printf("stored %d\n", n) }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

// kill -9 at any moment of an import leaves a database that opens, passes
// a consistency check and holds only whole incidents; importing again
// completes it.
func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	const pages = 240
	corpus := t.TempDir()
	writePages(t, corpus, pages, 7)
	want := map[string]incident.Incident{} // what a clean import stores
	recs, _ := importAll(t, importer.Options{}, corpus)
	for _, r := range recs {
		want[r.Incident.ID] = r.Incident
	}
	if len(want) != pages {
		t.Fatalf("corpus holds %d distinct incidents, want %d", len(want), pages)
	}

	db := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	last := 0
	for round := range 4 {
		// kill after a random number of stored records, then a little
		// later, so that the kill lands inside a transaction as often as
		// between two
		killAt := rng.IntN(pages * 3 / 4)
		delay := time.Duration(rng.IntN(3000)) * time.Microsecond
		stored, err := runAndKill(t, db, corpus, killAt, delay)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		n := checkWhole(t, db, want)
		t.Logf("round %d: killed after %d records reported (+%v): %d incidents stored", round, stored, delay, n)
		if n < last {
			t.Fatalf("round %d: %d incidents stored, fewer than the %d before", round, n, last)
		}
		last = n
	}
	sum, err := importInto(db, corpus, nil)
	if err != nil || len(sum.Refused) > 0 {
		t.Fatalf("re-run: %v, refused %v", err, sum.Refused)
	}
	if n := checkWhole(t, db, want); n != pages {
		t.Fatalf("after the re-run %d incidents stored, want %d", n, pages)
	}
}

// runAndKill starts the child and kills it with SIGKILL once it reports at
// least killAt stored records and delay has passed.
func runAndKill(t *testing.T, db, corpus string, killAt int, delay time.Duration) (int, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+db, crashChildCorpus+"="+corpus)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	stored := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var n int
		if _, err := fmt.Sscanf(sc.Text(), "stored %d", &n); err == nil {
			stored = n
		}
		if stored >= killAt {
			break
		}
	}
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	go func() { // keep the pipe drained until the child is gone
		for sc.Scan() {
		}
	}()
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() || err == nil {
		return stored, nil // killed, or finished before the kill landed
	}
	return stored, fmt.Errorf("child failed: %v", err)
}

// checkWhole opens the database, checks it and compares every stored
// incident with the one a clean import gives. It returns their number.
func checkWhole(t *testing.T, db string, want map[string]incident.Incident) int {
	t.Helper()
	st, err := store.Open(db, store.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("consistency check after kill: %v", err)
	}
	all, err := st.All()
	if err != nil {
		t.Fatalf("read after kill: %v", err)
	}
	n, err := st.Count()
	if err != nil || n != len(all) {
		t.Fatalf("Count %d (%v), All %d", n, err, len(all))
	}
	for _, got := range all {
		w, ok := want[got.ID]
		if !ok {
			t.Fatalf("stored incident %s %q is not in the corpus", got.ID, got.Title)
		}
		if len(got.Sources) != 1 || got.Sources[0].Form != string(importer.Page) {
			t.Fatalf("stored incident %s has sources %+v, want its page", got.ID, got.Sources)
		}
		got.Sources = w.Sources
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("stored incident %s differs from the imported one:\n got %+v\nwant %+v", got.ID, got, w)
		}
	}
	return n
}
