package store

import (
	"bytes"
	"testing"

	"github.com/faultline/faultline/incident"
)

// Compact gives back the pages a dropped index freed and keeps every
// incident and the index.
func TestCompactShrinksAndKeeps(t *testing.T) {
	s := openTemp(t, Options{})
	mustPut(t, s, []incident.Incident{sample(1), sample(2)}, false)
	big, err := s.PutSegment(bytes.Repeat([]byte("postings "), 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	small, _ := s.PutSegment([]byte("the segment kept"))
	gen, _ := s.IndexBase()
	if err := s.SaveIndex(gen, []byte("manifest"), []uint64{big}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndex(gen, []byte("manifest"), []uint64{small}); err == nil {
		t.Fatal("a removed segment was named") // small went with the first save
	}
	if err := s.SaveIndex(gen, []byte("manifest"), nil); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	before, after, err := Compact(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if after >= before/2 {
		t.Errorf("compacted %d bytes to %d", before, after)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeChecked(t, s)
	if n, _ := s.Count(); n != 2 {
		t.Errorf("%d incidents after Compact", n)
	}
	if man, cur, _ := storedIndex(t, s); string(man) != "manifest" || !cur {
		t.Errorf("index after Compact: %q, current %v", man, cur)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

// A segment copied out of its transaction reads the same after the file
// is closed and after its pages are let go.
func TestSegmentCopyOutlivesTheFile(t *testing.T) {
	s := openTemp(t, Options{})
	want := bytes.Repeat([]byte("postings and positions "), 1<<16)
	id, err := s.PutSegment(want)
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := s.IndexBase()
	if err := s.SaveIndex(gen, []byte("manifest"), []uint64{id}); err != nil {
		t.Fatal(err)
	}
	var got []byte
	if err := s.ViewIndex(func(r *IndexReader) (err error) {
		got, _, err = r.Segment(id, true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if !bytes.Equal(got, want) {
		t.Fatal("the copy differs")
	}
	ReleaseCopies()
	if !bytes.Equal(got, want) {
		t.Fatal("the copy differs once its pages were let go")
	}
}
