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

// LiveMessage is a message the bot keeps editing (the secretary's live
// quorum counter), with a digest of what it shows now, so an edit that would
// change nothing is never sent (Telegram refuses it).
type LiveMessage struct {
	MessageID int    `json:"message_id"`
	Shown     string `json:"shown,omitempty"`
}

// SetQuorumMessage makes msg the live quorum message of chat, replacing any
// earlier one there: one live counter per secretary's chat.
func (s *Store) SetQuorumMessage(ctx context.Context, ref string, chatID int64, msg LiveMessage) error {
	if err := s.rdb.HSet(ctx, s.confKey(ref, "quorum", "messages"), strconv.FormatInt(chatID, 10), mustJSON(msg)).Err(); err != nil {
		return fmt.Errorf("set quorum message of %s: %w", ref, err)
	}
	return nil
}

// QuorumMessages returns the live quorum messages by chat id.
func (s *Store) QuorumMessages(ctx context.Context, ref string) (map[int64]LiveMessage, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "quorum", "messages")).Result()
	if err != nil {
		return nil, fmt.Errorf("load quorum messages of %s: %w", ref, err)
	}
	out := make(map[int64]LiveMessage, len(all))
	for k, v := range all {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			continue
		}
		var m LiveMessage
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, fmt.Errorf("decode quorum message of %s: %w", ref, err)
		}
		out[id] = m
	}
	return out, nil
}

// DropQuorumMessage forgets a live message that can no longer be edited.
func (s *Store) DropQuorumMessage(ctx context.Context, ref string, chatID int64) error {
	if err := s.rdb.HDel(ctx, s.confKey(ref, "quorum", "messages"), strconv.FormatInt(chatID, 10)).Err(); err != nil {
		return fmt.Errorf("drop quorum message of %s: %w", ref, err)
	}
	return nil
}

// ClaimQuorumRefresh decides, across replicas, who refreshes the live
// quorum messages after a change. It reports ok=false when a refresh is
// already waiting (it will show this change too, since it reads the state
// after it starts); otherwise the caller owns the refresh and must wait
// `wait` (what is left of the throttle since the last edit) before
// StartQuorumRefresh. The pending claim expires by itself after ttl, so a
// crashed owner never blocks refreshes for good.
func (s *Store) ClaimQuorumRefresh(ctx context.Context, ref string, ttl time.Duration) (ok bool, wait time.Duration, err error) {
	ok, err = s.rdb.SetNX(ctx, s.confKey(ref, "quorum", "pending"), "1", ttl).Result()
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("claim quorum refresh of %s: %w", ref, err)
		}
		return false, 0, err
	}
	left, err := s.rdb.PTTL(ctx, s.confKey(ref, "quorum", "throttle")).Result()
	if err != nil {
		return true, 0, fmt.Errorf("read quorum throttle of %s: %w", ref, err)
	}
	return true, max(left, 0), nil
}

// StartQuorumRefresh ends the pending claim and starts the throttle: the
// caller reads the state after this call and edits, and the next refresh
// waits every before editing again.
func (s *Store) StartQuorumRefresh(ctx context.Context, ref string, every time.Duration) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.confKey(ref, "quorum", "pending"))
		p.Set(ctx, s.confKey(ref, "quorum", "throttle"), "1", every)
		return nil
	})
	if err != nil {
		return fmt.Errorf("start quorum refresh of %s: %w", ref, err)
	}
	return nil
}

// OverrideQuorum records that a secretary lets ballots open before quorum;
// the first override is kept (first=false when one was already recorded).
func (s *Store) OverrideQuorum(ctx context.Context, ref string, o domain.QuorumOverride) (bool, error) {
	first, err := s.rdb.SetNX(ctx, s.confKey(ref, "quorum", "override"), mustJSON(o), 0).Result()
	if err != nil {
		return false, fmt.Errorf("override quorum of %s: %w", ref, err)
	}
	return first, nil
}

// QuorumOverride returns the recorded override; ok is false when there is none.
func (s *Store) QuorumOverride(ctx context.Context, ref string) (o domain.QuorumOverride, ok bool, err error) {
	raw, err := s.rdb.Get(ctx, s.confKey(ref, "quorum", "override")).Bytes()
	if isNil(err) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("load quorum override of %s: %w", ref, err)
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return o, false, fmt.Errorf("decode quorum override of %s: %w", ref, err)
	}
	return o, true, nil
}
