package setup

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/workbook"
)

// ParseFile reads a conference file in either of its forms: an Excel
// workbook (XLSX, from `confbot template`) or YAML. Both pass the same
// checks; problems come back as *conffile.Errors.
func ParseFile(data []byte) (*domain.Conference, error) {
	if workbook.IsWorkbook(data) {
		return workbook.Parse(data)
	}
	return conffile.Parse(data)
}

// Check says what importing data would do, and stores nothing: the
// conference it holds, whether it is new, and what it changes.
func (s *Service) Check(ctx context.Context, data []byte) (ImportResult, error) {
	c, err := ParseFile(data)
	if err != nil {
		return ImportResult{}, err
	}
	old, err := s.store.Conference(ctx, c.Ref())
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return ImportResult{Conference: c, Created: true}, nil
	case err != nil:
		return ImportResult{}, fmt.Errorf("check %s: %w", c.Ref(), err)
	}
	c.State = old.State
	res := ImportResult{Conference: c, Changes: conffile.Diff(old, c)}
	if len(res.Changes) > 0 && !old.Editable() {
		return res, fmt.Errorf("check %s (%s): %w", c.Ref(), old.State, ErrInSession)
	}
	return res, nil
}

// Lister lists the stored conferences (*storage.Store).
type Lister interface {
	Conferences(ctx context.Context) ([]string, error)
}

// ErrAmbiguous is a bare conference id that several clusters use.
var ErrAmbiguous = fmt.Errorf("conference id used by several clusters: %w", domain.ErrInvalid)

// ResolveRef turns what a person typed into a conference's ref: a full
// cluster/conference, or a bare conference id when one cluster alone has
// it. An id several clusters share is ErrAmbiguous, naming the choices.
func ResolveRef(ctx context.Context, l Lister, typed string) (string, error) {
	refs, err := l.Conferences(ctx)
	if err != nil {
		return "", err
	}
	if strings.Contains(typed, "/") {
		for _, ref := range refs {
			if ref == typed {
				return ref, nil
			}
		}
		return "", fmt.Errorf("conference %s: %w", typed, domain.ErrNotFound)
	}
	var matches []string
	for _, ref := range refs {
		if _, id, _ := strings.Cut(ref, "/"); id == typed {
			matches = append(matches, ref)
		}
	}
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("conference %s (known: %s): %w", typed, strings.Join(refs, ", "), domain.ErrNotFound)
	case 1:
		return matches[0], nil
	}
	return "", fmt.Errorf("%s is in %s; write one of them: %w", typed, strings.Join(matches, ", "), ErrAmbiguous)
}
