package store

import (
	"bytes"
	"fmt"

	"github.com/faultline/faultline/incident"
)

// A record's identity. A record whose source has its own id (FAIL's
// Incident ID, its "source key" fail:N) is that source incident: it is
// found by the key, and two keys are never one record, whatever their
// titles. Its id is incident.IDForSource(key), the same on every machine.
//
// A record without a key (page text, Markdown) is matched by title and
// date (its title key), and among the incidents of one title key by its
// content (incident.Similarity at least incident.SameContentThreshold, or
// the only one when there is nothing to compare); otherwise it is new. Its
// id is its title key, or, when that is taken by a different incident,
// incident.MakeContentID's.
//
// When a record without a key later meets its key (the page was imported
// before the CSV), it is re-keyed to the key's id: incident, triage,
// sources and history move, and the old id becomes an alias of the new.

// match is how resolve placed a record.
type match struct {
	id     string
	found  bool   // id is stored (possibly just re-keyed)
	notice string // why a record with the same title and date was kept apart
}

// resolve finds the stored incident that in is, re-keying it when in
// brings it its source key, or chooses the id of a new one.
func (p *putter) resolve(in *incident.Incident, hash string) (match, error) {
	key := in.SourceKey()
	if key != "" {
		if id := p.b.keys.Get([]byte(key)); id != nil {
			// a known key; its incident may have been deleted, keeping
			// its id (and triage) for this moment
			return match{id: string(id), found: p.b.incs.Get(id) != nil}, nil
		}
	}
	if in.ID != "" { // our own export: its id, unless it is another incident
		if id := p.b.resolve(in.ID); id != "" {
			stored, _, err := p.b.read(id)
			if err != nil {
				return match{}, err
			}
			if other := stored.SourceKey(); (other == "" || other == key) && sameIncident(&stored, in) {
				return p.adopt(id, key)
			}
		}
	}
	cands, err := p.candidates(in, key)
	if err != nil {
		return match{}, err
	}
	if id, ok := bestMatch(in, cands); ok {
		return p.adopt(id, key)
	}
	m := match{id: p.newID(in, key, hash)}
	if len(cands) > 0 {
		m.notice = fmt.Sprintf("shares its title and date with %s but not its text: kept as a separate incident", cands[0].ID)
	}
	return m, nil
}

// adopt returns id as the match of a record with source key key (or none),
// re-keying it first when it gains the key.
func (p *putter) adopt(id, key string) (match, error) {
	if key == "" {
		return match{id: id, found: true}, nil
	}
	to := incident.IDForSource(key)
	if to == id || p.b.incs.Get([]byte(to)) != nil {
		return match{id: id, found: true}, nil
	}
	if err := p.rekey(id, to); err != nil {
		return match{}, err
	}
	return match{id: to, found: true}, nil
}

// sameIncident reports whether a record that names a stored id is that
// incident: ids of records without a source key can differ between
// machines, so the title and date, or failing those the text, must agree.
func sameIncident(stored, in *incident.Incident) bool {
	if incident.TitleKey(stored.Title, stored.Published) == incident.TitleKey(in.Title, in.Published) {
		return true
	}
	sim := incident.Similarity(stored, in)
	return sim < 0 || sim >= incident.SameContentThreshold
}

// candidates returns the stored incidents of in's title key that in may
// be: any when in has no source key, else those without one (an incident
// with in's key was found by it).
func (p *putter) candidates(in *incident.Incident, key string) ([]incident.Incident, error) {
	prefix := []byte(incident.TitleKey(in.Title, in.Published))
	var out []incident.Incident
	c := p.b.titles.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		cand, ok, err := p.b.read(string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		if !ok || incident.TitleKey(cand.Title, cand.Published) != string(prefix) {
			continue // a stale entry
		}
		if key == "" || cand.SourceKey() == "" {
			out = append(out, cand)
		}
	}
	return out, nil
}

// bestMatch picks the candidate in is: the most similar at or above the
// threshold, or the only one when there is nothing to compare.
func bestMatch(in *incident.Incident, cands []incident.Incident) (string, bool) {
	best, bestSim := "", incident.SameContentThreshold
	for i := range cands {
		sim := incident.Similarity(in, &cands[i])
		if sim < 0 && len(cands) == 1 {
			return cands[i].ID, true
		}
		if sim >= bestSim {
			best, bestSim = cands[i].ID, sim
		}
	}
	return best, best != ""
}

// newID chooses the id of a new incident.
func (p *putter) newID(in *incident.Incident, key, hash string) string {
	if key != "" {
		return incident.IDForSource(key)
	}
	free := func(id string) bool { return p.b.incs.Get([]byte(id)) == nil && p.b.aliases.Get([]byte(id)) == nil }
	if in.ID != "" && free(in.ID) {
		return in.ID
	}
	if id := incident.TitleKey(in.Title, in.Published); free(id) {
		return id
	}
	return incident.MakeContentID(in.Title, in.Published, hash)
}

// rekey moves the incident from to to, leaving an alias behind.
func (p *putter) rekey(from, to string) error {
	in, _, err := p.b.read(from)
	if err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("store: re-key %s to %s: %w", from, to, err) }
	moved := in
	moved.ID, moved.Triage, moved.Sources = to, incident.Triage{}, nil
	data, err := encodeIncident(&moved)
	if err != nil {
		return fail(err)
	}
	if err := p.b.incs.Put([]byte(to), data); err != nil {
		return fail(err)
	}
	if err := p.b.incs.Delete([]byte(from)); err != nil {
		return fail(err)
	}
	if v := p.b.sources.Get([]byte(from)); v != nil {
		if err := p.b.sources.Put([]byte(to), bytes.Clone(v)); err != nil {
			return fail(err)
		}
		if err := p.b.sources.Delete([]byte(from)); err != nil {
			return fail(err)
		}
	}
	// the triage of both ids (to's may be a deleted incident's, kept aside)
	mine, err := readTriage(p.b.triage, from)
	if err != nil {
		return err
	}
	kept, err := readTriage(p.b.triage, to)
	if err != nil {
		return err
	}
	merged, _ := kept.Merge(mine)
	if err := writeTriage(p.b.triage, to, merged); err != nil {
		return fail(err)
	}
	if err := p.b.triage.Delete([]byte(from)); err != nil {
		return fail(err)
	}
	if err := moveHistory(p.b.history, from, to); err != nil {
		return fail(err)
	}
	if err := p.b.titles.Delete(titleEntry(&in)); err != nil {
		return fail(err)
	}
	in.ID = to
	if err := p.b.titles.Put(titleEntry(&in), nil); err != nil {
		return fail(err)
	}
	p.bump = true
	p.st.Rekeyed = append(p.st.Rekeyed, from)
	p.st.Changed = append(p.st.Changed, to)
	for _, id := range []string{from, to} {
		if err := markChanged(p.tx, id); err != nil {
			return err
		}
	}
	return p.b.aliases.Put([]byte(from), []byte(to))
}
