package search

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Every call is made once, on a worker below k, and faults panic in the
// workers as they do in the caller.
func TestInParallelCallsEachOnce(t *testing.T) {
	for _, k := range []int{1, 2, 5} {
		for _, onFault := range []bool{false, true} {
			old := debug.SetPanicOnFault(onFault)
			var mu sync.Mutex
			calls := map[int]int{}
			var wrong atomic.Int32
			inParallel(k, 40, func(w, i int) {
				on := debug.SetPanicOnFault(true)
				debug.SetPanicOnFault(on)
				if w < 0 || w >= k || on != onFault {
					wrong.Add(1)
				}
				mu.Lock()
				calls[i]++
				mu.Unlock()
			})
			debug.SetPanicOnFault(old)
			if wrong.Load() != 0 {
				t.Errorf("k=%d, faults panic %v: %d calls on a wrong worker or fault setting", k, onFault, wrong.Load())
			}
			for i := 0; i < 40; i++ {
				if calls[i] != 1 {
					t.Errorf("k=%d: call %d made %d times", k, i, calls[i])
				}
			}
		}
	}
}

// A panic in a worker reaches the caller, once every worker has stopped.
func TestInParallelRaisesAPanicAfterAll(t *testing.T) {
	for _, k := range []int{1, 3} {
		var running atomic.Int32
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("k=%d: recovered %v, want the worker's panic", k, r)
				}
				if running.Load() != 0 {
					t.Errorf("k=%d: the panic was raised while %d calls ran", k, running.Load())
				}
			}()
			inParallel(k, 30, func(_, i int) {
				running.Add(1)
				defer running.Add(-1)
				if i == 4 {
					panic("boom")
				}
				time.Sleep(time.Millisecond) // still running when 4 panics
			})
			t.Errorf("k=%d: no panic", k)
		}()
	}
}
