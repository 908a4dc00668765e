package handlers

import (
	"errors"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
)

// Problem is what a person is told when their request is refused: a
// catalogue key and its arguments. Commands and buttons return it as an
// error; it is worded in one place (userText), as a reply for a command and
// as the toast for a button, and it is not logged as a failure.
type Problem struct {
	Key  string
	Args []any
}

func (p *Problem) Error() string { return "refused: " + p.Key }

// problem makes a Problem.
func problem(key string, args ...any) error { return &Problem{Key: key, Args: args} }

// userText words err for the person, when err is something to tell them
// rather than a failure: a Problem, or a domain refusal.
func (r *Router) userText(lang i18n.Lang, err error) (string, bool) {
	var p *Problem
	switch {
	case errors.As(err, &p):
		return r.Catalog.T(lang, p.Key, p.Args...), true
	case errors.Is(err, domain.ErrForbidden):
		return r.Catalog.T(lang, "error.not_allowed"), true
	case errors.Is(err, domain.ErrNotFound):
		return r.Catalog.T(lang, "error.no_conference"), true
	}
	return "", false
}
