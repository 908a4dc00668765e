package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/confbot/confbot/domain"
)

// Attendance keys, all under the conference's hash tag:
//
//	attendance          hash  user id → domain.Attendance JSON
//	present             hash  user id | "unit:CODE" → domain.Presence JSON
//	checkin             hash  open → "1"|"0", seed → hex
//	checkin:fails:UID   count of wrong codes, expiring with the window
//	quorum:messages     hash  chat id → LiveMessage JSON
//	quorum:throttle     set while an edit of the live messages is recent
//	quorum:pending      set while an edit is waiting for the throttle
//	quorum:override     domain.QuorumOverride JSON

const unitField = "unit:"

// SetAttendance records a person's answer; the same answer twice is the
// same write, so a double click changes nothing.
func (s *Store) SetAttendance(ctx context.Context, ref string, userID int64, a domain.Attendance) error {
	if err := s.rdb.HSet(ctx, s.confKey(ref, "attendance"), strconv.FormatInt(userID, 10), mustJSON(a)).Err(); err != nil {
		return fmt.Errorf("set attendance of %d in %s: %w", userID, ref, err)
	}
	return nil
}

// Attendance returns every registration by user id.
func (s *Store) Attendance(ctx context.Context, ref string) (map[int64]domain.Attendance, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "attendance")).Result()
	if err != nil {
		return nil, fmt.Errorf("load attendance of %s: %w", ref, err)
	}
	out := make(map[int64]domain.Attendance, len(all))
	for k, v := range all {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			continue
		}
		var a domain.Attendance
		if err := json.Unmarshal([]byte(v), &a); err != nil {
			return nil, fmt.Errorf("decode attendance %s of %s: %w", k, ref, err)
		}
		out[id] = a
	}
	return out, nil
}

// MarkPresent records a person present; it reports false when they already
// were (the first time is kept, so a repeated check-in changes nothing).
func (s *Store) MarkPresent(ctx context.Context, ref string, userID int64, p domain.Presence) (bool, error) {
	first, err := s.rdb.HSetNX(ctx, s.confKey(ref, "present"), strconv.FormatInt(userID, 10), mustJSON(p)).Result()
	if err != nil {
		return false, fmt.Errorf("mark %d present in %s: %w", userID, ref, err)
	}
	return first, nil
}

// MarkUnitPresent records a whole unit present (the secretary's mark).
func (s *Store) MarkUnitPresent(ctx context.Context, ref, unit string, p domain.Presence) (bool, error) {
	first, err := s.rdb.HSetNX(ctx, s.confKey(ref, "present"), unitField+unit, mustJSON(p)).Result()
	if err != nil {
		return false, fmt.Errorf("mark %s present in %s: %w", unit, ref, err)
	}
	return first, nil
}

// MarkAbsent removes the presence of the people given and, when unit is not
// empty, the unit's own mark; it reports how many marks were removed.
func (s *Store) MarkAbsent(ctx context.Context, ref string, unit string, userIDs ...int64) (int, error) {
	fields := make([]string, 0, len(userIDs)+1)
	for _, id := range userIDs {
		fields = append(fields, strconv.FormatInt(id, 10))
	}
	if unit != "" {
		fields = append(fields, unitField+unit)
	}
	if len(fields) == 0 {
		return 0, nil
	}
	n, err := s.rdb.HDel(ctx, s.confKey(ref, "present"), fields...).Result()
	if err != nil {
		return 0, fmt.Errorf("mark absent in %s: %w", ref, err)
	}
	return int(n), nil
}

// Presence returns who is present: people by user id and units marked whole.
func (s *Store) Presence(ctx context.Context, ref string) (map[int64]domain.Presence, map[string]domain.Presence, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "present")).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("load presence of %s: %w", ref, err)
	}
	people, units := map[int64]domain.Presence{}, map[string]domain.Presence{}
	for k, v := range all {
		var p domain.Presence
		if err := json.Unmarshal([]byte(v), &p); err != nil {
			return nil, nil, fmt.Errorf("decode presence %s of %s: %w", k, ref, err)
		}
		if code, ok := strings.CutPrefix(k, unitField); ok {
			units[code] = p
		} else if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			people[id] = p
		}
	}
	return people, units, nil
}

// OpenCheckin opens check-in and returns the conference's code seed, made
// once (HSETNX) so every replica and every reopening derives the same codes.
func (s *Store) OpenCheckin(ctx context.Context, ref string) ([]byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("check-in seed: %w", err)
	}
	key := s.confKey(ref, "checkin")
	if err := s.rdb.HSetNX(ctx, key, "seed", hex.EncodeToString(b[:])).Err(); err != nil {
		return nil, fmt.Errorf("open check-in of %s: %w", ref, err)
	}
	if err := s.rdb.HSet(ctx, key, "open", "1").Err(); err != nil {
		return nil, fmt.Errorf("open check-in of %s: %w", ref, err)
	}
	_, seed, err := s.Checkin(ctx, ref)
	return seed, err
}

// CloseCheckin stops codes from being accepted; marks by the secretary go on.
func (s *Store) CloseCheckin(ctx context.Context, ref string) error {
	if err := s.rdb.HSet(ctx, s.confKey(ref, "checkin"), "open", "0").Err(); err != nil {
		return fmt.Errorf("close check-in of %s: %w", ref, err)
	}
	return nil
}

// Checkin says whether check-in is open and returns the seed (nil before
// the first opening).
func (s *Store) Checkin(ctx context.Context, ref string) (bool, []byte, error) {
	vals, err := s.rdb.HMGet(ctx, s.confKey(ref, "checkin"), "open", "seed").Result()
	if err != nil {
		return false, nil, fmt.Errorf("load check-in of %s: %w", ref, err)
	}
	open, _ := vals[0].(string)
	seedHex, _ := vals[1].(string)
	seed, err := hex.DecodeString(seedHex)
	if err != nil {
		return false, nil, fmt.Errorf("decode check-in seed of %s: %w", ref, err)
	}
	if len(seed) == 0 {
		seed = nil
	}
	return open == "1", seed, nil
}

// CountCheckinFailure counts a person's wrong codes within window and
// returns the count, so guessing six digits is bounded.
func (s *Store) CountCheckinFailure(ctx context.Context, ref string, userID int64, window time.Duration) (int, error) {
	key := s.confKey(ref, "checkin", "fails", strconv.FormatInt(userID, 10))
	n, err := s.rdb.Incr(ctx, key).Result()
	if err != nil {
		return 0, fmt.Errorf("count check-in failure: %w", err)
	}
	if n == 1 {
		if err := s.rdb.PExpire(ctx, key, window).Err(); err != nil {
			return 0, fmt.Errorf("count check-in failure: %w", err)
		}
	}
	return int(n), nil
}

// CheckinFailures returns a person's wrong codes in the current window.
func (s *Store) CheckinFailures(ctx context.Context, ref string, userID int64) (int, error) {
	n, err := s.rdb.Get(ctx, s.confKey(ref, "checkin", "fails", strconv.FormatInt(userID, 10))).Int()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load check-in failures: %w", err)
	}
	return n, nil
}
