package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
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
