package store

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// Input is one record an import hands to Put.
type Input struct {
	// Incident is the record as its source gave it. Its ID, Triage and
	// Sources are ignored: see the fields below.
	Incident incident.Incident
	// ID is the id our own export gave the record, if it came from one.
	ID string
	// Source says where it came from: form and file. Put fills the source
	// id and the times. A zero Source adds no provenance (our own exports
	// carry theirs in Sources).
	Source incident.Source
	// Sources is provenance the record carries (our own exports), merged
	// into the stored.
	Sources []incident.Source
	// Triage, when not nil, is merged into the stored triage field by field.
	Triage *incident.Triage
	// TriageOnly: the record only names an incident (id, source id, title,
	// date) for its Triage. It never adds an incident: the triage of one
	// not stored is kept aside under its id until it is imported.
	TriageOnly bool
}

// Counts counts what an import did to the incidents it was given.
type Counts struct {
	New       int // not stored before
	Updated   int // stored, and the import changed its text
	Unchanged int // stored, and the import left its text as it was
}

// PutStats is what one Put did.
type PutStats struct {
	Counts
	TriageMerged int              // triage fields the import changed
	Conflicts    []TriageConflict // triage both sides had set differently
	Notices      []Notice         // what a person should know: records kept apart, …

	// Changed are the ids of the incidents stored new or updated, and
	// Rekeyed the ids incidents left for the id of their source key: what
	// derived data (the grouping into events) must take in.
	Changed, Rekeyed []string
}

// Add adds o's counts to st.
func (st *PutStats) Add(o PutStats) {
	st.New += o.New
	st.Updated += o.Updated
	st.Unchanged += o.Unchanged
	st.TriageMerged += o.TriageMerged
	st.Conflicts = append(st.Conflicts, o.Conflicts...)
	st.Notices = append(st.Notices, o.Notices...)
	st.Changed = append(st.Changed, o.Changed...)
	st.Rekeyed = append(st.Rekeyed, o.Rekeyed...)
}

// TriageConflict is a triage conflict of one incident.
type TriageConflict struct {
	ID, Title string
	incident.Conflict
}

// Notice is something a Put decided that a person should know about.
type Notice struct {
	ID, Title string
	Text      string
}

// now is the clock of provenance times; tests replace it.
var now = func() time.Time { return time.Now().UTC().Truncate(time.Second) }

// Put stores recs in one transaction: all of them or, on error, none.
//
// Each record is matched to the stored incident it is (see resolve), or
// stored as a new one. A match is merged (see merge): what the record
// leaves empty keeps its stored value, so a source that lacks a field
// never erases it, and a record whose source gave the same content last
// time changes nothing. Its source is added to the incident's provenance.
// Triage carried by a record is merged field by field; Put never replaces
// triage. recs is not modified.
func (s *Store) Put(recs []Input) (PutStats, error) { return s.PutEach(recs, nil) }

// PutEach is Put that, once the transaction is committed, calls stored
// with each incident it added or changed, as it is now stored (its
// sources and triage included), so that an index can take them without
// reading them back.
func (s *Store) PutEach(recs []Input, stored func(incident.Incident) error) (PutStats, error) {
	var st PutStats
	if len(recs) == 0 && !s.readOnly {
		return st, nil
	}
	var changed []incident.Incident
	err := s.update(func(tx *bolt.Tx) error {
		p := &putter{tx: tx, b: bucketsOf(tx), now: now(), keep: stored != nil}
		for i := range recs {
			if err := p.put(&recs[i]); err != nil {
				return err
			}
		}
		if p.bump {
			if err := p.b.incs.SetSequence(p.b.incs.Sequence() + 1); err != nil {
				return fmt.Errorf("store: put: %w", err)
			}
		}
		// the triage as merged, for the corrections the index counts
		for i := range p.changed {
			t, err := readTriage(p.b.triage, p.changed[i].ID)
			if err != nil {
				return err
			}
			p.changed[i].Triage = t
		}
		st, changed = p.st, p.changed
		return nil
	})
	if err != nil {
		return PutStats{}, err
	}
	for _, in := range changed {
		if err := stored(in); err != nil {
			return st, err
		}
	}
	return st, nil
}

// putter is one Put's transaction.
type putter struct {
	tx   *bolt.Tx
	b    buckets
	now  time.Time
	st   PutStats
	bump bool // the incidents, or what the index knows of them, changed
	// changed collects, when keep, the incidents as stored that changed
	keep    bool
	changed []incident.Incident
}

func (p *putter) put(r *Input) error {
	in := prepare(r.Incident)
	in.ID = r.ID
	hash := incident.ContentHash(&in)
	m, err := p.resolve(&in, hash)
	if err != nil {
		return err
	}
	if r.TriageOnly {
		return p.putTriageOnly(r, &in, m)
	}
	if m.notice != "" {
		p.st.Notices = append(p.st.Notices, Notice{ID: m.id, Title: in.Title, Text: m.notice})
	}
	in.ID = m.id
	src := r.Source
	if src.Form != "" {
		src.SourceID, src.Hash, src.First, src.Last = in.SourceID, hash, p.now, p.now
	}
	var prev incident.Incident
	var sources []incident.Source
	if m.found {
		if prev, _, err = p.b.read(m.id); err != nil {
			return err
		}
		sources = prev.Sources
	}
	changed := false
	switch {
	case !m.found:
		changed = true
		p.st.New++
	case src.Form != "" && seen(sources, src):
		// the same content from the same source as last time
		p.st.Unchanged++
	default:
		merged := merge(prev, in)
		if changed, err = p.write(prev, merged, src); err != nil {
			return err
		}
		if changed {
			p.st.Updated++
		} else {
			p.st.Unchanged++
		}
		in = merged
	}
	if !m.found {
		if err := p.writeNew(&in); err != nil {
			return err
		}
	}
	if changed {
		p.st.Changed = append(p.st.Changed, in.ID)
	}
	newSources, added := mergeSources(sources, r.Sources, src)
	if err := p.putJSON(p.b.sources, in.ID, newSources); err != nil {
		return err
	}
	if changed || added {
		p.bump = true
		if err := markChanged(p.tx, in.ID); err != nil {
			return err
		}
		if p.keep {
			kept := in
			kept.Sources = newSources
			p.changed = append(p.changed, kept)
		}
	}
	if r.Triage != nil {
		return p.mergeTriage(in.ID, in.Title, *r.Triage)
	}
	return nil
}

// putTriageOnly merges the triage of a triage-only record into the
// incident it names, or keeps it aside when that is not stored.
func (p *putter) putTriageOnly(r *Input, in *incident.Incident, m match) error {
	if r.Triage == nil {
		return nil
	}
	if !m.found { // m.id is the id it will have: its source key's, or its own
		p.st.Notices = append(p.st.Notices, Notice{ID: m.id, Title: in.Title,
			Text: "triage of an incident this database does not hold: kept for when it is imported"})
	}
	return p.mergeTriage(m.id, in.Title, *r.Triage)
}

// writeNew stores a new incident and its index entries.
func (p *putter) writeNew(in *incident.Incident) error {
	data, err := encodeIncident(in)
	if err != nil {
		return fmt.Errorf("store: put incident %s: %w", in.ID, err)
	}
	if err := p.b.incs.Put([]byte(in.ID), data); err != nil {
		return fmt.Errorf("store: put incident %s: %w", in.ID, err)
	}
	return p.index(in)
}

// write stores merged over prev when it differs, keeping prev in the
// history when the merge replaced any of its texts.
func (p *putter) write(prev, merged incident.Incident, src incident.Source) (bool, error) {
	old := p.b.incs.Get([]byte(prev.ID))
	data, err := encodeIncident(&merged)
	if err != nil {
		return false, fmt.Errorf("store: put incident %s: %w", merged.ID, err)
	}
	if bytes.Equal(old, data) {
		return false, nil
	}
	if replacesText(prev, merged) {
		if err := p.keepHistory(prev, src); err != nil {
			return false, err
		}
	}
	if err := p.b.incs.Put([]byte(merged.ID), data); err != nil {
		return false, fmt.Errorf("store: put incident %s: %w", merged.ID, err)
	}
	return true, p.index(&merged)
}

// index records the incident's source key and title key.
func (p *putter) index(in *incident.Incident) error {
	if key := in.SourceKey(); key != "" {
		if err := p.b.keys.Put([]byte(key), []byte(in.ID)); err != nil {
			return fmt.Errorf("store: put incident %s: %w", in.ID, err)
		}
	}
	return p.b.titles.Put(titleEntry(in), nil)
}

// titleKeyLen is the length of incident.TitleKey's keys.
const titleKeyLen = 12

// titleEntry is the key of an incident in the titles bucket: its title key
// then its id, so that a prefix scan finds all of one title and date.
func titleEntry(in *incident.Incident) []byte {
	return []byte(incident.TitleKey(in.Title, in.Published) + in.ID)
}

func (p *putter) putJSON(b *bolt.Bucket, id string, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return fmt.Errorf("store: put incident %s: %w", id, err)
	}
	if bytes.Equal(b.Get([]byte(id)), data) {
		return nil
	}
	if err := b.Put([]byte(id), data); err != nil {
		return fmt.Errorf("store: put incident %s: %w", id, err)
	}
	return nil
}

// mergeTriage merges t into the stored triage of id.
func (p *putter) mergeTriage(id, title string, t incident.Triage) error {
	stored, err := readTriage(p.b.triage, id)
	if err != nil {
		return err
	}
	merged, rep := stored.Merge(t)
	p.st.TriageMerged += rep.Changed
	for _, c := range rep.Conflicts {
		p.st.Conflicts = append(p.st.Conflicts, TriageConflict{ID: id, Title: title, Conflict: c})
	}
	if rep.Changed == 0 {
		return nil
	}
	return writeTriage(p.b.triage, id, merged)
}

// seen reports whether sources hold src with the same content hash: the
// source gives what it gave last time.
func seen(sources []incident.Source, src incident.Source) bool {
	for _, s := range sources {
		if s.Same(src) && s.Hash == src.Hash {
			return true
		}
	}
	return false
}

// mergeSources adds carried and src to sources: a source already there
// keeps its first import and takes the later last import and its hash. It
// reports whether a source was added (the index names sources).
func mergeSources(sources, carried []incident.Source, src incident.Source) ([]incident.Source, bool) {
	out := slices.Clone(sources)
	added := false
	for _, s := range append(slices.Clone(carried), src) {
		if s.Form == "" {
			continue
		}
		i := slices.IndexFunc(out, s.Same)
		if i < 0 {
			out = append(out, s)
			added = true
			continue
		}
		if !s.First.IsZero() && (out[i].First.IsZero() || s.First.Before(out[i].First)) {
			out[i].First = s.First
		}
		if !s.Last.Before(out[i].Last) {
			out[i].Last, out[i].Hash = s.Last, s.Hash
		}
	}
	if out == nil {
		out = []incident.Source{}
	}
	return out, added
}

// prepare returns a Normalize()d copy of in that shares nothing mutable
// with the caller's value, without id, triage or sources.
func prepare(in incident.Incident) incident.Incident {
	in.Taxonomy = maps.Clone(in.Taxonomy)
	in.Articles = slices.Clone(in.Articles)
	in.Labels = slices.Clone(in.Labels)
	in.Triage, in.Sources, in.Cited = incident.Triage{}, nil, nil
	in.Normalize()
	in.ID = ""
	return in
}

// merge lays next over stored: what next leaves empty (a text field, a
// taxonomy category's options or rationale, the articles, the labels)
// keeps its stored value, so a source that lacks a field never erases it; a text that
// differs only in white space keeps the form with more line breaks, so
// that a page (one line a field) and the CSV it came from agree whichever
// came first. Articles and labels are unions, stored ones first. The result has
// stored's id.
func merge(stored, next incident.Incident) incident.Incident {
	out := next
	out.ID, out.Triage, out.Sources = stored.ID, incident.Triage{}, nil
	keep := func(dst *string, old string) {
		if *dst == "" || old != *dst && sameWords(old, *dst) && strings.Count(old, "\n") >= strings.Count(*dst, "\n") {
			*dst = old
		}
	}
	keep(&out.SourceID, stored.SourceID)
	keep(&out.Title, stored.Title)
	keep(&out.Published, stored.Published)
	keep(&out.Summary, stored.Summary)
	keep(&out.URL, stored.URL)
	keep(&out.Body, stored.Body)
	for _, f := range incident.Fields {
		keep(f.Get(&out.Postmortem), *f.Get(&stored.Postmortem))
	}
	out.Labels = slices.Clone(stored.Labels)
	for _, l := range next.Labels {
		// labels compare as search compares them: case and spaces aside
		if !slices.ContainsFunc(out.Labels, func(x string) bool { return sameWords(strings.ToLower(x), strings.ToLower(l)) }) {
			out.Labels = append(out.Labels, l)
		}
	}
	out.Taxonomy = maps.Clone(next.Taxonomy)
	for key, old := range stored.Taxonomy {
		cat := out.Taxonomy[key]
		if len(cat.Options) == 0 && len(old.Options) > 0 {
			cat.Options = old.Options
		}
		if cat.Options == nil {
			cat.Options = []string{}
		}
		keep(&cat.Rationale, old.Rationale)
		out.Taxonomy[key] = cat
	}
	out.Articles = slices.Clone(stored.Articles)
	for _, a := range next.Articles {
		if !slices.Contains(out.Articles, a) {
			out.Articles = append(out.Articles, a)
		}
	}
	return out
}

// sameWords reports whether a and b differ at most in white space.
func sameWords(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// replacesText reports whether next replaced a text or options of prev by
// a different one (not merely filled what was empty).
func replacesText(prev, next incident.Incident) bool {
	differs := func(old, cur string) bool { return old != "" && old != cur }
	if differs(prev.Title, next.Title) || differs(prev.Summary, next.Summary) || differs(prev.Published, next.Published) ||
		differs(prev.URL, next.URL) || differs(prev.Body, next.Body) {
		return true
	}
	for _, f := range incident.Fields {
		if differs(*f.Get(&prev.Postmortem), *f.Get(&next.Postmortem)) {
			return true
		}
	}
	for key, old := range prev.Taxonomy {
		cur := next.Taxonomy[key]
		if differs(old.Rationale, cur.Rationale) || len(old.Options) > 0 && !slices.Equal(old.Options, cur.Options) {
			return true
		}
	}
	return false
}
