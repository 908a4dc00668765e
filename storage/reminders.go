package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Reminder keys, all under the conference's hash tag so that every script
// touches one Cluster slot:
//
//	reminders             ZSET  job id -> due time (unix seconds)
//	reminders:jobs        HASH  job id -> Reminder as JSON
//	reminders:done        HASH  job id -> due time of the occurrence completed
//	reminders:claim:OCC   STRING "owner|lease expiry (unix ms)"
//	reminders:sent:OCC    HASH  delivery -> sending:OWNER | sent | unreachable
//
// A delivery is one message (or album) to one chat: the chat id, or
// "chat:part" when a job sends one chat several parts.
//
// OCC is "id@due": a moved deadline is a new occurrence with its own claim
// and record. The global set reminders:conferences lists the refs to scan.
//
// Leases are judged by the Store's clock (WithClock), not by Redis TTLs, so
// tests can let a lease lapse without waiting; the keys still carry a TTL
// that only collects garbage.

// Recipient states in a reminder's record.
const (
	ReminderSent        = "sent"        // delivered
	ReminderUnreachable = "unreachable" // the person blocked the bot: recorded, not retried
	ReminderSending     = "sending:"    // prefix, followed by the owner sending it now
)

const (
	claimTTL  = 24 * time.Hour      // garbage collection of claim keys only
	recordTTL = 30 * 24 * time.Hour // how long a completed occurrence's record is kept
)

// ErrClaimLost says the caller no longer holds a reminder's claim: its lease
// lapsed and another replica took the job over, or the job was completed.
var ErrClaimLost = errors.New("reminder claim lost")

// Reminder is one scheduled job of a conference as stored (domain.Reminder).
type Reminder = domain.Reminder

// dueOf is a job's due time as its ZSET score, to the second.
func dueOf(r Reminder) string { return strconv.FormatInt(r.Due.Unix(), 10) }

// occurrenceOf names one dated occurrence of a job in claim and record keys.
func occurrenceOf(r Reminder) string { return r.ID + "@" + dueOf(r) }

func (s *Store) remindersKey(ref string) string { return s.confKey(ref, "reminders") }
func (s *Store) reminderKeys(ref string) []string {
	return []string{s.confKey(ref, "reminders"), s.confKey(ref, "reminders", "jobs"), s.confKey(ref, "reminders", "done")}
}
func (s *Store) claimKey(ref string, r Reminder) string {
	return s.confKey(ref, "reminders", "claim", occurrenceOf(r))
}
func (s *Store) sentKey(ref string, r Reminder) string {
	return s.confKey(ref, "reminders", "sent", occurrenceOf(r))
}

// syncScript writes jobs (id, due, json triples from ARGV[3]). A job done
// for the same due time is not added again; one done for another due time
// (its deadline moved) is added again only if the new time is still ahead.
// With ARGV[2] > 0, the next ARGV[2] arguments after the jobs are prefixes:
// pending jobs with one of them that are not in the list are removed.
var syncScript = redis.NewScript(`
local zset, jobs, done = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local nprefix = tonumber(ARGV[2])
local njobs = tonumber(ARGV[3])
local keep = {}
for i = 4, 3 + njobs * 3, 3 do
  local id, due, body = ARGV[i], ARGV[i+1], ARGV[i+2]
  local prev = redis.call('HGET', done, id)
  if prev and (prev == due or tonumber(due) <= now) then
    -- sent already for this deadline, or moved into the past: leave it done
  else
    if prev then redis.call('HDEL', done, id) end
    redis.call('ZADD', zset, due, id)
    redis.call('HSET', jobs, id, body)
    keep[id] = true
  end
end
if nprefix > 0 then
  local first = 4 + njobs * 3
  for _, id in ipairs(redis.call('ZRANGE', zset, 0, -1)) do
    if not keep[id] then
      for p = first, first + nprefix - 1 do
        if string.sub(id, 1, #ARGV[p]) == ARGV[p] then
          redis.call('ZREM', zset, id)
          redis.call('HDEL', jobs, id)
          break
        end
      end
    end
  end
end
return 1`)

// SyncReminders makes ref's pending jobs whose ID starts with one of
// prefixes exactly reminders: new jobs are added, moved ones rescored (a
// moved deadline moves its reminders), others with those prefixes removed.
// Jobs completed for the same due time are not added again. now decides
// whether a job done before its deadline moved is armed again.
func (s *Store) SyncReminders(ctx context.Context, ref string, prefixes []string, reminders []Reminder, now time.Time) error {
	if len(prefixes) == 0 {
		return fmt.Errorf("sync reminders of %s: no prefixes", ref)
	}
	return s.writeReminders(ctx, ref, prefixes, reminders, now)
}

// AddReminders adds reminders that are neither pending nor done for the same
// due time; it never removes one. The scheduler uses it to plan digests
// further ahead.
func (s *Store) AddReminders(ctx context.Context, ref string, reminders []Reminder, now time.Time) error {
	return s.writeReminders(ctx, ref, nil, reminders, now)
}

func (s *Store) writeReminders(ctx context.Context, ref string, prefixes []string, reminders []Reminder, now time.Time) error {
	if err := s.rdb.SAdd(ctx, s.key("reminders", "conferences"), ref).Err(); err != nil {
		return fmt.Errorf("index reminders of %s: %w", ref, err)
	}
	args := make([]any, 0, 3+3*len(reminders)+len(prefixes))
	args = append(args, now.Unix(), len(prefixes), len(reminders))
	for _, r := range reminders {
		body, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode reminder %s: %w", r.ID, err)
		}
		args = append(args, r.ID, dueOf(r), body)
	}
	for _, p := range prefixes {
		args = append(args, p)
	}
	if err := syncScript.Run(ctx, s.rdb, s.reminderKeys(ref), args...).Err(); err != nil {
		return fmt.Errorf("sync reminders of %s: %w", ref, err)
	}
	return nil
}

// ReminderConferences lists the refs of conferences that may have jobs,
// sorted: those that have had reminders, and every stored conference — an
// effect is enqueued with its state change, in the conference's own slot,
// so no global index has to be written for it to be found.
func (s *Store) ReminderConferences(ctx context.Context) ([]string, error) {
	var indexed, stored *redis.StringSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		indexed = p.SMembers(ctx, s.key("reminders", "conferences"))
		stored = p.SMembers(ctx, s.key("conferences"))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list reminder conferences: %w", err)
	}
	refs := append(indexed.Val(), stored.Val()...)
	sort.Strings(refs)
	return slices.Compact(refs), nil
}

// DueReminders lists up to limit pending jobs of ref due at or before now,
// earliest first.
func (s *Store) DueReminders(ctx context.Context, ref string, now time.Time, limit int) ([]Reminder, error) {
	return s.reminders(ctx, ref, strconv.FormatInt(now.Unix(), 10), int64(limit))
}

// PendingReminders lists every pending job of ref, earliest first.
func (s *Store) PendingReminders(ctx context.Context, ref string) ([]Reminder, error) {
	return s.reminders(ctx, ref, "+inf", 0)
}

func (s *Store) reminders(ctx context.Context, ref, max string, limit int64) ([]Reminder, error) {
	due, err := s.rdb.ZRangeByScoreWithScores(ctx, s.remindersKey(ref), &redis.ZRangeBy{Min: "-inf", Max: max, Count: limit}).Result()
	if err != nil {
		return nil, fmt.Errorf("due reminders of %s: %w", ref, err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	ids := make([]string, len(due))
	for i, z := range due {
		ids[i] = z.Member.(string)
	}
	bodies, err := s.rdb.HMGet(ctx, s.confKey(ref, "reminders", "jobs"), ids...).Result()
	if err != nil {
		return nil, fmt.Errorf("load reminders of %s: %w", ref, err)
	}
	out := make([]Reminder, 0, len(due))
	zones := zoneCache{}
	for i, body := range bodies {
		text, ok := body.(string)
		if !ok {
			continue // removed by a re-import between the two reads
		}
		var r Reminder
		if err := json.Unmarshal([]byte(text), &r); err != nil {
			return nil, fmt.Errorf("decode reminder %s of %s: %w", ids[i], ref, err)
		}
		r.Due = time.Unix(int64(due[i].Score), 0).In(zones.get(r.Zone))
		out = append(out, r)
	}
	return out, nil
}

// claimScript takes (ARGV[5] == "claim") or renews the lease on one
// occurrence. A claim needs the job still pending at that due time and no
// live lease of another owner; a renewal needs the caller's own lease.
var claimScript = redis.NewScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
local cur = redis.call('GET', KEYS[2])
if cur then
  local owner, expiry = string.match(cur, '^(.*)|(%d+)$')
  if owner ~= ARGV[3] and tonumber(expiry) > tonumber(ARGV[4]) then return 0 end
  if ARGV[5] == 'renew' and owner ~= ARGV[3] then return 0 end
elseif ARGV[5] == 'renew' then
  return 0
end
redis.call('SET', KEYS[2], ARGV[3] .. '|' .. (tonumber(ARGV[4]) + tonumber(ARGV[6])), 'PX', ARGV[7])
return 1`)

// zoneCache loads each time zone once per read (LoadLocation reads a file).
type zoneCache map[string]*time.Location

func (z zoneCache) get(name string) *time.Location {
	if loc, ok := z[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	z[name] = loc
	return loc
}

// ClaimReminder takes the lease on r for owner (a replica's id): true when
// this replica should send it. It fails while another owner's lease is live,
// and once r was completed or moved to another due time.
func (s *Store) ClaimReminder(ctx context.Context, ref string, r Reminder, owner string, lease time.Duration) (bool, error) {
	return s.lease(ctx, ref, r, owner, lease, "claim")
}

// RenewReminder extends owner's lease on r; false when it was lost.
func (s *Store) RenewReminder(ctx context.Context, ref string, r Reminder, owner string, lease time.Duration) (bool, error) {
	return s.lease(ctx, ref, r, owner, lease, "renew")
}

func (s *Store) lease(ctx context.Context, ref string, r Reminder, owner string, lease time.Duration, mode string) (bool, error) {
	n, err := claimScript.Run(ctx, s.rdb, []string{s.remindersKey(ref), s.claimKey(ref, r)},
		r.ID, dueOf(r), owner, s.now().UnixMilli(), mode, lease.Milliseconds(), (lease + claimTTL).Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("%s reminder %s of %s: %w", mode, r.ID, ref, err)
	}
	return n == 1, nil
}

// releaseScript deletes a claim if it is still the caller's.
var releaseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur and string.match(cur, '^(.*)|%d+$') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`)

// ReleaseReminder gives owner's claim on r back, so that any replica may
// retry it at its next tick.
func (s *Store) ReleaseReminder(ctx context.Context, ref string, r Reminder, owner string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{s.claimKey(ref, r)}, owner).Err(); err != nil {
		return fmt.Errorf("release reminder %s of %s: %w", r.ID, ref, err)
	}
	return nil
}

// beginScript marks a recipient "sending:owner" if nobody has a state for
// them yet, only while owner holds the claim, and renews the lease.
var beginScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur or string.match(cur, '^(.*)|%d+$') ~= ARGV[2] then return {-1, ''} end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. (tonumber(ARGV[3]) + tonumber(ARGV[4])), 'PX', ARGV[5])
if redis.call('HSETNX', KEYS[2], ARGV[1], 'sending:' .. ARGV[2]) == 1 then return {1, ''} end
return {0, redis.call('HGET', KEYS[2], ARGV[1])}`)

// BeginReminderSend marks recipient as being sent r by owner, renewing
// owner's lease. It returns began=false with the recipient's state when
// somebody already has one (sent, unreachable, or sending by some owner),
// and ErrClaimLost when owner no longer holds the claim.
func (s *Store) BeginReminderSend(ctx context.Context, ref string, r Reminder, recipient string, owner string, lease time.Duration) (began bool, state string, err error) {
	res, err := beginScript.Run(ctx, s.rdb, []string{s.claimKey(ref, r), s.sentKey(ref, r)},
		recipient, owner, s.now().UnixMilli(), lease.Milliseconds(), (lease + claimTTL).Milliseconds()).Slice()
	if err != nil {
		return false, "", fmt.Errorf("begin reminder %s of %s to %s: %w", r.ID, ref, recipient, err)
	}
	var code int64
	if len(res) > 0 {
		code, _ = res[0].(int64)
	}
	if len(res) > 1 {
		state, _ = res[1].(string)
	}
	switch code {
	case -1:
		return false, "", fmt.Errorf("reminder %s of %s: %w", r.ID, ref, ErrClaimLost)
	case 1:
		return true, "", nil
	}
	return false, state, nil
}

// finishScript replaces owner's "sending" mark by ARGV[3], or removes it
// when ARGV[3] is empty; a mark of another owner is left alone.
var finishScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= 'sending:' .. ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1`)

// FinishReminderSend records how sending r to recipient ended: ReminderSent,
// ReminderUnreachable, or "" when it was not delivered and should be
// retried (the mark is removed).
func (s *Store) FinishReminderSend(ctx context.Context, ref string, r Reminder, recipient string, owner, state string) error {
	if err := finishScript.Run(ctx, s.rdb, []string{s.sentKey(ref, r)}, recipient, owner, state).Err(); err != nil {
		return fmt.Errorf("finish reminder %s of %s to %s: %w", r.ID, ref, recipient, err)
	}
	return nil
}

// ReminderRecord returns the state of every delivery of r: what was sent,
// who could not be reached, and marks left by a replica that died mid-send.
func (s *Store) ReminderRecord(ctx context.Context, ref string, r Reminder) (map[string]string, error) {
	raw, err := s.rdb.HGetAll(ctx, s.sentKey(ref, r)).Result()
	if err != nil {
		return nil, fmt.Errorf("reminder record %s of %s: %w", r.ID, ref, err)
	}
	return raw, nil
}

// completeScript ends an occurrence: the job leaves the schedule unless it
// was moved to another due time meanwhile, is recorded done for this due
// time, the claim goes and the record is kept for recordTTL.
var completeScript = redis.NewScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
local cur = redis.call('GET', KEYS[4])
if cur and string.match(cur, '^(.*)|%d+$') == ARGV[3] then redis.call('DEL', KEYS[4]) end
redis.call('PEXPIRE', KEYS[5], ARGV[4])
return 1`)

// CompleteReminder records r as done (sent to everyone it should go to, or
// dropped as too late) and takes it off the schedule.
func (s *Store) CompleteReminder(ctx context.Context, ref string, r Reminder, owner string) error {
	keys := append(s.reminderKeys(ref), s.claimKey(ref, r), s.sentKey(ref, r))
	if err := completeScript.Run(ctx, s.rdb, keys, r.ID, dueOf(r), owner, recordTTL.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("complete reminder %s of %s: %w", r.ID, ref, err)
	}
	return nil
}

// IsSending reports whether a recipient state is an in-flight mark, and whose.
func IsSending(state string) (owner string, ok bool) {
	return strings.CutPrefix(state, ReminderSending)
}
