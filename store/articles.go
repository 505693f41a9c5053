package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/faultline/faultline/incident"
)

// articleKey is an article id as a big-endian number, so keys sort by id.
func articleKey(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }

// ArticleStats counts what PutArticles did.
type ArticleStats struct {
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// PutArticles stores articles in one transaction, merging each with the
// stored article of its id (incident.Article.Merge).
func (s *Store) PutArticles(arts []incident.Article) (ArticleStats, error) {
	var st ArticleStats
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		st = ArticleStats{}
		for _, a := range arts {
			key := articleKey(a.ID)
			cur := incident.Article{ID: a.ID, Incidents: []int64{}}
			old := b.Get(key)
			if old != nil {
				if err := decodeJSON(old, &cur); err != nil {
					return fmt.Errorf("store: article %d: %w", a.ID, err)
				}
			}
			changed := cur.Merge(a)
			switch {
			case old == nil:
				st.New++
			case changed:
				st.Updated++
			default:
				st.Unchanged++
				continue
			}
			data, err := encodeJSON(cur)
			if err != nil {
				return fmt.Errorf("store: article %d: %w", a.ID, err)
			}
			if err := b.Put(key, data); err != nil {
				return fmt.Errorf("store: article %d: %w", a.ID, err)
			}
		}
		return nil
	})
	return st, err
}

// citedIn returns what is stored of the articles ids, in their order.
func citedIn(b *bolt.Bucket, ids []int64) ([]incident.CitedArticle, error) {
	var out []incident.CitedArticle
	for _, id := range ids {
		data := b.Get(articleKey(id))
		if data == nil {
			continue
		}
		var a incident.Article
		if err := decodeJSON(data, &a); err != nil {
			return nil, fmt.Errorf("store: article %d: %w", id, err)
		}
		out = append(out, a.Cited())
	}
	return out, nil
}

// Articles returns the stored articles among ids, in the order of ids;
// ids without an article are left out.
func (s *Store) Articles(ids []int64) ([]incident.Article, error) {
	var out []incident.Article
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		for _, id := range ids {
			data := b.Get(articleKey(id))
			if data == nil {
				continue
			}
			var a incident.Article
			if err := decodeJSON(data, &a); err != nil {
				return fmt.Errorf("store: article %d: %w", id, err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// ArticleCount returns the number of stored articles.
func (s *Store) ArticleCount() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketArticles).Stats().KeyN
		return nil
	})
	return n, err
}
