package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk meta page, as far as checkHeader needs it: a 16-byte page
// header, then magic, version, page size, flags, root bucket (root page and
// sequence), freelist page, page high-water mark, txid and an FNV-64a
// checksum of the 56 bytes before it, in native byte order.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltNoFreelist = ^uint64(0)
	pageHeaderSize = 16
	metaSize       = 64
)

type boltMeta struct {
	pageSize, freelist, pgid, root, txid uint64
}

// readMeta decodes the meta page at off and reports whether it is valid.
func readMeta(f *os.File, off int64) (boltMeta, bool) {
	var buf [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(buf[:], off); err != nil && err != io.EOF {
		return boltMeta{}, false
	}
	m := buf[pageHeaderSize:]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:]) != boltMagic || ne.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	return boltMeta{
		pageSize: uint64(ne.Uint32(m[8:])),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		pgid:     ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, true
}

// checkHeader refuses, before bbolt maps the file, what is not a bbolt file
// or is one cut short: bbolt would map a truncated file past its end and
// crash on the first page it reads there. It reports a file of which one
// meta page is invalid as damaged (bbolt would carry on with the other,
// the state before the last write, and the next write would overwrite
// the evidence): the file may be read, not written.
func checkHeader(path string) (damaged string, err error) {
	err = checkPages(path, &damaged)
	return damaged, err
}

func checkPages(path string, damaged *string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	size := fi.Size()
	if size == 0 {
		return notDatabase(path, "empty file")
	}

	// The page size comes from the first meta page, or, when that one is
	// torn, from a second one found at a power-of-two offset, as bbolt does.
	var pageSize uint64
	if m, ok := readMeta(f, 0); ok {
		pageSize = m.pageSize
	} else {
		for i := 0; i <= 14; i++ {
			off := int64(1024) << i
			if off >= size {
				break
			}
			if m, ok := readMeta(f, off); ok && m.pageSize == uint64(off) {
				pageSize = m.pageSize
				break
			}
		}
	}
	if pageSize == 0 {
		return notDatabase(path, "not a bbolt file")
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return notDatabase(path, fmt.Sprintf("damaged bbolt header (page size %d)", pageSize))
	}
	if uint64(size) < 2*pageSize {
		return notDatabase(path, fmt.Sprintf("truncated file (%d bytes)", size))
	}
	// bbolt uses the valid meta page with the higher txid; the other one
	// may point at pages reused since, so only the live one is checked.
	m, ok := readMeta(f, 0)
	m1, ok1 := readMeta(f, int64(pageSize))
	if ok1 && (!ok || m1.txid > m.txid) {
		m = m1
	}
	switch {
	case !ok:
		*damaged = "meta page 0 is invalid"
	case !ok1:
		*damaged = "meta page 1 is invalid"
	}
	switch {
	case m.pageSize != pageSize:
		return notDatabase(path, "damaged bbolt header (page sizes differ)")
	case m.pgid > uint64(size)/pageSize:
		return notDatabase(path, fmt.Sprintf("truncated file (%d bytes, %d pages expected)", size, m.pgid))
	case m.root >= m.pgid || (m.freelist != boltNoFreelist && m.freelist >= m.pgid):
		return notDatabase(path, "damaged bbolt header (page ids out of range)")
	case !pageFits(f, m.root, pageSize, m.pgid, branchPage|leafPage):
		return notDatabase(path, "damaged root page")
	case m.freelist != boltNoFreelist && !pageFits(f, m.freelist, pageSize, m.pgid, freelistPage):
		// bbolt frees the old freelist on every commit, walking its
		// overflow count: a damaged one would keep a writer busy for hours
		return notDatabase(path, "damaged freelist page")
	}
	return nil
}

// bbolt page flags.
const (
	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10
)

// pageFits reports whether page id has its own id, one of the wanted
// flags and an overflow that stays below the high-water mark.
func pageFits(f *os.File, id, pageSize, pgid uint64, flags uint16) bool {
	var h [pageHeaderSize]byte
	if _, err := f.ReadAt(h[:], int64(id*pageSize)); err != nil {
		return false
	}
	ne := binary.NativeEndian
	return ne.Uint64(h[0:]) == id && ne.Uint16(h[8:])&flags != 0 &&
		id+uint64(ne.Uint32(h[12:])) < pgid
}
