package storage

import (
	"context"
	"fmt"
	"strconv"
)

// SetAuthorized records whether a delegate may cast their unit's ballot
// (voters: unit) on the head's behalf.
func (s *Store) SetAuthorized(ctx context.Context, ref, unit string, userID int64, on bool) error {
	key, field := s.confKey(ref, "authorized"), strconv.FormatInt(userID, 10)
	var err error
	if on {
		err = s.rdb.HSet(ctx, key, field, unit).Err()
	} else {
		err = s.rdb.HDel(ctx, key, field).Err()
	}
	if err != nil {
		return fmt.Errorf("authorize %d in %s: %w", userID, ref, err)
	}
	return nil
}

// Authorized lists the delegates authorised to cast their unit's ballot:
// user id → unit.
func (s *Store) Authorized(ctx context.Context, ref string) (map[int64]string, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "authorized")).Result()
	if err != nil {
		return nil, fmt.Errorf("load authorised delegates of %s: %w", ref, err)
	}
	out := make(map[int64]string, len(all))
	for k, unit := range all {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			out[id] = unit
		}
	}
	return out, nil
}
