package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/confbot/confbot/domain"
)

// Profile is what the bot keeps of one Telegram user across clusters.
type Profile = domain.Profile

func (s *Store) userKey(id int64, parts ...string) string {
	return s.key(append([]string{"user", strconv.FormatInt(id, 10)}, parts...)...)
}

// Profile loads a user's profile; an unknown user has an empty one.
func (s *Store) Profile(ctx context.Context, id int64) (Profile, error) {
	vals, err := s.rdb.HMGet(ctx, s.userKey(id), "lang", "active").Result()
	if err != nil {
		return Profile{}, fmt.Errorf("load profile %d: %w", id, err)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	return Profile{Lang: str(vals[0]), Active: str(vals[1])}, nil
}

// SetLang records a user's language.
func (s *Store) SetLang(ctx context.Context, id int64, lang string) error {
	if err := s.rdb.HSet(ctx, s.userKey(id), "lang", lang).Err(); err != nil {
		return fmt.Errorf("set language of %d: %w", id, err)
	}
	return nil
}

// SetActive makes ref the conference a user's commands act on.
func (s *Store) SetActive(ctx context.Context, id int64, ref string) error {
	if err := s.rdb.HSet(ctx, s.userKey(id), "active", ref).Err(); err != nil {
		return fmt.Errorf("set active conference of %d: %w", id, err)
	}
	return nil
}

// Memberships lists what a user is in every conference they belong to.
func (s *Store) Memberships(ctx context.Context, id int64) ([]Membership, error) {
	refs, err := s.rdb.SMembers(ctx, s.userKey(id, "confs")).Result()
	if err != nil {
		return nil, fmt.Errorf("list conferences of %d: %w", id, err)
	}
	sort.Strings(refs)
	var out []Membership
	for _, ref := range refs {
		raw, err := s.rdb.HGet(ctx, s.confKey(ref, "members"), strconv.FormatInt(id, 10)).Result()
		if isNil(err) {
			continue // removed by a re-import; the index is repaired lazily
		}
		if err != nil {
			return nil, fmt.Errorf("load membership of %d in %s: %w", id, ref, err)
		}
		var m Membership
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, fmt.Errorf("decode membership of %d in %s: %w", id, ref, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// AddMember binds a user to a unit and role in a conference (joining by
// invite); roles already held are kept.
func (s *Store) AddMember(ctx context.Context, id int64, m Membership) error {
	key := s.confKey(m.Ref, "members")
	field := strconv.FormatInt(id, 10)
	if raw, err := s.rdb.HGet(ctx, key, field).Result(); err == nil {
		var prev Membership
		if json.Unmarshal([]byte(raw), &prev) == nil && prev.Unit == m.Unit {
			m.Roles = mergeRoles(prev.Roles, m.Roles)
			m.Source = prev.Source
		}
	} else if !isNil(err) {
		return fmt.Errorf("load member %d of %s: %w", id, m.Ref, err)
	}
	if err := s.rdb.HSet(ctx, key, field, mustJSON(m)).Err(); err != nil {
		return fmt.Errorf("add member %d to %s: %w", id, m.Ref, err)
	}
	return s.indexMember(ctx, id, m.Ref)
}

func (s *Store) indexMember(ctx context.Context, id int64, ref string) error {
	if err := s.rdb.SAdd(ctx, s.userKey(id, "confs"), ref).Err(); err != nil {
		return fmt.Errorf("index member %d: %w", id, err)
	}
	// The latest conference joined becomes the active one unless one is set.
	if err := s.rdb.HSetNX(ctx, s.userKey(id), "active", ref).Err(); err != nil {
		return fmt.Errorf("index member %d: %w", id, err)
	}
	return nil
}

// ClaimUsername turns people the files list by @username into members when
// that user first writes; it returns the memberships gained. A claim binds
// the name to the user's Telegram id once (audited): when someone else
// writes with a name bound to another id they gain nothing, and the attempt
// is recorded for a secretary to confirm (/bind) or ignore.
//
// contests lists the attempts recorded for the first time, for the
// secretaries to be told.
func (s *Store) ClaimUsername(ctx context.Context, id int64, username string) (gained []Membership, contests []Contest, err error) {
	name := normalUsername(username)
	if name == "" {
		return nil, nil, nil
	}
	refs, err := s.rdb.SMembers(ctx, s.key("username", name)).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("look up username: %w", err)
	}
	for _, ref := range refs {
		m, ok, contest, err := s.claimIn(ctx, ref, id, name)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			gained = append(gained, m)
		}
		if contest != nil {
			contests = append(contests, *contest)
		}
	}
	return gained, contests, nil
}

// claimIn binds name to id in conference ref when the name is pending there
// and not bound to someone else.
func (s *Store) claimIn(ctx context.Context, ref string, id int64, name string) (Membership, bool, *Contest, error) {
	holder, err := s.boundTo(ctx, ref, name)
	if err != nil {
		return Membership{}, false, nil, err
	}
	if holder != 0 && holder != id {
		fresh, err := s.contest(ctx, ref, name, id, holder)
		if err != nil || !fresh {
			return Membership{}, false, nil, err
		}
		return Membership{}, false, &Contest{Ref: ref, Username: name, Holder: holder, Contender: id}, nil
	}
	raw, err := s.rdb.HGet(ctx, s.confKey(ref, "pending"), name).Result()
	if isNil(err) {
		if holder == 0 {
			_ = s.rdb.SRem(ctx, s.key("username", name), ref).Err() // no longer in the file
		}
		return Membership{}, false, nil, nil
	}
	if err != nil {
		return Membership{}, false, nil, fmt.Errorf("load pending %s: %w", ref, err)
	}
	m, err := decodeMembership(raw)
	if err != nil {
		return Membership{}, false, nil, fmt.Errorf("pending %s: %w", ref, err)
	}
	// HSETNX decides the race between two people writing with one name.
	won, err := s.rdb.HSetNX(ctx, s.confKey(ref, "bindings"), name, id).Result()
	if err != nil {
		return Membership{}, false, nil, fmt.Errorf("bind @%s in %s: %w", name, ref, err)
	}
	if !won {
		if holder, err = s.boundTo(ctx, ref, name); err != nil || holder != id {
			return Membership{}, false, nil, err
		}
	}
	if err := s.AddMember(ctx, id, m); err != nil {
		return Membership{}, false, nil, err
	}
	if err := s.rdb.HDel(ctx, s.confKey(ref, "pending"), name).Err(); err != nil {
		return Membership{}, false, nil, fmt.Errorf("clear pending %s: %w", ref, err)
	}
	if won {
		if _, err := s.AppendAudit(ctx, ref, AuditEntry{ActorID: id, ActorName: m.Name, Action: "bind",
			Detail: fmt.Sprintf("@%s → %d (%s %s)", name, id, m.Unit, rolesText(m.Roles))}); err != nil {
			return Membership{}, false, nil, err
		}
	}
	return m, true, nil, nil
}

// HasRole reports whether m holds r.
