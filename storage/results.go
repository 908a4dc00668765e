package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// SaveResult records the tally of one closed round; rounds are kept, and a
// re-tally (a chair's decision) replaces that round's result.
func (s *Store) SaveResult(ctx context.Context, ref string, r domain.Result) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode result %s: %w", r.Ballot, err)
	}
	if err := s.rdb.HSet(ctx, s.confKey(ref, "results", r.Ballot), strconv.Itoa(r.Round), raw).Err(); err != nil {
		return fmt.Errorf("save result %s/%d: %w", r.Ballot, r.Round, err)
	}
	return nil
}

// Results returns every round's result of a ballot, in round order.
func (s *Store) Results(ctx context.Context, ref, ballot string) ([]domain.Result, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "results", ballot)).Result()
	if err != nil {
		return nil, fmt.Errorf("load results of %s: %w", ballot, err)
	}
	out := make([]domain.Result, 0, len(all))
	for _, raw := range all {
		var r domain.Result
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("decode result of %s: %w", ballot, err)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Round < out[j].Round })
	return out, nil
}

// AllResults loads the results of several ballots in one round trip.
func (s *Store) AllResults(ctx context.Context, ref string, ballots []string) (map[string][]domain.Result, error) {
	cmds := make([]*redis.MapStringStringCmd, len(ballots))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, b := range ballots {
			cmds[i] = p.HGetAll(ctx, s.confKey(ref, "results", b))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load results: %w", err)
	}
	out := map[string][]domain.Result{}
	for i, b := range ballots {
		for _, raw := range cmds[i].Val() {
			var r domain.Result
			if err := json.Unmarshal([]byte(raw), &r); err != nil {
				return nil, fmt.Errorf("decode result of %s: %w", b, err)
			}
			out[b] = append(out[b], r)
		}
		sort.Slice(out[b], func(x, y int) bool { return out[b][x].Round < out[b][y].Round })
	}
	return out, nil
}
