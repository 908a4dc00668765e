// Package setup sets conferences up: importing a conference file, inviting
// people and binding them to a unit. The CLI (`confbot import`, `confbot
// invite`) and the chat (/import, /invite, /start TOKEN) share these paths.
package setup

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
)

// Store is what setup needs of storage (*storage.Store satisfies it).
type Store interface {
	Conference(ctx context.Context, ref string) (*domain.Conference, error)
	SaveConference(ctx context.Context, c *domain.Conference) error
	SaveInvite(ctx context.Context, token string, inv storage.Invite) error
	LookupInvite(ctx context.Context, token string) (storage.Invite, error)
	UseInvite(ctx context.Context, token string) error
	AddMember(ctx context.Context, id int64, m domain.Membership) error
	SetActive(ctx context.Context, id int64, ref string) error
}

var _ Store = (*storage.Store)(nil)

// Defaults of an invite (SPEC F2).
const (
	DefaultInviteTTL  = 7 * 24 * time.Hour
	DefaultInviteUses = 1
	tokenBytes        = 16 // 128 bits: unguessable
)

// Errors a person is told about.
var (
	ErrInSession   = fmt.Errorf("conference is in session or later: %w", domain.ErrConflict)
	ErrUnitGone    = fmt.Errorf("the invite's unit no longer exists: %w", domain.ErrNotFound)
	ErrUnknownUnit = fmt.Errorf("unknown unit: %w", domain.ErrInvalid)
	ErrBadRole     = fmt.Errorf("role not allowed for this unit: %w", domain.ErrInvalid)
	ErrClosed      = fmt.Errorf("the conference has ended: %w", domain.ErrConflict)
)

// Service sets conferences up.
type Service struct {
	store       Store
	botUsername string
	now         func() time.Time
}

// New builds a Service; botUsername makes the t.me deep links.
func New(store Store, botUsername string, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, botUsername: botUsername, now: now}
}

// ImportResult says what an import did.
type ImportResult struct {
	Conference *domain.Conference
	Created    bool     // a conference new to the bot
	Changes    []string // what changed in an existing one; empty when unchanged
}

// Import parses a conference file (YAML or a workbook) and stores it: a new conference is a
// draft, an unchanged one is left alone, a changed draft or open one is
// updated, and one in session or later is refused. A file with errors
// returns *conffile.Errors listing them all, and nothing is stored.
func (s *Service) Import(ctx context.Context, data []byte) (ImportResult, error) {
	res, err := s.Check(ctx, data)
	if err != nil || (!res.Created && len(res.Changes) == 0) {
		return res, err
	}
	c := res.Conference
	if err := s.store.SaveConference(ctx, c); err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", c.Ref(), err)
	}
	return res, nil
}

// Invitation is a fresh invite and its deep link.
type Invitation struct {
	Link   string
	Invite storage.Invite
}

// Invite makes a deep link that binds whoever opens it to unit and role.
func (s *Service) Invite(ctx context.Context, ref, unit string, role domain.Role, uses int, ttl time.Duration) (Invitation, error) {
	c, err := s.store.Conference(ctx, ref)
	if err != nil {
		return Invitation{}, err
	}
	if role == "" {
		role = domain.RoleDelegate
	}
	unit = c.CodeOf(unit) // typed as nd, ND or NĐ
	if err := checkRole(c, unit, role); err != nil {
		return Invitation{}, err
	}
	if uses <= 0 {
		uses = DefaultInviteUses
	}
	if ttl <= 0 {
		ttl = DefaultInviteTTL
	}
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Invitation{}, fmt.Errorf("make invite token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:]) // 22 characters of A-Za-z0-9_-
	inv := storage.Invite{Ref: ref, Unit: unit, Role: role, UsesLeft: uses, ExpiresAt: s.now().Add(ttl)}
	if err := s.store.SaveInvite(ctx, token, inv); err != nil {
		return Invitation{}, err
	}
	return Invitation{Link: "https://t.me/" + s.botUsername + "?start=" + token, Invite: inv}, nil
}

// checkRole refuses units the conference lacks and roles that do not fit
// the unit: guests only observe; member units have heads and delegates.
func checkRole(c *domain.Conference, unit string, role domain.Role) error {
	u, ok := c.Unit(unit)
	if !ok {
		return fmt.Errorf("%s in %s: %w", unit, c.Ref(), ErrUnknownUnit)
	}
	switch {
	case role == domain.RoleAdmin || !role.Valid():
		return fmt.Errorf("%s: %w", role, ErrBadRole)
	case u.Guest && role != domain.RoleObserver:
		return fmt.Errorf("%s for guest %s: %w", role, unit, ErrBadRole)
	case !u.Guest && role == domain.RoleObserver:
		return fmt.Errorf("%s for member unit %s: %w", role, unit, ErrBadRole)
	}
	return nil
}

// Join binds the user to the invite's unit and role. An expired, used or
// unknown token, one whose unit is gone, or one of a conference that has
// ended (ErrClosed), stores nothing.
func (s *Service) Join(ctx context.Context, userID int64, name, token string) (domain.Membership, *domain.Conference, error) {
	inv, err := s.store.LookupInvite(ctx, token)
	if err != nil {
		return domain.Membership{}, nil, err
	}
	c, err := s.store.Conference(ctx, inv.Ref)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Membership{}, nil, ErrUnitGone
	}
	if err != nil {
		return domain.Membership{}, nil, err
	}
	if _, ok := c.Unit(inv.Unit); !ok {
		return domain.Membership{}, nil, ErrUnitGone
	}
	if c.State == domain.StateClosed || c.State == domain.StateArchived {
		// An invite minted before the close adds nobody to a final record.
		return domain.Membership{}, nil, ErrClosed
	}
	if err := s.store.UseInvite(ctx, token); err != nil {
		return domain.Membership{}, nil, err
	}
	m := domain.Membership{Ref: inv.Ref, Name: name, Unit: inv.Unit, Roles: []domain.Role{inv.Role}, Source: storage.SourceInvite}
	if err := s.store.AddMember(ctx, userID, m); err != nil {
		return domain.Membership{}, nil, err
	}
	if err := s.store.SetActive(ctx, userID, inv.Ref); err != nil {
		return domain.Membership{}, nil, err
	}
	return m, c, nil
}
