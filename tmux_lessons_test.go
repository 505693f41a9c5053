package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestLessonsAndCrossTabInTmux reads the lessons of the starter set and
// drills into a cross-tab's cell, in a real terminal at the sizes people
// use: the screen's lessons are the lessons command's, and the list a
// cell filters to counts what the cell did.
func TestLessonsAndCrossTabInTmux(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}, {60, 18}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			lessonsAndCrossTab(t, size[0], size[1])
		})
	}
}

func lessonsAndCrossTab(t *testing.T, w, h int) {
	tt := startTerm(t, w, h)
	tt.keys("L")
	screen := tt.waitFor("from 14 incidents")
	want := tt.lessons()
	if head := fmt.Sprintf("Lessons · %d from 14 incidents", len(want)); !strings.Contains(screen, head) {
		t.Errorf("want %q:\n%s", head, screen)
	}
	first := regexp.MustCompile(`(?m)^▌ +(\d+) `).FindStringSubmatch(screen)
	if first == nil || first[1] != fmt.Sprint(want[0].Events) {
		t.Errorf("the first lesson comes from %v failures, the command says %d:\n%s", first, want[0].Events, screen)
	}
	tt.keys("Enter")
	tt.waitFor("Lesson 1 of")
	tt.waitFor(fmt.Sprintf("1/%d incidents", len(want[0].Incidents)))
	tt.keys("Enter")
	tt.waitFor("Summary")
	tt.keys("Escape")
	tt.waitFor("Lesson 1 of")
	tt.keys("Escape")
	tt.waitGone("Lesson 1 of")
	tt.keys("Escape")
	tt.waitFor("of 14 incidents")

	tt.keys("v")
	tt.waitFor("Stats ·")
	tt.keys("x")
	tt.waitFor("Cross-tab")
	tt.keys("G", "k", "k", "Enter") // Domain, third from the bottom
	// every event of the starter set is one incident: a cell's count of
	// events is the list's count of incidents
	named := regexp.MustCompile(`(\S+) × (\S+): (\d+) (?:incidents?|events?)`)
	screen = tt.waitFor("· row ") // the status line names a cell once the table is counted
	if !strings.Contains(screen, "× Domain") {
		t.Fatalf("not the cross-tab by Domain:\n%s", screen)
	}
	cell := named.FindStringSubmatch(screen)
	if cell == nil {
		t.Fatalf("no cell named in the status line:\n%s", tt.screen())
	}
	tt.keys("l") // the next column
	tt.waitGone(cell[0])
	if cell = named.FindStringSubmatch(tt.screen()); cell == nil {
		t.Fatalf("no cell named in the status line:\n%s", tt.screen())
	}
	tt.keys("Enter")
	screen = tt.waitFor(fmt.Sprintf("%s of 14 incidents", cell[3]))
	if !strings.Contains(screen, "domain:"+cell[2]) || !strings.Contains(screen, ":"+cell[1]) {
		t.Errorf("the list is not filtered by the cell %s × %s:\n%s", cell[1], cell[2], screen)
	}
}

type lessonJSON struct {
	Text      string
	Incidents []string
	Events    int
}

// lessons prints the lessons of every incident with the command line.
func (tt *term) lessons() []lessonJSON {
	cmd := exec.Command(os.Args[0], "--db", tt.db, "lessons", "--json", "--limit", "0")
	cmd.Env = append(os.Environ(), "FAULTLINE_TEST_MAIN=1")
	out, err := cmd.Output()
	var got struct{ Lessons []lessonJSON }
	if err != nil || json.Unmarshal(out, &got) != nil || len(got.Lessons) == 0 {
		tt.t.Fatalf("lessons --json: %v\n%s", err, out)
	}
	return got.Lessons
}
