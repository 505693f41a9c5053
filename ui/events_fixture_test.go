package ui

import (
	"github.com/faultline/faultline/incident"
)

// eventIncidents are the test incidents with two more reports of Knight
// Capital's failure, as news outlets wrote it the next days, and one more
// of the Cloud outage: grouping links them by what they say, into an
// event of three and one of two.
func eventIncidents() []incident.Incident {
	knight := incident.Postmortem{
		Timeline:          "August 1, 2012: Knight Capital's new trading software went live on the NYSE.",
		System:            "SMARS order router of Knight Capital Group",
		ResponsibleOrg:    "Knight Capital Group",
		ImpactedOrg:       "Knight Capital Group, NYSE traders",
		SoftwareCauses:    "1. Old Power Peg code woke up after a repurposed flag. 2. One of eight servers missed the deployment.",
		NonSoftwareCauses: "1. No written deployment procedure.",
		Impacts:           "1. Knight Capital lost $440 million in 45 minutes. 2. Millions of unintended orders hit the NYSE.",
		Preventions:       "1. Automated, verified deployments. 2. Remove dead code before reusing flags.",
		Fixes:             "1. Shut the system down. 2. Rescue financing.",
	}
	second := knight
	second.Preventions = "1. Automated and verified deployments of trading software. 2. Kill switches for runaway trading."
	finance := map[string][]string{"domain": {"finance"}, "phase": {"operation"}, "behaviour": {"value"}}
	return append(testIncidents(),
		mk("Knight Capital Trading Glitch Costs Firm $440 Million", "2012-08-02",
			"A software glitch at Knight Capital sent millions of unintended orders to the NYSE in 45 minutes and cost the firm $440 million.",
			knight, finance),
		mk("Knight Capital Glitch: $440 Million Lost in 45 Minutes of Trading", "2012-08-03",
			"Knight Capital's trading software sent unintended orders to the NYSE for 45 minutes; the firm lost $440 million.",
			second, finance),
		mk("Mistyped Command Causes Cloud Region Outage", "2017-03-01",
			"A command meant to remove a few servers removed many more, taking down storage in one cloud region.",
			incident.Postmortem{Fixes: "Safeguards added so that capacity cannot drop below its minimum."},
			map[string][]string{"domain": {"information"}, "nature": {"human_actions"}, "behaviour": {"omission"}}),
	)
}
