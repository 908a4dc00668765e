package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Effects are the durable jobs that follow a state change: the tally after
// a close, the ballot notices after an open, an export's documents. Each is
// a Reminder of kind EffectKind in the conference's schedule (the reminders
// ZSET and jobs hash), due when it is recorded, so the scheduler's claim and
// per-delivery record carry it out exactly as they do reminders: any replica
// finishes it after a crash, an error or a redelivery, and a delivery marked
// sent is never sent again. The scripts that change the state (close and open
// a round) enqueue their effect in the same atomic step.
//
//	reminders:bundle:OCC  STRING  the files of an export occurrence (JSON), kept a day

// EffectKind marks a schedule entry as an effect rather than a reminder.
const EffectKind = "effect"

// bundleTTL is how long an export's files wait to be delivered.
const bundleTTL = 24 * time.Hour

// enqueueLua adds one job to a schedule unless it is pending already; it is
// shared by the scripts that enqueue effects. zset, jobs: the schedule's
// keys; id, due (unix seconds), body (the job as JSON). 1: added, 0: pending.
const enqueueLua = `
local function enqueue(zset, jobs, id, due, body)
  if id == '' then return 1 end
  if redis.call('ZSCORE', zset, id) then return 0 end
  redis.call('ZADD', zset, due, id)
  redis.call('HSET', jobs, id, body)
  return 1
end
`

// effectArgs are the ARGV a script passes to enqueue: id, due and body; an
// empty id enqueues nothing.
func effectArgs(e *Reminder) ([]any, error) {
	if e == nil {
		return []any{"", 0, ""}, nil
	}
	body, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode effect %s: %w", e.ID, err)
	}
	return []any{e.ID, dueOf(*e), string(body)}, nil
}

// scheduleKeys are the schedule's ZSET and jobs hash (KEYS of enqueue).
func (s *Store) scheduleKeys(ref string) []string {
	return []string{s.confKey(ref, "reminders"), s.confKey(ref, "reminders", "jobs")}
}

var enqueueScript = redis.NewScript(enqueueLua + `
local added = enqueue(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
if added == 1 and ARGV[4] ~= '' then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5]) end
return added`)

// EnqueueEffect records an effect job, with an export's files when bundle
// is not nil, in one atomic step. It answers false, changing nothing, when a
// job of the same ID is still pending (a person asking twice).
func (s *Store) EnqueueEffect(ctx context.Context, ref string, e Reminder, bundle []byte) (bool, error) {
	args, err := effectArgs(&e)
	if err != nil {
		return false, err
	}
	args = append(args, string(bundle), bundleTTL.Milliseconds())
	keys := append(s.scheduleKeys(ref), s.bundleKey(ref, e))
	if err := s.rdb.SAdd(ctx, s.key("reminders", "conferences"), ref).Err(); err != nil {
		return false, fmt.Errorf("index effects of %s: %w", ref, err)
	}
	n, err := enqueueScript.Run(ctx, s.rdb, keys, args...).Int()
	if err != nil {
		return false, fmt.Errorf("enqueue effect %s of %s: %w", e.ID, ref, err)
	}
	return n == 1, nil
}

func (s *Store) bundleKey(ref string, e Reminder) string {
	return s.confKey(ref, "reminders", "bundle", occurrenceOf(e))
}

// EffectBundle returns the files recorded with an effect occurrence;
// domain.ErrNotFound when they expired or were never recorded.
func (s *Store) EffectBundle(ctx context.Context, ref string, e Reminder) ([]byte, error) {
	raw, err := s.rdb.Get(ctx, s.bundleKey(ref, e)).Bytes()
	if isNil(err) {
		return nil, fmt.Errorf("files of %s: %w", e.ID, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", e.ID, err)
	}
	return raw, nil
}

// NextDueAfter is the earliest due time of ref's pending jobs in (after,
// until]; ok is false when there is none. The playground steps its clock
// through these, so each job fires at its own time and in order.
func (s *Store) NextDueAfter(ctx context.Context, ref string, after, until time.Time) (time.Time, bool, error) {
	z, err := s.rdb.ZRangeByScoreWithScores(ctx, s.remindersKey(ref), &redis.ZRangeBy{
		Min: "(" + strconv.FormatInt(after.Unix(), 10), Max: strconv.FormatInt(until.Unix(), 10), Count: 1}).Result()
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due job of %s: %w", ref, err)
	}
	if len(z) == 0 {
		return time.Time{}, false, nil
	}
	return time.Unix(int64(z[0].Score), 0), true, nil
}

// RoundOption adds to what opening or closing a round records.
type RoundOption func(*roundExtras)

type roundExtras struct {
	rules   *domain.BallotSpec
	closing *domain.ClosingFacts
	effect  *Reminder
}

// WithRules stores the round's own rules (threshold, quota, candidates'
// base) when it opens, so its tally never re-derives them.
func WithRules(spec domain.BallotSpec) RoundOption {
	return func(x *roundExtras) { x.rules = &spec }
}

// WithClosingFacts stores what the tally needs besides the counters when
// the round closes.
func WithClosingFacts(f domain.ClosingFacts) RoundOption {
	return func(x *roundExtras) { x.closing = &f }
}

// WithEffect enqueues e in the same atomic step as the open or the close.
func WithEffect(e Reminder) RoundOption {
	return func(x *roundExtras) { x.effect = &e }
}

func extrasOf(opts []RoundOption) roundExtras {
	var x roundExtras
	for _, o := range opts {
		o(&x)
	}
	return x
}

// jsonOrEmpty encodes v, or gives "" for nil.
func jsonOrEmpty[T any](v *T) (string, error) {
	if v == nil {
		return "", nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(raw), nil
}

// decodeField decodes a JSON field of a round's state hash, if present.
func decodeField[T any](h map[string]string, name string) (*T, error) {
	raw, ok := h[name]
	if !ok || raw == "" {
		return nil, nil
	}
	var v T
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("field %s: %w", name, err)
	}
	return &v, nil
}

// EffectPending reports whether a job of this ID is still to be finished.
func (s *Store) EffectPending(ctx context.Context, ref, id string) (bool, error) {
	_, err := s.rdb.ZScore(ctx, s.remindersKey(ref), id).Result()
	if isNil(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("pending effect %s of %s: %w", id, ref, err)
	}
	return true, nil
}
