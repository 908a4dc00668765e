package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Summary keys, under the conference's hash tag:
//
//	summaries:UNIT   list of domain.SummaryVersion JSON, oldest first, append-only

// AddSummary appends a complete version of a unit's summary and returns it
// with its version number. One RPUSH is the whole write: a version is
// either stored whole or not at all, and concurrent submissions each get
// their own number.
func (s *Store) AddSummary(ctx context.Context, ref string, v domain.SummaryVersion) (domain.SummaryVersion, error) {
	n, err := s.rdb.RPush(ctx, s.confKey(ref, "summaries", v.Unit), mustJSON(v)).Result()
	if err != nil {
		return v, fmt.Errorf("add summary of %s in %s: %w", v.Unit, ref, err)
	}
	v.Version = int(n)
	return v, nil
}

// Summaries returns every version of a unit's summary, oldest first.
func (s *Store) Summaries(ctx context.Context, ref, unit string) ([]domain.SummaryVersion, error) {
	raws, err := s.rdb.LRange(ctx, s.confKey(ref, "summaries", unit), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load summaries of %s in %s: %w", unit, ref, err)
	}
	out := make([]domain.SummaryVersion, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal([]byte(raw), &out[i]); err != nil {
			return nil, fmt.Errorf("decode summary of %s in %s: %w", unit, ref, err)
		}
		out[i].Version = i + 1
	}
	return out, nil
}

// LatestSummaries returns the latest version of each unit that has one.
func (s *Store) LatestSummaries(ctx context.Context, ref string, units []string) (map[string]domain.SummaryVersion, error) {
	last := make([]*redis.StringCmd, len(units))
	count := make([]*redis.IntCmd, len(units))
	// One slot (the hash tag), so the pipeline is one round trip on Cluster too.
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, u := range units {
			last[i] = p.LIndex(ctx, s.confKey(ref, "summaries", u), -1)
			count[i] = p.LLen(ctx, s.confKey(ref, "summaries", u))
		}
		return nil
	})
	if err != nil && !isNil(err) {
		return nil, fmt.Errorf("load latest summaries of %s: %w", ref, err)
	}
	out := map[string]domain.SummaryVersion{}
	for i, u := range units {
		raw, err := last[i].Result()
		if isNil(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load latest summary of %s in %s: %w", u, ref, err)
		}
		var v domain.SummaryVersion
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return nil, fmt.Errorf("decode summary of %s in %s: %w", u, ref, err)
		}
		v.Version = int(count[i].Val())
		out[u] = v
	}
	return out, nil
}
