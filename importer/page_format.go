package importer

import (
	"strings"

	"github.com/faultline/faultline/incident"
)

// FormatPage renders an incident in the FAIL page layout that ParsePage
// reads: the same labels, block headers and table heads, options joined by
// ", ", and None for what is empty. Texts are written as stored, except
// that the title and date, which the page holds on one line, have their
// line breaks turned into spaces.
func FormatPage(in incident.Incident) []byte {
	var b strings.Builder
	line := func(parts ...string) {
		for i, p := range parts {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
		b.WriteByte('\n')
	}
	line(pageTitlePrefix, pageOneLine(in.Title))
	b.WriteByte('\n')
	line(pagePublishedPrefix, pageOrNone(pageOneLine(in.Published)))
	b.WriteByte('\n')
	line(pageHeadPostmortem)
	for _, f := range incident.Fields {
		line(f.Label, pageOrNone(*f.Get(&in.Postmortem)))
	}
	for _, blk := range []struct {
		block       incident.Block
		head, table string
	}{
		{incident.BlockFaults, pageHeadFaults, pageHeadCategory},
		{incident.BlockIoT, pageHeadIoT, pageHeadLayer},
		{incident.BlockOther, pageHeadOther, pageHeadCategory},
	} {
		b.WriteByte('\n')
		line(blk.head)
		b.WriteByte('\n')
		line(blk.table)
		for _, c := range incident.Categories {
			if c.Block != blk.block {
				continue
			}
			cat := in.Taxonomy[c.Key]
			opts := pageEmptyValue
			if len(cat.Options) > 0 {
				opts = strings.Join(cat.Options, ", ")
			}
			line(c.Label, opts, pageOrNone(cat.Rationale))
		}
	}
	b.WriteByte('\n')
	line(pageHeadSources)
	b.WriteByte('\n')
	b.WriteString(pageHeadBack)
	b.WriteByte('\n')
	return []byte(b.String())
}

func pageOrNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return pageEmptyValue
	}
	return s
}

func pageOneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
