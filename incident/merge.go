package incident

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MergeReport says what Merge changed.
type MergeReport struct {
	Changed   int        // fields of the receiver that the merge changed
	Conflicts []Conflict // settings where both sides differed
}

// Conflict is a field both sides had set differently, neither on top of
// the other's value: Kept won (it is later), Lost is what the other side
// had.
type Conflict struct {
	Field      string // "status", "star", "tag auth", "note"
	Kept, Lost string // the values, with author and time
}

func (c Conflict) String() string {
	return fmt.Sprintf("%s: kept %s over %s", c.Field, c.Kept, c.Lost)
}

// Merge lays o over t field by field and returns the result:
//   - a status, star or tag setting wins when it is later (by time, then
//     by author and value, so both sides pick the same winner);
//   - a field that o never set leaves t's as it is;
//   - notes are known by author and creation time: a later edit of the
//     same note wins, different notes are all kept;
//   - a removed tag or deleted note wins over an earlier one that is on;
//   - a taxonomy correction merges per category, as a status does.
//
// Merge is commutative and idempotent in its result: merging a into b or b
// into a gives the same triage, and merging twice changes nothing more.
func (t Triage) Merge(o Triage) (Triage, MergeReport) {
	out := t.Clone()
	var rep MergeReport
	mergeMark(&out.Status, o.Status, "status", &rep, eq[string], func(s string) string { return s })
	mergeMark(&out.Star, o.Star, "star", &rep, eq[bool], func(b bool) string { return map[bool]string{true: "starred", false: "unstarred"}[b] })
	mergeMark(&out.Event, o.Event, "event", &rep, eq[string], func(s string) string {
		if s == "" {
			return "as grouped"
		}
		return s
	})
	for _, tag := range sortedKeys(o.Tags) {
		m := out.Tags[tag]
		if mergeMark(&m, o.Tags[tag], "tag "+tag, &rep, eq[bool], func(b bool) string { return map[bool]string{true: "on", false: "removed"}[b] }) {
			if out.Tags == nil {
				out.Tags = map[string]Mark[bool]{}
			}
			out.Tags[tag] = m
		}
	}
	out.Notes = mergeNotes(out.Notes, o.Notes, &rep)
	for _, key := range sortedKeys(o.Taxonomy) {
		m := out.Taxonomy[key]
		if mergeMark(&m, o.Taxonomy[key], "taxonomy "+key, &rep, sameOptions, showOptions) {
			if out.Taxonomy == nil {
				out.Taxonomy = map[string]Mark[[]string]{}
			}
			out.Taxonomy[key] = m
		}
	}
	return out, rep
}

// showOptions is a correction as a person reads it.
func showOptions(opts []string) string {
	switch {
	case opts == nil:
		return "withdrawn"
	case len(opts) == 0:
		return "none"
	}
	return strings.Join(opts, ", ")
}

// mergeMark lays o over *m and reports whether *m changed.
func mergeMark[T any](m *Mark[T], o Mark[T], field string, rep *MergeReport, eq func(a, b T) bool, show func(T) string) bool {
	if o.IsZero() || m.same(o, eq) {
		return false
	}
	if m.IsZero() {
		*m = o
		rep.Changed++
		return true
	}
	win, lose := *m, o
	if later(o, *m, show) {
		win, lose = o, *m
	}
	if !eq(win.Value, lose.Value) && !lose.At.IsZero() && !win.Replaced.Equal(lose.At) {
		rep.Conflicts = append(rep.Conflicts, Conflict{Field: field, Kept: describe(win, show), Lost: describe(lose, show)})
	}
	if m.same(win, eq) {
		return false
	}
	*m = win
	rep.Changed++
	return true
}

// same reports whether m and o are the same setting.
func (m Mark[T]) same(o Mark[T], eq func(a, b T) bool) bool {
	return eq(m.Value, o.Value) && m.By == o.By && m.At.Equal(o.At) && m.Replaced.Equal(o.Replaced)
}

// later reports whether a is the later setting: by time, then author,
// then value, so that every replica picks the same one.
func later[T any](a, b Mark[T], show func(T) string) bool {
	return cmp.Or(a.At.Compare(b.At), strings.Compare(a.By, b.By), strings.Compare(show(a.Value), show(b.Value))) > 0
}

func describe[T any](m Mark[T], show func(T) string) string {
	return fmt.Sprintf("%s (%s)", show(m.Value), stampText(m.By, m.At))
}

// stampText is "alice, 2026-12-01 10:00 UTC", with blanks for what is
// unknown.
func stampText(by string, at time.Time) string {
	if by == "" {
		by = "unknown reviewer"
	}
	if at.IsZero() {
		return by + ", before times were recorded"
	}
	return by + ", " + at.UTC().Format("2006-01-02 15:04 UTC")
}

// mergeNotes merges notes by author and creation time.
func mergeNotes(mine, theirs []Note, rep *MergeReport) []Note {
	out := slices.Clone(mine)
	for _, n := range theirs {
		i := slices.IndexFunc(out, func(m Note) bool { return m.By == n.By && m.Created.Equal(n.Created) })
		switch {
		case i < 0:
			out = append(out, n)
			rep.Changed++
		case sameNote(out[i], n):
		case n.At.After(out[i].At) || n.At.Equal(out[i].At) && n.Text > out[i].Text:
			if n.At.Equal(out[i].At) {
				rep.Conflicts = append(rep.Conflicts, noteConflict(n, out[i]))
			}
			out[i] = n
			rep.Changed++
		case n.At.Equal(out[i].At):
			rep.Conflicts = append(rep.Conflicts, noteConflict(out[i], n))
		}
	}
	slices.SortStableFunc(out, func(a, b Note) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.By, b.By))
	})
	return out
}

func sameNote(a, b Note) bool {
	return a.By == b.By && a.Created.Equal(b.Created) && a.At.Equal(b.At) && a.Text == b.Text
}

func noteConflict(kept, lost Note) Conflict {
	q := func(n Note) string { return fmt.Sprintf("%q (%s)", clipText(n.Text, 60), stampText(n.By, n.At)) }
	return Conflict{Field: "note", Kept: q(kept), Lost: q(lost)}
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Describe is a stamp as a person reads it: "alice, 2026-12-01 10:00 UTC".
func (s Stamp) Describe() string { return stampText(s.By, s.At) }
