package search

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// inParallel calls fn(w, i) for every i below n, on k goroutines (k from
// workers(n)); w, below k, names the goroutine, for state of its own. The segments of an index are read and searched
// this way: each reads only its own data.
//
// A worker runs as the caller would: faults panic if they panic for the
// caller (see the store's guard over an index read in place), and a panic
// in a worker is raised again in the caller once all have stopped, not
// before: the caller may end the read the workers are in.
func inParallel(k, n int, fn func(w, i int)) {
	var next atomic.Int64
	work := func(w int) {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			fn(w, i)
		}
	}
	onFault := debug.SetPanicOnFault(true)
	debug.SetPanicOnFault(onFault)
	panics := make([]any, k)
	var wg sync.WaitGroup
	for w := 1; w < k; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(onFault))
			defer func() { panics[w] = recover() }()
			work(w)
		}()
	}
	func() {
		defer func() { panics[0] = recover() }()
		work(0)
	}()
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// workers is how many goroutines to run n calls on: one per core.
func workers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }
