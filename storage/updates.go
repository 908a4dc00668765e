package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Update claims: Telegram delivers an update again until a later getUpdates
// confirms it (and retries webhooks), and several replicas may receive it.
// A claim is a short lease, renewed while the update is being handled and
// turned into a long "done" record when it was; a process that dies
// mid-handling stops renewing, the lease lapses, and the redelivery is
// handled — so an update is neither lost nor handled twice.
const (
	UpdateLease  = 20 * time.Second
	updateRecord = 48 * time.Hour // Telegram keeps unconfirmed updates for 24 h
	updateDone   = "done"
)

func (s *Store) updateKey(id int64) string { return s.key("update", strconv.FormatInt(id, 10)) }

// claimUpdate takes the lease unless the update is done or held, and says which.
var claimUpdate = redis.NewScript(`
if redis.call('SET', KEYS[1], 'claimed', 'NX', 'PX', ARGV[1]) then return 0 end
if redis.call('GET', KEYS[1]) == 'done' then return 1 end
return 2
`)

// ClaimUpdate tries to take update id for this process: taken means handle
// it now; otherwise done says it was handled already (skip it), and !done
// that another process holds it — or died holding it — so it must come
// again later rather than be confirmed.
func (s *Store) ClaimUpdate(ctx context.Context, id int64) (taken, done bool, err error) {
	n, err := claimUpdate.Run(ctx, s.rdb, []string{s.updateKey(id)}, UpdateLease.Milliseconds()).Int()
	if err != nil {
		return false, false, fmt.Errorf("claim update %d: %w", id, err)
	}
	return n == 0, n == 1, nil
}

// renewUpdate extends a lease that is still a lease (never a "done" record).
var renewUpdate = redis.NewScript(`
if redis.call('GET', KEYS[1]) == 'claimed' then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
`)

// RenewUpdate keeps the claim on update id while it is being handled.
func (s *Store) RenewUpdate(ctx context.Context, id int64) error {
	if err := renewUpdate.Run(ctx, s.rdb, []string{s.updateKey(id)}, UpdateLease.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("renew update %d: %w", id, err)
	}
	return nil
}

// FinishUpdate records that update id was handled.
func (s *Store) FinishUpdate(ctx context.Context, id int64) error {
	if err := s.rdb.Set(ctx, s.updateKey(id), updateDone, updateRecord).Err(); err != nil {
		return fmt.Errorf("finish update %d: %w", id, err)
	}
	return nil
}

// ReleaseUpdate gives a claim back so that a redelivery is handled again
// (after a failure that changed nothing).
func (s *Store) ReleaseUpdate(ctx context.Context, id int64) error {
	if err := s.rdb.Del(ctx, s.updateKey(id)).Err(); err != nil {
		return fmt.Errorf("release update %d: %w", id, err)
	}
	return nil
}
