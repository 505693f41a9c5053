// Package ingest hands what the importer reads to the store: incidents
// with their provenance and carried triage, and articles apart.
package ingest

import (
	"github.com/faultline/faultline/importer"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/store"
)

// Sink stores records batch by batch and adds up what the store did.
type Sink struct {
	// Store, when Open is nil, is the database, held open throughout.
	Store *store.Store
	// Open, when not nil, opens the database for one batch, which is
	// closed again after it: an import then holds the file only in short
	// write bursts, and readers get in between.
	Open     func() (*store.Store, error)
	Stats    store.PutStats
	Articles store.ArticleStats
	// Stored, when not nil, is given each incident a batch added or
	// changed, as stored (see store.PutEach), with the store of the batch.
	Stored func(*store.Store, incident.Incident) error
}

// Put stores one batch of records: the incidents in one transaction, then
// the articles in another.
func (s *Sink) Put(recs []importer.Record) error {
	if s.Open == nil {
		return s.put(s.Store, recs)
	}
	st, err := s.Open()
	if err != nil {
		return err
	}
	err = s.put(st, recs)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *Sink) put(st *store.Store, recs []importer.Record) error {
	var ins []store.Input
	var arts []incident.Article
	for _, r := range recs {
		if r.Article != nil {
			arts = append(arts, *r.Article)
			continue
		}
		ins = append(ins, Input(r))
	}
	if len(ins) > 0 {
		var stored func(incident.Incident) error
		if s.Stored != nil {
			stored = func(in incident.Incident) error { return s.Stored(st, in) }
		}
		ps, err := st.PutEach(ins, stored)
		if err != nil {
			return err
		}
		s.Stats.Add(ps)
	}
	if len(arts) > 0 {
		as, err := st.PutArticles(arts)
		if err != nil {
			return err
		}
		s.Articles.New += as.New
		s.Articles.Updated += as.Updated
		s.Articles.Unchanged += as.Unchanged
	}
	return nil
}

// Input is what the store takes of an incident record. A record of our
// own export that carries its provenance keeps it; any other record has
// its file as its source.
func Input(r importer.Record) store.Input {
	in := store.Input{Incident: r.Incident, ID: r.ID, Triage: r.Triage, TriageOnly: r.TriageOnly}
	if len(r.Incident.Sources) > 0 {
		in.Sources = r.Incident.Sources
	} else if !r.TriageOnly {
		in.Source = incident.Source{Form: string(r.Format), File: r.Path}
	}
	return in
}
