package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// term is the explorer running in a real terminal: a tmux session on its
// own server socket, driven with send-keys and read with capture-pane.
type term struct {
	t      *testing.T
	socket string
	db     string
}

// startTerm runs this test binary as faultline in tmux at w×h, on a
// fresh database of the starter set.
func startTerm(t *testing.T, w, h int, env ...string) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	dir := t.TempDir()
	tt := &term{t: t, socket: "faultline-test", db: filepath.Join(dir, "review.db")}
	tt.tmux("kill-server") // a server left by an interrupted run
	vars := append([]string{"FAULTLINE_TEST_MAIN=1", "FAULTLINE_DB=" + tt.db, "FAULTLINE_REVIEWER=ann",
		"XDG_CONFIG_HOME=" + dir, "NO_COLOR=1", "TERM=xterm-256color"}, env...)
	cmd := "env " + strings.Join(quoteAll(vars), " ") + " " + quote(os.Args[0])
	if out, err := exec.Command("tmux", "-L", tt.socket, "-f", os.DevNull, "new-session", "-d",
		"-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmd).CombinedOutput(); err != nil {
		t.Skipf("tmux cannot start a session here: %v: %s", err, out)
	}
	tt.tmux("set-option", "-g", "set-clipboard", "on")
	t.Cleanup(func() { tt.tmux("kill-server") })
	tt.waitFor("of 14 incidents")
	return tt
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

func (tt *term) tmux(args ...string) string {
	out, _ := exec.Command("tmux", append([]string{"-L", tt.socket}, args...)...).CombinedOutput()
	return string(out)
}

// keys sends tmux key names (Enter, Escape, C-c, Space) or, with
// literal, text as typed.
func (tt *term) keys(keys ...string) { tt.tmux(append([]string{"send-keys", "-t", "0"}, keys...)...) }

func (tt *term) typeText(s string) { tt.tmux("send-keys", "-t", "0", "-l", s) }

func (tt *term) screen() string { return tt.tmux("capture-pane", "-p", "-t", "0") }

// waitFor waits until the screen shows marker, and returns the screen.
func (tt *term) waitFor(marker string) string {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tt.screen()
		if strings.Contains(s, marker) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("screen never showed %q:\n%s", marker, s)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitGone waits until the screen no longer shows marker.
func (tt *term) waitGone(marker string) {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(tt.screen(), marker) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("screen still shows %q:\n%s", marker, tt.screen())
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// triage prints the triage of id with the command line, from the file.
func (tt *term) triage(id string) string {
	cmd := exec.Command(os.Args[0], "--db", tt.db, "triage", id)
	cmd.Env = append(os.Environ(), "FAULTLINE_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tt.t.Fatalf("triage %s: %v\n%s", id, err, out)
	}
	return string(out)
}

// TestReviewLoopInTmux is a new user's review session, in a real terminal
// at the sizes people use: filter the new incidents, walk them with t and
// n, come back to a refreshed list, mark three and star them, undo,
// correct an incident's phase, copy its id; and the note editor's ctrl+c
// and ctrl+e.
func TestReviewLoopInTmux(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}, {60, 18}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			reviewLoop(t, size[0], size[1])
		})
	}
}

func reviewLoop(t *testing.T, w, h int) {
	editor := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'from the editor\\n' >> \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tt := startTerm(t, w, h, "EDITOR="+editor, "VISUAL=")
	tt.keys("/")
	tt.typeText("triage:new")
	tt.waitFor("14 of 14")
	tt.keys("Enter")
	tt.waitFor("1/14")
	for i := 1; i <= 5; i++ {
		tt.keys("t")
		tt.waitFor("status: reviewing")
		tt.keys("n")
		if i < 5 {
			// the queue holds: the incident left the filter, n goes on
			tt.waitFor(fmt.Sprintf("%d/14", i+1))
		}
	}
	screen := tt.waitFor("6/14")
	tt.keys("Escape")
	screen = tt.waitFor("9 of 14")
	if !strings.Contains(screen, "/ triage:new") {
		t.Fatalf("the list lost its query:\n%s", screen)
	}
	for _, line := range strings.Split(screen, "\n") {
		if strings.HasPrefix(line, "▌") {
			break
		}
		if strings.Contains(line, "reviewing") {
			t.Errorf("a reviewed incident is still listed under triage:new:\n%s", screen)
		}
	}
	// mark three rows and star them, then undo
	tt.keys("Space", "Space", "Space")
	tt.waitFor("3 marked")
	tt.keys("*")
	tt.waitFor("starred 3 incidents")
	if n := strings.Count(tt.screen(), "✓★"); n != 3 {
		t.Errorf("%d marked rows starred, want 3:\n%s", n, tt.screen())
	}
	tt.keys("u")
	screen = tt.waitFor("undone: starred 3 incidents")
	if strings.Contains(screen, "★") {
		t.Errorf("stars left after undo:\n%s", screen)
	}
	// correct the phase of the incident under the cursor
	tt.keys("Escape") // the marks
	// the rows' marks, not the status line's count, which a status
	// message can stand in for: else escape and enter arrive as alt+enter
	tt.waitGone("✓")
	tt.keys("Enter")
	tt.waitFor("Summary")
	tt.keys("6")
	tt.waitFor("Phase")
	tt.keys("j", "c")
	tt.waitFor("the options that apply")
	tt.keys("G", "Space", "Enter") // tick "unknown", the last option
	screen = tt.waitFor("taxonomy corrected")
	if !strings.Contains(screen, "✎") || !strings.Contains(screen, "(source:") {
		t.Errorf("the correction is not shown beside the source's options:\n%s", screen)
	}
	// copy its id, which the terminal (tmux) takes through OSC 52
	tt.keys("y")
	screen = tt.waitFor("to the clipboard")
	id := strings.TrimSpace(tt.tmux("show-buffer"))
	if id == "" || !strings.Contains(screen, "copied "+id) {
		t.Fatalf("clipboard holds %q:\n%s", id, screen)
	}
	if got := tt.triage(id); !strings.Contains(got, "unknown") || !strings.Contains(got, "(the source says") {
		t.Errorf("the correction was not saved:\n%s", got)
	}
	// the note editor: ctrl+c asks, d keeps a draft that e offers again
	tt.keys("e")
	tt.waitFor("Note ·")
	tt.typeText("check our pins")
	tt.keys("C-c")
	tt.waitFor("keep it as a draft")
	tt.keys("d")
	tt.waitFor("kept as a draft")
	tt.keys("e")
	tt.waitFor("a draft kept from before")
	tt.waitFor("check our pins")
	tt.keys("C-e") // $EDITOR appends a line
	tt.waitFor("from the editor")
	tt.keys("Escape")
	tt.waitFor("note saved")
	if got := tt.triage(id); !strings.Contains(got, "check our pins") || !strings.Contains(got, "from the editor") {
		t.Errorf("the note was not saved:\n%s", got)
	}
	// the footer keeps help and quit at every size
	if s := tt.screen(); !strings.Contains(s, "? help") || !strings.Contains(s, "q quit") {
		t.Errorf("footer lost ? help or q quit:\n%s", s)
	}
	tt.keys("q")
}
