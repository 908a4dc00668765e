package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

// counter counts the commands that reach Redis.
type counter struct{ n int }

func (c *counter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !connectionSetUp(cmd) {
			c.n++
		}
		return next(ctx, cmd)
	}
}
func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !connectionSetUp(cmds[0]) {
			c.n++
		}
		return next(ctx, cmds)
	}
}

// connectionSetUp: what go-redis sends on a new connection of its pool.
func connectionSetUp(cmd redis.Cmder) bool { return cmd.Name() == "hello" || cmd.Name() == "client" }

// TestReadAheadAnswersAsRedisWould: a request's reads, learned from the
// last request of its kind, come from one pipeline and give what Redis
// gives — values, missing keys and fields — for another person too; a
// write ends the snapshot, so what is read after it is fresh.
func TestReadAheadAnswersAsRedisWould(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := storagetest.Redis(t)
	s := storage.New(rdb, prefix)
	k := func(parts ...any) string { return prefix + ":" + fmt.Sprint(parts...) }
	for _, id := range []int{7, 8} {
		rdb.Set(ctx, k("s:", id), fmt.Sprint("v", id), 0)
		rdb.HSet(ctx, k("h:", id), "a", fmt.Sprint("x", id), "b", "y")
		rdb.SAdd(ctx, k("set:", id), "m1", "m2")
		rdb.RPush(ctx, k("l:", id), "1", "2")
	}
	reads := func(ctx context.Context, id int) string {
		str, err1 := rdb.Get(ctx, k("s:", id)).Result()
		_, err2 := rdb.Get(ctx, k("missing:", id)).Result()
		vals := rdb.HMGet(ctx, k("h:", id), "a", "zz").Val()
		all := rdb.HGetAll(ctx, k("h:", id)).Val()
		members := rdb.SMembers(ctx, k("set:", id)).Val()
		n := rdb.LLen(ctx, k("l:", id)).Val()
		is := rdb.SIsMember(ctx, k("set:", id), "m2").Val()
		return fmt.Sprint(str, err1, err2, vals, all, len(members), n, is)
	}
	count := &counter{}
	rdb.AddHook(count)

	want7, want8 := reads(ctx, 7), reads(ctx, 8)
	run := func(id int64) (string, int) {
		count.n = 0
		rctx, done := s.ReadAhead(ctx, id, "", "/kind")
		got := reads(rctx, int(id))
		done()
		return got, count.n
	}
	if got, n := run(7); got != want7 || n != 7 {
		t.Errorf("first request: %q in %d round trips; want %q in 7", got, n, want7)
	}
	if got, n := run(7); got != want7 || n != 1 {
		t.Errorf("same person again: %q in %d round trips; want %q in 1", got, n, want7)
	}
	if got, n := run(8); got != want8 || n != 1 {
		t.Errorf("another person: %q in %d round trips; want %q in 1", got, n, want8)
	}

	// A write under the request ends the snapshot.
	count.n = 0
	rctx, done := s.ReadAhead(ctx, 7, "", "/kind")
	rdb.Set(rctx, k("s:", 7), "changed", 0)
	if got := rdb.Get(rctx, k("s:", 7)).Val(); got != "changed" {
		t.Errorf("read after a write: %q, want the written value", got)
	}
	done()
}
