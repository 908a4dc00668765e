package storage

import (
	"context"
	"fmt"
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
// it holds that chat's lease, which keeps one chat's updates in order. Every
// inbox key is in the {inbox} hash tag, so the scripts work on Redis Cluster.

// InboxLease is how long a chat's lease lasts unrenewed.
const InboxLease = 20 * time.Second

func (s *Store) inboxKey(parts ...string) string {
	return s.prefix + ":{inbox}:" + strings.Join(parts, ":")
}

func (s *Store) inboxChat(chat int64) string {
	return s.inboxKey("chat", strconv.FormatInt(chat, 10))
}

// pushChat appends ARGV[2..] to the chat's list and marks the chat ready.
var pushChat = redis.NewScript(`
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('SADD', KEYS[2], ARGV[1])
return #ARGV - 1
`)

// PushInbox appends updates to chat's list, in one step; the poller
// confirms them to Telegram after it, so it is an acknowledged write.
func (s *Store) PushInbox(ctx context.Context, chat int64, items ...[]byte) error {
	if len(items) == 0 {
		return nil
	}
	args := make([]any, 0, len(items)+1)
	args = append(args, strconv.FormatInt(chat, 10))
	for _, it := range items {
		args = append(args, it)
	}
	if err := s.evalDurable(ctx, pushChat, []string{s.inboxChat(chat), s.inboxKey("ready")}, args...).Err(); err != nil {
		return fmt.Errorf("push %d updates of chat %d to the inbox: %w", len(items), chat, err)
	}
	return nil
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

// leaseChat takes the chat's lease for ARGV[1], or renews it when ARGV[1]
// already holds it.
var leaseChat = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

// LeaseInboxChat takes (or renews) the right to drain chat for owner.
func (s *Store) LeaseInboxChat(ctx context.Context, chat int64, owner string) (bool, error) {
	n, err := leaseChat.Run(ctx, s.rdb, []string{s.inboxKey("lease", strconv.FormatInt(chat, 10))},
		owner, InboxLease.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("lease inbox chat %d: %w", chat, err)
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
	if err := releaseChat.Run(ctx, s.rdb, []string{s.inboxKey("lease", strconv.FormatInt(chat, 10))}, owner).Err(); err != nil {
		return fmt.Errorf("release inbox chat %d: %w", chat, err)
	}
	return nil
}

// PeekInbox returns the oldest update waiting in chat, or nil when none is.
func (s *Store) PeekInbox(ctx context.Context, chat int64) ([]byte, error) {
	data, err := s.rdb.LIndex(ctx, s.inboxChat(chat), 0).Bytes()
	if isNil(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("peek inbox chat %d: %w", chat, err)
	}
	return data, nil
}

// popChat removes the head when it is still ARGV[1] (a second drainer whose
// lease lapsed cannot pop someone else's head), and takes the chat off the
// ready set once its list is empty — in one step, so a push in between is
// never forgotten.
var popChat = redis.NewScript(`
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
local n = redis.call('LLEN', KEYS[1])
if n == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return n
`)

// PopInbox removes data from the head of chat's list and returns how many
// updates are left there.
func (s *Store) PopInbox(ctx context.Context, chat int64, data []byte) (int, error) {
	id := strconv.FormatInt(chat, 10)
	n, err := popChat.Run(ctx, s.rdb, []string{s.inboxChat(chat), s.inboxKey("ready")}, data, id).Int()
	if err != nil {
		return 0, fmt.Errorf("pop inbox chat %d: %w", chat, err)
	}
	return n, nil
}
