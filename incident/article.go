package incident

import "slices"

// Article is one news article of the FAIL database: what incidents cite as
// [68976]. Its texts are kept as the source gave them.
type Article struct {
	ID        int64  `json:"id"`
	Headline  string `json:"headline"`
	Source    string `json:"source"` // the publication, often its site's URL
	Published string `json:"published"`
	URL       string `json:"url"`
	Summary   string `json:"summary"`
	Body      string `json:"body"`
	// Incidents are the FAIL ids of the incidents the article is about.
	Incidents []int64 `json:"incidents"`
	// Extra holds the source's other columns by name, so nothing is lost.
	Extra map[string]string `json:"extra,omitempty"`
}

// CitedArticle is what an incident shows of an article it cites.
type CitedArticle struct {
	ID        int64  `json:"id"`
	Headline  string `json:"headline"`
	Source    string `json:"source"`
	Published string `json:"published"`
	URL       string `json:"url"`
}

// Cited returns what an incident shows of a.
func (a *Article) Cited() CitedArticle {
	return CitedArticle{ID: a.ID, Headline: a.Headline, Source: a.Source, Published: a.Published, URL: a.URL}
}

// Merge lays o over a: what o leaves empty keeps a's value; incident ids
// and extra columns are unions. It reports whether a changed.
func (a *Article) Merge(o Article) bool {
	changed := false
	keep := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst, changed = v, true
		}
	}
	keep(&a.Headline, o.Headline)
	keep(&a.Source, o.Source)
	keep(&a.Published, o.Published)
	keep(&a.URL, o.URL)
	keep(&a.Summary, o.Summary)
	keep(&a.Body, o.Body)
	for _, id := range o.Incidents {
		if !slices.Contains(a.Incidents, id) {
			a.Incidents, changed = append(a.Incidents, id), true
		}
	}
	for k, v := range o.Extra {
		if v != "" && a.Extra[k] != v {
			if a.Extra == nil {
				a.Extra = map[string]string{}
			}
			a.Extra[k], changed = v, true
		}
	}
	if a.Incidents == nil {
		a.Incidents = []int64{}
	}
	return changed
}
