// Package analysis reads a collection of postmortems as a whole: which
// incidents report the same real-world failure (events), and which
// preventions and fixes recur across failures (lessons). It is pure: it
// takes incidents and returns values, with no storage, I/O or screens.
//
// # Events
//
// The FAIL database was built from news articles, and one failure often
// reached it several times: under the same title and date, or under a
// reworded title days later. Two incidents are linked when they report
// the same failure; an event is a set of incidents joined by links, and
// every incident is in exactly one event, most in an event of one.
//
// Two incidents are compared on what each says (see compare.go for the
// weights and thresholds, chosen on the FAIL sample):
//
//   - title: Jaccard similarity of the stems of the titles, stop words
//     left out (the stop list holds function words and the words every
//     FAIL postmortem uses about itself, "software failure incident");
//   - text: the same over summary, timeline, system, organisations and
//     causes;
//   - names: the same over the words the text writes with a capital
//     inside a sentence (Atlanta, SamSam, Cellmate, Qiui), which name
//     organisations, systems and places;
//   - articles: the news articles both cite, over the fewer cited;
//   - dates: reports within Window days of each other need a score of
//     NearThreshold; further apart they must cite an article in common
//     and reach FarThreshold.
//
// Each link carries its reason ("same title, both name Atlanta, SamSam,
// text 0.68 similar, same day").
//
// A pair's score depends on the two incidents alone, never on statistics
// of the collection such as inverse document frequencies. So the events
// are a function of the set of incidents: the same whatever their order,
// and the same whether the incidents came at once or over many imports.
// Stemming and the stop list do the work idf would have done.
//
// Blocking keeps grouping far from comparing every pair: an incident is
// compared only with those that share a key with it (a title stem or a
// name) and fall within Window days, and with those that cite an article
// it cites. A key that more than 64 incidents of one 30-day span share,
// or an article more than 16 cite, is too common there to tell failures
// apart and meets no one.
//
// # Keeping events up to date
//
// A Grouper holds the incidents' profiles (hashed stems, not their
// texts), the postings of their keys by 30-day span and article, and the
// links found; Add and Remove change them in proportion to what changed:
// the new incidents are compared with their candidates, and only the
// incidents whose candidates changed (those of a key that crossed the
// limit of 64) are compared again. Events is a union-find over the
// links. This was chosen over a function taking an earlier grouping and
// new incidents because the postings and links are what make an update
// cheap, and events alone cannot give them back: rebuilding them would
// cost as much as grouping afresh. Add of 100 incidents to 10,000 and
// Events take tens of milliseconds (BenchmarkAdd).
//
// Reviewers' decisions are inputs, kept apart from what is found: an
// incident ruled Alone keeps none of the links found to it, and one ruled
// With another joins the two events with a link of its own. Undoing a
// decision gives back what was found. A decision naming an incident not
// grouped waits for it.
//
// # Lessons
//
// Lessons gathers the numbered items (incident.Items) of the preventions
// and fixes of a set of incidents, and reviewers' notes, and merges the
// items that say the same thing: two items are alike when the Jaccard
// similarity of their distinctive stems reaches LessonThreshold, the
// stems left when stop words, the words every prevention is phrased with
// ("implementing robust measures to ensure") and numbers (citations) are
// taken out. A lesson counts the events its incidents report, so that a
// failure the database holds three times counts once: lessons are ranked
// by events, then incidents. A LessonIndex reads the items of a
// collection once (splitting fields into items is most of the cost), so
// that the lessons of the incidents a query matches come without reading
// their texts again; Lessons is the one-off form.
package analysis
