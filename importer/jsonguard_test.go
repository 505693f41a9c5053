package importer

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// The guard passes JSON under the limits through byte for byte, and cuts a
// longer string so that what it passes is still valid JSON, marked with
// the string's line and full length. Random strings of escapes, unicode
// and newlines, read in chunks of every size.
func TestJSONGuard(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "é", "日本", `\"`, `\\`, `\n`, `\u00e9`, `\ud83d\ude00`, " ", "[", "]", "{", "}", ","}
	for i := range 400 {
		var s strings.Builder
		for range r.IntN(60) {
			s.WriteString(pieces[r.IntN(len(pieces))])
		}
		str := s.String()
		doc := "[\n" + `{"title": "x"},` + "\n" + `{"title": "` + str + `"}` + "\n]"
		limit := 5 + r.IntN(len(str)+5) // room for the keys
		g := newJSONGuard(iotest.OneByteReader(strings.NewReader(doc)), limit, limit)
		if i%2 == 0 {
			g = newJSONGuard(iotest.HalfReader(strings.NewReader(doc)), limit, limit)
		}
		out, err := io.ReadAll(g)
		if err != nil {
			t.Fatal(err)
		}
		var v []map[string]string
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("limit %d: guard output is not JSON: %v\n%s", limit, err, out)
		}
		cut, isCut := g.cutIn(0, int64(len(out)))
		switch {
		case len(str) <= limit:
			if !bytes.Equal(out, []byte(doc)) || isCut {
				t.Fatalf("limit %d, string of %d: changed or marked\n%s\n%s", limit, len(str), doc, out)
			}
		default:
			if !isCut || cut.size != int64(len(str)) || cut.line != 3 {
				t.Fatalf("limit %d, string of %d: mark %+v, %v", limit, len(str), cut, isCut)
			}
			if g.lineAt(int64(bytes.LastIndexByte(out, ']'))) != 4 {
				t.Fatalf("line of the closing bracket wrong")
			}
		}
	}
}
