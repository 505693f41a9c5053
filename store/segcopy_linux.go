package store

import (
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapCopy copies v, a value of the open database at path that lies in its
// memory map at base, into a private file beside it and returns that
// file mapped read-only: the copy outlives the transaction (and imports
// that rewrite the database) without taking the process's heap, and only
// the pages a reader touches become resident, where the kernel can let
// them go. The copy is made by the kernel (copy_file_range, a clone of
// the blocks on file systems that can) without reading v through the
// map. The file is unlinked at once; the mapping lasts as long as the
// process. ok is false when that cannot be done; the caller copies to
// the heap then.
func mapCopy(path string, base uintptr, v []byte) ([]byte, bool) {
	if len(v) == 0 {
		return nil, false
	}
	off := int64(uintptr(unsafe.Pointer(unsafe.SliceData(v))) - base)
	src, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer src.Close()
	var dst *os.File
	for _, dir := range []string{filepath.Dir(path), os.TempDir()} {
		if dst, err = os.CreateTemp(dir, ".faultline-index-*"); err == nil {
			break
		}
	}
	if err != nil {
		return nil, false
	}
	os.Remove(dst.Name())
	defer dst.Close()
	for done := 0; done < len(v); {
		n, err := unix.CopyFileRange(int(src.Fd()), &off, int(dst.Fd()), nil, len(v)-done, 0)
		if err != nil || n <= 0 {
			return nil, false
		}
		done += n
	}
	data, err := unix.Mmap(int(dst.Fd()), 0, len(v), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, false
	}
	copies.Lock()
	copies.maps = append(copies.maps, data)
	copies.Unlock()
	return data, true
}

// copies are the mappings mapCopy made.
var copies struct {
	sync.Mutex
	maps [][]byte
}

// ReleaseCopies lets go of the pages of the index copies (see
// IndexReader.Segment) that this process has read: they stay in the page
// cache, and the next read maps them again, but they no longer count as
// this process's memory. Readers may run meanwhile.
func ReleaseCopies() {
	copies.Lock()
	defer copies.Unlock()
	for _, m := range copies.maps {
		unix.Madvise(m, unix.MADV_DONTNEED)
	}
}
