package gencorpus

// common holds the frequent words of postmortem prose, most frequent
// first; the Zipf sampler draws them by rank, then a long tail of rarer
// generated words.
const common = `the of and to a in was incident software failure that for by as with
on system this were is be which an it due from or not at could have
led users data article also had security issue systems by their been
such its other caused impact affected update has information are
leading potential company including access service vulnerability
organization incidents these network attack may would all customers
measures s there more related failures process about after caused
control hackers code testing errors during specific into mentioned
following other can any some report reported critical issues between
public personal vulnerabilities new vehicle malicious user services
design operation implementation application patch patches version
hardware firmware server servers database cloud outage outages
breach breaches exploit exploited exposed exposure encryption
authentication password passwords credentials account accounts
financial payment payments bank banking transaction transactions
airline flight flights airport passengers train railway traffic
hospital patients medical health records clinical device devices
power grid utility water energy plant factory manufacturing
government agency city county state federal department police
election voting voters school students university education
game gaming players console entertainment streaming video app apps
mobile phone phones android ios smartphone wireless bluetooth wifi
sensor sensors actuator autopilot braking steering engine recall
recalls safety regulators investigation lawsuit fine fines
ransomware malware virus trojan phishing botnet ddos denial
spyware backdoor rootkit keylogger worm infection infected
bug bugs glitch glitches defect defects fault faults crash crashes
crashed freeze froze reboot restart shutdown downtime disruption
disrupted delays delay delayed cancelled stranded unavailable
monitoring logging alerting backup backups recovery restore
configuration misconfiguration deployment rollout upgrade migration
developers engineers vendor vendors contractor third party supplier
supply chain dependency library libraries open source component
memory leak overflow buffer race condition timeout latency
algorithm model automated automation artificial intelligence
privacy consumers customer compensation refund loss losses revenue
million billion thousands hundreds dollars pounds euros
investigators experts researchers analysts officials spokesperson
announced confirmed acknowledged apologized warned discovered
identified disclosed fixed resolved mitigated addressed prevented
implemented improved enhanced strengthened conducted ensured
robust thorough regular rigorous comprehensive proper adequate
inadequate insufficient poor lack lacking flawed faulty outdated
unauthorized unintended unexpected sudden accidental intentional
temporary permanent partial complete widespread significant severe
internal external human actions decisions incompetence procedures
training awareness policies compliance standards oversight review
audit audits penetration verification validation quality assurance
requirements specification interface protocol protocols certificate
certificates key keys token tokens session sessions cookie cookies
website websites web browser internet online portal platform
infrastructure datacenter data center network networks router
routers switch firewall gateway endpoint endpoints api apis
integration interoperability compatibility legacy mainframe
cyberattack cyberattacks attackers attacker criminals threat
actors nation sponsored espionage theft stolen leaked leak
vulnerable flaw flaws weakness weaknesses zero day cve exploit
remote execution injection sql scripting cross site request
forgery privilege escalation bypass brute force credential stuffing`

// syllables build the generated tail: product names, places, jargon.
var syllables = []string{
	"al", "an", "ar", "ba", "be", "bo", "ca", "co", "da", "de", "di", "do", "el", "en",
	"er", "fa", "fi", "ga", "go", "ha", "in", "ka", "ko", "la", "le", "li", "lo", "ma",
	"me", "mi", "mo", "na", "ne", "ni", "no", "or", "pa", "pe", "ra", "re", "ri", "ro",
	"sa", "se", "si", "so", "ta", "te", "ti", "to", "tra", "tri", "va", "ve", "vi", "xo",
	"za", "zen", "lix", "tor", "nex", "ium", "ex", "quor", "dyn", "syn", "tek", "ware",
}

var orgFirst = []string{
	"Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme",
	"Hooli", "Vandelay", "Cyberdyne", "Tyrell", "Soylent", "Aperture", "Massive", "Gringotts",
	"Oceanic", "Pied Piper", "Monarch", "Blue Sun", "Wonka", "Dunder", "Sterling", "Vortex",
	"Atlas", "Pinnacle", "Summit", "Keystone", "Evergreen", "Redwood", "Silverline", "Ironbridge",
	"Brightwater", "Crescent", "Harbor", "Meridian", "Nimbus", "Orion", "Polaris", "Quantum",
}

var orgKind = []string{
	"Bank", "Airlines", "Health", "Motors", "Energy", "Telecom", "Systems", "Software",
	"Financial", "Rail", "Water Authority", "Hospital", "University", "Games", "Networks",
	"Insurance", "Logistics", "Pharmaceuticals", "Media", "Retail", "Labs", "Security",
}

var places = []string{
	"Atlanta", "Baltimore", "Bristol", "Leeds", "Denver", "Austin", "Oslo", "Dublin",
	"Toronto", "Sydney", "Mumbai", "Seoul", "Madrid", "Lyon", "Munich", "Zurich",
	"Nairobi", "Lagos", "Lima", "Bogota", "Osaka", "Manila", "Perth", "Glasgow",
}

var systemsList = []string{
	"payment gateway", "mobile banking app", "autopilot software", "braking control unit",
	"air traffic control system", "booking system", "check-in system", "electronic health records",
	"infusion pump firmware", "smart meter network", "sluice gate control system", "signalling system",
	"voting machines", "exam grading algorithm", "customer database", "email servers",
	"cloud storage service", "content delivery network", "DNS resolver", "VPN appliance",
	"router firmware", "smart lock app", "baby monitor", "insulin pump", "pacemaker firmware",
	"self-driving software", "engine control module", "infotainment system", "ticketing platform",
	"stock trading platform", "ATM network", "point-of-sale terminals", "payroll system",
	"911 dispatch system", "traffic light controllers", "water treatment SCADA", "power grid controls",
	"game servers", "streaming platform", "social media platform", "messaging app", "password manager",
	"fingerprint scanner", "face recognition system", "benefits system", "tax filing portal",
}

var failureKinds = []string{
	"Outage", "Data Breach", "Ransomware Attack", "Software Glitch", "Firmware Bug",
	"Security Vulnerability", "Cyber-Attack", "System Crash", "Update Failure", "Configuration Error",
	"Malware Infection", "Phishing Campaign", "Data Leak", "Algorithm Failure", "Sensor Fault",
	"DDoS Attack", "Memory Leak", "Certificate Expiry", "Database Corruption", "Recall",
}

var impactsList = []string{
	"Strands Passengers", "Exposes Customer Data", "Halts Production", "Leaves Users Locked Out",
	"Disrupts Services", "Causes Financial Losses", "Delays Flights", "Puts Patients at Risk",
	"Leads to Fatal Crash", "Triggers Recall", "Leaks Passwords", "Shuts Down Operations",
	"Cancels Trains", "Wipes Records", "Grounds Fleet", "Blocks Payments", "Floods Streets",
}
