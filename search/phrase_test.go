package search

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/internal/gencorpus"
)

// brutePhrase is what a phrase means, read from the texts: the documents
// with a text in fields whose words hold words one after another (the last
// as a prefix when prefix).
func brutePhrase(incs []incident.Incident, texts [][]tokenised, words []string, fields uint16, prefix bool) []string {
	var out []string
	for i := range incs {
		found := false
		for _, tx := range texts[i] {
			if found || tx.bits&fields == 0 {
				continue
			}
			ws := tx.words
			for s := 0; s+len(words) <= len(ws) && !found; s++ {
				ok := true
				for k, w := range words {
					last := k == len(words)-1
					if ws[s+k] != w && !(last && prefix && strings.HasPrefix(ws[s+k], w)) {
						ok = false
						break
					}
				}
				found = ok
			}
		}
		if found {
			out = append(out, incs[i].ID)
		}
	}
	slices.Sort(out)
	return out
}

type tokenised struct {
	bits  uint16
	words []string
}

func tokenise(incs []incident.Incident) [][]tokenised {
	out := make([][]tokenised, len(incs))
	for i := range incs {
		fieldText(&incs[i], func(bits uint16, text string) {
			out[i] = append(out[i], tokenised{bits, incident.Words(text)})
		})
	}
	return out
}

// Phrases found through positions are those a scan of the texts finds,
// for phrases taken from the texts themselves, in every field and with
// a prefix.
func TestPhrasesMatchTheTexts(t *testing.T) {
	incs := gencorpus.Incidents(200, 7)
	incs[0].Postmortem.Fixes = "Rotated the sluice gate keys. Sluice"
	incs[0].Postmortem.Impacts = "gate closed"
	ix := Build(incs)
	data, err := ix.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := Load(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	type phrase struct {
		query  string
		words  []string
		fields uint16
		prefix bool
	}
	cases := []phrase{
		{`"sluice gate"`, []string{"sluice", "gate"}, fAll, false},
		{`"sluice gate keys"`, []string{"sluice", "gate", "keys"}, fAll, false},
		{`fixes:"sluice gate"`, []string{"sluice", "gate"}, fFixes, false},
		{`impacts:"sluice gate"`, []string{"sluice", "gate"}, fImpacts, false},
		{`"sluice gate closed"`, []string{"sluice", "gate", "closed"}, fAll, false},
		{`fixes:sluice-ga`, []string{"sluice", "ga"}, fFixes, true},
	}
	for range 40 {
		in := &incs[r.IntN(len(incs))]
		f := incident.Fields[r.IntN(len(incident.Fields))]
		ws := incident.Words(*f.Get(&in.Postmortem))
		if len(ws) < 4 {
			continue
		}
		k := 2 + r.IntN(2)
		s := r.IntN(len(ws) - k)
		words := ws[s : s+k]
		cases = append(cases, phrase{fmt.Sprintf("%q", strings.Join(words, " ")), words, fAll, false})
		cases = append(cases, phrase{fmt.Sprintf("%s:%q", f.Key, strings.Join(words, " ")), words, textFields[f.Key], false})
	}
	texts := tokenise(incs)
	for _, c := range cases {
		want := brutePhrase(incs, texts, c.words, c.fields, c.prefix)
		for name, x := range map[string]*Index{"built": ix, "loaded": lx} {
			got := hitIDs(x.Search(mustParse(t, c.query), Options{}))
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: %d hits, the texts hold %d", name, c.query, len(got), len(want))
			}
		}
	}
}

// adjacent finds the positions of one list right after one of another,
// as a plain search of both would, and stops at a damaged gap.
func TestAdjacent(t *testing.T) {
	encode := func(ps []uint32) []byte {
		var out []byte
		prev := uint32(0)
		for _, p := range ps {
			out = binary.AppendUvarint(out, uint64(p-prev))
			prev = p
		}
		return out
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		var a, b []uint32
		for p, n := uint32(0), r.IntN(40); len(a) < n; {
			p += uint32(1 + r.IntN(1+i%300)) // gaps of one byte and of several
			a = append(a, p)
		}
		for p, n := uint32(0), r.IntN(40); len(b) < n; {
			p += uint32(1 + r.IntN(1+i%300))
			b = append(b, p)
		}
		var want []uint32
		for _, pb := range b {
			if slices.Contains(a, pb-1) && pb > 0 {
				want = append(want, pb)
			}
		}
		if got := adjacent(encode(a), encode(b), true, nil); !slices.Equal(got, want) {
			t.Fatalf("a %v, b %v: all %v, want %v", a, b, got, want)
		}
		got := adjacent(encode(a), encode(b), false, nil)
		if len(want) > 0 && !slices.Equal(got, want[:1]) || len(want) == 0 && len(got) != 0 {
			t.Fatalf("a %v, b %v: first %v, want the first of %v", a, b, got, want)
		}
	}
	damaged := []byte{3, 0x80} // a gap cut short
	if got := adjacent([]byte{2}, damaged, true, nil); !slices.Equal(got, []uint32{3}) {
		t.Errorf("up to a damaged gap: %v, want [3]", got)
	}
	if got := adjacent(damaged, []byte{4, 0x80, 0x80}, true, nil); !slices.Equal(got, []uint32{4}) {
		t.Errorf("a damaged first list: %v, want [4]", got)
	}
}
