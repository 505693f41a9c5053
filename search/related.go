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

// Similarity is that of the words of what happened and was learnt (see
// fRelated), scaled by the taxonomy options shared, each weighed by its
// rarity: two failures of one kind share words ("ransomware",
// "firmware"), where options such as a domain are shared by failures of
// every kind, so options tell apart incidents that share words but make
// none related on their own.
const (
	relWordWeight = 0.6
	relOptWeight  = 0.4
	relReasonOpts = 3
	relReasonWord = 4
	// relTopWords is how many of an incident's words, the most
	// distinctive, others are compared on: its long texts share many
	// words with any other's, which would drown the few that matter.
	relTopWords = 30
)

// relBoost is how much a word weighs in a document's vector by where it
// stands: a title names the failure, a summary tells it, the other fields
// tell much else besides.
func relBoost(mask uint16) float32 {
	switch {
	case mask&fTitle != 0:
		return 5
	case mask&fSummary != 0:
		return 2
	}
	return 1
}

// buildRelatedNorms computes the inverse document frequency of each term
// over the fields of fRelated and each document's vector norm there.
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
		if df == 0 || !relWord(ta.terms[ti]) {
			continue
		}
		idf := float32(math.Log(1 + float64(n)/float64(df)))
		ta.relIdf[ti] = idf
		for p := ta.off[ti]; p < ta.off[ti+1]; p++ {
			if m := ta.pmask[p]; m&fRelated != 0 {
				w := idf * relBoost(m)
				ix.relNorm[ta.pdoc[p]] += w * w
			}
		}
	}
	for d := range ix.relNorm {
		ix.relNorm[d] = float32(math.Sqrt(float64(ix.relNorm[d])))
	}
}

// stopWords never count towards similarity: in a small collection even
// "of" can be rare enough to pass relStopIdf and show up as a reason. Beside
// the function words are the words any account of a failure uses, which
// say nothing of what kind it was.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all almost along also
		although always among an and another any are around as at away back be became because
		become been before being below between both but by came can cannot could did do does
		doing done down during each either else enough entire etc even ever every few first
		for found from further get gets getting given go going got had has have having he
		her here him his how however if in including into is it its itself just last later
		least less like made make makes making many may might more most much must near need
		needed needs new next no nor not now of off often on once one only onto or other
		others otherwise our out over own per perhaps quite rather really regarding related
		same several shall she should since so some something still such than that the their
		them themselves then there therefore these they thing things this those though three
		through thus to together too toward two under until up upon us use used uses using
		various very via was way ways we well were what whatever when where whether which
		while who whole whom whose why will with within without would yet you your
		issue issues problem problems incident incidents failure failures caused cause causes
		causing led lead leading result resulted results resulting due impact impacted
		impacts affected affecting fix fixed fixes fixing prevent prevented preventing
		prevention preventions ensure ensuring implement implemented implementing improve
		improved improving potential potentially significant significantly additional
		proper properly measures number numbers time times well-known people users user
		company companies system systems software specifically particular particularly
		reputation importance important different experience experienced faced facing
		ongoing process processes future best practices practice regular regularly public
		high low focusing focus focused allowed allowing associated failed failing
		financial administration questions question instead root widespread evolving
		operating operations operation confirmed included includes include investigation
		investigations hit mitigate mitigating concerns concern raised raise raises
		highlighted highlights highlighting emphasizes emphasized according reported
		report reports article articles news lack lacking provide provided providing
		essential crucial critical necessary appropriate effective effectively robust
		thorough comprehensive overall specific various certain major minor large small
		january february march april may june july august september october november
		december monday tuesday wednesday thursday friday saturday sunday year years
		month months week weeks day days left million millions billion billions thousand
		thousands hundred hundreds dozens`) {
		m[w] = true
	}
	return m
}()

// relWord reports whether word w may count towards similarity: not a
// stop word, and no number (a date, a version, an article id: shared by
// chance, or by a shared source).
func relWord(w string) bool {
	if stopWords[w] {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return false
		}
	}
	return len(w) > 1 // "s" of "Twitter's"
}

// relStopIdf drops, from similarity, words in over half the documents.
var relStopIdf = float32(math.Log(3))

// Related returns up to n incidents most similar to the one with id, but
// those of except (the other reports of its event): by TF-IDF cosine over
// the words of fRelated (binary term weights), and the rarity-weighed
// share of its taxonomy options (other than unknown) they hold too. Each
// segment weighs words by its own frequencies.
func (ix *Index) Related(id string, n int, except ...string) []Related {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sg0, d0, ok := ix.lookup(id)
	if !ok || n <= 0 {
		return nil
	}
	words := sg0.relatedWords(d0)
	opts0 := ix.meaningfulOptions(sg0, d0)
	skip := map[*segment]map[int]bool{sg0: {d0: true}}
	for _, x := range except {
		if sg, d, ok := ix.lookup(x); ok {
			if skip[sg] == nil {
				skip[sg] = map[int]bool{}
			}
			skip[sg][d] = true
		}
	}
	var cands []relCand
	for si, sg := range ix.segs {
		cands = append(cands, sg.relatedCands(si, skip[sg], words, opts0, sg0.relNorm[d0])...)
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
func (ix *segment) relatedWords(d int) []relTerm {
	in, _ := ix.doc(d) // without its texts, similarity rests on the title and taxonomy
	var out []relTerm
	var weight []float32
	seen := map[string]bool{}
	var buf []byte
	p := &in.Postmortem
	// title first, then summary: a word takes the boost of where it is first
	for i, s := range []string{in.Title, in.Summary, p.SoftwareCauses, p.NonSoftwareCauses, p.Impacts, p.Preventions, p.Fixes} {
		boost := relBoost([]uint16{fTitle, fSummary, 0}[min(i, 2)])
		buf = scanWords(s, buf, func(w []byte, _, _ int) {
			if seen[string(w)] {
				return
			}
			seen[string(w)] = true
			if lo, hi := ix.lex.find(string(w), false); lo < hi && ix.lex.relIdfOf(lo) > relStopIdf {
				out = append(out, relTerm{string(w), boost})
				weight = append(weight, boost*ix.lex.relIdfOf(lo))
			}
		})
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(weight[b], weight[a]) })
	words := make([]relTerm, len(out))
	for i, k := range order {
		words[i] = out[k]
	}
	return words
}

// relTerm is a word of the incident Related compares others with, with
// its boost there (see relBoost).
type relTerm struct {
	w     string
	boost float32
}

// relatedCands scores the live documents of the segment (but those of
// skip) against a document with the given related words, options (with
// their weights) and norm.
func (ix *segment) relatedCands(si int, skip map[int]bool, words []relTerm, opts0 []weighedOpt, norm0 float32) []relCand {
	nd := ix.n
	dot := make([]float32, nd)
	var docs []uint32
	var masks []uint16
	var mass float32 // of the words compared, as the incident holds them
	for _, w := range words[:min(len(words), relTopWords)] {
		lo, hi := ix.lex.find(w.w, false)
		if lo == hi {
			continue
		}
		idf := ix.lex.relIdfOf(lo)
		q := idf * w.boost
		mass += q * q
		docs, masks = ix.lex.postings(lo, docs[:0], masks[:0])
		for p, d := range docs {
			if m := masks[p]; m&fRelated != 0 {
				dot[d] += q * min(q, idf*relBoost(m))
			}
		}
	}
	optWeight := map[uint16]float64{}
	total := 0.0
	for _, o := range opts0 {
		total += o.weight
		if id, ok := ix.optID[o.catOpt]; ok {
			optWeight[uint16(id)] = o.weight
		}
	}
	var cands []relCand
	for d := range nd {
		if skip[d] || ix.isDead(d) {
			continue
		}
		var cos float64
		if dot[d] > 0 && mass > 0 {
			cos = float64(dot[d] / mass)
		}
		var share float64
		if total > 0 {
			for _, o := range ix.docOpt[ix.docOptOff[d]:ix.docOptOff[d+1]] {
				share += optWeight[o]
			}
			share /= total
		}
		if sc := min(cos, 1) * (relWordWeight + relOptWeight*share); sc > 0 {
			cands = append(cands, relCand{ix, si, d, sc})
		}
	}
	return cands
}

// weighedOpt is an option with its weight in similarity: its idf over
// the whole index, so that sharing a rare option says more than sharing
// a common one.
type weighedOpt struct {
	catOpt
	weight float64
}

// meaningfulOptions returns the options of document d of sg other than
// unknown, rarest first over the whole index, with their weights.
func (ix *Index) meaningfulOptions(sg *segment, d int) []weighedOpt {
	counts := ix.optCounts()
	n := float64(ix.docs())
	var out []weighedOpt
	var gids []int
	for _, o := range sg.docOpt[sg.docOptOff[d]:sg.docOptOff[d+1]] {
		// a shared source is no likeness: only the taxonomy counts
		if int(o) < len(sg.optName) && sg.optName[o] != "unknown" && sg.optCat[o] < len(incident.Categories) {
			gids = append(gids, sg.gopt[o])
		}
	}
	slices.SortStableFunc(gids, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	for _, g := range gids {
		w := math.Log(1 + n/float64(max(1, counts[g])))
		out = append(out, weighedOpt{catOpt{dims[ix.optCat[g]], ix.optName[g]}, w})
	}
	return out
}

// reason says why document d is related: the rarest words and options it
// shares.
func (ix *segment) reason(d int, opts0 []weighedOpt, words []relTerm) string {
	var shared []string
	for _, o := range opts0 {
		if len(shared) == relReasonOpts {
			break
		}
		if id, ok := ix.optID[o.catOpt]; ok && ix.optDocs[id].has(d) {
			shared = append(shared, o.cat+" "+o.opt)
		}
	}
	var reasons []string
	for _, w := range words {
		if len(reasons) == relReasonWord {
			break
		}
		if lo, hi := ix.lex.find(w.w, false); lo < hi && ix.hasRelated(lo, d) {
			reasons = append(reasons, w.w)
		}
	}
	var parts []string
	if len(reasons) > 0 {
		parts = append(parts, "words: "+strings.Join(reasons, ", "))
	}
	if len(shared) > 0 {
		parts = append(parts, "shares: "+strings.Join(shared, ", "))
	}
	return strings.Join(parts, "; ")
}

// hasRelated reports whether term ti occurs in d's fields of fRelated.
func (ix *segment) hasRelated(ti, d int) bool {
	docs, masks := ix.lex.postings(ti, nil, nil)
	i, ok := slices.BinarySearch(docs, uint32(d))
	return ok && masks[i]&fRelated != 0
}
