package ui

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// fakeBackend is a Backend over incidents held in memory; it records what
// the explorer saves and can refuse saves like a locked database.
type fakeBackend struct {
	mu       sync.Mutex
	incs     []incident.Incident
	saved    map[string]incident.Triage
	readOnly bool
	saveErr  error
	loadErr  error
	eventErr error // refuses Events alone, as a damaged grouping would
	views    []SavedView
	history  []string
	idled    atomic.Int32
	index    *search.Index // what Load returns, when set, instead of an index of incs
}

func newFakeBackend(incs []incident.Incident) *fakeBackend {
	return &fakeBackend{incs: incs, saved: map[string]incident.Triage{}}
}

func (f *fakeBackend) Load() (*search.Index, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.loadErr != nil {
		return nil, f.loadErr
	}
	if f.index != nil {
		return f.index, nil
	}
	// with the triage saved so far, as the database's index holds it
	incs := slices.Clone(f.incs)
	for i, in := range incs {
		if t, ok := f.saved[in.ID]; ok {
			incs[i].Triage = t
		}
	}
	return search.Build(incs), nil
}

// Events groups the incidents afresh, with the rulings saved so far, as
// the database's kept grouping would.
func (f *fakeBackend) Events() (*analysis.Grouper, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := cmp.Or(f.loadErr, f.eventErr); err != nil {
		return nil, err
	}
	g := analysis.NewGrouper()
	g.Add(f.incs...)
	for _, in := range f.incs {
		t := in.Triage
		if saved, ok := f.saved[in.ID]; ok {
			t = saved
		}
		if d, err := analysis.ParseDecision(t.Event.Value); err == nil {
			g.Decide(in.ID, d)
		}
	}
	return g, nil
}

// add stores more incidents, as an import in another process would.
func (f *fakeBackend) add(incs ...incident.Incident) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.incs = append(slices.Clone(f.incs), incs...)
}

func (f *fakeBackend) SaveTriage(id string, t incident.Triage) (incident.Triage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.readOnly {
		return t, errors.New("store: database is read-only")
	}
	if f.saveErr != nil {
		return t, f.saveErr
	}
	merged, _ := f.saved[id].Merge(t)
	f.saved[id] = merged
	return merged, nil
}

// Reviewer is who the tests' changes are by.
func (f *fakeBackend) Reviewer() string { return "tester" }

func (f *fakeBackend) savedTriage(id string) (incident.Triage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.saved[id]
	return t, ok
}

func (f *fakeBackend) ReadOnly() bool { return f.readOnly }
func (f *fakeBackend) Idle()          { f.idled.Add(1) }
func (f *fakeBackend) Path() string   { return "/tmp/faultline-test.db" }

// mk builds a normalised incident; tax lists category, options pairs.
func mk(title, published, summary string, pm incident.Postmortem, tax map[string][]string) incident.Incident {
	in := incident.Incident{Title: title, Published: published, Summary: summary, Postmortem: pm,
		Taxonomy: map[string]incident.Category{}}
	for cat, opts := range tax {
		in.Taxonomy[cat] = incident.Category{Options: opts, Rationale: "The reports describe it as " + opts[0] + " [100" + published[:4] + "]."}
	}
	in.Articles = incident.ArticlesOf(&in)
	in.Normalize()
	return in
}

// testIncidents are a handful of well-known failures, written for these
// tests, with a wide-character title and an emoji among them.
func testIncidents() []incident.Incident {
	return []incident.Incident{
		mk("Twitter's Security Breach Lets Attackers Hijack High-Profile Accounts", "2020-07-16",
			"Attackers used social engineering on employees to reach internal admin tools and took over 130 accounts.",
			incident.Postmortem{
				Timeline:          "July 15, 2020 [98411].",
				System:            "Internal account administration tools",
				ResponsibleOrg:    "Twitter",
				ImpactedOrg:       "Twitter users",
				SoftwareCauses:    "1. Admin tools reachable with stolen employee credentials [98411]. 2. No per-action approval for account changes.",
				NonSoftwareCauses: "1. Phone spear-phishing of employees. 2. Broad internal access to support tooling.",
				Impacts:           "1. 130 accounts targeted, 45 tweeted a bitcoin scam [98411]. 2. Direct messages of 36 accounts read.",
				Preventions:       "1. Least-privilege access to admin tools. 2. Phishing-resistant authentication.",
				Fixes:             "1. Locked down internal tools during the investigation. 2. Reset credentials and added approvals [98412].",
				References:        "Reports from news outlets and the company's own posts [98411, 98412].",
			},
			map[string][]string{"domain": {"information"}, "phase": {"operation"}, "objective": {"malicious"}, "behaviour": {"value"}}),
		mk("Knight Capital's Trading Software Loses $440 Million in 45 Minutes", "2012-08-01",
			"A deployment left old code active on one server; it sent millions of unintended orders.",
			incident.Postmortem{
				Timeline:          "August 1, 2012.",
				System:            "SMARS order router",
				ResponsibleOrg:    "Knight Capital Group",
				ImpactedOrg:       "Knight Capital Group, NYSE traders",
				SoftwareCauses:    "1. Repurposed feature flag woke dead Power Peg code. 2. Manual deployment missed one of eight servers.",
				NonSoftwareCauses: "1. No written deployment procedure. 2. Alerts emailed before trading were not acted on.",
				Impacts:           "1. Loss of about $440 million. 2. The firm needed rescue financing within days.",
				Preventions:       "1. Automated, verified deployments. 2. Remove dead code.",
				Fixes:             "1. Rolled back the deployment, which made things worse. 2. Shut the system down.",
				References:        "SEC order [200012].",
			},
			map[string][]string{"domain": {"finance"}, "phase": {"operation"}, "objective": {"non-malicious"}, "behaviour": {"value"}}),
		mk("GitLab.com Database Deleted by Accident During Maintenance", "2017-02-01",
			"An engineer removed the primary database directory while fighting replication lag.",
			incident.Postmortem{
				SoftwareCauses: "1. Backups had silently failed. 2. Replication could not be re-seeded quickly.",
				Impacts:        "1. Six hours of data lost. 2. The site was down for about 18 hours.",
				Fixes:          "Restored from a staging snapshot taken six hours earlier.",
			},
			map[string][]string{"domain": {"information"}, "phase": {"operation"}, "nature": {"human_actions"}}),
		mk("Equifax Breach Exposes Data of 147 Million People", "2017-09-07",
			"An unpatched Apache Struts flaw let attackers query databases for months.",
			incident.Postmortem{
				SoftwareCauses: "1. Apache Struts CVE-2017-5638 left unpatched. 2. Expired certificate blinded traffic inspection.",
				Impacts:        "147 million people's personal data exposed.",
				Fixes:          "1. Patched Struts. 2. Renewed certificates and rebuilt monitoring.",
			},
			map[string][]string{"domain": {"finance"}, "objective": {"malicious"}}),
		mk("Ariane 5 Flight 501 Self-Destructs After Launch", "1996-06-04",
			"Reused inertial reference software overflowed converting a 64-bit float to a 16-bit integer.",
			incident.Postmortem{SoftwareCauses: "Unprotected conversion overflow in the SRI software reused from Ariane 4."},
			map[string][]string{"domain": {"transportation"}, "phase": {"design"}, "behaviour": {"crash"}}),
		mk("東京証券取引所 Trading Halted by Storage Failover Fault", "2020-10-01",
			"A memory failure in a storage device did not fail over; trading stopped for a full day.",
			incident.Postmortem{Fixes: "1. Changed the failover setting. 2. Added manual restart procedures."},
			map[string][]string{"domain": {"finance"}, "dimension": {"hardware"}, "behaviour": {"crash"}}),
		mk("🔥 Cloud Region Outage After Mistyped Command", "2017-02-28",
			"A command to remove a few servers removed many, taking down storage in one region.",
			incident.Postmortem{Fixes: "Added safeguards so capacity cannot drop below minimum."},
			map[string][]string{"domain": {"information"}, "nature": {"human_actions"}, "behaviour": {"omission"}}),
		mk("Heartbleed Bug in OpenSSL Leaks Server Memory", "2014-04-07",
			"A missing bounds check in the heartbeat extension returned up to 64 KB of memory.",
			incident.Postmortem{Fixes: "1. OpenSSL 1.0.1g. 2. Certificates revoked and reissued."},
			map[string][]string{"domain": {"information"}, "phase": {"design"}, "objective": {"non-malicious"}}),
	}
}

// hostilePayload is text crafted to take over a terminal: window title,
// clipboard write, colours, screen clear, cursor moves, a device status
// request whose answer would arrive as input, 8-bit CSI, DCS, bidi
// override, BEL and invalid UTF-8.
const hostilePayload = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[38;5;196mRED\x1b[0m\x1b[2J\x1b[10;10H\x1b[6n\xc2\x9b31m\x9b\x1bPq#0\x1b\\\u202egnp.exe\x07\xff\xfe"

// hostileIncident carries hostilePayload in every text it has.
func hostileIncident() incident.Incident {
	p := hostilePayload
	in := incident.Incident{
		Title:     "Hostile " + p + " incident",
		Published: "2021-12-10",
		Summary:   "Summary " + p,
		Postmortem: incident.Postmortem{
			Timeline: p, System: p, ResponsibleOrg: p, ImpactedOrg: p,
			SoftwareCauses: "1. cause " + p + ". 2. second " + p, NonSoftwareCauses: p,
			Impacts: p, Preventions: p, Fixes: "1. fix " + p + ". 2. fix two", References: p + " [123]",
		},
		Taxonomy: map[string]incident.Category{
			"domain":   {Options: []string{"finance", "evil" + p}, Rationale: p},
			"behavior": {Options: []string{p}, Rationale: p},
			"phase":    {Options: []string{"design"}, Rationale: p},
		},
		Triage: tri("reviewing"+p, false, []string{"tag" + p}, "note "+p),
	}
	// a ruling joining it to an incident named by the payload, by a
	// reviewer named so, as a merged triage file could bring
	in.Triage.SetEvent("with:"+p, incident.Stamp{By: "rev" + p, At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
	in.Normalize()
	return in
}

// The explorer's own records, held in memory.
func (f *fakeBackend) Views() ([]SavedView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.views)
	slices.SortFunc(out, func(a, b SavedView) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (f *fakeBackend) SaveView(v SavedView) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.views = slices.DeleteFunc(f.views, func(x SavedView) bool { return x.Name == v.Name })
	f.views = append(f.views, v)
	return nil
}

func (f *fakeBackend) DeleteView(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.views = slices.DeleteFunc(f.views, func(x SavedView) bool { return x.Name == name })
	return nil
}

func (f *fakeBackend) History() ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.history), nil
}

func (f *fakeBackend) AddHistory(q string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.history = append([]string{q}, slices.DeleteFunc(f.history, func(h string) bool { return h == q })...)
	return nil
}
