package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test run this binary as faultline itself: with
// FAULTLINE_TEST_MAIN=1 the test binary is the command, so tests can watch
// a whole process (under strace, say) without building it again.
func TestMain(m *testing.M) {
	if os.Getenv("FAULTLINE_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestNoNetwork runs every reading and writing command under strace and
// fails on any socket or connect call: faultline works offline and must
// never reach out, whatever it is asked to do.
func TestNoNetwork(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	if err := exec.Command(strace, "-o", os.DevNull, "true").Run(); err != nil {
		t.Skipf("strace cannot trace here: %v", err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "net.db")
	export := filepath.Join(dir, "all.jsonl")
	steps := [][]string{
		{"stats"}, // creates the database with the starter set
		{"import", "testdata/pages"},
		{"search", "--json", "software failure"},
		{"search", "domain:finance", "-atlanta"},
		{"export", "-o", export},
		{"export", "--format", "md", "outage"},
		{"export", "--format", "csv", "-o", export + ".csv"},
		{"import", export},
		{"import", export + ".csv"},
		{"stats", "--json", "domain:finance"},
		{"__complete", "show", ""},
		{"__complete", "search", "tag:"},
		{"man"},
		{"--version"},
		{"-h"},
	}
	for _, args := range steps {
		log := filepath.Join(dir, "strace.log")
		cmd := exec.Command(strace, append([]string{"-f", "-qq", "-e", "trace=socket,connect", "-o", log, os.Args[0]}, args...)...)
		cmd.Env = append(os.Environ(), "FAULTLINE_TEST_MAIN=1", "FAULTLINE_DB="+db)
		out, _ := cmd.CombinedOutput()
		trace, err := os.ReadFile(log)
		if err != nil {
			t.Fatalf("%v: no trace: %v\n%s", args, err, out)
		}
		for _, line := range strings.Split(string(trace), "\n") {
			if strings.Contains(line, "socket(") || strings.Contains(line, "connect(") {
				t.Errorf("faultline %v opened a socket: %s", args, line)
			}
		}
	}
}
