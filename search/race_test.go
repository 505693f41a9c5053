package search

import (
	"sync"
	"testing"
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
