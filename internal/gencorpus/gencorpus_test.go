package gencorpus

import (
	"reflect"
	"slices"
	"testing"

	"github.com/faultline/faultline/incident"
)

func TestIncidentsDeterministic(t *testing.T) {
	a := Incidents(200, 7)
	b := Incidents(200, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different incidents")
	}
	c := Incidents(200, 8)
	if reflect.DeepEqual(a[0], c[0]) {
		t.Fatal("different seeds gave the same first incident")
	}
	// A prefix of a corpus is the smaller corpus.
	if !reflect.DeepEqual(Incidents(50, 7), a[:50]) {
		t.Fatal("incident i depends on n")
	}
}

func TestIncidentsRealistic(t *testing.T) {
	incs := Incidents(500, 1)
	ids := map[string]bool{}
	titles := map[string]bool{}
	years := map[string]bool{}
	total := 0
	multi := 0
	for i := range incs {
		in := &incs[i]
		if ids[in.ID] {
			t.Fatalf("duplicate id %s", in.ID)
		}
		ids[in.ID] = true
		titles[in.Title] = true
		if in.ID != incident.MakeID(in.Title, in.Published) {
			t.Fatalf("incident %d: id %s is not MakeID of title and date", i, in.ID)
		}
		y := in.Year()
		if y < "2010" || y > "2022" {
			t.Fatalf("incident %d: year %q outside 2010–2022", i, y)
		}
		years[y] = true
		total += textSize(in)
		for _, c := range incident.Categories {
			opts := in.Taxonomy[c.Key].Options
			if opts == nil {
				t.Fatalf("incident %d: category %s has nil options", i, c.Key)
			}
			for _, o := range opts {
				if !c.IsCanonical(o) {
					t.Fatalf("incident %d: option %s:%s not canonical", i, c.Key, o)
				}
			}
			if len(opts) > 1 {
				multi++
			}
		}
		if got := incident.ArticlesOf(in); !slices.Equal(got, in.Articles) {
			t.Fatalf("incident %d: articles %v, ArticlesOf gives %v", i, in.Articles, got)
		}
	}
	if len(titles) < 450 {
		t.Errorf("only %d distinct titles in 500", len(titles))
	}
	if len(years) != 13 {
		t.Errorf("%d distinct years, want 13", len(years))
	}
	if mean := total / len(incs); mean < 12000 || mean > 20000 {
		t.Errorf("mean text size %d bytes, want about 16 KB", mean)
	}
	if multi < len(incs) {
		t.Errorf("only %d multi-valued categories in %d incidents", multi, len(incs))
	}
}

func BenchmarkIncidents(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Incidents(2500, 1)
	}
}
