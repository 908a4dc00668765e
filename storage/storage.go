// Package storage keeps confbot's state in Redis: the key layout, the Lua
// scripts and every read and write. Keys of one conference share a hash tag
// ({cluster/conference}) so multi-key scripts work on Redis Cluster; keys
// that belong to no conference (people, invites, updates) are single-key.
package storage

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Options says how to reach Redis; the fields mirror REDIS_URL,
// REDIS_SENTINEL_MASTER and REDIS_PREFIX.
type Options struct {
	URL            string // redis://, rediss://, or a comma-separated host:port list (Cluster, or Sentinels)
	SentinelMaster string
	Prefix         string
}

// Store is confbot's Redis state. It is safe for concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time
	confs  confCache // decoded conferences, by version
	plans  plans     // what each kind of request reads (readahead.go)
	// lastCast is CastVote's first guess at a voter's stored ballot.
	lastCast castGuesses
	// waitReplicas is how many replicas an acknowledged write waits for
	// (durable.go); 0 does not wait.
	waitReplicas int
	// leaseFor is how long a chat's inbox lease lasts unrenewed.
	leaseFor time.Duration
}

// Option changes a Store.
type Option func(*Store)

// WithClock sets the clock used for expiries and timestamps.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithInboxLease shortens a chat's inbox lease (InboxLease by default), for
// tests of what a replica that died holding one leaves behind.
func WithInboxLease(d time.Duration) Option { return func(s *Store) { s.leaseFor = d } }

// Open connects to Redis as opts say and checks that it answers.
func Open(ctx context.Context, opts Options, options ...Option) (*Store, error) {
	rdb, err := NewClient(opts)
	if err != nil {
		return nil, err
	}
	if opts.SentinelMaster != "" {
		options = append([]Option{WithReplicaWait(1)}, options...)
	}
	s := New(rdb, opts.Prefix, options...)
	if err := s.Ping(ctx); err != nil {
		_ = rdb.Close()
		return nil, err
	}
	return s, nil
}

// New wraps an existing client; tests and the playground use it.
func New(rdb redis.UniversalClient, prefix string, options ...Option) *Store {
	s := &Store{rdb: rdb, prefix: prefix, now: time.Now, leaseFor: InboxLease}
	for _, o := range options {
		o(s)
	}
	rdb.AddHook(readAheadHook{})
	return s
}

// NewClient builds the one UniversalClient for a single node, a Cluster or
// Sentinel. It is explicit about the kind: go-redis would otherwise pick a
// cluster client for any list of more than one address.
func NewClient(opts Options) (redis.UniversalClient, error) {
	switch {
	case opts.SentinelMaster != "":
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName:    opts.SentinelMaster,
			SentinelAddrs: splitAddrs(opts.URL),
		}), nil
	case strings.Contains(opts.URL, "://"):
		o, err := redis.ParseURL(opts.URL)
		if err != nil {
			return nil, fmt.Errorf("parse redis url: %w", err)
		}
		if strings.HasPrefix(opts.URL, "rediss://") && o.TLSConfig == nil {
			o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		return redis.NewClient(o), nil
	default:
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: splitAddrs(opts.URL)}), nil
	}
}

func splitAddrs(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Client returns the underlying client (for the scheduler's and tests' own keys).
func (s *Store) Client() redis.UniversalClient { return s.rdb }

// Prefix returns the key namespace.
func (s *Store) Prefix() string { return s.prefix }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis ping: %w", err)
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.rdb.Close() }

// key builds a key outside any conference: prefix:part:part.
func (s *Store) key(parts ...string) string {
	return s.prefix + ":" + strings.Join(parts, ":")
}

// confKey builds a key of one conference; the {ref} hash tag keeps all of a
// conference's keys in one Cluster slot.
func (s *Store) confKey(ref string, parts ...string) string {
	return s.prefix + ":{" + ref + "}:" + strings.Join(parts, ":")
}

// isNil reports a missing key, which callers turn into a domain "not found".
func isNil(err error) bool { return errors.Is(err, redis.Nil) }
