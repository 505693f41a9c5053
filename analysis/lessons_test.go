package analysis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
)

func withItems(id, preventions, fixes string) incident.Incident {
	return incident.Incident{ID: id, Title: "Incident " + id, Published: "2020-01-01",
		Postmortem: incident.Postmortem{Preventions: preventions, Fixes: fixes}}
}

// lessonOf returns the lesson whose incidents are ids, or nil.
func lessonOf(ls []Lesson, ids ...string) *Lesson {
	for i := range ls {
		if slices.Equal(ls[i].Incidents, ids) {
			return &ls[i]
		}
	}
	return nil
}

func TestLessonMerging(t *testing.T) {
	incs := []incident.Incident{
		withItems("a",
			"1. Regularly patching the VPN appliances to close known vulnerabilities [1001]. "+
				"2. Training staff to recognise phishing emails [1001].",
			"1. The VPN appliances were patched [1002]."),
		withItems("b",
			"1. Implementing a robust process for patching VPN appliances against known vulnerabilities [2001]. "+
				"2. Segmenting the hospital network so that one breach cannot spread [2001].",
			""),
		withItems("c",
			"1. Conducting regular phishing awareness training for all staff [3001].",
			"1. Implementing robust measures [3001]."),
		withItems("d", "", "1. Implementing robust measures [4001]."),
		withItems("e", "1. Patching VPN appliances against known vulnerabilities promptly.", ""),
	}
	events := []Event{{ID: "a", Incidents: []string{"a"}}, {ID: "b", Incidents: []string{"b", "e"}}}
	notes := []Note{
		{Incident: "c", Text: "Segment the network so a breach cannot spread from one hospital system"},
		{Incident: "d", Text: "Keep an offline copy of the backups"},
	}
	ls := Lessons(incs, events, notes)

	for _, c := range []struct {
		name      string
		incidents []string
		events    int
		items     int
		fields    []string
		text      string // a part of the lesson's text
	}{
		{"one advice in other words, citations aside", []string{"a", "b", "e"}, 2, 4,
			[]string{"preventions", "fixes"}, "VPN"},
		{"training", []string{"a", "c"}, 2, 2, []string{"preventions"}, "phishing"},
		{"a note joins a lesson", []string{"b", "c"}, 2, 2, []string{"preventions", "notes"}, "Segment"},
		{"filler alone merges only with its own words", []string{"c", "d"}, 2, 2, []string{"fixes"},
			"Implementing robust measures"},
		{"a note of its own", []string{"d"}, 1, 1, []string{"notes"}, "offline copy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := lessonOf(ls, c.incidents...)
			if l == nil {
				t.Fatalf("no lesson of %v in %s", c.incidents, dumpLessons(ls))
			}
			if l.Events != c.events || l.Items != c.items || !slices.Equal(l.Fields, c.fields) ||
				!strings.Contains(l.Text, c.text) {
				t.Errorf("got %+v", *l)
			}
		})
	}
	items := 0
	for i, l := range ls {
		items += l.Items
		if i > 0 && l.Events > ls[i-1].Events {
			t.Errorf("lesson %d has more events than the one before", i)
		}
	}
	if items != 11 {
		t.Errorf("%d items in lessons, want 11: each in exactly one", items)
	}
	if ls[0].Events != 2 || ls[0].Items != 4 {
		t.Errorf("first lesson %+v, want the VPN patching", ls[0])
	}
}

func dumpLessons(ls []Lesson) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "\n  %v %d events %d items %v: %s", l.Incidents, l.Events, l.Items, l.Fields, l.Text)
	}
	return b.String()
}

// TestSimilarItemsIsExact checks the filtered join against comparing every
// pair, on items drawn from a small vocabulary so that many are alike.
func TestSimilarItemsIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vocab := strings.Fields("patch vpn firmware phishing training backup offline segment network " +
		"audit penetration test encryption password rotation monitor alert log vendor contract")
	var raw []rawItem
	for range 600 {
		var words []string
		for range 1 + r.IntN(8) {
			words = append(words, vocab[r.IntN(min(len(vocab), 4+r.IntN(len(vocab))))])
		}
		raw, _ = appendItem(raw, strings.Join(words, " "), "x", fromNotes, nil)
	}
	x := &LessonIndex{stems: map[uint64]int32{}}
	items := make([]lessonItem, len(raw))
	for i, r := range raw {
		items[i] = x.number(r, nil)
	}
	for _, th := range []float64{0.3, 0.4, 0.5, 0.8} {
		got := similarItems(items, len(x.stems), th)
		for i := range items {
			var want []int32
			for j := range items {
				if j == i {
					continue
				}
				if jaccard(items[i].set, items[j].set) >= th-1e-9 {
					want = append(want, int32(j))
				}
			}
			g := slices.Clone(got[i])
			slices.Sort(g)
			if !slices.Equal(g, want) {
				t.Fatalf("t=%.1f, item %d %v: neighbours %v, want %v", th, i, items[i].text, g, want)
			}
		}
	}
}

// TestLessonsAreOrderFree checks that lessons depend on the incidents and
// notes, not on their order.
func TestLessonsAreOrderFree(t *testing.T) {
	incs := mixed(t, 200)
	events := Group(incs, nil)
	notes := []Note{{incs[0].ID, "Patch the VPN appliances"}, {incs[1].ID, "Patching VPN appliances"}}
	want := Lessons(incs, events, notes)
	r := rand.New(rand.NewPCG(5, 6))
	shuffled := slices.Clone(incs)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	slices.Reverse(notes)
	if got := Lessons(shuffled, events, notes); !reflect.DeepEqual(got, want) {
		t.Fatal("shuffled incidents give other lessons")
	}
}

// TestLessonIndexSubset checks that the lessons of some incidents of an
// index are those of the incidents alone.
func TestLessonIndexSubset(t *testing.T) {
	incs := mixed(t, 200)
	events := Group(incs, nil)
	x := NewLessonIndex(incs)
	var ids []string
	var subset []incident.Incident
	for i := 0; i < len(incs); i += 3 {
		ids = append(ids, incs[i].ID, incs[i].ID, "no such incident")
		subset = append(subset, incs[i])
	}
	notes := []Note{{incs[0].ID, "Patch the VPN appliances"}}
	if got, want := x.Lessons(ids, events, notes), Lessons(subset, events, notes); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d lessons from the index, %d from the incidents alone", len(got), len(want))
	}
	if got := x.Lessons([]string{}, nil, nil); len(got) != 0 {
		t.Errorf("no incidents: %d lessons", len(got))
	}
}

// TestSampleLessons reads the lessons of the FAIL sample: every item is in
// one lesson, and the advice most often given is to test and audit
// software for security before release.
//
//	go test ./analysis/ -run TestSampleLessons -v
func TestSampleLessons(t *testing.T) {
	incs := sampleIncidents(t)
	ls := Lessons(incs, Group(incs, nil), nil)
	items := 0
	for _, in := range incs {
		items += len(incident.Items(in.Postmortem.Preventions)) + len(incident.Items(in.Postmortem.Fixes))
	}
	n, multi := 0, 0
	for _, l := range ls {
		n += l.Items
		if l.Events > 1 {
			multi++
		}
	}
	t.Logf("%d items, %d lessons, %d of them from more than one event", items, len(ls), multi)
	for _, l := range ls[:5] {
		t.Logf("%d events, %d incidents: %.100s", l.Events, len(l.Incidents), l.Text)
	}
	if n != items {
		t.Errorf("%d items in lessons, want %d", n, items)
	}
	if top := ls[0]; top.Events < 5 || !strings.Contains(top.Text, "security testing") {
		t.Errorf("first lesson: %d events, %q", top.Events, top.Text)
	}
}
