package ui

// Pure "model to display string" functions: no tea, no state, each covered by
// table tests in render_test.go. Incident text reaching them is raw; each
// function that takes raw text sanitises it itself.

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/search"
)

const ellipsis = "…"

// width is the number of terminal cells s takes, escape sequences excluded.
func width(s string) int { return ansi.StringWidth(s) }

// truncate cuts s to at most w cells, ending in an ellipsis when it cut.
// Wide characters are never split; styled text keeps its sequences.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// fit truncates s to w cells and pads it with spaces to exactly w, so that
// columns after it line up whatever the characters before.
func fit(s string, w int) string {
	s = truncate(s, w)
	if pad := w - width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// fitLeft is fit aligned to the right.
func fitLeft(s string, w int) string {
	s = truncate(s, w)
	if pad := w - width(s); pad > 0 {
		s = strings.Repeat(" ", pad) + s
	}
	return s
}

// oneLine makes raw incident text safe for a single screen line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(sanitize.Line(s)), " ")
}

// markMatches makes a raw title safe for one line and renders the
// characters at the given byte offsets (as search reports them) with mark,
// the others with plain. Runs of matched and unmatched bytes are sanitised
// separately, so a match can never splice an escape sequence back together.
func markMatches(raw string, offsets []int, mark, plain func(string) string) string {
	if plain == nil {
		plain = func(s string) string { return s }
	}
	if len(offsets) == 0 || mark == nil {
		return plain(oneLine(raw))
	}
	hit := make(map[int]bool, len(offsets))
	for _, o := range offsets {
		hit[o] = true
	}
	var b strings.Builder
	start, inMatch := 0, false
	flush := func(end int) {
		if end <= start {
			return
		}
		seg := flattenSpace(sanitize.Text(raw[start:end]))
		if b.Len() == 0 {
			seg = strings.TrimLeft(seg, " ")
		}
		if end == len(raw) {
			seg = strings.TrimRight(seg, " ")
		}
		if seg == "" {
			return
		}
		if inMatch {
			seg = mark(seg)
		} else {
			seg = plain(seg)
		}
		b.WriteString(seg)
	}
	for i, r := range raw {
		m := hit[i] && !unicode.IsSpace(r)
		if m != inMatch {
			flush(i)
			start, inMatch = i, m
		}
	}
	flush(len(raw))
	return b.String()
}

// flattenSpace turns every run of white space into one space, keeping a
// leading or trailing one so segments join with the spacing they had.
func flattenSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// markQuery marks, in a line of the text of field that is already safe,
// the words q matched there, as search matched them (search.HighlightIn):
// the detail and the list never disagree with the search.
func markQuery(q search.Query, field, line string, mark func(string) string) string {
	if mark == nil {
		return line
	}
	return markOffsets(line, q.HighlightIn(field, line), mark)
}

// markOffsets renders the bytes of a safe line at offsets with mark.
func markOffsets(line string, offsets []int, mark func(string) string) string {
	if len(offsets) == 0 {
		return line
	}
	hit := make(map[int]bool, len(offsets))
	for _, o := range offsets {
		hit[o] = true
	}
	var b strings.Builder
	start, in := 0, false
	for i := range line {
		if hit[i] != in {
			if in {
				b.WriteString(mark(line[start:i]))
			} else {
				b.WriteString(line[start:i])
			}
			start, in = i, hit[i]
		}
	}
	if in {
		b.WriteString(mark(line[start:]))
	} else {
		b.WriteString(line[start:])
	}
	return b.String()
}

// paragraph turns raw multi-line incident text into safe lines of at most w
// cells: control characters neutralised, tabs expanded, words wrapped,
// words longer than a line broken. Each line is prefixed by indent.
func paragraph(raw string, w int, indent string) []string {
	text := strings.ReplaceAll(sanitize.Text(raw), "\t", "    ")
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	avail := w - width(indent)
	if avail < 8 {
		avail = 8
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimRightFunc(para, unicode.IsSpace)
		if para == "" {
			out = append(out, "")
			continue
		}
		for _, l := range strings.Split(ansi.Wrap(para, avail, ""), "\n") {
			out = append(out, indent+strings.TrimRightFunc(l, unicode.IsSpace))
		}
	}
	return out
}

// itemList renders a postmortem field as a numbered list when its text is
// numbered ("1. … 2. …"), with wrapped lines hanging under the item text;
// otherwise as a wrapped paragraph.
func itemList(raw string, w int) []string {
	items := incident.Items(raw)
	if len(items) == 0 {
		return nil
	}
	if len(items) == 1 {
		return paragraph(items[0], w, "  ")
	}
	num := len(fmt.Sprint(len(items)))
	var out []string
	for i, it := range items {
		head := fmt.Sprintf("  %*d. ", num, i+1)
		hang := strings.Repeat(" ", width(head))
		lines := paragraph(it, w, hang)
		for j, l := range lines {
			if j == 0 {
				l = head + strings.TrimPrefix(l, hang)
			}
			out = append(out, l)
		}
	}
	return out
}

// bar draws a horizontal bar of value/max over w cells with eighth-cell
// resolution; a non-zero value always shows at least a sliver.
func bar(value, max, w int) string {
	if w <= 0 || max <= 0 || value <= 0 {
		return ""
	}
	if value > max {
		value = max
	}
	eighths := int(math.Round(float64(value) * float64(w*8) / float64(max)))
	if eighths < 1 {
		eighths = 1
	}
	partial := []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}
	return strings.Repeat("█", eighths/8) + partial[eighths%8]
}

// percent formats part of whole as a whole-number percentage; a part that
// is there but rounds to zero shows as "<1%".
func percent(part, whole int) string {
	if whole <= 0 {
		return "0%"
	}
	p := float64(part) * 100 / float64(whole)
	if part > 0 && p < 0.5 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// sparkline draws one cell per value, scaled to the largest.
func sparkline(values []int) string {
	levels := []rune("▁▂▃▄▅▆▇█")
	max := 0
	for _, v := range values {
		if v > max {
			max = v
		}
	}
	var b strings.Builder
	for _, v := range values {
		switch {
		case v <= 0 || max == 0:
			b.WriteRune(' ')
		default:
			i := int(math.Round(float64(v) * float64(len(levels)-1) / float64(max)))
			b.WriteRune(levels[i])
		}
	}
	return b.String()
}

// bucket sums consecutive values so that at most w remain, for a
// histogram narrower than the number of values.
func bucket(values []int, w int) []int {
	if w <= 0 || len(values) <= w {
		return values
	}
	k := (len(values) + w - 1) / w
	out := make([]int, 0, w)
	for i := 0; i < len(values); i += k {
		sum := 0
		for _, v := range values[i:min(i+k, len(values))] {
			sum += v
		}
		out = append(out, sum)
	}
	return out
}

// yearSeries returns the years from the first to the last present, every
// year in between included, with their counts; entries that are not years
// are left out.
func yearSeries(years map[string]int) ([]string, []int) {
	var ys []int
	for y := range years {
		var n int
		if _, err := fmt.Sscanf(y, "%4d", &n); err == nil && len(y) == 4 {
			ys = append(ys, n)
		}
	}
	if len(ys) == 0 {
		return nil, nil
	}
	sort.Ints(ys)
	var labels []string
	var counts []int
	for y := ys[0]; y <= ys[len(ys)-1]; y++ {
		l := fmt.Sprint(y)
		labels = append(labels, l)
		counts = append(counts, years[l])
	}
	return labels, counts
}

// sectionTabs lays out the section names as tabs in at most w cells: full
// names when they fit, otherwise numbers with the active name spelled out.
// The active tab is bracketed as well as styled, so it shows without colour.
func sectionTabs(names []string, active, w int, on, off func(string) string) string {
	for _, full := range []bool{true, false} {
		var b strings.Builder
		wd := 0
		for i, n := range names {
			l := fmt.Sprintf(" %d", i+1)
			switch {
			case i == active:
				b.WriteString(" ")
				l = fmt.Sprintf("[%d %s]", i+1, n)
				b.WriteString(on(l))
				wd++
			case full:
				l = fmt.Sprintf(" %d %s", i+1, n)
				b.WriteString(off(l))
			default:
				b.WriteString(off(l))
			}
			wd += width(l)
		}
		if wd <= w || !full {
			return truncate(b.String(), w)
		}
	}
	return ""
}

// plural is one or many for a count of n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
