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

// Membership is what one person is in one conference (domain.Membership).
type Membership = domain.Membership

// Membership sources.
const (
	SourceFile   = domain.SourceFile
	SourceInvite = domain.SourceInvite
)

// Conference loads a conference by ref.
func (s *Store) Conference(ctx context.Context, ref string) (*domain.Conference, error) {
	// Every write of a conference bumps its version: one small GET tells
	// whether the decoded copy this process holds is still current, so the
	// document (with its people list) is decoded once per change, not once
	// per command.
	v, err := s.ConferenceVersion(ctx, ref)
	if err != nil {
		return nil, err
	}
	if c, ok := s.confs.get(ref, v); ok {
		return c, nil
	}
	vals, err := s.rdb.MGet(withoutReadAhead(ctx), s.confKey(ref, "version"), s.confKey(ref, "conf")).Result()
	if err != nil {
		return nil, fmt.Errorf("load conference %s: %w", ref, err)
	}
	raw, ok := vals[1].(string)
	if !ok {
		return nil, fmt.Errorf("conference %s: %w", ref, domain.ErrNotFound)
	}
	var c domain.Conference
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("decode conference %s: %w", ref, err)
	}
	if vs, ok := vals[0].(string); ok {
		if v, err := strconv.ParseInt(vs, 10, 64); err == nil {
			s.confs.put(ref, v, &c)
		}
	}
	return cloneConference(&c), nil
}

// Conferences lists every conference's ref, sorted.
func (s *Store) Conferences(ctx context.Context) ([]string, error) {
	refs, err := s.rdb.SMembers(ctx, s.key("conferences")).Result()
	if err != nil {
		return nil, fmt.Errorf("list conferences: %w", err)
	}
	sort.Strings(refs)
	return refs, nil
}

// SaveConference writes the conference and the people the file lists: those
// with an id become members at once, those known only by @username wait for
// their first message. File-listed members no longer in the file are removed.
func (s *Store) SaveConference(ctx context.Context, c *domain.Conference) error {
	ref := c.Ref()
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode conference %s: %w", ref, err)
	}
	old, err := s.Members(ctx, ref)
	if err != nil {
		return err
	}
	bound, err := s.Bindings(ctx, ref)
	if err != nil {
		return err
	}
	members := map[int64]Membership{}
	pending := map[string]Membership{}
	usernames := map[string]bool{}
	for _, p := range c.People {
		m := Membership{Ref: ref, Name: p.Name, Unit: p.Unit, Roles: p.Roles, Source: SourceFile}
		switch {
		case p.TelegramID != 0:
			members[p.TelegramID] = m
		case bound[p.Username] != 0:
			// A username claim binds once: a re-import keeps the person
			// who took it, whatever their username is now.
			members[bound[p.Username]] = m
			usernames[p.Username] = true
		default:
			pending[p.Username] = m
			usernames[p.Username] = true
		}
	}
	var gone []int64
	for id, m := range old {
		if _, kept := members[id]; !kept && m.Source == SourceFile {
			gone = append(gone, id)
		}
	}

	// The conference's own keys change together (one slot, one transaction).
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.confKey(ref, "conf"), raw, 0)
		p.Incr(ctx, s.confKey(ref, "version"))
		for _, id := range gone {
			p.HDel(ctx, s.confKey(ref, "members"), strconv.FormatInt(id, 10))
		}
		for id, m := range members {
			if prev, ok := old[id]; ok && prev.Source == SourceInvite {
				m.Roles = mergeRoles(prev.Roles, m.Roles)
			}
			p.HSet(ctx, s.confKey(ref, "members"), strconv.FormatInt(id, 10), mustJSON(m))
		}
		p.Del(ctx, s.confKey(ref, "pending"))
		for name, m := range pending {
			p.HSet(ctx, s.confKey(ref, "pending"), name, mustJSON(m))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save conference %s: %w", ref, err)
	}
	// Indexes outside the conference's slot: each command is idempotent, so a
	// retry after a failure here converges.
	if err := s.rdb.SAdd(ctx, s.key("conferences"), ref).Err(); err != nil {
		return fmt.Errorf("index conference %s: %w", ref, err)
	}
	for _, id := range gone {
		if err := s.rdb.SRem(ctx, s.userKey(id, "confs"), ref).Err(); err != nil {
			return fmt.Errorf("unindex member %d: %w", id, err)
		}
	}
	for id := range members {
		if err := s.indexMember(ctx, id, ref); err != nil {
			return err
		}
	}
	// Bound names stay indexed, so that someone else taking the name later
	// is noticed (and held until a secretary confirms).
	for name := range usernames {
		if err := s.rdb.SAdd(ctx, s.key("username", name), ref).Err(); err != nil {
			return fmt.Errorf("index username: %w", err)
		}
	}
	return nil
}

// UpdateConference changes a stored conference with f under optimistic
// locking: f sees the current version and may refuse with an error.
func (s *Store) UpdateConference(ctx context.Context, ref string, f func(*domain.Conference) error) (*domain.Conference, error) {
	key := s.confKey(ref, "conf")
	var out *domain.Conference
	for attempt := 0; attempt < 10; attempt++ {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			raw, err := tx.Get(ctx, key).Bytes()
			if isNil(err) {
				return fmt.Errorf("conference %s: %w", ref, domain.ErrNotFound)
			}
			if err != nil {
				return err
			}
			var c domain.Conference
			if err := json.Unmarshal(raw, &c); err != nil {
				return fmt.Errorf("decode conference %s: %w", ref, err)
			}
			if err := f(&c); err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, key, mustJSON(&c), 0)
				p.Incr(ctx, s.confKey(ref, "version"))
				return nil
			})
			out = &c
			return err
		}, key)
		if err == redis.TxFailedErr {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("update conference %s: %w", ref, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("update conference %s: %w: too much contention", ref, domain.ErrConflict)
}

// Members returns a conference's members by Telegram user id.
func (s *Store) Members(ctx context.Context, ref string) (map[int64]Membership, error) {
	all, err := s.rdb.HGetAll(ctx, s.confKey(ref, "members")).Result()
	if err != nil {
		return nil, fmt.Errorf("load members of %s: %w", ref, err)
	}
	out := make(map[int64]Membership, len(all))
	for k, v := range all {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			continue
		}
		var m Membership
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, fmt.Errorf("decode member %s of %s: %w", k, ref, err)
		}
		out[id] = m
	}
	return out, nil
}

func mergeRoles(a, b []domain.Role) []domain.Role {
	out := append([]domain.Role(nil), a...)
	for _, r := range b {
		if !hasRole(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func hasRole(rs []domain.Role, r domain.Role) bool {
	for _, have := range rs {
		if have == r {
			return true
		}
	}
	return false
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("storage: encode %T: %v", v, err)) // only plain structs reach here
	}
	return b
}

// ConferenceVersion counts the imports of a conference: what depends on the
// file (the reminder schedule) compares it with the version it last saw.
func (s *Store) ConferenceVersion(ctx context.Context, ref string) (int64, error) {
	v, err := s.rdb.Get(ctx, s.confKey(ref, "version")).Int64()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("conference version %s: %w", ref, err)
	}
	return v, nil
}

// SeenVersion returns the conference version a follower (name) last handled.
func (s *Store) SeenVersion(ctx context.Context, ref, name string) (int64, error) {
	v, err := s.rdb.Get(ctx, s.confKey(ref, "seen", name)).Int64()
	if isNil(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("seen version %s/%s: %w", ref, name, err)
	}
	return v, nil
}

// SetSeenVersion records that a follower handled version v.
func (s *Store) SetSeenVersion(ctx context.Context, ref, name string, v int64) error {
	if err := s.rdb.Set(ctx, s.confKey(ref, "seen", name), v, 0).Err(); err != nil {
		return fmt.Errorf("set seen version %s/%s: %w", ref, name, err)
	}
	return nil
}
