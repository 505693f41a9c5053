package analysis

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faultline/faultline/incident"
)

// profile is what grouping compares of an incident: the hashed stems of
// its title and of its text, the names its text writes with capitals, the
// articles it cites and its day.
type profile struct {
	id       string
	day      int32 // days since 1970-01-01; noDay when unknown
	title    []uint64
	text     []uint32   // see narrow
	names    []uint64   // sorted
	forms    []nameWord // names[i] as first written, in step with names
	articles []int64    // sorted, distinct
	keys     []uint64   // title ∪ names: what blocking meets on
}

const noDay = -1 << 30

// makeProfile reads the profile of in; ws is scratch space.
func makeProfile(in *incident.Incident, ws *wordSet) *profile {
	p := &profile{id: in.ID, day: dayOf(in.Published)}
	p.articles = slices.Clone(in.Articles)
	slices.Sort(p.articles)
	p.articles = slices.Compact(p.articles)
	clear(ws.skip)
	for _, a := range p.articles {
		// citations are shared sources, compared apart, not shared words
		if ws.skip == nil {
			ws.skip = map[string]bool{}
		}
		ws.skip[strconv.FormatInt(a, 10)] = true
	}
	ws.add(in.Title, false)
	p.title, _ = ws.take()
	pm := &in.Postmortem
	for _, f := range []string{in.Summary, pm.Timeline, pm.System, pm.ResponsibleOrg, pm.ImpactedOrg,
		pm.SoftwareCauses, pm.NonSoftwareCauses} {
		ws.add(f, true)
	}
	var text []uint64
	text, p.forms = ws.take()
	p.text = narrow(text)
	p.names = make([]uint64, len(p.forms))
	for i, f := range p.forms {
		p.names[i] = f.h
	}
	p.keys = append(slices.Clone(p.title), p.names...)
	slices.Sort(p.keys)
	p.keys = slices.Compact(p.keys)
	return p
}

// dayOf reads a YYYY-MM-DD date (or a YYYY-MM or YYYY prefix of one) as
// days since 1970-01-01, noDay when it is not a date.
func dayOf(s string) int32 {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) >= len(layout) {
			if t, err := time.Parse(layout, s[:len(layout)]); err == nil {
				return int32(t.Unix() / 86400)
			}
		}
	}
	return noDay
}
