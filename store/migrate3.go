package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// identityAndProvenance is schema 3. Before it, an incident's id came from
// its title and date alone, triage fields had no author or time, and no
// record knew where it came from. It:
//   - creates the buckets of sources, source keys, title keys, aliases,
//     history and articles;
//   - re-keys every incident with a FAIL id to incident.IDForSource of it,
//     leaving its old id as an alias (so `show OLDID` and older exports
//     still find it), unless that id is taken;
//   - seals every value with its checksum (see seal);
//   - rewrites every triage in the stamped form (values of the older form
//     read as set by nobody at a zero time: any later setting wins);
//   - gives each incident the provenance opts.Provenance knows for it, or
//     none.
//
// Every record and every triage entry is kept.
func identityAndProvenance(tx *bolt.Tx, opts Options) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	b := bucketsOf(tx)
	if err := convertTriage(b.triage); err != nil {
		return err
	}
	type rec struct {
		id  string
		raw []byte
		in  incident.Incident
	}
	var recs []rec
	err := b.incs.ForEach(func(k, v []byte) error {
		var in incident.Incident
		if err := json.Unmarshal(v, &in); err != nil {
			return fmt.Errorf("incident %s: %w", k, err)
		}
		recs = append(recs, rec{string(k), bytes.Clone(v), in})
		return nil
	})
	if err != nil {
		return err
	}
	p := &putter{tx: tx, b: b}
	for _, r := range recs { // never write while iterating
		in := r.in
		in.ID = r.id
		if err := b.incs.Put([]byte(r.id), seal(r.raw)); err != nil {
			return err
		}
		if err := b.titles.Put(titleEntry(&in), nil); err != nil {
			return err
		}
		var sources []incident.Source
		if opts.Provenance != nil {
			sources = opts.Provenance(r.id)
		}
		if sources == nil {
			sources = []incident.Source{}
		}
		if err := p.putJSON(b.sources, r.id, sources); err != nil {
			return err
		}
		key := in.SourceKey()
		if key == "" || b.keys.Get([]byte(key)) != nil {
			continue // a second record of one FAIL id keeps its id and its text
		}
		to := incident.IDForSource(key)
		if to != r.id && b.incs.Get([]byte(to)) == nil {
			if err := p.rekey(r.id, to); err != nil {
				return err
			}
		} else {
			to = r.id
		}
		if err := b.keys.Put([]byte(key), []byte(to)); err != nil {
			return err
		}
	}
	return b.incs.SetSequence(b.incs.Sequence() + 1) // the stored index is stale
}

// convertTriage rewrites every triage value in the stamped form.
func convertTriage(b *bolt.Bucket) error {
	type kv struct{ k, v []byte }
	var out []kv
	err := b.ForEach(func(k, v []byte) error {
		var t incident.Triage
		if err := json.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("triage %s: %w", k, err)
		}
		var data []byte
		if !t.IsZero() {
			var err error
			if data, err = encodeJSON(t); err != nil {
				return err
			}
		}
		out = append(out, kv{bytes.Clone(k), data})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range out {
		if e.v == nil {
			if err := b.Delete(e.k); err != nil {
				return err
			}
			continue
		}
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}
