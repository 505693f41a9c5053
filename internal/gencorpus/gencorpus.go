// Package gencorpus generates realistic synthetic incidents for benchmarks
// and tests: varied titles and organisations, postmortem fields of numbered
// items with citations, a Zipf-like word distribution, multi-valued
// taxonomy options and years 2010–2022, about 16 KB of text each like the
// FAIL pages. The same n and seed always give the same incidents.
package gencorpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/faultline/faultline/incident"
)

// vocab is the sampling vocabulary, most frequent first.
var (
	vocabOnce sync.Once
	vocab     []string
	// zipfRank[i] is the rank at probability i/zipfSteps of the
	// distribution function; a draw picks a step, then a rank inside it.
	zipfRank []uint32
)

const (
	tailWords = 12000
	// Rank k has weight (k+zipfShift)^-zipfExp: zipfShift flattens the
	// head, zipfExp > 1 thins the tail to about 500 distinct words in
	// 2,500, as in the FAIL pages.
	zipfShift = 2.7
	zipfExp   = 1.2
	zipfBits  = 16
	zipfSteps = 1 << zipfBits
)

func initVocab() {
	vocab = strings.Fields(common)
	want := len(vocab) + tailWords
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for _, w := range vocab {
		seen[w] = true
	}
	for len(vocab) < want {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	// Inverse of the continuous distribution function of the weights.
	lo := math.Pow(zipfShift, 1-zipfExp)
	span := lo - math.Pow(float64(len(vocab))+zipfShift, 1-zipfExp)
	zipfRank = make([]uint32, zipfSteps+1)
	for i := range zipfRank {
		u := float64(i) / zipfSteps
		k := math.Pow(lo-u*span, 1/(1-zipfExp)) - zipfShift
		zipfRank[i] = uint32(min(max(k, 0), float64(len(vocab))))
	}
}

// gen writes one incident's text.
type gen struct {
	r      *rand.Rand
	b      strings.Builder
	theme  []string // words of this incident's system, organisation and failure
	cites  []int64
	system string
	org    string
	place  string
	// articles cited in postmortem fields and rationales, in order of
	// first appearance, as incident.ArticlesOf would find them
	articles []int64
	record   bool
}

func (g *gen) cite(c int64) {
	if g.record {
		for _, a := range g.articles {
			if a == c {
				goto write
			}
		}
		g.articles = append(g.articles, c)
	}
write:
	fmt.Fprintf(&g.b, "%d", c)
}

func (g *gen) word() string {
	if len(g.theme) > 0 && g.r.IntN(9) == 0 {
		return g.theme[g.r.IntN(len(g.theme))]
	}
	x := g.r.Uint64()
	i := x >> (64 - zipfBits)
	k := zipfRank[i]
	if span := zipfRank[i+1] - k; span > 1 {
		k += uint32((x & 0xffffffff) % uint64(span))
	}
	return vocab[min(int(k), len(vocab)-1)]
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// sentence writes n words, capitalised, with a citation and a full stop.
func (g *gen) sentence(n int) {
	for i := range n {
		w := g.word()
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			g.b.WriteByte(' ')
		}
		g.b.WriteString(w)
		if i > 2 && i < n-2 && g.r.IntN(14) == 0 {
			g.b.WriteByte(',')
		}
	}
	g.b.WriteString(" [")
	for i := range 1 + g.r.IntN(2) {
		if i > 0 {
			g.b.WriteString(", ")
		}
		g.cite(g.cites[g.r.IntN(len(g.cites))])
	}
	g.b.WriteString("].")
}

// items writes a numbered field of k items of about words words each.
func (g *gen) items(k, words int) string {
	start := g.b.Len()
	for i := 1; i <= k; i++ {
		if i > 1 {
			g.b.WriteByte(' ')
		}
		fmt.Fprintf(&g.b, "%d. ", i)
		g.sentence(words/2 + g.r.IntN(words))
	}
	return g.b.String()[start:]
}

func (g *gen) prose(sentences, words int) string {
	start := g.b.Len()
	for i := range sentences {
		if i > 0 {
			g.b.WriteByte(' ')
		}
		g.sentence(words/2 + g.r.IntN(words))
	}
	return g.b.String()[start:]
}

var titleForms = []func(g *gen, kind, impact string) string{
	func(g *gen, kind, impact string) string {
		return fmt.Sprintf("%s on %s's %s", kind, g.org, titleCase(g.system))
	},
	func(g *gen, kind, impact string) string {
		return fmt.Sprintf("%s %s %s %s", g.org, titleCase(g.system), kind, impact)
	},
	func(g *gen, kind, impact string) string {
		return fmt.Sprintf("%s in %s %s Leads to %s", kind, g.place, titleCase(g.system), impact)
	},
	func(g *gen, kind, impact string) string {
		return fmt.Sprintf("%s: %s %s", g.org, kind, impact)
	},
	func(g *gen, kind, impact string) string {
		return fmt.Sprintf("%s %s in %s, %s %d", titleCase(g.system), kind, g.place, months[g.r.IntN(12)], 2010+g.r.IntN(13))
	},
}

var months = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func titleCase(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(f, " ")
}

// domainOf ties an organisation kind to a likely domain.
var domainOf = map[string]string{
	"Bank": "finance", "Financial": "finance", "Insurance": "finance", "Airlines": "transportation",
	"Motors": "transportation", "Rail": "transportation", "Logistics": "transportation",
	"Health": "health", "Hospital": "health", "Pharmaceuticals": "health", "Energy": "utilities",
	"Water Authority": "utilities", "Telecom": "information", "Networks": "information",
	"Systems": "information", "Software": "information", "Security": "information",
	"University": "knowledge", "Games": "entertainment", "Media": "entertainment",
	"Retail": "sales", "Labs": "knowledge",
}

// incidentAt generates incident i of the corpus from its own stream, so
// that incidents do not depend on the order they are made in.
func incidentAt(i int, seed int64) incident.Incident {
	g := &gen{r: rand.New(rand.NewPCG(uint64(seed), uint64(i)*0x9e3779b97f4a7c15+1))}
	kind := g.pick(orgKind)
	g.org = g.pick(orgFirst) + " " + kind
	if g.r.IntN(6) == 0 {
		g.org = "City of " + g.pick(places)
	}
	g.system = g.pick(systemsList)
	g.place = g.pick(places)
	fk := g.pick(failureKinds)
	impact := g.pick(impactsList)
	g.theme = append(strings.Fields(strings.ToLower(g.system+" "+fk)), strings.ToLower(g.place))
	g.theme = append(g.theme, incident.Words(g.org)...)
	g.b.Grow(24 << 10)
	for range 1 + g.r.IntN(6) {
		g.cites = append(g.cites, int64(1000+g.r.IntN(130000)))
	}

	year := 2010 + g.r.IntN(13)
	in := incident.Incident{
		Title:     titleForms[g.r.IntN(len(titleForms))](g, fk, impact),
		Published: fmt.Sprintf("%04d-%02d-%02d", year, 1+g.r.IntN(12), 1+g.r.IntN(28)),
		Taxonomy:  map[string]incident.Category{},
	}
	n := func(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
	p := &in.Postmortem
	g.record = true
	// One buffer holds every text of the incident; the fields are slices
	// of it.
	g.b.Grow(24 << 10)
	p.Timeline = g.items(n(1, 3), 30)
	start := g.b.Len()
	fmt.Fprintf(&g.b, "1. %s of %s [", titleCase(g.system), g.org)
	g.cite(g.cites[0])
	g.b.WriteString("] ")
	g.items(n(0, 2), 12)
	p.System = g.b.String()[start:]
	p.ResponsibleOrg = fmt.Sprintf("1. %s was responsible for the %s [%d]. ", g.org, strings.ToLower(fk), g.cites[0]) + g.items(n(0, 2), 24)
	p.ImpactedOrg = fmt.Sprintf("1. Customers of %s in %s [%d] ", g.org, g.place, g.cites[0]) + g.items(n(1, 3), 14)
	p.SoftwareCauses = g.items(n(2, 5), 36)
	p.NonSoftwareCauses = g.items(n(1, 4), 36)
	p.Impacts = g.items(n(2, 6), 36)
	p.Preventions = g.items(n(2, 5), 36)
	p.Fixes = g.items(n(1, 4), 32)
	refs := make([]string, n(2, 8))
	for k := range refs {
		refs[k] = fmt.Sprintf("%d. %s %s", k+1, titleCase(g.word()), titleCase(g.word()))
	}
	p.References = strings.Join(refs, " ")
	g.record = false
	in.Summary = fmt.Sprintf("The %s at %s in %s: ", strings.ToLower(fk), g.org, g.place) + g.prose(n(3, 6), 34)

	g.record = true
	for _, c := range incident.Categories {
		var opts []string
		switch {
		case c.Key == "domain" && domainOf[kind] != "" && g.r.IntN(4) != 0:
			opts = append(opts, domainOf[kind])
			if g.r.IntN(3) == 0 {
				opts = appendNew(opts, g.pick(c.Options))
			}
		case c.Block == incident.BlockIoT && g.r.IntN(3) != 0:
			// most incidents have no IoT layer
		case c.Key == "cps" && g.r.IntN(2) == 0:
		default:
			// the first option is the most common; a second one often
			opts = append(opts, c.Options[min(g.r.IntN(len(c.Options)), g.r.IntN(len(c.Options)))])
			if g.r.IntN(3) == 0 {
				opts = appendNew(opts, g.pick(c.Options))
			}
		}
		cat := incident.Category{Options: opts}
		if len(opts) > 0 {
			cat.Rationale = fmt.Sprintf("(a) %s: ", strings.Join(opts, ", ")) + g.prose(n(3, 5), 30)
		}
		in.Taxonomy[c.Key] = cat
	}
	in.Articles = g.articles
	in.Normalize()
	return in
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Incidents returns n synthetic incidents generated from seed, with
// distinct ids.
func Incidents(n int, seed int64) []incident.Incident {
	vocabOnce.Do(initVocab)
	out := make([]incident.Incident, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				out[i] = incidentAt(i, seed)
			}
		}()
	}
	wg.Wait()
	// Ids come from title and date; make the rare clash distinct by
	// numbering the title, in index order so the result stays
	// deterministic.
	seen := make(map[string]bool, n)
	for i := range out {
		for k := 2; seen[out[i].ID]; k++ {
			out[i].Title = fmt.Sprintf("%s (%d)", strings.TrimSuffix(out[i].Title, fmt.Sprintf(" (%d)", k-1)), k)
			out[i].ID = incident.MakeID(out[i].Title, out[i].Published)
		}
		seen[out[i].ID] = true
	}
	for i := range out {
		out[i].ID = out[i].NaturalID()
	}
	return out
}

// textSize is the bytes of text of an incident, for tests of the size.
func textSize(in *incident.Incident) int {
	n := len(in.Title) + len(in.Summary)
	for _, f := range incident.Fields {
		n += len(*f.Get(&in.Postmortem))
	}
	for _, c := range in.Taxonomy {
		n += len(c.Rationale)
	}
	return n
}
