// Package store keeps incidents and their triage in one bbolt file. It is
// the only package that imports bbolt.
//
// # Layout
//
// The bucket tree, all keys and values as bytes:
//
//	meta/
//	  created_by -> "faultline"             marker: a bbolt file without it is not ours
//	  schema     -> uint64, big-endian      layout version, see migrations
//	incidents/                              sequence: the generation, see below
//	  <id>       -> JSON of incident.Incident without its "triage" key
//	triage/
//	  <id>       -> JSON of incident.Triage; no key means an untouched triage
//	sources/
//	  <id>       -> JSON of []incident.Source: where the incident came from
//	keys/
//	  <key>      -> id: the incident a source key ("fail:2743") names
//	titles/
//	  <title key><id> -> empty: the incidents of one title and date
//	aliases/
//	  <old id>   -> id: where an incident re-keyed to its source key went
//	history/
//	  <id><uint64> -> JSON of Version: text an import replaced, oldest first
//	articles/
//	  <uint64>   -> JSON of incident.Article, by article id (big-endian)
//	index/                                  sequence: the last segment id
//	  manifest   -> the search index's list of segments, opaque to this package
//	  generation -> uint64, big-endian: the generation the manifest describes
//	  seg<id>/                              one segment of the index (id: uint64, big-endian)
//	    data     -> the segment, opaque to this package
//	  changed/
//	    <id>     -> empty: an incident added, changed or removed since
//	  events     -> the grouping of the incidents into events, opaque
//	  events generation -> uint64, big-endian: the generation it describes
//	views/
//	  <name>     -> JSON of View: a saved query, sort and order
//	queries/                                sequence: numbers the entries
//	  <uint64>   -> JSON of a query typed in the explorer, and when;
//	                big-endian keys, oldest first, at most MaxQueries
//
// Every value is sealed with its checksum (see seal.go); the keys,
// titles and aliases buckets are lookups kept in step with the incidents.
//
// Triage lives in its own bucket so that re-importing an incident never
// touches what a reviewer recorded about it; Put writes it only when asked.
//
// The incidents bucket's sequence is the generation of the incidents: Put
// and Delete advance it, in the same transaction, whenever they change
// one, and note its id in index/changed. A manifest is current only while
// its generation is the current one, so an index that a crash left behind
// is never read as if it described the incidents; with the ids noted
// since, it can be brought up to date by indexing those alone (PutSegment
// for the new segments, then SaveIndex, which forgets the noted ids and
// removes the segments the new manifest does not name). ViewIndex reads
// the index, the noted ids and the incidents in one transaction. The
// index holds no triage.
//
// # Schema
//
// The schema version is stored in the file. A new file is brought from
// version 0 to the current one by the same ordered list of migrations that
// upgrades an older file, in one update transaction, so a file is either at
// its old version or fully migrated. A file of a newer version is refused
// with ErrNewerSchema.
//
// # Sharing
//
// bbolt locks the file with flock: a read-only Store takes a shared lock, so
// any number of readers coexist; a writable Store takes an exclusive lock.
// Open waits at most Options.Timeout for the lock and then fails with
// ErrLocked. The lock belongs to the open file description, so two Opens in
// one process conflict just as two processes do. Processes should hold a
// Store only as long as they need it.
//
// A writable Open of a file or directory that cannot be written (permission
// bits, a read-only mount) fails with an error wrapping ErrReadOnly and the
// cause, so that a caller can fall back to a read-only Open. A read-only
// Open of an older schema migrates it first, which needs the write lock for
// a moment; a read-only Open never creates a file.
//
// # Foreign and damaged files
//
// Open never writes to a file it has not recognised as a faultline
// database. It first reads the bbolt header itself: both meta pages, and of
// the live one the high-water mark against the file size (bbolt would map a
// truncated file past its end and crash there) and the headers of the root
// and freelist pages (bbolt frees the freelist page by page on each commit,
// so a damaged overflow count would keep a writer busy for hours). Then it
// checks the marker in a read-only transaction, and only then reopens for
// writing. An existing empty file is refused rather than initialised:
// faultline creates its files itself, atomically (built in a temporary file
// beside the target and linked into place), so an empty file is someone
// else's. A panic or memory fault inside bbolt on a damaged page is turned
// into an error wrapping ErrNotDatabase; Check is the exception (see there).
//
// # Text
//
// Values are encoded with encoding/json, so texts keep every byte including
// escape sequences, except that invalid UTF-8 is stored as U+FFFD (the
// importer already replaces it, with a warning).
package store
