package ui

import (
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/internal/gencorpus"
	"github.com/faultline/faultline/search"
)

// benchCorpus is built once for all benchmarks: building it dominates a
// benchmark run otherwise, since each benchmark function runs several times.
var benchCorpus = sync.OnceValue(func() *fakeBackend {
	return newFakeBackend(gencorpus.Incidents(10000, 1))
})

var benchIndex = sync.OnceValue(func() *search.Index {
	ix, _ := benchCorpus().Load()
	return ix
})

// BenchmarkKeystroke measures what one typed character of the query costs
// off the screen's goroutine: parsing and the search with every facet count.
//
//	go test ./ui -run '^$' -bench Keystroke -benchmem
func BenchmarkKeystroke(b *testing.B) {
	cmd := searchCmd(benchIndex(), 1, "netw", search.Options{}, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if msg := cmd().(searchCompletedMsg); msg.err != nil {
			b.Fatal(msg.err)
		}
	}
}

// BenchmarkListFrame measures one frame of the list with the facets panel
// over 10,000 incidents at 120x36.
//
//	go test ./ui -run '^$' -bench ListFrame -benchmem
func BenchmarkListFrame(b *testing.B) {
	m := New(benchCorpus(), Options{})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m, _ = m.Update(indexBuiltMsg{index: benchIndex()})
	root := m.(model)
	m, _ = m.Update(searchCmd(root.c.index, root.list.tag, "", search.Options{}, nil)())
	m, _ = m.Update(keyMsg(km.List.ToggleFacets.Keys()[0]))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_ = m.View()
	}
}
