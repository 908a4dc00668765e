// Package storagetest gives each test its own Store on the real Redis named by
// TEST_REDIS_URL (same syntax as REDIS_URL; default redis://127.0.0.1:6379/0;
// with TEST_REDIS_SENTINEL_MASTER, a list of Sentinels),
// under a key prefix of its own that is deleted when the test ends — the
// server is shared, so nothing here ever flushes it. Where no Redis answers
// and CONFBOT_REQUIRE_REDIS is not set, tests run on an embedded miniredis
// and say so; CI sets CONFBOT_REQUIRE_REDIS=1 so that never happens there.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/storage"
)

// Redis returns a client and a fresh prefix for t, cleaned up when t ends.
func Redis(t testing.TB) (redis.UniversalClient, string) {
	t.Helper()
	rdb, _, prefix := connect(t)
	return rdb, prefix
}

// URL returns a REDIS_URL-style address and a fresh prefix for t, for tests
// of code that opens its own connection (the CLI).
func URL(t testing.TB) (string, string) {
	t.Helper()
	_, url, prefix := connect(t)
	return url, prefix
}

func connect(t testing.TB) (redis.UniversalClient, string, string) {
	t.Helper()
	prefix := Prefix(t)
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	// TEST_REDIS_SENTINEL_MASTER makes TEST_REDIS_URL a list of Sentinels
	// watching that master (scripts/redis-sentinel.sh), as REDIS_SENTINEL_MASTER does.
	rdb, err := storage.NewClient(storage.Options{URL: url, SentinelMaster: os.Getenv("TEST_REDIS_SENTINEL_MASTER")})
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		if os.Getenv("CONFBOT_REQUIRE_REDIS") != "" {
			t.Fatalf("CONFBOT_REQUIRE_REDIS is set but %s does not answer: %v", url, err)
		}
		t.Logf("no Redis at %s: using the embedded miniredis store", url)
		mr := miniredis.RunT(t)
		rdb = redis.NewClient(&redis.Options{Addr: mr.Addr()})
		t.Cleanup(func() { _ = rdb.Close() })
		return rdb, "redis://" + mr.Addr(), prefix
	}
	t.Cleanup(func() {
		deletePrefix(rdb, prefix)
		_ = rdb.Close()
	})
	return rdb, url, prefix
}

// Store returns a Store on Redis(t).
func Store(t testing.TB, opts ...storage.Option) *storage.Store {
	t.Helper()
	rdb, prefix := Redis(t)
	return storage.New(rdb, prefix, opts...)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Prefix makes a key prefix unique to this test run.
func Prefix(t testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafeChars.ReplaceAllString(t.Name(), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	return "test:" + name + ":" + hex.EncodeToString(b[:])
}

// deletePrefix removes the test's keys from every master (Cluster included).
func deletePrefix(rdb redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	del := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, prefix+":*", 500).Iterator()
		for iter.Next(ctx) {
			c.Unlink(ctx, iter.Val())
		}
		return iter.Err()
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		_ = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return del(ctx, c) })
		return
	}
	_ = del(ctx, rdb)
}
