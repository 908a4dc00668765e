package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Writes the bot acknowledges to a person — a vote's receipt, an update
// confirmed to Telegram once it is in the inbox — must survive a failover.
// Redis replicates asynchronously, and during a Sentinel failover the old
// master still takes writes until it is told it is a replica, then drops
// them (issue 12: 572 of 1500 acknowledged votes lost). So with Sentinel
// such a write is followed, on the same connection, by WAIT for a replica:
// one that did not reach any is reported as a timeout, and the caller
// tries again (the inbox retries; a vote's cast is idempotent per voter).

// replicaWait is how long an acknowledged write waits for its replicas.
const replicaWait = time.Second

// WithReplicaWait makes acknowledged writes wait for n replicas (Open sets
// 1 under Sentinel). Only for a single master's client: WAIT names no key,
// so on a Cluster it would reach an arbitrary node.
func WithReplicaWait(n int) Option { return func(s *Store) { s.waitReplicas = n } }

// errNotReplicated is a write the master took but no replica confirmed in
// time. It is a timeout (a net.Error), so handlers treat it as Redis being
// out of reach: nothing is acknowledged and the update is handled again.
type errNotReplicated struct{ got, want int64 }

func (e errNotReplicated) Error() string {
	return fmt.Sprintf("write reached %d of %d replicas in %v", e.got, e.want, replicaWait)
}
func (errNotReplicated) Timeout() bool   { return true }
func (errNotReplicated) Temporary() bool { return true }

// evalDurable runs script as an acknowledged write (see above).
func (s *Store) evalDurable(ctx context.Context, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	if s.waitReplicas <= 0 {
		return script.Run(ctx, s.rdb, keys, args...)
	}
	var cmd *redis.Cmd
	var wait *redis.Cmd
	// EVAL, not EVALSHA: a pipeline cannot fall back on NOSCRIPT.
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		cmd = script.Eval(ctx, p, keys, args...)
		wait = p.Do(ctx, "WAIT", s.waitReplicas, replicaWait.Milliseconds())
		return nil
	})
	if cmd.Err() == nil {
		if got, err := wait.Int64(); err != nil {
			cmd.SetErr(fmt.Errorf("wait for replicas: %w", err))
		} else if got < int64(s.waitReplicas) {
			cmd.SetErr(errNotReplicated{got: got, want: int64(s.waitReplicas)})
		}
	}
	return cmd
}
