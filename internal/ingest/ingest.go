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
	Store    *store.Store
	Stats    store.PutStats
	Articles store.ArticleStats
	// Stored, when not nil, is given each incident a batch added or
	// changed, as stored (see store.PutEach).
	Stored func(incident.Incident) error
}

// Put stores one batch of records: the incidents in one transaction, then
// the articles in another.
func (s *Sink) Put(recs []importer.Record) error {
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
		st, err := s.Store.PutEach(ins, s.Stored)
		if err != nil {
			return err
		}
		s.Stats.Add(st)
	}
	if len(arts) > 0 {
		st, err := s.Store.PutArticles(arts)
		if err != nil {
			return err
		}
		s.Articles.New += st.New
		s.Articles.Updated += st.Updated
		s.Articles.Unchanged += st.Unchanged
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
