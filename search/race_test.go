package search

import (
	"sync"
	"testing"

	"github.com/faultline/faultline/incident"
)

// TestConcurrentUse searches, edits triage and asks for related incidents
// at once, as the explorer does; run it with -race.
func TestConcurrentUse(t *testing.T) {
	incs := handMade()
	ix := Build(incs)
	data, _ := ix.MarshalBinary()
	lx, err := Load(data, fetcher(incs))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, x := range []*Index{ix, lx} {
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					switch (g + i) % 4 {
					case 0:
						x.Search(mustParse(t, "slui"), Options{})
					case 1:
						x.Search(mustParse(t, `"sluice firmware" is:starred`), Options{})
					case 2:
						x.SetTriage(incs[i%len(incs)].ID, tri("", i%2 == 0, []string{"t"}, ""))
					case 3:
						x.Related(incs[i%len(incs)].ID, 3)
						x.Get(incs[i%len(incs)].ID)
					}
				}
			}()
		}
	}
	wg.Wait()
}

// TestAdoptWhileSearching moves an index onto copies of its segments
// while searches and triage edits run on it; run it with -race.
func TestAdoptWhileSearching(t *testing.T) {
	incs := segmentCorpus()
	for i := range incs {
		incs[i].Triage = incident.Triage{}
	}
	withSegmentSize(t, 60, func() {
		stored, man := storedSegments(t, incs)
		ix, err := Open(man, bytesOf(stored), fetcher(incs), false)
		if err != nil {
			t.Fatal(err)
		}
		copies := cloneSegments(stored)
		var wg sync.WaitGroup
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 40 {
					switch (g + i) % 3 {
					case 0:
						ix.Search(mustParse(t, "slui"), Options{})
					case 1:
						ix.Search(mustParse(t, `"sluice gate" -domain:health`), Options{Sort: Date})
					case 2:
						ix.SetTriage(incs[i%len(incs)].ID, tri("", i%2 == 0, []string{"t"}, ""))
					}
				}
			}()
		}
		if err := ix.Adopt(bytesOf(copies), true); err != nil {
			t.Error(err)
		}
		wg.Wait()
	})
}
