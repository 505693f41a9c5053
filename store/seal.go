package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"sync/atomic"
)

// ErrDamaged: a stored value does not match its checksum, or cannot be
// read as what it should be. The error names the value.
var ErrDamaged = errors.New("damaged")

// Every value the store writes (incidents, triage, sources, articles,
// history, the index) is sealed: followed by a NUL, which JSON never holds
// raw, and the CRC-32C of the value, so that a flipped byte is noticed on
// read and never served as data.
const sealSize = 5

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// seal appends the checksum to v.
func seal(v []byte) []byte {
	return binary.BigEndian.AppendUint32(append(v, 0), crc32.Checksum(v, castagnoli))
}

// unseal checks v's checksum and returns v without it.
func unseal(v []byte) ([]byte, error) {
	if len(v) < sealSize || v[len(v)-sealSize] != 0 {
		return nil, fmt.Errorf("%w: no checksum", ErrDamaged)
	}
	body := v[:len(v)-sealSize]
	if crc32.Checksum(body, castagnoli) != binary.BigEndian.Uint32(v[len(v)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrDamaged)
	}
	return body, nil
}

// decodeJSON unseals data and decodes it into v; what fails to decode is
// damage too.
func decodeJSON(data []byte, v any) error {
	body, err := unseal(data)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return nil
}

// Index segments are large and read a little at a time (a one-shot search
// touches a few postings of each), so they are sealed in blocks instead:
// the value, the CRC-32C of each blockSize bytes of it, their count
// (uint32) and the CRC-32C of those checksums (uint32), then the byte
// blockMark. A block is checked the first time it is read (see
// blockChecker), so damage is still noticed before it is used.
const (
	blockSize = 4 << 10
	blockMark = 1
)

// sealBlocks appends the block checksums to v, in place when v has the
// room (a segment is tens of megabytes: a copy is worth saving).
func sealBlocks(v []byte) []byte {
	k := (len(v) + blockSize - 1) / blockSize
	out := v
	if cap(v)-len(v) < 4*k+9 {
		out = make([]byte, len(v), len(v)+4*k+9)
		copy(out, v)
	}
	for i := 0; i < len(v); i += blockSize {
		out = binary.BigEndian.AppendUint32(out, crc32.Checksum(v[i:min(len(v), i+blockSize)], castagnoli))
	}
	sums := out[len(v):]
	out = binary.BigEndian.AppendUint32(out, uint32(k))
	out = binary.BigEndian.AppendUint32(out, crc32.Checksum(sums, castagnoli))
	return append(out, blockMark)
}

// unsealBlocks checks the block table of v and returns the value with a
// checker of its blocks.
func unsealBlocks(v []byte) ([]byte, *blockChecker, error) {
	if len(v) < 9 || v[len(v)-1] != blockMark {
		return nil, nil, fmt.Errorf("%w: no block checksums", ErrDamaged)
	}
	k := int(binary.BigEndian.Uint32(v[len(v)-9:]))
	end := len(v) - 9 - 4*k
	if k < 0 || end < 0 || (end+blockSize-1)/blockSize != k {
		return nil, nil, fmt.Errorf("%w: block checksums do not match the value", ErrDamaged)
	}
	sums := v[end : len(v)-9]
	if crc32.Checksum(sums, castagnoli) != binary.BigEndian.Uint32(v[len(v)-5:]) {
		return nil, nil, fmt.Errorf("%w: block checksum mismatch", ErrDamaged)
	}
	c := &blockChecker{data: v[:end], sums: sums, ok: make([]atomic.Uint64, (k+63)/64)}
	return v[:end:end], c, nil
}

// blockChecker checks the blocks of a value as they are read; it is safe
// for concurrent use.
type blockChecker struct {
	data, sums []byte
	ok         []atomic.Uint64 // blocks found sound
}

// check reports whether data[off:off+n] is in blocks that match their
// checksums.
func (c *blockChecker) check(off, n int) bool {
	if n <= 0 {
		return off >= 0 && off <= len(c.data)
	}
	if off < 0 || off+n > len(c.data) {
		return false
	}
	for b := off / blockSize; b <= (off+n-1)/blockSize; b++ {
		w, bit := b/64, uint64(1)<<(b%64)
		if c.ok[w].Load()&bit != 0 {
			continue
		}
		block := c.data[b*blockSize : min(len(c.data), (b+1)*blockSize)]
		if crc32.Checksum(block, castagnoli) != binary.BigEndian.Uint32(c.sums[4*b:]) {
			return false
		}
		c.ok[w].Or(bit)
	}
	return true
}

// checkAll checks every block.
func (c *blockChecker) checkAll() bool { return c.check(0, len(c.data)) }
