package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
)

// newYear is `confbot newyear CONF YEAR`: the same path as /newyear in chat.
func newYear(ctx context.Context, cfg *config.Config, typed, yearArg string, out io.Writer) error {
	year, err := strconv.Atoi(yearArg)
	if err != nil {
		return fmt.Errorf("YEAR %q: not a year", yearArg)
	}
	store, ref, err := openConference(ctx, cfg, typed)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := setup.New(store, "", time.Now).NewYear(ctx, ref, year)
	if err != nil {
		return err
	}
	for _, e := range []struct{ ref, detail string }{{ref, n.Ref()}, {n.Ref(), "from " + ref}} {
		if _, err := store.AppendAudit(ctx, e.ref, domain.AuditEntry{ActorName: "confbot newyear (CLI)", Action: "newyear", Detail: e.detail}); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "created %s (draft): chair %s, starts %s\n", n.Ref(), n.ChairUnit, n.StartsAt.In(n.TimeZone()).Format("2006-01-02 15:04"))
	return nil
}
