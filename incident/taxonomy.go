package incident

import (
	"strings"
	"unicode"
)

// Block names the part of the FAIL page a category is shown in.
type Block int

const (
	BlockFaults Block = iota // Software Taxonomy of Faults
	BlockIoT                 // IoT System Layer
	BlockOther               // Other Details
	BlockData                // present in CSV and JSON only
)

// CategorySpec describes one taxonomy category.
type CategorySpec struct {
	Key     string   // record and query key: "phase"
	Label   string   // label on the FAIL page: "Phase (Design/Operation)"
	Block   Block    // where the page shows it
	Options []string // canonical vocabulary
}

// Categories lists every taxonomy category in page order; cps, which only
// CSV and JSON sources carry, comes last.
var Categories = []CategorySpec{
	{"recurring", "Recurring", BlockFaults, []string{"one_organization", "multiple_organization", "unknown"}},
	{"phase", "Phase (Design/Operation)", BlockFaults, []string{"design", "operation", "unknown"}},
	{"boundary", "Boundary (Internal/External)", BlockFaults, []string{"within_system", "outside_system", "unknown"}},
	{"nature", "Nature (Human/Non-human)", BlockFaults, []string{"human_actions", "non-human_actions", "unknown"}},
	{"dimension", "Dimension (Hardware/Software)", BlockFaults, []string{"hardware", "software", "unknown"}},
	{"objective", "Objective (Malicious/Non-malicious)", BlockFaults, []string{"malicious", "non-malicious", "unknown"}},
	{"intent", "Intent (Poor/Accidental Decisions)", BlockFaults, []string{"poor_decisions", "accidental_decisions", "unknown"}},
	{"capability", "Capability (Incompetence/Accidental)", BlockFaults, []string{"development_incompetence", "accidental", "unknown"}},
	{"duration", "Duration", BlockFaults, []string{"permanent", "temporary", "unknown"}},
	{"behaviour", "Behaviour", BlockFaults, []string{"crash", "omission", "timing", "value", "byzantine", "other", "unknown"}},
	{"perception", "Perception", BlockIoT, []string{"sensor", "actuator", "processing_unit", "network_communication", "embedded_software", "unknown"}},
	{"communication", "Communication", BlockIoT, []string{"link_level", "connectivity_level", "unknown"}},
	{"application", "Application", BlockIoT, []string{"application", "unknown"}},
	{"consequence", "Consequence", BlockOther, []string{"death", "harm", "basic", "property", "delay", "non-human", "no_consequence", "theoretical_consequence", "other", "unknown"}},
	{"domain", "Domain", BlockOther, []string{"information", "transportation", "manufacturing", "utilities", "finance", "knowledge", "health", "entertainment", "government", "sales", "construction", "other", "unknown"}},
	{"cps", "CPS", BlockData, []string{"cps", "unknown"}},
}

// CategoryByKey returns the spec of the category with the given key.
func CategoryByKey(key string) (CategorySpec, bool) {
	for _, c := range Categories {
		if c.Key == key {
			return c, true
		}
	}
	return CategorySpec{}, false
}

// IsCanonical reports whether opt is in the vocabulary of the category.
func (c CategorySpec) IsCanonical(opt string) bool {
	for _, o := range c.Options {
		if o == opt {
			return true
		}
	}
	return false
}

// aliases maps longer or older spellings, already lower-cased with inner
// white space as "_", to their canonical option.
var aliases = map[string]string{
	"wired/wireless_link_level": "link_level",
	"wired_link_level":          "link_level",
	"wireless_link_level":       "link_level",
	"non_human_actions":         "non-human_actions",
	"non_malicious":             "non-malicious",
	"non_human":                 "non-human",
	"multiple_organizations":    "multiple_organization",
}

// CanonicalOption returns the canonical form of an option of the category:
// lower case, inner white space as "_", known aliases and plurals mapped to
// the vocabulary. It reports whether the result is in the vocabulary; an
// option outside it is still returned in canonical form, never dropped.
func CanonicalOption(category, opt string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(opt))
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "_")
	if a, ok := aliases[s]; ok {
		s = a
	}
	spec, ok := CategoryByKey(category)
	if !ok {
		return s, false
	}
	if spec.IsCanonical(s) {
		return s, true
	}
	for _, suffix := range []string{"s", "es"} {
		if t := strings.TrimSuffix(s, suffix); t != s && spec.IsCanonical(t) {
			return t, true
		}
	}
	return s, false
}
