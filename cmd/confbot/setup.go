package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
)

func openStore(ctx context.Context, cfg *config.Config) (*storage.Store, error) {
	return storage.Open(ctx, storage.Options{URL: cfg.RedisURL, SentinelMaster: cfg.RedisSentinelMaster, Prefix: cfg.RedisPrefix})
}

// openConference opens the store and finds the conference CONF names (see
// setup.ResolveRef); the caller closes the store.
func openConference(ctx context.Context, cfg *config.Config, typed string) (*storage.Store, string, error) {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return nil, "", err
	}
	ref, err := setup.ResolveRef(ctx, store, typed)
	if err != nil {
		store.Close()
		return nil, "", err
	}
	return store, ref, nil
}

// importFile is `confbot import FILE`: the same path as /import in chat.
func importFile(ctx context.Context, cfg *config.Config, path string, out io.Writer) error {
	data, err := readConferenceFile(path)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := setup.New(store, "", time.Now).Import(ctx, data)
	if err != nil {
		return fileErrors(path, err)
	}
	c := res.Conference
	if res.Created || len(res.Changes) > 0 {
		detail := "created"
		if !res.Created {
			detail = strings.Join(res.Changes, "; ")
		}
		if _, err := store.AppendAudit(ctx, c.Ref(), domain.AuditEntry{ActorName: "confbot import (CLI)", Action: "import", Detail: detail}); err != nil {
			return err
		}
	}
	switch {
	case res.Created:
		fmt.Fprintf(out, "imported %s: %d units, %d ballots, %d people (state %s)\n", c.Ref(), len(c.Units), len(c.Ballots), len(c.People), c.State)
	case len(res.Changes) == 0:
		fmt.Fprintf(out, "%s unchanged\n", c.Ref())
	default:
		fmt.Fprintf(out, "updated %s:\n  %s\n", c.Ref(), strings.Join(res.Changes, "\n  "))
	}
	return nil
}

// invite is `confbot invite CONF UNIT [ROLE]`; CONF may be a bare
// conference id when one cluster alone has it.
func invite(ctx context.Context, cfg *config.Config, args []string, out io.Writer) error {
	if cfg.Token == "" {
		return errors.New("TELEGRAM_BOT_TOKEN: needed to name the bot in the link")
	}
	store, ref, err := openConference(ctx, cfg, args[0])
	if err != nil {
		return err
	}
	defer store.Close()
	username, err := botUsername(ctx, cfg)
	if err != nil {
		return err
	}
	role := domain.RoleDelegate
	if len(args) == 3 {
		role = domain.Role(strings.ToLower(args[2]))
	}
	inv, err := setup.New(store, username, time.Now).Invite(ctx, ref, args[1], role, 0, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\n(unit %s, role %s, %d use(s), expires %s)\n", inv.Link, inv.Invite.Unit, inv.Invite.Role,
		inv.Invite.UsesLeft, inv.Invite.ExpiresAt.Format(time.RFC3339))
	return nil
}
