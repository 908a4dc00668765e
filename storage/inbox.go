package storage

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The inbox holds updates that were confirmed to Telegram but not yet
// handled: one list per chat, in arrival order, and a set of the chats that
// have something waiting. The poller (or the webhook) pushes and confirms at
// once, so one chat's backlog never holds up the offset; a crash loses
// nothing because what was confirmed is here. Any replica drains a chat once
// it holds that chat's lease, which keeps one chat's updates in order and
// handled by one process at a time. Every inbox key is in the {inbox} hash
// tag, so the scripts work on Redis Cluster.
//
// The scripts are shaped for the hot path: the push that stores a chat's
// updates also takes its lease and hands them back to be handled, and the
// step that finishes an update (records it done, takes it off the list)
// also renews the lease, or hands back what came meanwhile, or releases the
// chat — so a lone update costs the inbox one round trip of its own.
//
// Entries are JSON objects that begin with `{"id":N` (N the update_id), so
// the scripts can read an entry's update id; the "done" sorted set records
// the updates handled in the last UpdateRecord (Telegram may deliver one
// again until it is confirmed, and keeps it for 24 h), so a duplicate is
// skipped.

// InboxLease is how long a chat's lease lasts unrenewed.
const InboxLease = 20 * time.Second

// UpdateRecord is how long a handled update is remembered as done.
const UpdateRecord = 48 * time.Hour

// InboxWindow is how many waiting updates of a chat one call hands back.
const InboxWindow = 16

// InboxItem is one stored update: its entry as pushed, its update id, and
// whether it was handled already (a duplicate to skip).
type InboxItem struct {
	ID   int64
	Data []byte
	Done bool
}

// InboxPush is what one chat gets in a push: entries in order.
type InboxPush struct {
	Chat    int64
	Entries [][]byte
}

// Lease states a push reports per chat.
const (
	InboxLeaseOther = 0 // another replica drains the chat
	InboxLeaseTaken = 1 // this call took the lease: handle the items
	InboxLeaseOwn   = 2 // this owner already drains it: the drainer finds them
)

// InboxTaken is one chat's answer to a push.
type InboxTaken struct {
	Chat  int64
	Lease int
	Items []InboxItem // when Lease is InboxLeaseTaken: the chat's first waiting updates
}

var entryID = regexp.MustCompile(`^\{"id":(-?\d+)`)

// EntryID reads the update id an inbox entry begins with.
func EntryID(entry []byte) (int64, bool) {
	m := entryID.FindSubmatch(entry)
	if m == nil {
		return 0, false
	}
	id, err := strconv.ParseInt(string(m[1]), 10, 64)
	return id, err == nil
}

func (s *Store) inboxKey(parts ...string) string {
	return s.prefix + ":{inbox}:" + strings.Join(parts, ":")
}

func (s *Store) inboxChat(chat int64) string {
	return s.inboxKey("chat", strconv.FormatInt(chat, 10))
}

func (s *Store) inboxLease(chat int64) string {
	return s.inboxKey("lease", strconv.FormatInt(chat, 10))
}

// inboxWindowLua reads the first max entries of a list, each with 1 when
// its update is in the done set: {flag, entry, flag, entry, …} after head.
const inboxWindowLua = `
local function window(head, list, done, max)
  local out = {head}
  for _, e in ipairs(redis.call('LRANGE', list, 0, max - 1)) do
    local id = string.match(e, '^{"id":(%-?%d+)')
    local d = 0
    if id and redis.call('ZSCORE', done, id) then d = 1 end
    out[#out + 1] = d
    out[#out + 1] = e
  end
  return out
end
`

// pushInboxScript appends each chat's entries, marks it ready, and takes
// its lease when nobody holds it (answering the chat's first entries).
//
// KEYS: 1 ready, 2 done, then per chat its list and its lease.
// ARGV: 1 owner, 2 lease ms, 3 window, then per chat: chat id, n, n entries.
// Answers one array per chat: {0} another holds it, {2} owner holds it,
// {1, flag, entry, …} taken now.
var pushInboxScript = redis.NewScript(inboxWindowLua + `
local owner, lease, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out, a = {}, 4
for c = 1, (#KEYS - 2) / 2 do
  local list, lk = KEYS[1 + 2 * c], KEYS[2 + 2 * c]
  local chat, n = ARGV[a], tonumber(ARGV[a + 1])
  for i = a + 2, a + 1 + n, 1000 do
    redis.call('RPUSH', list, unpack(ARGV, i, math.min(i + 999, a + 1 + n)))
  end
  a = a + 2 + n
  redis.call('SADD', KEYS[1], chat)
  local cur = redis.call('GET', lk)
  if not cur then
    redis.call('SET', lk, owner, 'PX', lease)
    out[c] = window(1, list, KEYS[2], max)
  elseif cur == owner then
    out[c] = {2}
  else
    out[c] = {0}
  end
end
return out
`)

// PushInbox appends updates to their chats' lists in one step, and takes
// the lease of each chat nobody drains, for owner. The poller confirms the
// updates to Telegram after it, so it is an acknowledged write.
func (s *Store) PushInbox(ctx context.Context, owner string, pushes []InboxPush) ([]InboxTaken, error) {
	keys := []string{s.inboxKey("ready"), s.inboxKey("done")}
	args := []any{owner, s.leaseFor.Milliseconds(), InboxWindow}
	var chats []int64
	for _, p := range pushes {
		if len(p.Entries) == 0 {
			continue
		}
		chats = append(chats, p.Chat)
		keys = append(keys, s.inboxChat(p.Chat), s.inboxLease(p.Chat))
		args = append(args, strconv.FormatInt(p.Chat, 10), len(p.Entries))
		for _, e := range p.Entries {
			args = append(args, e)
		}
	}
	if len(chats) == 0 {
		return nil, nil
	}
	res, err := s.evalDurable(ctx, pushInboxScript, keys, args...).Slice()
	if err != nil {
		return nil, fmt.Errorf("push updates of %d chats to the inbox: %w", len(chats), err)
	}
	out := make([]InboxTaken, len(chats))
	for i, chat := range chats {
		out[i].Chat = chat
		if i >= len(res) {
			continue
		}
		arr, _ := res[i].([]any)
		out[i].Lease, out[i].Items = decodeWindow(arr)
	}
	return out, nil
}

// decodeWindow reads {head, flag, entry, …}.
func decodeWindow(arr []any) (head int, items []InboxItem) {
	if len(arr) == 0 {
		return 0, nil
	}
	h, _ := arr[0].(int64)
	for i := 1; i+1 < len(arr); i += 2 {
		flag, _ := arr[i].(int64)
		entry, _ := arr[i+1].(string)
		id, _ := EntryID([]byte(entry))
		items = append(items, InboxItem{ID: id, Data: []byte(entry), Done: flag == 1})
	}
	return int(h), items
}

// InboxChats lists the chats with updates waiting.
func (s *Store) InboxChats(ctx context.Context) ([]int64, error) {
	raw, err := s.rdb.SMembers(ctx, s.inboxKey("ready")).Result()
	if err != nil {
		return nil, fmt.Errorf("list inbox chats: %w", err)
	}
	chats := make([]int64, 0, len(raw))
	for _, r := range raw {
		if c, err := strconv.ParseInt(r, 10, 64); err == nil {
			chats = append(chats, c)
		}
	}
	return chats, nil
}

// leaseInboxScript takes the chat's lease for ARGV[1] (or renews it when
// ARGV[1] holds it) and answers the chat's first entries.
//
// KEYS: 1 list, 2 lease, 3 done. ARGV: 1 owner, 2 lease ms, 3 window.
var leaseInboxScript = redis.NewScript(inboxWindowLua + `
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= ARGV[1] then return {0} end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return window(1, KEYS[1], KEYS[3], tonumber(ARGV[3]))
`)

// LeaseInbox takes (or renews) the right to drain chat for owner, and
// returns the first updates waiting there.
func (s *Store) LeaseInbox(ctx context.Context, chat int64, owner string) (bool, []InboxItem, error) {
	arr, err := leaseInboxScript.Run(ctx, s.rdb, []string{s.inboxChat(chat), s.inboxLease(chat), s.inboxKey("done")},
		owner, s.leaseFor.Milliseconds(), InboxWindow).Slice()
	if err != nil {
		return false, nil, fmt.Errorf("lease inbox chat %d: %w", chat, err)
	}
	head, items := decodeWindow(arr)
	return head == 1, items, nil
}

// renewLeaseScript renews the lease ARGV[1] holds.
var renewLeaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

// RenewInboxLease keeps owner's lease on chat; false when it was lost.
func (s *Store) RenewInboxLease(ctx context.Context, chat int64, owner string) (bool, error) {
	n, err := renewLeaseScript.Run(ctx, s.rdb, []string{s.inboxLease(chat)}, owner, s.leaseFor.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("renew inbox lease of chat %d: %w", chat, err)
	}
	return n == 1, nil
}

// releaseChat gives the lease back when ARGV[1] still holds it.
var releaseChat = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// ReleaseInboxChat gives chat's lease back.
func (s *Store) ReleaseInboxChat(ctx context.Context, chat int64, owner string) error {
	if err := releaseChat.Run(ctx, s.rdb, []string{s.inboxLease(chat)}, owner).Err(); err != nil {
		return fmt.Errorf("release inbox chat %d: %w", chat, err)
	}
	return nil
}

// finishInboxScript records an update as handled and takes it off its
// chat's list (when it is still the head: a drainer whose lease lapsed
// cannot pop someone else's). Then, for the lease's holder: with "more",
// it answers the next entries, or — the list empty — releases the chat;
// without, it renews the lease. An empty list leaves the ready set in the
// same step, so a push in between is never forgotten.
//
// KEYS: 1 list, 2 ready, 3 lease, 4 done. ARGV: 1 owner, 2 entry, 3 update
// id, 4 now (ms), 5 lease ms, 6 "1" more / "0", 7 window, 8 chat id,
// 9 how long done records are kept (ms).
var finishInboxScript = redis.NewScript(inboxWindowLua + `
local now = tonumber(ARGV[4])
redis.call('ZADD', KEYS[4], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. (now - tonumber(ARGV[9])))
if redis.call('LINDEX', KEYS[1], 0) == ARGV[2] then redis.call('LPOP', KEYS[1]) end
local own = redis.call('GET', KEYS[3]) == ARGV[1]
local empty = redis.call('LLEN', KEYS[1]) == 0
if empty then redis.call('SREM', KEYS[2], ARGV[8]) end
if not own then return {0} end
if empty then
  redis.call('DEL', KEYS[3])
  return {0}
end
redis.call('PEXPIRE', KEYS[3], ARGV[5])
if ARGV[6] == '1' then return window(1, KEYS[1], KEYS[4], tonumber(ARGV[7])) end
return {1}
`)

// FinishInbox records item as handled and takes it off chat's list. With
// more (the drainer has nothing else in hand) it returns the next updates
// waiting; held is false once owner no longer drains the chat (nothing
// waits, and the lease was released; or another replica has it).
func (s *Store) FinishInbox(ctx context.Context, chat int64, owner string, item InboxItem, more bool) (next []InboxItem, held bool, err error) {
	flag := "0"
	if more {
		flag = "1"
	}
	arr, err := s.evalDurable(ctx, finishInboxScript,
		[]string{s.inboxChat(chat), s.inboxKey("ready"), s.inboxLease(chat), s.inboxKey("done")},
		owner, item.Data, item.ID, s.now().UnixMilli(), s.leaseFor.Milliseconds(), flag, InboxWindow,
		strconv.FormatInt(chat, 10), UpdateRecord.Milliseconds()).Slice()
	if err != nil {
		return nil, false, fmt.Errorf("finish update %d of chat %d: %w", item.ID, chat, err)
	}
	head, items := decodeWindow(arr)
	return items, head == 1, nil
}
