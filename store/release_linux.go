package store

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// releaseMapped lets go of the pages of the file at path that this
// process has mapped and read (bbolt reads a leaf, its large values and
// all, through its memory map whenever a write rewrites it): they stay in
// the page cache, but no longer count as this process's memory, so a long
// import keeps a bounded resident size. The next read maps them again.
func releaseMapped(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasSuffix(line, []byte(" "+abs)) {
			continue
		}
		span, _, _ := bytes.Cut(line, []byte(" "))
		lo, hi, ok := bytes.Cut(span, []byte("-"))
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			continue
		}
		unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_DONTNEED)
	}
}
