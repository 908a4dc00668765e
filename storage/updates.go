package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Update claims: Telegram delivers an update again until a later getUpdates
// confirms it (and retries webhooks), and several replicas may receive it.
// A claim is a short lease, turned into a long "done" record when the update
// was handled; a crash mid-handling lets the lease lapse so the redelivery is
// handled, never lost.
const (
	updateLease  = 2 * time.Minute
	updateRecord = 48 * time.Hour // Telegram keeps unconfirmed updates for 24 h
)

// ClaimUpdate reports whether this process should handle update id: false
// when it was handled already or another process holds it.
func (s *Store) ClaimUpdate(ctx context.Context, id int64) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.key("update", strconv.FormatInt(id, 10)), "claimed", updateLease).Result()
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", id, err)
	}
	return ok, nil
}

// FinishUpdate records that update id was handled.
func (s *Store) FinishUpdate(ctx context.Context, id int64) error {
	if err := s.rdb.Set(ctx, s.key("update", strconv.FormatInt(id, 10)), "done", updateRecord).Err(); err != nil {
		return fmt.Errorf("finish update %d: %w", id, err)
	}
	return nil
}

// ReleaseUpdate gives a claim back so that a redelivery is handled again
// (after a failure that changed nothing).
func (s *Store) ReleaseUpdate(ctx context.Context, id int64) error {
	if err := s.rdb.Del(ctx, s.key("update", strconv.FormatInt(id, 10))).Err(); err != nil {
		return fmt.Errorf("release update %d: %w", id, err)
	}
	return nil
}
