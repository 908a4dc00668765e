package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/confbot/confbot/domain"
)

// Conversation keys, outside any conference (a person has one at a time):
//
//	conv:UID         the open conversation's state (JSON the handlers own), with a TTL
//	once:UID:DATA    a button press being handled, for a few seconds

// SaveConversation stores a person's conversation state; it ends by itself
// after ttl without a next step (an abandoned conversation times out).
func (s *Store) SaveConversation(ctx context.Context, userID int64, state []byte, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.key("conv", strconv.FormatInt(userID, 10)), state, ttl).Err(); err != nil {
		return fmt.Errorf("save conversation of %d: %w", userID, err)
	}
	return nil
}

// Conversation loads a person's open conversation; domain.ErrNotFound when
// there is none (never started, finished, cancelled or timed out).
func (s *Store) Conversation(ctx context.Context, userID int64) ([]byte, error) {
	raw, err := s.rdb.Get(ctx, s.key("conv", strconv.FormatInt(userID, 10))).Bytes()
	if isNil(err) {
		return nil, fmt.Errorf("conversation of %d: %w", userID, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load conversation of %d: %w", userID, err)
	}
	return raw, nil
}

// EndConversation deletes a person's conversation; it reports whether one was open.
func (s *Store) EndConversation(ctx context.Context, userID int64) (bool, error) {
	n, err := s.rdb.Del(ctx, s.key("conv", strconv.FormatInt(userID, 10))).Result()
	if err != nil {
		return false, fmt.Errorf("end conversation of %d: %w", userID, err)
	}
	return n > 0, nil
}

// ClaimPress lets one press of a button through within ttl: a double click
// arrives as two callback queries, and actions that send something (a
// document) must not run twice.
func (s *Store) ClaimPress(ctx context.Context, userID int64, data string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.key("once", strconv.FormatInt(userID, 10), data), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("claim button press: %w", err)
	}
	return ok, nil
}
