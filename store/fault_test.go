//go:build linux

package store

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
)

// The fault tests re-execute the test binary as a child process, chosen
// by these variables, to kill it or to limit its file size.
const (
	childEnv   = "FAULTLINE_STORE_CHILD" // "fill" or "fsize"
	childDB    = "FAULTLINE_STORE_CHILD_DB"
	childLimit = "FAULTLINE_STORE_CHILD_LIMIT"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv(childDB)))
	}
	os.Exit(m.Run())
}

const (
	fillBatches   = 60
	fillBatchSize = 10
)

func fillBatch(i int) []incident.Incident {
	recs := make([]incident.Incident, fillBatchSize)
	for j := range recs {
		recs[j] = big(i*fillBatchSize+j, 4<<10)
	}
	return recs
}

func runChild(mode, path string) int {
	switch mode {
	case "fill":
		// a long import: one Put per batch, reported once committed
		s, err := Open(path, Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		for i := range fillBatches {
			if _, err := put(s, fillBatch(i), false); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
			fmt.Printf("committed %d\n", i)
		}
		return 0
	case "fsize":
		limit, _ := strconv.ParseUint(os.Getenv(childLimit), 10, 64)
		rl := syscall.Rlimit{Cur: limit, Max: limit}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &rl); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			return 3
		}
		s, err := Open(path, Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, "open:", err)
			return 2
		}
		recs := make([]incident.Incident, 200)
		for i := range recs {
			recs[i] = big(1000+i, 16<<10)
		}
		_, err = put(s, recs, false)
		s.Close()
		if err == nil {
			fmt.Fprintln(os.Stderr, "put beyond the file size limit succeeded")
			return 1
		}
		fmt.Println(err)
		return 0
	}
	return 2
}

func child(t *testing.T, mode, path string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childDB+"="+path)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	return cmd
}

// verifyWhole opens path as a re-run would and checks that it passes
// bbolt's check and holds exactly the first k whole batches.
func verifyWhole(t *testing.T, path string) int {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("database does not open after the kill: %v", err)
	}
	defer closeChecked(t, s)
	all, err := s.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all)%fillBatchSize != 0 {
		t.Fatalf("%d incidents stored: not whole batches", len(all))
	}
	want := map[string]incident.Incident{}
	for i := range len(all) / fillBatchSize {
		for _, in := range fillBatch(i) {
			want[in.ID] = in
		}
	}
	for _, got := range all {
		if !reflect.DeepEqual(got, want[got.ID]) {
			t.Fatalf("incident %s is not one of the first %d batches, or not whole", got.ID, len(all)/fillBatchSize)
		}
	}
	return len(all) / fillBatchSize
}

func TestKillDuringPuts(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "faultline.db")
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	for round, after := range []int{1, 3, 6} {
		cmd := child(t, "fill", path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for n := 0; n < after && sc.Scan(); n++ {
		}
		// land the kill anywhere in the next transaction
		time.Sleep(time.Duration(r.IntN(20_000)) * time.Microsecond)
		cmd.Process.Kill()
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child was not killed mid-series: %v", round, err)
		}
		done := verifyWhole(t, path)
		t.Logf("round %d: killed after %d+ commits; %d whole batches stored", round, after, done)
	}

	// The re-run completes it.
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Count()
	var total PutStats
	for i := range fillBatches {
		st := mustPut(t, s, fillBatch(i), false)
		total.New += st.New
		total.Unchanged += st.Unchanged
		total.Updated += st.Updated
	}
	closeChecked(t, s)
	want := Counts{New: fillBatches*fillBatchSize - before, Unchanged: before}
	if total.Counts != want {
		t.Errorf("re-run = %+v, want %+v", total, want)
	}
	if got := verifyWhole(t, path); got != fillBatches {
		t.Errorf("after the re-run %d batches stored, want %d", got, fillBatches)
	}
}

// seeded makes a database of n sample incidents at path.
func seeded(t *testing.T, path string, n int) []incident.Incident {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]incident.Incident, n)
	for i := range recs {
		recs[i] = sample(i)
	}
	mustPut(t, s, recs, false)
	closeChecked(t, s)
	return recs
}

func expectContent(t *testing.T, path string, want []incident.Incident) {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("database does not open after the failed write: %v", err)
	}
	defer closeChecked(t, s)
	for _, in := range want {
		got, err := s.Get(in.ID)
		if err != nil || !reflect.DeepEqual(got, in) {
			t.Errorf("incident %s lost or changed: %v", in.ID, err)
		}
	}
	if n, _ := s.Count(); n != len(want) {
		t.Errorf("Count = %d, want %d", n, len(want))
	}
}

// A file-size limit stands in for a full disk: the failing Put reports an
// error and the file keeps what it held.
func TestFileSizeLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faultline.db")
	want := seeded(t, path, 5)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	cmd := child(t, "fsize", path, fmt.Sprintf("%s=%d", childLimit, fi.Size()))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	msg := strings.TrimSpace(string(out))
	if !strings.Contains(msg, "file too large") {
		t.Errorf("Put error = %q, want the file size error", msg)
	}
	t.Logf("Put under the limit: %s", msg)
	expectContent(t, path, want)
}

// mountTmpfs mounts a small tmpfs on a fresh directory, or skips.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "1m")
	path := filepath.Join(dir, "faultline.db")
	want := seeded(t, path, 5)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]incident.Incident, 200)
	for i := range recs {
		recs[i] = big(1000+i, 16<<10)
	}
	_, err = put(s, recs, false)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Put on a full disk = %v, want ENOSPC", err)
	}
	t.Logf("Put on a full disk: %v", err)
	s.Close()

	expectContent(t, path, want)
}

func checkReadOnlyDir(t *testing.T, dir, path string, want []incident.Incident, cause error) {
	t.Helper()
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrReadOnly) || !errors.Is(err, cause) || !strings.Contains(err.Error(), path) {
		t.Errorf("writable Open = %v, want ErrReadOnly and %v naming the file", err, cause)
	}
	fresh := filepath.Join(dir, "new.db")
	_, err = Open(fresh, Options{})
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), fresh) {
		t.Errorf("Open of a new file = %v, want ErrReadOnly naming it", err)
	}
	expectContent(t, path, want)
}

// As root, permission bits do not bite; a read-only mount does.
func TestReadOnlyMount(t *testing.T) {
	dir := mountTmpfs(t, "4m")
	path := filepath.Join(dir, "faultline.db")
	want := seeded(t, path, 3)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only (%v)", err)
	}
	checkReadOnlyDir(t, dir, path, want, syscall.EROFS)
}

func TestReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permission bits do not apply (TestReadOnlyMount covers this)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "faultline.db")
	want := seeded(t, path, 3)
	os.Chmod(path, 0o400)
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	checkReadOnlyDir(t, dir, path, want, fs.ErrPermission)
}

// The database deleted under a running reader: the reader keeps its view,
// and a NoCreate Open says the file is gone instead of making a new one.
func TestDeletedUnderReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faultline.db")
	want := seeded(t, path, 2)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(want[1].ID); err != nil || got.ID != want[1].ID {
		t.Errorf("Get after delete = %v", err)
	}
	_, err = Open(path, Options{NoCreate: true})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("NoCreate Open = %v, want ErrNotExist", err)
	}
	if Exists(path) {
		t.Error("NoCreate Open created the file")
	}
}
