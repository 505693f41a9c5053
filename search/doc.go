// Package search is faultline's in-memory index over incidents: fuzzy
// headline matching (abbreviations of the title and of the names leading
// system and organisation items, title matches scored by sahilm/fuzzy),
// full-text words through an inverted index over every field and the
// Markdown body, the query language (Help), disjunctive facet counts and related incidents.
// It knows nothing of storage or screens.
//
// An index is a list of segments, each a complete index of up to
// SegmentSize incidents, and tombstones for the documents replaced or
// deleted since (see Index and stored.go). It is built from incidents
// (Build; a Builder for one incident at a time, as an import stores
// them), or opened from the stored segments and the manifest that names
// them (Open), or loaded from the one-piece form MarshalBinary writes
// (Load). Each segment reads its inverted index, the lexicon, in its
// binary form: sorted terms, postings as varint gaps with their field
// masks, and the word positions of each posting, which answer phrases.
// An opened index reads it, and its other arrays, in place from the
// stored bytes, checking each part against its checksums the first time
// it reads it, so a process that runs one query decodes only the
// postings and copies only the strings that query needs; it fetches an
// incident's texts only for Related and Get.
//
// Ranking (RankingHelp says it for users):
//
//	score = Σ over positive words and phrases of idf(word) × weight(best field)
//	      + for an abbreviation match, weight(title or headline) × ½·ln(1+N)
//	        × number of free words × quality (½..1 from sahilm/fuzzy's score
//	        of a title match; ¾ for a match in system or organisations)
//
// with idf(word) = ln(1 + N/df), N incidents, df those holding the word
// (for a prefix, the best of the words it starts), both counted over all
// segments (tombstoned documents included, until their segment is
// rebuilt). An abbreviation is tried only when some free word is no word
// of the index, and only on incidents the free words do not match as
// words. Weight is 8 for the
// title, 4 for system and organisations, 2 for the summary, 1 for other
// postmortem fields, ½ for the Markdown body, ¼ for taxonomy rationales.
// So the same word ranks a title hit above a headline hit above a field
// hit above a body hit.
//
// Labels (the source's own categories and keywords) are not words: the
// label: term and the FacetLabel counts read them, folded to lower case.
package search

// Help documents the query language, for `faultline search -h` and the
// explorer's help screen. Its lists of fields and categories come from the
// tables the parser reads.
var Help = `Query language
  words          every word must match, in any field (case and accents ignored);
                 the last word also matches as a prefix while you type.
                 Words of three letters or more, unless every one of them is a
                 word of some incident, also match the headline (title, and the
                 names leading system and organisations) as abbreviations:
                 twtr secur finds "Twitter's Security ...".
  "a phrase"     the words one after another
  -word !word    exclude incidents holding the word (or -"a phrase")
  field:word     the word (or field:"a phrase") in one field:
                   ` + fieldHelp("                   ", 80) + `
  category:opt   a taxonomy option, e.g. domain:finance phase:design
                   categories: ` + categoryHelp("                   ", 80) + `
                 options of one category are OR-ed (domain:finance
                 domain:health, or domain:finance,health); different
                 categories are AND-ed;
                 -domain:finance excludes. Case and spaces are folded
                 (domain:Finance, perception:"embedded software").
  year:2019      published in 2019; year:2015..2020, year:2015.., year:..2020
  triage:status  triage status: new reviewing relevant dismissed actioned
  is:starred     starred incidents (-is:starred: the others); is:<status> too
  tag:x          incidents tagged x (several tag: terms are OR-ed)
  label:x        incidents their source labelled x: a Markdown postmortem's
                 categories, keywords and tags, a list's heading (several
                 label: terms are OR-ed; label:"power loss" for spaces)
  Every term can be negated with - or !. Other terms are AND-ed. An empty query
  matches every incident. Queries are limited to 1000 bytes; an unknown field,
  an unterminated quote or a bad year is an error.
Sort: relevance (default with words), date (newest first; default without
words), title (A first); reverse turns either round.`

// RankingHelp states how results are ranked, for the README and help.
const RankingHelp = `Ranking: each matching word scores its rarity, idf = ln(1 + N/df), times
the weight of the best field it is in: title 8, system and organisations 4,
summary 2, other postmortem fields 1, a Markdown postmortem's body 1/2,
taxonomy rationales 1/4. So a title or headline hit ranks above a body hit
of the same word. A fuzzy headline match
(an abbreviation such as "twtr secur", tried when some word is no word of
the index, where the words do not match as words) scores as half a rare word per word, times the title or headline
weight, times its tightness as sahilm/fuzzy scores it. Ties, and queries
without words, are ordered by date, newest first.`
