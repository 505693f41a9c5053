package search

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CrossTab counts the incidents matching a query by option of one
// category against option of another: Rows[x][y] incidents hold option x
// of the first and option y of the second (or were published in year y).
// Options are multi-valued, as in the facets: an incident with two
// options of the first category counts in both rows. Incidents with no
// option of a category, or no year, are in no row or column of it; Total
// counts every matching incident. Zero counts are left out.
type CrossTab struct {
	Rows  map[string]map[string]int `json:"rows"`
	Total int                       `json:"total"`
}

// CrossYear names the published year as a dimension of CrossTab.
const CrossYear = "year"

// ErrCrossCategory is matched by the error CrossTab returns for a
// dimension that is neither a category nor CrossYear.
var ErrCrossCategory = errors.New("search: cross-tab: unknown category")

// CrossTab counts, over the incidents matching q, the incidents by option
// of category a and option of category b; either may be CrossYear, and
// "source" counts where incidents came from, as in the facets.
func (ix *Index) CrossTab(q Query, a, b string) (CrossTab, error) {
	ia, err := crossDim(a)
	if err != nil {
		return CrossTab{}, err
	}
	ib, err := crossDim(b)
	if err != nil {
		return CrossTab{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := ix.queryStats(&q)
	out := CrossTab{Rows: map[string]map[string]int{}}
	counts := map[[2]int]int{} // (row value, column value) → incidents
	var rows, cols []int
	for si, sg := range ix.segs {
		set := sg.filter(&q, st, si).final
		out.Total += set.count()
		set.each(func(d int) {
			rows, cols = sg.crossValues(d, ia, rows[:0]), sg.crossValues(d, ib, cols[:0])
			for _, r := range rows {
				for _, c := range cols {
					counts[[2]int{r, c}]++
				}
			}
		})
	}
	ix.nameCounts(&out, ia, ib, counts)
	return out, nil
}

// nameCounts puts counts, by the numbers of options of dimensions ia and
// ib, into out's rows by their names.
func (ix *Index) nameCounts(out *CrossTab, ia, ib int, counts map[[2]int]int) {
	for rc, n := range counts {
		row, col := ix.crossName(ia, rc[0]), ix.crossName(ib, rc[1])
		if out.Rows[row] == nil {
			out.Rows[row] = map[string]int{}
		}
		out.Rows[row][col] = n
	}
}

// crossYear is the dimension number of the year; categories are numbered
// as in dims.
const crossYear = -1

func crossDim(key string) (int, error) {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == CrossYear {
		return crossYear, nil
	}
	if i := slices.Index(dims, k); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("%w %q (want one of %s or %s)", ErrCrossCategory, key, strings.Join(dims, ", "), CrossYear)
}

// crossValues appends document d's values in dimension dim: its option
// numbers in a category (the Index's), or its year.
func (sg *segment) crossValues(d, dim int, out []int) []int {
	if dim == crossYear {
		if y := sg.year[d]; y > 0 {
			out = append(out, int(y))
		}
		return out
	}
	for _, o := range sg.docOpt[sg.docOptOff[d]:sg.docOptOff[d+1]] {
		if int(o) < len(sg.optCat) && sg.optCat[o] == dim {
			out = append(out, sg.gopt[o])
		}
	}
	return out
}

func (ix *Index) crossName(dim, v int) string {
	if dim == crossYear {
		return strconv.Itoa(v)
	}
	return ix.optName[v]
}
