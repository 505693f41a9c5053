package incident

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Triage is what reviewers record about an incident. It is never part of
// an imported source; the store keeps it apart from the incident text.
//
// Every field remembers who set it and when, so that the triage of two
// reviewers merges field by field (Merge): a later setting wins, a field
// one side never set erases nothing, notes of different authors are all
// kept, and tags merge one by one.
type Triage struct {
	Status Mark[string]          `json:"status,omitzero"`
	Star   Mark[bool]            `json:"star,omitzero"`
	Tags   map[string]Mark[bool] `json:"tags,omitempty"` // tag → on (false: removed)
	Notes  []Note                `json:"notes,omitempty"`
	// Taxonomy holds a reviewer's corrections of the source's taxonomy:
	// per category key, the canonical options that apply instead (an
	// empty list: none). A correction whose Value is nil was withdrawn:
	// the source's options apply again.
	Taxonomy map[string]Mark[[]string] `json:"taxonomy,omitempty"`
	// Event is a reviewer's ruling on which event the incident belongs
	// to, overriding the grouping: "alone" (split from its event),
	// "with:<id>" (joined to that incident's event), or "" (as found).
	Event Mark[string] `json:"event,omitzero"`
}

// KindTriage is the "kind" of the records of a triage-only export: an
// incident's identity (id, FAIL id, title, date) and its triage, nothing
// else.
const KindTriage = "triage"

// Stamp says who made a triage change and when. Times are UTC.
type Stamp struct {
	By string
	At time.Time
}

// NewStamp stamps a change made now by reviewer.
func NewStamp(reviewer string) Stamp {
	return Stamp{By: reviewer, At: time.Now().UTC().Truncate(time.Millisecond)}
}

// Mark is one triage setting with its author and time. A zero At is a
// setting older than stamps (a migrated database, an old export): any
// stamped setting is later. Replaced is the At of the setting it replaced,
// so that a merge can tell a change made on top of the other side's value
// from one made beside it.
type Mark[T any] struct {
	Value    T         `json:"value"`
	By       string    `json:"by,omitempty"`
	At       time.Time `json:"at,omitzero"`
	Replaced time.Time `json:"replaced,omitzero"`
}

// Note is one reviewer's note. A note is known by its author and creation
// time; editing it changes Text and At. An empty Text is a deleted note,
// kept so that the deletion merges too.
type Note struct {
	By      string    `json:"by,omitempty"`
	Created time.Time `json:"created,omitzero"`
	At      time.Time `json:"at,omitzero"`
	Text    string    `json:"text"`
}

// Triage statuses, in the order a reviewer cycles through them.
const (
	StatusNew       = "new"
	StatusReviewing = "reviewing"
	StatusRelevant  = "relevant"
	StatusDismissed = "dismissed"
	StatusActioned  = "actioned"
)

// Statuses lists the triage statuses in cycling order.
var Statuses = []string{StatusNew, StatusReviewing, StatusRelevant, StatusDismissed, StatusActioned}

// NextStatus returns the status after s in the cycle; an empty or unknown
// status is treated as new.
func NextStatus(s string) string {
	return Statuses[(statusIndex(s)+1)%len(Statuses)]
}

// PrevStatus returns the status before s in the cycle.
func PrevStatus(s string) string {
	return Statuses[(statusIndex(s)+len(Statuses)-1)%len(Statuses)]
}

func statusIndex(s string) int {
	return max(slices.Index(Statuses, s), 0)
}

// State returns the status, new when none was set.
func (t *Triage) State() string {
	if t.Status.Value == "" {
		return StatusNew
	}
	return t.Status.Value
}

// Starred reports whether the incident is starred.
func (t *Triage) Starred() bool { return t.Star.Value }

// TagList returns the tags that are on, sorted.
func (t *Triage) TagList() []string {
	out := make([]string, 0, len(t.Tags))
	for tag, m := range t.Tags {
		if m.Value {
			out = append(out, tag)
		}
	}
	slices.Sort(out)
	return out
}

// HasTag reports whether tag is on.
func (t *Triage) HasTag(tag string) bool { return t.Tags[tag].Value }

// LiveNotes returns the notes that are not deleted, oldest first.
func (t *Triage) LiveNotes() []Note {
	var out []Note
	for _, n := range t.Notes {
		if n.Text != "" {
			out = append(out, n)
		}
	}
	return out
}

// NoteBy returns the text of reviewer's latest live note, or "".
func (t *Triage) NoteBy(reviewer string) string {
	if i := t.latestNote(reviewer); i >= 0 {
		return t.Notes[i].Text
	}
	return ""
}

// IsZero reports whether nothing at all was recorded, deletions included.
func (t *Triage) IsZero() bool {
	return t.Status.IsZero() && t.Star.IsZero() && len(t.Tags) == 0 && len(t.Notes) == 0 && len(t.Taxonomy) == 0 &&
		t.Event.IsZero()
}

// Untouched reports whether the triage shows nothing: new, unstarred, no
// tags, notes or corrections. Removed tags, deleted notes and withdrawn
// corrections may still be recorded.
func (t *Triage) Untouched() bool {
	return t.State() == StatusNew && !t.Starred() && len(t.TagList()) == 0 && len(t.LiveNotes()) == 0 && !t.Reviewed() &&
		t.Event.Value == ""
}

// SetEvent records a ruling on the incident's event ("alone", "with:ID",
// "" for as found); it reports whether it changed.
func (t *Triage) SetEvent(ruling string, st Stamp) bool {
	if ruling == "" && t.Event.IsZero() {
		return false
	}
	return set(&t.Event, ruling, st, eq[string])
}

// Corrected returns the reviewer's options for category key, and whether
// there is a correction in force.
func (t *Triage) Corrected(key string) ([]string, bool) {
	m, ok := t.Taxonomy[key]
	if !ok || m.Value == nil {
		return nil, false
	}
	return m.Value, true
}

// Reviewed reports whether any taxonomy correction is in force.
func (t *Triage) Reviewed() bool {
	for _, m := range t.Taxonomy {
		if m.Value != nil {
			return true
		}
	}
	return false
}

// SameCorrections reports whether t and o correct the taxonomy alike:
// what search counts of an incident is the same under either.
func (t *Triage) SameCorrections(o *Triage) bool {
	for _, c := range Categories {
		a, aok := t.Corrected(c.Key)
		b, bok := o.Corrected(c.Key)
		if aok != bok || !slices.Equal(a, b) {
			return false
		}
	}
	return true
}

// SetTaxonomy makes opts (canonical options; empty: none apply) the
// reviewer's options of category key, or with nil withdraws the
// correction; it reports whether anything changed.
func (t *Triage) SetTaxonomy(key string, opts []string, st Stamp) bool {
	m, ok := t.Taxonomy[key]
	if !ok && opts == nil {
		return false
	}
	if opts != nil {
		opts = slices.Clone(opts)
	}
	if !set(&m, opts, st, sameOptions) {
		return false
	}
	if t.Taxonomy == nil {
		t.Taxonomy = map[string]Mark[[]string]{}
	}
	t.Taxonomy[key] = m
	return true
}

// sameOptions compares option lists; nil (withdrawn) differs from empty
// (none apply).
func sameOptions(a, b []string) bool { return (a == nil) == (b == nil) && slices.Equal(a, b) }

// EffectiveTaxonomy returns in's taxonomy with the corrections of t laid
// over it: what search, facets and stats count.
func (t *Triage) EffectiveTaxonomy(tax map[string]Category) map[string]Category {
	if !t.Reviewed() {
		return tax
	}
	out := maps.Clone(tax)
	for key := range t.Taxonomy {
		if opts, ok := t.Corrected(key); ok {
			c := out[key]
			c.Options = slices.Clone(opts)
			out[key] = c
		}
	}
	return out
}

// IsZero reports whether the mark was never set.
func (m Mark[T]) IsZero() bool {
	return m.At.IsZero() && m.By == "" && m.Replaced.IsZero() && isZeroValue(m.Value)
}

func isZeroValue(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case bool:
		return !x
	case []string:
		return x == nil
	}
	return false
}

// set replaces m with v at st, and reports whether anything changed.
func set[T any](m *Mark[T], v T, st Stamp, same func(a, b T) bool) bool {
	if !m.IsZero() && same(m.Value, v) {
		return false
	}
	*m = Mark[T]{Value: v, By: st.By, At: st.At, Replaced: m.At}
	return true
}

func eq[T comparable](a, b T) bool { return a == b }

// SetStatus sets the status; it reports whether it changed.
func (t *Triage) SetStatus(s string, st Stamp) bool {
	if s == StatusNew && t.Status.IsZero() {
		return false
	}
	return set(&t.Status, s, st, eq[string])
}

// SetStar stars or unstars; it reports whether it changed.
func (t *Triage) SetStar(on bool, st Stamp) bool {
	if !on && t.Star.IsZero() {
		return false
	}
	return set(&t.Star, on, st, eq[bool])
}

// SetTag adds (on) or removes a tag; it reports whether it changed. A
// removed tag stays recorded as off, so that the removal merges.
func (t *Triage) SetTag(tag string, on bool, st Stamp) bool {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return false
	}
	m, ok := t.Tags[tag]
	if !ok && !on {
		return false
	}
	if !set(&m, on, st, eq[bool]) {
		return false
	}
	if t.Tags == nil {
		t.Tags = map[string]Mark[bool]{}
	}
	t.Tags[tag] = m
	return true
}

// SetTags makes the tags that are on exactly tags; it reports whether
// anything changed.
func (t *Triage) SetTags(tags []string, st Stamp) bool {
	changed := false
	for _, old := range t.TagList() {
		if !slices.ContainsFunc(tags, func(tag string) bool { return strings.TrimSpace(tag) == old }) {
			changed = t.SetTag(old, false, st) || changed
		}
	}
	for _, tag := range tags {
		changed = t.SetTag(tag, true, st) || changed
	}
	return changed
}

// SetNote makes text the reviewer's note: it edits their latest note, or
// adds one; an empty text deletes it. It reports whether it changed.
func (t *Triage) SetNote(text string, st Stamp) bool {
	i := t.latestNote(st.By)
	switch {
	case i < 0 && text == "":
		return false
	case i < 0:
		t.Notes = append(t.Notes, Note{By: st.By, Created: st.At, At: st.At, Text: text})
		t.sortNotes()
		return true
	case t.Notes[i].Text == text:
		return false
	}
	t.Notes[i].Text, t.Notes[i].At = text, st.At
	return true
}

// latestNote returns the index of reviewer's latest live note, or -1.
func (t *Triage) latestNote(reviewer string) int {
	best := -1
	for i, n := range t.Notes {
		if n.By == reviewer && n.Text != "" && (best < 0 || !n.Created.Before(t.Notes[best].Created)) {
			best = i
		}
	}
	return best
}

func (t *Triage) sortNotes() {
	slices.SortStableFunc(t.Notes, func(a, b Note) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.By, b.By))
	})
}

// Clone returns a copy of t that shares nothing mutable with it.
func (t Triage) Clone() Triage {
	t.Tags = maps.Clone(t.Tags)
	t.Notes = slices.Clone(t.Notes)
	t.Taxonomy = maps.Clone(t.Taxonomy)
	return t
}

// MarshalJSON writes the triage with its notes in their stable order.
func (t Triage) MarshalJSON() ([]byte, error) {
	type plain Triage
	t = t.Clone()
	t.sortNotes()
	return json.Marshal(plain(t))
}

// UnmarshalJSON reads the triage as written by MarshalJSON, and also the
// form of older exports and databases, whose fields carry no stamps:
// {"status":"reviewing","starred":true,"tags":["a"],"note":"…"}. Those
// values read as set at a zero time by nobody, so any stamped setting
// wins over them.
func (t *Triage) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*t = Triage{}
	for key, v := range raw {
		if err := t.readKey(key, v); err != nil {
			return fmt.Errorf("triage %s: %w", key, err)
		}
	}
	t.sortNotes()
	return nil
}

func (t *Triage) readKey(key string, v json.RawMessage) error {
	isString := len(v) > 0 && v[0] == '"'
	switch key {
	case "status":
		if isString { // older form; "new" was how it said "not set"
			var s string
			if err := json.Unmarshal(v, &s); err != nil || s == StatusNew {
				return err
			}
			t.Status.Value = s
			return nil
		}
		return json.Unmarshal(v, &t.Status)
	case "star":
		return json.Unmarshal(v, &t.Star)
	case "event":
		return json.Unmarshal(v, &t.Event)
	case "starred": // older form
		return json.Unmarshal(v, &t.Star.Value)
	case "tags":
		if len(v) > 0 && v[0] == '[' {
			var tags []string
			if err := json.Unmarshal(v, &tags); err != nil {
				return err
			}
			for _, tag := range tags {
				if t.Tags == nil {
					t.Tags = map[string]Mark[bool]{}
				}
				t.Tags[tag] = Mark[bool]{Value: true}
			}
			return nil
		}
		return json.Unmarshal(v, &t.Tags)
	case "notes":
		return json.Unmarshal(v, &t.Notes)
	case "taxonomy":
		return json.Unmarshal(v, &t.Taxonomy)
	case "note": // older form: one note, author unknown
		var text string
		if err := json.Unmarshal(v, &text); err != nil {
			return err
		}
		if text != "" {
			t.Notes = append(t.Notes, Note{Text: text})
		}
	}
	return nil // unknown keys: a newer faultline's; ignored
}
