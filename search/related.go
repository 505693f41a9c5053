package search

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/faultline/faultline/incident"
)

// Related is an incident similar to another, with why.
type Related struct {
	ID     string
	Score  float64 // in [0, 1]
	Reason string  // "shares: phase design, behaviour crash; words: encryption, patch"
}

// Similarity weights: words of causes, impacts and fixes, then shared
// taxonomy options.
const (
	relWordWeight = 0.7
	relOptWeight  = 0.3
	relReasonOpts = 4
	relReasonWord = 4
)

// buildRelatedNorms computes the inverse document frequency of each term
// over causes, impacts and fixes and each document's vector norm there.
func (ix *segment) buildRelatedNorms(ta *termArrays) {
	n := ix.n
	ix.relNorm = make([]float32, n)
	ta.relIdf = make([]float32, len(ta.terms))
	for ti := range ta.terms {
		df := 0
		for p := ta.off[ti]; p < ta.off[ti+1]; p++ {
			if ta.pmask[p]&fRelated != 0 {
				df++
			}
		}
		if df == 0 || stopWords[ta.terms[ti]] {
			continue
		}
		idf := float32(math.Log(1 + float64(n)/float64(df)))
		ta.relIdf[ti] = idf
		for p := ta.off[ti]; p < ta.off[ti+1]; p++ {
			if ta.pmask[p]&fRelated != 0 {
				ix.relNorm[ta.pdoc[p]] += idf * idf
			}
		}
	}
	for d := range ix.relNorm {
		ix.relNorm[d] = float32(math.Sqrt(float64(ix.relNorm[d])))
	}
}

// stopWords never count towards similarity: in a small collection even
// "of" can be rare enough to pass relStopIdf and show up as a reason.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about after against all also an and any are as at be
		been before being between both but by can could did do does down during each
		for from had has have he her his how if in into is it its may more most no nor
		not of off on once one only or other our out over own same she should so some
		such than that the their them then there these they this those through to too
		under until up very was we were what when where which while who why will with
		would you your`) {
		m[w] = true
	}
	return m
}()

// relStopIdf drops, from similarity, words in over half the documents.
var relStopIdf = float32(math.Log(3))

// Related returns up to n incidents most similar to the one with id, by
// TF-IDF cosine over causes, impacts and fixes (binary term weights) and
// the share of its taxonomy options (other than unknown) they hold too.
// Each segment weighs words by its own frequencies.
func (ix *Index) Related(id string, n int) []Related {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg0, d0, ok := ix.lookup(id)
	if !ok || n <= 0 {
		return nil
	}
	words := sg0.relatedWords(d0)
	opts0 := ix.meaningfulOptions(sg0, d0)
	var cands []relCand
	for si, sg := range ix.segs {
		skip := -1
		if sg == sg0 {
			skip = d0
		}
		cands = append(cands, sg.relatedCands(si, skip, words, opts0, sg0.relNorm[d0])...)
	}
	slices.SortFunc(cands, func(a, b relCand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return hitOrder(Options{Sort: Date}, false)(hitRef{&rankedList{sg: a.sg, si: a.si, docs: []int32{int32(a.d)}}, 0},
			hitRef{&rankedList{sg: b.sg, si: b.si, docs: []int32{int32(b.d)}}, 0})
	})
	if len(cands) > n {
		cands = cands[:n]
	}
	out := make([]Related, len(cands))
	for i, c := range cands {
		out[i] = Related{ID: c.sg.ids.at(c.d), Score: c.score, Reason: c.sg.reason(c.d, opts0, words)}
	}
	return out
}

// relCand is a candidate of Related.
type relCand struct {
	sg    *segment
	si, d int
	score float64
}

// relatedWords returns the distinct words of document d's causes, impacts
// and fixes that weigh in similarity, rarest first.
func (ix *segment) relatedWords(d int) []string {
	in, _ := ix.doc(d) // without its texts, similarity rests on the taxonomy
	type word struct {
		w   string
		idf float32
	}
	var out []word
	seen := map[string]bool{}
	var buf []byte
	for _, s := range []string{in.Postmortem.SoftwareCauses, in.Postmortem.NonSoftwareCauses, in.Postmortem.Impacts, in.Postmortem.Fixes} {
		buf = scanWords(s, buf, func(w []byte, _, _ int) {
			if seen[string(w)] {
				return
			}
			seen[string(w)] = true
			if lo, hi := ix.lex.find(string(w), false); lo < hi && ix.lex.relIdfOf(lo) > relStopIdf {
				out = append(out, word{string(w), ix.lex.relIdfOf(lo)})
			}
		})
	}
	slices.SortStableFunc(out, func(a, b word) int { return cmp.Compare(b.idf, a.idf) })
	words := make([]string, len(out))
	for i, w := range out {
		words[i] = w.w
	}
	return words
}

// relatedCands scores the live documents of the segment (but skip)
// against a document with the given related words, options and norm.
func (ix *segment) relatedCands(si, skip int, words []string, opts0 []catOpt, norm0 float32) []relCand {
	nd := ix.n
	dot := make([]float32, nd)
	var docs []uint32
	var masks []uint16
	for _, w := range words {
		lo, hi := ix.lex.find(w, false)
		if lo == hi {
			continue
		}
		idf := ix.lex.relIdfOf(lo)
		docs, masks = ix.lex.postings(lo, docs[:0], masks[:0])
		for p, d := range docs {
			if masks[p]&fRelated != 0 {
				dot[d] += idf * idf
			}
		}
	}
	optSet := map[uint16]bool{}
	for _, o := range opts0 {
		if id, ok := ix.optID[o]; ok {
			optSet[uint16(id)] = true
		}
	}
	var cands []relCand
	for d := range nd {
		if d == skip || ix.isDead(d) {
			continue
		}
		var cos float64
		if dot[d] > 0 && ix.relNorm[d] > 0 && norm0 > 0 {
			cos = float64(dot[d]) / float64(ix.relNorm[d]*norm0)
		}
		var share float64
		if len(opts0) > 0 {
			k := 0
			for _, o := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
				if optSet[o] {
					k++
				}
			}
			share = float64(k) / float64(len(opts0))
		}
		if sc := relWordWeight*min(cos, 1) + relOptWeight*share; sc > 0 {
			cands = append(cands, relCand{ix, si, d, sc})
		}
	}
	return cands
}

// meaningfulOptions returns the options of document d of sg other than
// unknown, rarest first over the whole index.
func (ix *Index) meaningfulOptions(sg *segment, d int) []catOpt {
	counts := ix.optCounts()
	var out []catOpt
	var gids []int
	for _, o := range sg.docOpt[sg.docOptOff[d]:sg.docOptOff[d+1]] {
		// a shared source is no likeness: only the taxonomy counts
		if int(o) < len(sg.optName) && sg.optName[o] != "unknown" && sg.optCat[o] < len(incident.Categories) {
			gids = append(gids, sg.gopt[o])
		}
	}
	slices.SortStableFunc(gids, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	for _, g := range gids {
		out = append(out, catOpt{dims[ix.optCat[g]], ix.optName[g]})
	}
	return out
}

func (ix *segment) reason(d int, opts0 []catOpt, words []string) string {
	var shared []string
	for _, o := range opts0 {
		if len(shared) == relReasonOpts {
			break
		}
		if id, ok := ix.optID[o]; ok && ix.optDocs[id].has(d) {
			shared = append(shared, o.cat+" "+o.opt)
		}
	}
	var reasons []string
	for _, w := range words {
		if len(reasons) == relReasonWord {
			break
		}
		if isNumber(w) {
			continue // article ids: shared sources, not shared words
		}
		if lo, hi := ix.lex.find(w, false); lo < hi && ix.hasRelated(lo, d) {
			reasons = append(reasons, w)
		}
	}
	var parts []string
	if len(shared) > 0 {
		parts = append(parts, "shares: "+strings.Join(shared, ", "))
	}
	if len(reasons) > 0 {
		parts = append(parts, "words: "+strings.Join(reasons, ", "))
	}
	return strings.Join(parts, "; ")
}

// hasRelated reports whether term ti occurs in d's causes, impacts or fixes.
func (ix *segment) hasRelated(ti, d int) bool {
	docs, masks := ix.lex.postings(ti, nil, nil)
	i, ok := slices.BinarySearch(docs, uint32(d))
	return ok && masks[i]&fRelated != 0
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
