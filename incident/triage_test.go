package incident

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func at(min int) Stamp {
	return Stamp{At: time.Date(2026, 12, 1, 10, min, 0, 0, time.UTC)}
}

func by(who string, min int) Stamp {
	s := at(min)
	s.By = who
	return s
}

func TestMerge(t *testing.T) {
	type result struct {
		status  string
		starred bool
		tags    []string
		notes   []string
	}
	tests := []struct {
		name          string
		mine, theirs  func(*Triage)
		want          result
		changed       int
		conflictCount int
	}{
		{
			name: "absent never erases",
			mine: func(t *Triage) {
				t.SetStatus("relevant", by("alice", 1))
				t.SetStar(true, by("alice", 1))
				t.SetNote("mine", by("alice", 1))
			},
			theirs: func(t *Triage) {},
			want:   result{"relevant", true, []string{}, []string{"mine"}},
		},
		{
			name:    "later status wins",
			mine:    func(t *Triage) { t.SetStatus("reviewing", by("alice", 1)) },
			theirs:  func(t *Triage) { t.SetStatus("dismissed", by("bob", 5)) },
			want:    result{"dismissed", false, []string{}, nil},
			changed: 1, conflictCount: 1,
		},
		{
			name:          "earlier status loses",
			mine:          func(t *Triage) { t.SetStatus("reviewing", by("alice", 9)) },
			theirs:        func(t *Triage) { t.SetStatus("dismissed", by("bob", 5)) },
			want:          result{"reviewing", false, []string{}, nil},
			conflictCount: 1,
		},
		{
			name: "a change on top of mine is no conflict",
			mine: func(t *Triage) { t.SetStatus("reviewing", by("alice", 1)) },
			theirs: func(t *Triage) {
				t.SetStatus("reviewing", by("alice", 1))
				t.SetStatus("actioned", by("bob", 3))
			},
			want:    result{"actioned", false, []string{}, nil},
			changed: 1,
		},
		{
			name:    "two authors' notes are both kept",
			mine:    func(t *Triage) { t.SetNote("alice thinks", by("alice", 1)) },
			theirs:  func(t *Triage) { t.SetNote("bob thinks", by("bob", 2)) },
			want:    result{"new", false, []string{}, []string{"alice thinks", "bob thinks"}},
			changed: 1,
		},
		{
			name: "a later edit of the same note wins",
			mine: func(t *Triage) { t.SetNote("draft", by("alice", 1)) },
			theirs: func(t *Triage) {
				t.SetNote("draft", by("alice", 1))
				t.SetNote("final", by("alice", 4))
			},
			want:    result{"new", false, []string{}, []string{"final"}},
			changed: 1,
		},
		{
			name:    "tags are a union",
			mine:    func(t *Triage) { t.SetTag("auth", true, by("alice", 1)) },
			theirs:  func(t *Triage) { t.SetTag("dns", true, by("bob", 2)) },
			want:    result{"new", false, []string{"auth", "dns"}, nil},
			changed: 1,
		},
		{
			name: "a later removal wins",
			mine: func(t *Triage) { t.SetTag("auth", true, by("alice", 1)) },
			theirs: func(t *Triage) {
				t.SetTag("auth", true, by("alice", 1))
				t.SetTag("auth", false, by("bob", 3))
			},
			want:    result{"new", false, []string{}, nil},
			changed: 1,
		},
		{
			name: "an earlier removal loses",
			mine: func(t *Triage) { t.SetTag("auth", true, by("alice", 8)) },
			theirs: func(t *Triage) {
				t.SetTag("auth", true, by("bob", 1))
				t.SetTag("auth", false, by("bob", 3))
			},
			want:          result{"new", false, []string{"auth"}, nil},
			conflictCount: 1,
		},
		{
			name:    "a stamped setting wins over an unstamped one",
			mine:    func(t *Triage) { t.Status = Mark[string]{Value: "relevant"} },
			theirs:  func(t *Triage) { t.SetStatus("dismissed", by("bob", 1)) },
			want:    result{"dismissed", false, []string{}, nil},
			changed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mine, theirs Triage
			tt.mine(&mine)
			tt.theirs(&theirs)
			got, rep := mine.Merge(theirs)
			var notes []string
			for _, n := range got.LiveNotes() {
				notes = append(notes, n.Text)
			}
			res := result{got.State(), got.Starred(), got.TagList(), notes}
			if !reflect.DeepEqual(res, tt.want) {
				t.Errorf("merged = %+v, want %+v", res, tt.want)
			}
			if rep.Changed != tt.changed || len(rep.Conflicts) != tt.conflictCount {
				t.Errorf("report = %+v, want %d changed, %d conflicts", rep, tt.changed, tt.conflictCount)
			}
			// Commutative in result, idempotent.
			other, _ := theirs.Merge(mine)
			if !reflect.DeepEqual(mustJSON(t, other), mustJSON(t, got)) {
				t.Errorf("theirs.Merge(mine) = %s\nmine.Merge(theirs) = %s", mustJSON(t, other), mustJSON(t, got))
			}
			again, rep2 := got.Merge(theirs)
			if rep2.Changed != 0 || mustJSON(t, again) != mustJSON(t, got) {
				t.Errorf("merging twice changed %d fields", rep2.Changed)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTriageJSONRoundTrip(t *testing.T) {
	var tr Triage
	tr.SetStatus("reviewing", by("alice", 1))
	tr.SetStar(true, by("alice", 2))
	tr.SetTag("auth", true, by("bob", 3))
	tr.SetTag("dns", true, by("bob", 3))
	tr.SetTag("dns", false, by("bob", 4))
	tr.SetNote("line one\nline two", by("alice", 5))
	data := mustJSON(t, tr)
	var back Triage
	if err := json.Unmarshal([]byte(data), &back); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, back); got != data {
		t.Errorf("round trip:\n got %s\nwant %s", got, data)
	}
	if back.State() != "reviewing" || !back.Starred() || !reflect.DeepEqual(back.TagList(), []string{"auth"}) || back.NoteBy("alice") != "line one\nline two" {
		t.Errorf("read back %+v", back)
	}
}

func TestTriageReadsOlderForm(t *testing.T) {
	var tr Triage
	old := `{"status":"relevant","starred":true,"tags":["auth","dns"],"note":"kept"}`
	if err := json.Unmarshal([]byte(old), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.State() != "relevant" || !tr.Starred() || !reflect.DeepEqual(tr.TagList(), []string{"auth", "dns"}) {
		t.Errorf("read %+v", tr)
	}
	if n := tr.LiveNotes(); len(n) != 1 || n[0].Text != "kept" || n[0].By != "" {
		t.Errorf("notes %+v", n)
	}
	var fresh Triage
	if err := json.Unmarshal([]byte(`{"status":"new","starred":false,"tags":[],"note":""}`), &fresh); err != nil {
		t.Fatal(err)
	}
	if !fresh.IsZero() {
		t.Errorf("an untouched older triage reads as %+v", fresh)
	}
}

func TestSetNoteEditsOwnNote(t *testing.T) {
	var tr Triage
	tr.SetNote("bob's", by("bob", 1))
	tr.SetNote("first", by("alice", 2))
	tr.SetNote("second", by("alice", 3))
	if n := tr.LiveNotes(); len(n) != 2 || n[1].Text != "second" || !n[1].Created.Equal(at(2).At) {
		t.Fatalf("notes %+v", n)
	}
	tr.SetNote("", by("alice", 4))
	if n := tr.LiveNotes(); len(n) != 1 || n[0].By != "bob" {
		t.Errorf("after delete: %+v", n)
	}
	if len(tr.Notes) != 2 {
		t.Errorf("the deletion is not kept for merging: %+v", tr.Notes)
	}
}

func TestTaxonomyCorrections(t *testing.T) {
	tax := map[string]Category{"phase": {Options: []string{"operation"}, Rationale: "r"}, "domain": {Options: []string{"finance"}}}
	var mine, theirs Triage
	if mine.Reviewed() {
		t.Fatal("an empty triage is reviewed")
	}
	mine.SetTaxonomy("phase", []string{"design", "operation"}, by("ann", 1))
	eff := mine.EffectiveTaxonomy(tax)
	if !reflect.DeepEqual(eff["phase"].Options, []string{"design", "operation"}) || eff["phase"].Rationale != "r" ||
		!reflect.DeepEqual(tax["phase"].Options, []string{"operation"}) || !mine.Reviewed() {
		t.Errorf("effective %+v, original %+v", eff, tax)
	}
	theirs.SetTaxonomy("phase", []string{"design"}, by("bob", 2))
	theirs.SetTaxonomy("domain", []string{}, by("bob", 2))
	got, rep := mine.Merge(theirs)
	if opts, _ := got.Corrected("phase"); !reflect.DeepEqual(opts, []string{"design"}) || rep.Changed != 2 || len(rep.Conflicts) != 1 {
		t.Errorf("merged %+v, report %+v", got.Taxonomy, rep)
	}
	if opts, ok := got.Corrected("domain"); !ok || len(opts) != 0 {
		t.Errorf("domain corrected to none: %v %v", opts, ok)
	}
	got.SetTaxonomy("domain", nil, by("ann", 3))
	if _, ok := got.Corrected("domain"); ok || got.EffectiveTaxonomy(tax)["domain"].Options[0] != "finance" {
		t.Error("a withdrawn correction still applies")
	}
	back := mustJSON(t, got)
	var again Triage
	if err := json.Unmarshal([]byte(back), &again); err != nil || mustJSON(t, again) != back {
		t.Errorf("round trip: %v\n%s\n%s", err, back, mustJSON(t, again))
	}
}
