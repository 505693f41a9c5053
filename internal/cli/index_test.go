package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
	"github.com/faultline/faultline/store"
)

// indexCurrent reports whether the database at path keeps a current index.
func indexCurrent(t *testing.T, path string) bool {
	t.Helper()
	s, err := store.Open(path, store.Options{ReadOnly: true, NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var current bool
	err = s.ViewIndex(func(r *store.IndexReader) (err error) {
		_, current, err = r.Manifest()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return current
}

// putRaw stores incidents the way an older faultline would: without
// refreshing the index.
func putRaw(t *testing.T, path string, incs ...incident.Incident) {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ins := make([]store.Input, len(incs))
	for i, in := range incs {
		ins[i] = store.Input{Incident: in}
	}
	if _, err := s.Put(ins); err != nil {
		t.Fatal(err)
	}
}

func TestWritersKeepTheIndexCurrent(t *testing.T) {
	db := tempDB(t)
	if r := run(t, db, "stats"); r.code != 0 {
		t.Fatalf("stats on a new database: %+v", r)
	}
	if !indexCurrent(t, db) {
		t.Fatal("the starter set was stored without its index")
	}
	if r := run(t, db, "import", "../../testdata/pages/wide.txt"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	if !indexCurrent(t, db) {
		t.Fatal("import left the index stale")
	}
	if r := run(t, db, "search", "--json", "arrowhead"); !strings.Contains(r.stdout, `"total": 1,`) {
		t.Errorf("search for the imported page: %+v", r)
	}
}

func TestReadersRebuildAStaleIndex(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	putRaw(t, db, incident.Incident{Title: "Quasar relay firmware bricked gateways", Published: "2020-02-02",
		Postmortem: incident.Postmortem{Fixes: "1. Roll back the quasar firmware."}})
	if indexCurrent(t, db) {
		t.Fatal("the index still claims to be current")
	}
	r := run(t, db, "search", "fixes:quasar")
	if r.code != 0 || !strings.Contains(r.stdout, "Quasar relay firmware") {
		t.Fatalf("search over a stale index: %+v", r)
	}
	if !indexCurrent(t, db) {
		t.Error("the reader did not keep the index it built")
	}
	if r := run(t, db, "search", "fixes:quasar"); !strings.Contains(r.stdout, "Quasar relay firmware") {
		t.Errorf("search over the kept index: %+v", r)
	}
}

func TestReadersRebuildADamagedIndex(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := s.IndexBase()
	if err := s.SaveIndex(gen, []byte("faultline-segments\x01 but nothing after"), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r := run(t, db, "search", "--json", "")
	if r.code != 0 || !strings.Contains(r.stdout, `"total": 14`) {
		t.Fatalf("search over a damaged index: %+v", r)
	}
	s, _ = store.Open(db, store.Options{ReadOnly: true})
	defer s.Close()
	s.ViewIndex(func(r *store.IndexReader) error {
		man, _, err := r.Manifest()
		if err == nil {
			_, err = search.Open(man, func(id uint64) ([]byte, func(int, int) bool, error) { return r.Segment(id, false) }, nil, false)
		}
		if err != nil {
			t.Errorf("the damaged index was not replaced: %v", err)
		}
		return nil
	})
}

func TestSearchSeesTriageOverTheStoredIndex(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	r := run(t, db, "search", "--json", "--limit", "1", "")
	var id string
	if i := strings.Index(r.stdout, `"id": "`); i >= 0 {
		id = r.stdout[i+7 : i+19]
	}
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MergeTriage(id, tri("", true, []string{"payments"}, "")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !indexCurrent(t, db) {
		t.Fatal("a triage change made the index stale")
	}
	for _, q := range []string{"is:starred", "tag:payments"} {
		if r := run(t, db, "search", q); r.code != 0 || !strings.HasPrefix(r.stdout, id) || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("search %s: %+v, want only %s", q, r, id)
		}
	}
}

func TestExplorerBackendFetchesAndLetsWritersIn(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	b := &storeBackend{path: db}
	ix, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	hit := ix.Search(search.Query{}, search.Options{Limit: 1}).Hits[0]
	in, ok := ix.Get(hit.ID)
	if !ok || in.Postmortem.SoftwareCauses == "" {
		t.Fatalf("Get did not fetch the incident's texts: %+v", in)
	}
	// The read handle the fetch opened must not keep a writer out.
	s, err := store.Open(db, store.Options{Timeout: lockWait})
	if err != nil {
		t.Fatalf("a writer waited on the explorer: %v", err)
	}
	s.Close()
	if _, err := b.SaveTriage(hit.ID, tri("", true, nil, "")); err != nil {
		t.Fatalf("save while a fetch handle may be open: %v", err)
	}
	if _, ok := ix.Get(ix.Search(search.Query{}, search.Options{}).Hits[1].ID); !ok {
		t.Fatal("no fetch after a save")
	}
	if _, err := b.SaveTriage(hit.ID, incident.Triage{}); err != nil && !errors.Is(err, store.ErrLocked) {
		t.Fatalf("save right after a fetch: %v", err)
	}
	b.closeReader()
}

func TestExplorerBackendReloadsEveryTime(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	b := &storeBackend{path: db}
	first, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	b.loaded = first // as the explore command hands it to the screen
	for i, want := range []int{first.Len(), first.Len() + 1, first.Len() + 2} {
		if i > 0 {
			putRaw(t, db, incident.Incident{Title: fmt.Sprintf("Reload probe %d", i), Published: "2024-01-01"})
		}
		ix, err := b.Load()
		if err != nil || ix.Len() != want {
			t.Fatalf("load %d: %d incidents, %v; want %d", i, ix.Len(), err, want)
		}
	}
}

// A reader that finds the stored index damaged (its checksum fails) says
// so, answers from an index built in memory, and leaves the file alone.
func TestReaderNeverWritesADamagedFile(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the first bytes of a segment, read when it is opened
	var head []byte
	s.ViewIndex(func(r *store.IndexReader) error {
		man, _, err := r.Manifest()
		if err != nil {
			return err
		}
		refs, err := search.DecodeManifest(man)
		if err != nil || len(refs) == 0 {
			t.Fatalf("manifest: %v %v", refs, err)
		}
		data, _, err := r.Segment(refs[0].ID, false)
		if err != nil {
			t.Fatal(err)
		}
		head = bytes.Clone(data[:64])
		return nil
	})
	s.Close()
	raw, _ := os.ReadFile(db)
	i := bytes.Index(raw, head)
	if i < 0 || bytes.LastIndex(raw, head) != i {
		t.Fatal("the segment's head is not once in the file")
	}
	i += 40
	raw[i] ^= 1
	os.WriteFile(db, raw, 0o600)
	r := run(t, db, "search", "--json", "")
	if r.code != 0 || !strings.Contains(r.stdout, `"total": 14`) || !strings.Contains(r.stderr, "index damaged: rebuilding in memory") {
		t.Fatalf("search over a damaged index: %+v", r)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, raw) {
		t.Error("a reader wrote to a file it found damaged")
	}
	if r := run(t, db, "check"); r.code != 1 || !strings.Contains(r.stdout, "index segment") {
		t.Errorf("check of the damaged index: %+v", r)
	}
	r = run(t, db, "check", "--reindex", "--compact")
	if r.code != 0 || !strings.Contains(r.stdout, "search index rebuilt") || !strings.Contains(r.stdout, "compacted from") ||
		!strings.HasSuffix(r.stdout, "no damage found (14 incidents, 0 articles)\n") {
		t.Errorf("check --reindex --compact: %+v", r)
	}
	if r := run(t, db, "search", "--json", ""); r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, `"total": 14`) {
		t.Errorf("search after the repair: %+v", r)
	}
}

func TestCheck(t *testing.T) {
	db := tempDB(t)
	run(t, db, "stats")
	if r := run(t, db, "check"); r.code != 0 || !strings.Contains(r.stdout, "no damage found (14 incidents") {
		t.Fatalf("check of a sound file: %+v", r)
	}
	knight, _, _ := strings.Cut(run(t, db, "search", "--limit", "1", "knight").stdout, " ")
	raw, _ := os.ReadFile(db)
	i := bytes.Index(raw, []byte("Knight Capital"))
	if i < 0 {
		t.Fatal("no Knight Capital in the file")
	}
	raw[i+1] ^= 0x20
	os.WriteFile(db, raw, 0o600)
	r := run(t, db, "check")
	if r.code != 1 || !strings.Contains(r.stdout, "checksum mismatch") || !strings.Contains(r.stdout, "1 problem found") {
		t.Errorf("check of a damaged file: %+v", r)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, raw) {
		t.Error("check wrote to the file")
	}
	if r := run(t, db, "show", knight); r.code != 1 || !strings.Contains(r.stderr, "damaged") || strings.Contains(r.stdout, "Capital") {
		t.Errorf("show of a damaged incident: %+v", r)
	}
	if r := run(t, filepath.Join(t.TempDir(), "none.db"), "check"); r.code != 1 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("check of a missing file: %+v", r)
	}
}
