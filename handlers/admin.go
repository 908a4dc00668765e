package handlers

import (
	"context"
	"errors"
	"fmt"

	"github.com/confbot/confbot/domain"
)

// ConferenceLister lists every stored conference (*storage.Store). Admins
// hold every secretary command in every conference, so one without a
// conference of their own acts on the latest.
type ConferenceLister interface {
	Conferences(ctx context.Context) ([]string, error)
}

// latestConference is the ref of the conference that starts last of all
// the bot knows, or "" when it knows none (or its store cannot list them).
func (r *Router) latestConference(ctx context.Context) (string, error) {
	lister, ok := r.Store.(ConferenceLister)
	if !ok {
		return "", nil
	}
	refs, err := lister.Conferences(ctx)
	if err != nil {
		return "", fmt.Errorf("list conferences: %w", err)
	}
	var latest *domain.Conference
	for _, ref := range refs {
		c, err := r.Store.Conference(ctx, ref)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			continue // deleted between the listing and the read
		case err != nil:
			return "", err
		}
		if latest == nil || c.StartsAt.After(latest.StartsAt) ||
			(c.StartsAt.Equal(latest.StartsAt) && c.Ref() > latest.Ref()) {
			latest = c
		}
	}
	if latest == nil {
		return "", nil
	}
	return latest.Ref(), nil
}
