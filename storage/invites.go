package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/domain"
)

// Invite is a stored invite: the token itself is never stored, only its hash.
type Invite struct {
	Ref       string
	Unit      string
	Role      domain.Role
	UsesLeft  int
	ExpiresAt time.Time
}

// inviteKeep keeps a spent or expired invite a while so that its owner is
// told "expired" or "used" rather than "invalid".
const inviteKeep = 7 * 24 * time.Hour

func (s *Store) inviteKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return s.key("invite", hex.EncodeToString(sum[:]))
}

// SaveInvite stores an invite under the hash of token.
func (s *Store) SaveInvite(ctx context.Context, token string, inv Invite) error {
	key := s.inviteKey(token)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "ref", inv.Ref, "unit", inv.Unit, "role", string(inv.Role),
			"uses", inv.UsesLeft, "expires", inv.ExpiresAt.Unix())
		// A TTL relative to our clock, not Redis's: tests and the playground
		// run on a simulated clock.
		p.Expire(ctx, key, inv.ExpiresAt.Sub(s.now())+inviteKeep)
		return nil
	})
	if err != nil {
		return fmt.Errorf("save invite: %w", err)
	}
	return nil
}

// LookupInvite reads an invite without using it.
func (s *Store) LookupInvite(ctx context.Context, token string) (Invite, error) {
	vals, err := s.rdb.HGetAll(ctx, s.inviteKey(token)).Result()
	if err != nil {
		return Invite{}, fmt.Errorf("load invite: %w", err)
	}
	if len(vals) == 0 {
		return Invite{}, fmt.Errorf("invite: %w", domain.ErrNotFound)
	}
	uses, _ := strconv.Atoi(vals["uses"])
	exp, _ := strconv.ParseInt(vals["expires"], 10, 64)
	return Invite{Ref: vals["ref"], Unit: vals["unit"], Role: domain.Role(vals["role"]), UsesLeft: uses, ExpiresAt: time.Unix(exp, 0)}, nil
}

// useInvite spends one use atomically: two people racing for the last use
// cannot both get it.
var useInvite = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if tonumber(redis.call('HGET', KEYS[1], 'expires')) <= tonumber(ARGV[1]) then return 'expired' end
if tonumber(redis.call('HGET', KEYS[1], 'uses')) <= 0 then return 'used' end
redis.call('HINCRBY', KEYS[1], 'uses', -1)
return 'ok'
`)

// Invite use outcomes.
var (
	ErrInviteExpired = fmt.Errorf("invite expired: %w", domain.ErrForbidden)
	ErrInviteUsed    = fmt.Errorf("invite used up: %w", domain.ErrForbidden)
)

// UseInvite spends one use of token, or says why it cannot.
func (s *Store) UseInvite(ctx context.Context, token string) error {
	res, err := useInvite.Run(ctx, s.rdb, []string{s.inviteKey(token)}, s.now().Unix()).Text()
	if err != nil {
		return fmt.Errorf("use invite: %w", err)
	}
	switch res {
	case "ok":
		return nil
	case "expired":
		return ErrInviteExpired
	case "used":
		return ErrInviteUsed
	}
	return fmt.Errorf("invite: %w", domain.ErrNotFound)
}
