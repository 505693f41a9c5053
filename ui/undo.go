package ui

import (
	"reflect"

	"github.com/faultline/faultline/incident"
)

// change is one incident's triage before and after a change.
type change struct {
	id            string
	before, after incident.Triage
}

// undoEntry is a triage action as the user made it: one key, on one
// incident or on many.
type undoEntry struct {
	what    string
	changes []change
}

// maxUndo is how many actions u can take back.
const maxUndo = 100

// changed reports whether a change did anything.
func (ch change) changed() bool { return !reflect.DeepEqual(ch.before, ch.after) }

// restore sets, in t, what the change from before to after touched back
// to its value before, with new stamps: an undo is a later change, never
// a rewrite of history, so it merges with what colleagues did meanwhile
// like any other change, and what it did not touch stays as t has it.
func restore(t *incident.Triage, before, after incident.Triage, reviewer string, st incident.Stamp) {
	if before.State() != after.State() {
		t.SetStatus(before.State(), st)
	}
	if before.Starred() != after.Starred() {
		t.SetStar(before.Starred(), st)
	}
	tags := map[string]bool{}
	for tag := range before.Tags {
		tags[tag] = true
	}
	for tag := range after.Tags {
		tags[tag] = true
	}
	for tag := range tags {
		if before.HasTag(tag) != after.HasTag(tag) {
			t.SetTag(tag, before.HasTag(tag), st)
		}
	}
	if b := before.NoteBy(reviewer); b != after.NoteBy(reviewer) {
		t.SetNote(b, st)
	}
	if before.Event.Value != after.Event.Value {
		t.SetEvent(before.Event.Value, st)
	}
	for _, spec := range incident.Categories {
		b, bok := before.Corrected(spec.Key)
		a, aok := after.Corrected(spec.Key)
		if bok != aok || !reflect.DeepEqual(b, a) {
			if !bok {
				b = nil // withdraw: the source's options apply again
			} else if b == nil {
				b = []string{}
			}
			t.SetTaxonomy(spec.Key, b, st)
		}
	}
}
