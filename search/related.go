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
func (ix *Index) buildRelatedNorms(ta *termArrays) {
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
func (ix *Index) Related(id string, n int) []Related {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d0, ok := ix.lookup(id)
	if !ok || n <= 0 {
		return nil
	}
	nd := ix.n
	// The related terms of d0: those whose postings hold d0 with a
	// cause, impact or fix bit.
	var terms []int
	seen := map[int]bool{}
	in, _ := ix.doc(d0) // without its texts, similarity rests on the taxonomy
	var buf []byte
	for _, s := range []string{in.Postmortem.SoftwareCauses, in.Postmortem.NonSoftwareCauses, in.Postmortem.Impacts, in.Postmortem.Fixes} {
		buf = scanWords(s, buf, func(w []byte, _, _ int) {
			lo, hi := ix.lex.find(string(w), false)
			if lo < hi && !seen[lo] {
				seen[lo] = true
				if ix.lex.relIdfOf(lo) > relStopIdf {
					terms = append(terms, lo)
				}
			}
		})
	}
	dot := make([]float32, nd)
	var docs []uint32
	var masks []uint16
	for _, ti := range terms {
		idf := ix.lex.relIdfOf(ti)
		docs, masks = ix.lex.postings(ti, docs[:0], masks[:0])
		for p, d := range docs {
			if masks[p]&fRelated != 0 {
				dot[d] += idf * idf
			}
		}
	}
	opts0 := ix.meaningfulOptions(d0)
	optSet := map[uint16]bool{}
	for _, o := range opts0 {
		optSet[o] = true
	}
	type cand struct {
		d     int
		score float64
	}
	cands := make([]cand, 0, nd)
	for d := range nd {
		if d == d0 {
			continue
		}
		var cos float64
		if dot[d] > 0 && ix.relNorm[d] > 0 && ix.relNorm[d0] > 0 {
			cos = float64(dot[d]) / float64(ix.relNorm[d]*ix.relNorm[d0])
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
			cands = append(cands, cand{d, sc})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(ix.dateRank[b.d], ix.dateRank[a.d])
	})
	if len(cands) > n {
		cands = cands[:n]
	}
	// Rarest words first in reasons.
	slices.SortFunc(terms, func(a, b int) int { return cmp.Compare(ix.lex.relIdfOf(a), ix.lex.relIdfOf(b)) * -1 })
	out := make([]Related, len(cands))
	for i, c := range cands {
		out[i] = Related{ID: ix.ids.at(c.d), Score: c.score, Reason: ix.reason(c.d, opts0, terms)}
	}
	return out
}

// meaningfulOptions returns the options of d other than unknown, rarest
// first.
func (ix *Index) meaningfulOptions(d int) []uint16 {
	var out []uint16
	for _, o := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
		// a shared source is no likeness: only the taxonomy counts
		if int(o) < len(ix.optName) && ix.optName[o] != "unknown" && ix.optCat[o] < len(incident.Categories) {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b uint16) int {
		return cmp.Compare(ix.optCount[a], ix.optCount[b])
	})
	return out
}

func (ix *Index) reason(d int, opts0 []uint16, terms []int) string {
	var shared []string
	for _, o := range opts0 {
		if len(shared) == relReasonOpts {
			break
		}
		if ix.optDocs[o].has(d) {
			shared = append(shared, dims[ix.optCat[o]]+" "+ix.optName[o])
		}
	}
	var words []string
	for _, ti := range terms {
		if len(words) == relReasonWord {
			break
		}
		w := string(ix.lex.term(ti))
		if isNumber(w) {
			continue // article ids: shared sources, not shared words
		}
		if ix.hasRelated(ti, d) {
			words = append(words, w)
		}
	}
	var parts []string
	if len(shared) > 0 {
		parts = append(parts, "shares: "+strings.Join(shared, ", "))
	}
	if len(words) > 0 {
		parts = append(parts, "words: "+strings.Join(words, ", "))
	}
	return strings.Join(parts, "; ")
}

// hasRelated reports whether term ti occurs in d's causes, impacts or fixes.
func (ix *Index) hasRelated(ti, d int) bool {
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
