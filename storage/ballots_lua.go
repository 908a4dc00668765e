package storage

import "github.com/redis/go-redis/v9"

// The ballot scripts. Every key they touch is passed in KEYS and carries the
// conference's {ref} hash tag, so each runs on one Cluster slot. A script runs
// alone on its Redis node: that is what serialises two delegates of one unit
// clicking at the same moment, and what makes a close happen exactly once.
// Refusals are returned as a status word (never as a Redis error) so that Go
// maps them to domain errors in one place; the scripts never see the ballot
// secret, only HMACs computed from it.

// openBallotScript opens one round of a ballot.
//
// KEYS: 1 latest-round pointer, 2 state, 3 eligible, 4 contents, 5 receipts,
// 6 the previous round's state (round 1: a key that never exists), 7 counters,
// 8 and 9 the conference's schedule (its effect job goes there).
// ARGV: 1 round, 2 kind, 3 "1" secret / "0" named, 4 candidates joined by ",",
// 5 opened_at (unix ms), 6 closes_at (unix ms, 0: none), 7 n, 8 m, 9 the
// round's rules (JSON, or ""), 10-12 the effect job (id, due, body; id ""
// for none), then n voter keys, then n HMAC fields (sorted, and not paired
// with the voter keys), then the m counter keys any ballot of this round can
// touch.
//
// Every hash a cast writes to is filled here, in an order fixed before anyone
// votes: the content and receipt of every eligible voter (empty, in HMAC
// order) and every counter (at 0). Why: a small Redis hash keeps its fields in
// insertion order, so fields added at cast time would record the order of
// the votes — the counters' first fields would be the first voter's marks —
// and that order set against the "voted" set, a log line's time or a
// reminder would link voters to contents. Filled up front, a field's place
// says nothing (and counters back at 0 are therefore kept, not deleted).
// A cast whose HMAC has no field was made under another secret and is
// refused rather than counted twice.
var openBallotScript = redis.NewScript(enqueueLua + `
local round = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
if round ~= latest + 1 then return 'bad_round' end
if latest > 0 and redis.call('HGET', KEYS[6], 'state') ~= 'closed' then return 'previous_open' end
local n, m = tonumber(ARGV[7]), tonumber(ARGV[8])
local base = 12
-- unpack is limited to a few thousand values: write in chunks.
for i = base + 1, base + n, 1000 do
  redis.call('SADD', KEYS[3], unpack(ARGV, i, math.min(i + 999, base + n)))
end
local function fill(key, from, to, value)
  for i = from, to, 500 do
    local fields = {}
    for j = i, math.min(i + 499, to) do
      fields[#fields + 1] = ARGV[j]
      fields[#fields + 1] = value
    end
    redis.call('HSET', key, unpack(fields))
  end
end
fill(KEYS[4], base + 1 + n, base + 2 * n, '')
fill(KEYS[5], base + 1 + n, base + 2 * n, '')
fill(KEYS[7], base + 1 + 2 * n, base + 2 * n + m, 0)
redis.call('HSET', KEYS[2], 'state', 'open', 'round', ARGV[1], 'kind', ARGV[2], 'secret', ARGV[3],
  'candidates', ARGV[4], 'eligible', n, 'opened_at', ARGV[5], 'closes_at', ARGV[6])
if ARGV[9] ~= '' then redis.call('HSET', KEYS[2], 'rules', ARGV[9]) end
redis.call('SET', KEYS[1], ARGV[1])
enqueue(KEYS[8], KEYS[9], ARGV[10], ARGV[11], ARGV[12])
return 'opened'
`)

// castVoteScript records one voter's ballot, replacing their earlier one.
//
// KEYS: 1 state, 2 eligible, 3 voted, 4 contents, 5 receipts, 6 counters,
// 7 named. ARGV: 1 now (unix ms), 2 kind, 3 voter key, 4 HMAC field,
// 5 the content the caller believes is stored ("" for none), 6 the new
// content, 7 a fresh receipt, 8 the number of old counter keys, then the old
// vote's counter keys, then the new vote's.
//
// Counter keys come from Go (domain.Vote.CounterKeys), so the rule of what a
// ballot counts for lives in one place. The price is a compare-and-set: when
// the stored content is not the one the caller computed the old keys from,
// the script changes nothing and answers 'stale' with the stored content, and
// the caller tries again. Each 'stale' means another cast of the same voter
// won in between, so the retries end.
//
// Answers: {'cast', receipt, first (0/1), voted, eligible},
// {'same', receipt, voted, eligible} for a repeat of the stored vote,
// {'stale', stored}, or one word: 'not_open', 'closed', 'wrong_kind',
// 'not_eligible', 'unknown_field', 'not_candidate'.
var castVoteScript = redis.NewScript(`
local st = redis.call('HMGET', KEYS[1], 'state', 'closes_at', 'kind', 'secret', 'candidates', 'eligible')
if not st[1] then return {'not_open'} end
if st[1] == 'closed' then return {'closed'} end
if st[1] ~= 'open' then return {'not_open'} end
local closes = tonumber(st[2])
if closes > 0 and tonumber(ARGV[1]) >= closes then return {'closed'} end
if st[3] ~= ARGV[2] then return {'wrong_kind'} end
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 then return {'not_eligible'} end
local stored = redis.call('HGET', KEYS[4], ARGV[4])
if not stored then return {'unknown_field'} end
if stored == ARGV[6] then
  return {'same', redis.call('HGET', KEYS[5], ARGV[4]), redis.call('SCARD', KEYS[3]), tonumber(st[6])}
end
if stored ~= ARGV[5] then return {'stale', stored} end

local nold = tonumber(ARGV[8])
local candidates = {}
for code in string.gmatch(st[5], '[^,]+') do candidates[code] = true end
for i = 9 + nold, #ARGV do
  local key = ARGV[i]
  if key ~= 'ballots' then
    local code = string.match(key, '^[^:]+:(.+)$')
    if not code or not candidates[code] then return {'not_candidate'} end
  end
end

-- Counters back at 0 stay: deleting and re-adding one would move it to the
-- end of the hash and tell which mark came when (see openBallotScript).
for i = 9, 8 + nold do redis.call('HINCRBY', KEYS[6], ARGV[i], -1) end
for i = 9 + nold, #ARGV do redis.call('HINCRBY', KEYS[6], ARGV[i], 1) end
redis.call('HSET', KEYS[4], ARGV[4], ARGV[6])
redis.call('HSET', KEYS[5], ARGV[4], ARGV[7])
local first = redis.call('SADD', KEYS[3], ARGV[3])
if st[4] == '0' then redis.call('HSET', KEYS[7], ARGV[3], ARGV[6]) end
return {'cast', ARGV[7], first, redis.call('SCARD', KEYS[3]), tonumber(st[6])}
`)

// closeBallotScript closes an open round; only the call that finds it open
// answers 1, so only one replica sends the tally.
//
// The facts the tally needs besides the counters (present voters, scores,
// quorum) are stored and the tally job enqueued in the same step, so a
// closed round always has its tally coming, whatever fails after.
//
// KEYS: 1 state, 2 and 3 the conference's schedule. ARGV: 1 closed_at (unix
// ms), 2 the closing facts (JSON, or ""), 3-5 the effect job (id, due, body).
var closeBallotScript = redis.NewScript(enqueueLua + `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'closed' then return 0 end
if state ~= 'open' then return -1 end
redis.call('HSET', KEYS[1], 'state', 'closed', 'closed_at', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'closing', ARGV[2]) end
enqueue(KEYS[2], KEYS[3], ARGV[3], ARGV[4], ARGV[5])
return 1
`)
