package search

import (
	"strings"

	"github.com/faultline/faultline/incident"
)

// Where a query matched, for the explorer: a row whose title holds none of
// the query's words says which field did, and the detail marks only the
// words search would have matched, field by field. Both read what search
// reads (the postings' field bits, the query's own terms), so what is
// shown cannot disagree with what was found.

// Matched says where a query's positive words were found in an incident.
type Matched struct {
	// Fields lists the keys of the fields holding one of the words, in
	// field order: "title", "summary", the keys of incident.Fields,
	// "rationale", "body".
	Fields []string
	// Abbrev is set when the free words matched nowhere but as an abbreviation
	// of the system or an organisation, which a title does not show.
	Abbrev bool
}

// maxMatchedTerms bounds the terms a prefix is looked up in, per word: a
// one-letter prefix would otherwise decode most of the index for the few
// rows on screen.
const maxMatchedTerms = 512

// matchedFields are the fields MatchedIn names, in order.
var matchedFields = func() []string {
	out := []string{"title", "summary"}
	for _, f := range incident.Fields {
		out = append(out, f.Key)
	}
	return append(out, "rationale", "body")
}()

// MatchedIn returns, for each of ids that q matched by its words, where
// it matched. It reads only the index, never an incident's texts, so it
// is cheap enough for the rows on screen.
func (ix *Index) MatchedIn(q Query, ids []string) map[string]Matched {
	out := map[string]Matched{}
	if !q.HasText() || len(ids) == 0 {
		return out
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	// the wanted documents, by segment
	want := map[*segment]map[uint32]string{}
	for _, id := range ids {
		if sg, d, ok := ix.lookup(id); ok {
			if want[sg] == nil {
				want[sg] = map[uint32]string{}
			}
			want[sg][uint32(d)] = id
		}
	}
	abbrev := ix.abbreviates(&q)
	for sg, docs := range want {
		sg.matchedIn(q, docs, abbrev, out)
	}
	return out
}

// matchedIn adds to out where q matched the documents of want; abbrev is
// whether its free words are tried as an abbreviation.
func (sg *segment) matchedIn(q Query, want map[uint32]string, abbrev bool, out map[string]Matched) {
	masks := map[uint32]uint16{}
	var docs []uint32
	var ms []uint16
	for _, t := range q.text {
		if t.neg {
			continue
		}
		for wi, w := range t.words {
			lo, hi := sg.lex.find(w, t.prefix && wi == len(t.words)-1)
			hi = min(hi, lo+maxMatchedTerms)
			for ti := lo; ti < hi; ti++ {
				docs, ms = sg.lex.postings(ti, docs[:0], ms[:0])
				for p, d := range docs {
					if _, ok := want[d]; ok {
						masks[d] |= ms[p] & t.fields
					}
				}
			}
		}
	}
	abbrevs := map[uint32]bool{}
	if abbrev {
		for _, fh := range sg.fuzzyHeadlines(strings.Join(q.free, " "), nil) {
			if _, ok := want[uint32(fh.doc)]; ok && !fh.inTitle {
				abbrevs[uint32(fh.doc)] = true
			}
		}
	}
	for d, id := range want {
		m := Matched{Abbrev: abbrevs[d] && masks[d] == 0}
		for _, name := range matchedFields {
			if masks[d]&textFields[name] != 0 {
				m.Fields = append(m.Fields, name)
			}
		}
		if len(m.Fields) > 0 || m.Abbrev {
			out[id] = m
		}
	}
}

// HighlightIn returns the byte offsets of the characters of s, the text of
// the field with key field (as Matched.Fields names them), that belong to
// words the query's positive terms look for in that field: "fix" marks
// "fix", not "fixes", unless it is the prefix the query is still typing,
// and fixes:word marks nothing in a summary.
func (q Query) HighlightIn(field, s string) []int {
	bits, ok := textFields[field]
	if !ok {
		return nil
	}
	var offs []int
	scanWords(s, nil, func(w []byte, start, end int) {
		for _, t := range q.text {
			if t.neg || t.fields&bits == 0 {
				continue
			}
			for i, tw := range t.words {
				prefix := t.prefix && i == len(t.words)-1
				if string(w) == tw || prefix && strings.HasPrefix(string(w), tw) {
					for k := range s[start:end] {
						offs = append(offs, start+k)
					}
					return
				}
			}
		}
	})
	return offs
}
