package storage

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Audit log keys, under the conference's hash tag:
//
//	audit   stream of AuditEntry (fields at, actor_id, actor_name, action, detail)
//
// The stream is capped near AuditMaxLen entries (XADD MAXLEN ~): a year's
// conference makes a few hundred, so the cap only stops a runaway writer.
// Entries never carry a ballot's content: callers log that a vote was cast
// or a ballot closed, never what was chosen.

// AuditMaxLen is roughly how many entries one conference's log keeps.
const AuditMaxLen = 10000

// AuditEntry is one state change of a conference: who did what, when.
type AuditEntry = domain.AuditEntry

// AppendAudit adds an entry to a conference's audit log and returns its id.
func (s *Store) AppendAudit(ctx context.Context, ref string, e AuditEntry) (string, error) {
	if e.At.IsZero() {
		e.At = s.now()
	}
	id, err := s.rdb.XAdd(ctx, &redis.XAddArgs{
		Stream: s.confKey(ref, "audit"),
		MaxLen: AuditMaxLen,
		Approx: true,
		Values: []any{
			"at", e.At.UTC().Format(time.RFC3339Nano),
			"actor_id", strconv.FormatInt(e.ActorID, 10),
			"actor_name", e.ActorName,
			"action", e.Action,
			"detail", e.Detail,
		},
	}).Result()
	if err != nil {
		return "", fmt.Errorf("audit %s in %s: %w", e.Action, ref, err)
	}
	return id, nil
}

// AuditTail returns the last n entries of a conference's log, oldest first;
// n ≤ 0 returns the whole log (the export's copy).
func (s *Store) AuditTail(ctx context.Context, ref string, n int) ([]AuditEntry, error) {
	key := s.confKey(ref, "audit")
	var msgs []redis.XMessage
	var err error
	if n <= 0 {
		msgs, err = s.rdb.XRange(ctx, key, "-", "+").Result()
	} else {
		msgs, err = s.rdb.XRevRangeN(ctx, key, "+", "-", int64(n)).Result()
		slices.Reverse(msgs)
	}
	if err != nil {
		return nil, fmt.Errorf("load audit log of %s: %w", ref, err)
	}
	out := make([]AuditEntry, 0, len(msgs))
	for _, m := range msgs {
		e := AuditEntry{ID: m.ID}
		str := func(k string) string { v, _ := m.Values[k].(string); return v }
		if at, err := time.Parse(time.RFC3339Nano, str("at")); err == nil {
			e.At = at
		}
		e.ActorID, _ = strconv.ParseInt(str("actor_id"), 10, 64)
		e.ActorName, e.Action, e.Detail = str("actor_name"), str("action"), str("detail")
		out = append(out, e)
	}
	return out, nil
}
