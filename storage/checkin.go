package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// QuorumRefresh is what a change of presence claimed of the live quorum
// messages' refresh (see ClaimQuorumRefresh): whether this caller owns it,
// and how long it waits before editing.
type QuorumRefresh struct {
	Claimed bool
	Wait    time.Duration
}

// checkInScript marks a person present once, audits it, and claims the
// refresh of the live quorum messages — one step, so a check-in is never
// recorded without its audit entry, nor its counter left stale.
//
// KEYS: 1 present, 2 audit stream, 3 quorum pending, 4 quorum throttle.
// ARGV: 1 field, 2 presence (JSON), 3 audit max length, 4-8 the audit
// entry (at, actor id, actor name, action, detail), 9 pending ttl (ms).
// Answers {first, claimed, wait ms}.
var checkInScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {0, 0, 0} end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'at', ARGV[4], 'actor_id', ARGV[5],
  'actor_name', ARGV[6], 'action', ARGV[7], 'detail', ARGV[8])
if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[9]) then return {1, 0, 0} end
local left = redis.call('PTTL', KEYS[4])
if left < 0 then left = 0 end
return {1, 1, left}
`)

// CheckIn records userID present in ref (false when they were already),
// with its audit entry, and claims the quorum messages' refresh.
func (s *Store) CheckIn(ctx context.Context, ref string, userID int64, p domain.Presence, e AuditEntry, pending time.Duration) (bool, QuorumRefresh, error) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	res, err := checkInScript.Run(ctx, s.rdb,
		[]string{s.confKey(ref, "present"), s.confKey(ref, "audit"), s.confKey(ref, "quorum", "pending"), s.confKey(ref, "quorum", "throttle")},
		strconv.FormatInt(userID, 10), mustJSON(p), AuditMaxLen,
		e.At.UTC().Format(time.RFC3339Nano), strconv.FormatInt(e.ActorID, 10), e.ActorName, e.Action, e.Detail,
		pending.Milliseconds()).Int64Slice()
	if err == nil && len(res) != 3 {
		err = fmt.Errorf("%w: answer %v", domain.ErrInvalid, res)
	}
	if err != nil {
		return false, QuorumRefresh{}, fmt.Errorf("check %d in at %s: %w", userID, ref, err)
	}
	return res[0] == 1, QuorumRefresh{Claimed: res[1] == 1, Wait: time.Duration(res[2]) * time.Millisecond}, nil
}
