package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketMeta      = []byte("meta")
	bucketIncidents = []byte("incidents")
	bucketTriage    = []byte("triage")
	bucketIndex     = []byte("index")
	bucketSources   = []byte("sources")
	bucketKeys      = []byte("keys")
	bucketTitles    = []byte("titles")
	bucketAliases   = []byte("aliases")
	bucketHistory   = []byte("history")
	bucketArticles  = []byte("articles")
	bucketViews     = []byte("views")
	bucketQueries   = []byte("queries")

	keyCreatedBy = []byte("created_by")
	keySchema    = []byte("schema")
	marker       = []byte("faultline")
)

// allBuckets are the buckets of the current schema, meta first.
var allBuckets = [][]byte{bucketMeta, bucketIncidents, bucketTriage, bucketIndex, bucketSources,
	bucketKeys, bucketTitles, bucketAliases, bucketHistory, bucketArticles, bucketViews, bucketQueries}

// A migration brings a file to schema version `version` from the one
// before it. New files run the whole list from version 0.
type migration struct {
	version uint64
	name    string
	apply   func(tx *bolt.Tx, opts Options) error
}

// migrations is the ordered list of schema changes; append, never edit or
// reorder, and give each one its own test.
var migrations = []migration{
	{1, "create meta, incidents and triage buckets", createBuckets},
	{2, "create the index bucket", createIndexBucket},
	{3, "identity by source id, provenance, stamped triage, articles", identityAndProvenance},
	{4, "saved views and query history", createReviewBuckets},
	{5, "the index in segments, and the incidents changed since it", indexInSegments},
}

func latestVersion() uint64 { return migrations[len(migrations)-1].version }

func createBuckets(tx *bolt.Tx, _ Options) error {
	for _, name := range [][]byte{bucketMeta, bucketIncidents, bucketTriage} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keyCreatedBy, marker)
}

func createIndexBucket(tx *bolt.Tx, _ Options) error {
	_, err := tx.CreateBucketIfNotExists(bucketIndex)
	return err
}

// migrate runs, in the caller's update transaction, every migration after
// version from, and records the new version. A failure leaves the
// transaction to be rolled back, so the file keeps its old version.
func migrate(tx *bolt.Tx, from uint64, opts Options) error {
	if from == latestVersion() {
		return nil
	}
	for _, m := range migrations {
		if m.version <= from {
			continue
		}
		if err := m.apply(tx, opts); err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, encodeVersion(latestVersion()))
}

func encodeVersion(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

// schemaOf checks the faultline marker and returns the file's schema
// version; a newer version than this code knows is ErrNewerSchema.
func schemaOf(tx *bolt.Tx, path string) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || string(meta.Get(keyCreatedBy)) != string(marker) {
		return 0, notDatabase(path, "a bbolt file without the faultline marker")
	}
	raw := meta.Get(keySchema)
	if len(raw) != 8 {
		return 0, notDatabase(path, "damaged schema version")
	}
	v := binary.BigEndian.Uint64(raw)
	if v > latestVersion() {
		return 0, fmt.Errorf("store: open %s: %w: schema %d, this faultline knows up to %d; use a newer faultline",
			path, ErrNewerSchema, v, latestVersion())
	}
	if v == latestVersion() {
		for _, name := range allBuckets[1:] {
			if tx.Bucket(name) == nil {
				return 0, notDatabase(path, fmt.Sprintf("damaged: bucket %s missing", name))
			}
		}
		if tx.Bucket(bucketIndex).Bucket(keyIndexChanged) == nil {
			return 0, notDatabase(path, fmt.Sprintf("damaged: bucket %s/%s missing", bucketIndex, keyIndexChanged))
		}
	}
	return v, nil
}

// recognise returns the schema version of an open file, refusing one that
// is not a faultline database.
func recognise(db *bolt.DB, path string) (uint64, error) {
	var v uint64
	err := guard(path, func() error {
		return db.View(func(tx *bolt.Tx) (err error) {
			v, err = schemaOf(tx, path)
			return err
		})
	})
	return v, err
}
