package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Username bindings, under the conference's hash tag:
//
//	bindings   hash @username → the Telegram id that claimed it first
//	contested  hash @username → the last other id that wrote with that name
//
// A binding outlives re-imports; only a secretary's /bind moves it.

// Bindings lists a conference's bound usernames.
func (s *Store) Bindings(ctx context.Context, ref string) (map[string]int64, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "bindings")).Result()
	if err != nil {
		return nil, fmt.Errorf("load bindings of %s: %w", ref, err)
	}
	out := make(map[string]int64, len(all))
	for name, v := range all {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[name] = id
		}
	}
	return out, nil
}

// Binding says who holds @name in ref (0: nobody yet) and who else last
// asked for it (0: nobody).
func (s *Store) Binding(ctx context.Context, ref, name string) (holder, contender int64, err error) {
	name = normalUsername(name)
	if holder, err = s.boundTo(ctx, ref, name); err != nil {
		return 0, 0, err
	}
	v, err := s.rdb.HGet(ctx, s.confKey(ref, "contested"), name).Result()
	if err != nil && !isNil(err) {
		return 0, 0, fmt.Errorf("load contest of @%s in %s: %w", name, ref, err)
	}
	contender, _ = strconv.ParseInt(v, 10, 64)
	return holder, contender, nil
}

func (s *Store) boundTo(ctx context.Context, ref, name string) (int64, error) {
	v, err := s.rdb.HGet(ctx, s.confKey(ref, "bindings"), name).Result()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load binding of @%s in %s: %w", name, ref, err)
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id, nil
}

// Contest is someone writing with a username the file lists that is bound
// to another Telegram id.
type Contest struct {
	Ref, Username     string
	Holder, Contender int64
}

// contest records that id wrote with a name bound to holder; fresh is true
// (and the attempt audited) the first time that id does so.
func (s *Store) contest(ctx context.Context, ref, name string, id, holder int64) (fresh bool, err error) {
	prev, err := s.rdb.HGet(ctx, s.confKey(ref, "contested"), name).Result()
	if err != nil && !isNil(err) {
		return false, fmt.Errorf("load contest of @%s in %s: %w", name, ref, err)
	}
	if prev == strconv.FormatInt(id, 10) {
		return false, nil
	}
	if err := s.rdb.HSet(ctx, s.confKey(ref, "contested"), name, id).Err(); err != nil {
		return false, fmt.Errorf("record contest of @%s in %s: %w", name, ref, err)
	}
	_, err = s.AppendAudit(ctx, ref, AuditEntry{ActorID: id, Action: "bind.contested",
		Detail: fmt.Sprintf("@%s is bound to %d; %d asked", name, holder, id)})
	return err == nil, err
}

// Rebind moves @name in ref to the Telegram id to (a secretary confirmed
// that the file means them): the file's membership leaves the old holder
// (or the pending claim) and goes to to. It returns the old holder (0 when
// the name was still pending) and the membership moved; domain.ErrNotFound
// when the file does not list the name.
func (s *Store) Rebind(ctx context.Context, ref, name string, to int64) (int64, Membership, error) {
	name = normalUsername(name)
	holder, err := s.boundTo(ctx, ref, name)
	if err != nil {
		return 0, Membership{}, err
	}
	raw, err := s.rdb.HGet(ctx, s.confKey(ref, "pending"), name).Result()
	if holder != 0 && isNil(err) {
		raw, err = s.rdb.HGet(ctx, s.confKey(ref, "members"), strconv.FormatInt(holder, 10)).Result()
	}
	if isNil(err) {
		return 0, Membership{}, fmt.Errorf("@%s in %s: %w", name, ref, domain.ErrNotFound)
	}
	if err != nil {
		return 0, Membership{}, fmt.Errorf("load @%s in %s: %w", name, ref, err)
	}
	m, err := decodeMembership(raw)
	if err != nil {
		return 0, Membership{}, err
	}
	m.Source = SourceFile
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.confKey(ref, "bindings"), name, to)
		p.HDel(ctx, s.confKey(ref, "contested"), name)
		p.HDel(ctx, s.confKey(ref, "pending"), name)
		if holder != 0 && holder != to {
			p.HDel(ctx, s.confKey(ref, "members"), strconv.FormatInt(holder, 10))
		}
		p.HSet(ctx, s.confKey(ref, "members"), strconv.FormatInt(to, 10), mustJSON(m))
		return nil
	})
	if err != nil {
		return 0, Membership{}, fmt.Errorf("rebind @%s in %s: %w", name, ref, err)
	}
	if holder != 0 && holder != to {
		if err := s.rdb.SRem(ctx, s.userKey(holder, "confs"), ref).Err(); err != nil {
			return 0, Membership{}, fmt.Errorf("unindex member %d: %w", holder, err)
		}
	}
	return holder, m, s.indexMember(ctx, to, ref)
}

func normalUsername(name string) string { return strings.ToLower(strings.TrimPrefix(name, "@")) }

func rolesText(roles []domain.Role) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

func decodeMembership(raw string) (Membership, error) {
	var m Membership
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return Membership{}, fmt.Errorf("decode membership: %w", err)
	}
	return m, nil
}
