package setup

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/confbot/confbot/domain"
)

// Errors of creating next year's conference.
var (
	ErrNotClosed     = fmt.Errorf("the conference is not closed yet: %w", domain.ErrIllegalState)
	ErrNoNextChair   = domain.ErrNoNextChair
	ErrBadYear       = fmt.Errorf("the new year must come after the conference's: %w", domain.ErrInvalid)
	ErrAlreadyExists = fmt.Errorf("next year's conference exists already: %w", domain.ErrConflict)
)

// yearPattern finds four-digit years in ids and titles.
var yearPattern = regexp.MustCompile(`\b\d{4}\b`)

// NextYear builds the draft of year's conference from c, a closed one: the
// same cluster, units, guests, people (their roles; nothing they did), ballots
// and reminders; next year's chair and deputy chair units as elected or
// recorded (domain.SuccessorsOf: without a chair, this year's deputy chair
// unit is proposed as chair; without a deputy, none yet); every
// date moved by the years between; the years in the id, the title and the
// ballots' ids and titles moved too (tk-2022 → tk-2023, "Cụm trưởng năm
// 2023" → "năm 2024"); an id without a year gets "-YEAR". Attendance, votes,
// summaries and results live apart from the conference and are not copied.
func NextYear(c *domain.Conference, year int) (*domain.Conference, error) {
	if c.State != domain.StateClosed && c.State != domain.StateArchived {
		return nil, fmt.Errorf("%s is %s: %w", c.Ref(), c.State, ErrNotClosed)
	}
	next, err := domain.SuccessorsOf(c)
	if err != nil {
		return nil, err
	}
	if year <= c.Year {
		return nil, fmt.Errorf("%d after %d: %w", year, c.Year, ErrBadYear)
	}
	years := year - c.Year
	shift := func(s string) string { return shiftYears(s, c.Year, years) }
	loc := c.TimeZone()
	move := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc).AddDate(years, 0, 0)
	}

	n := *c
	n.ID = shift(c.ID)
	if n.ID == c.ID {
		n.ID = c.ID + "-" + strconv.Itoa(year)
	}
	n.Title = shift(c.Title)
	n.Year = year
	n.StartsAt, n.EndsAt = move(c.StartsAt), move(c.EndsAt)
	n.SummaryDeadline, n.CheckinOpens = move(c.SummaryDeadline), move(c.CheckinOpens)
	n.ChairUnit, n.DeputyUnit = next.Chair, next.Deputy
	n.NextChairUnit, n.NextDeputyUnit = "", ""
	n.State = domain.StateDraft
	n.Units = append([]domain.Unit(nil), c.Units...)
	n.Guests = append([]domain.Unit(nil), c.Guests...)
	n.People = make([]domain.Person, len(c.People))
	for i, p := range c.People {
		p.Roles = append([]domain.Role(nil), p.Roles...)
		n.People[i] = p
	}
	n.Ballots = make([]domain.BallotSpec, len(c.Ballots))
	for i, b := range c.Ballots {
		b.ID, b.Title = shift(b.ID), shift(b.Title)
		b.Candidates.Codes = append([]string(nil), b.Candidates.Codes...)
		if b.Candidates.AwardedOf != "" {
			b.Candidates.AwardedOf = shift(b.Candidates.AwardedOf)
		}
		if b.Prerequisite != "" {
			b.Prerequisite = shift(b.Prerequisite)
		}
		if b.Candidates.NotAwardedOf != nil {
			others := make([]string, len(b.Candidates.NotAwardedOf))
			for j, id := range b.Candidates.NotAwardedOf {
				others[j] = shift(id)
			}
			b.Candidates.NotAwardedOf = others
		}
		n.Ballots[i] = b
	}
	n.Reminders = make([]domain.ReminderSpec, len(c.Reminders))
	for i, r := range c.Reminders {
		r.Offsets = append([]time.Duration(nil), r.Offsets...)
		r.From, r.Until = move(r.From), move(r.Until)
		n.Reminders[i] = r
	}
	return &n, nil
}

// shiftYears moves every four-digit year from base to base+1 in s by
// years: a conference of 2022 names 2022 (its own) and 2023 (the chair it
// elects), and next year's names 2023 and 2024.
func shiftYears(s string, base, years int) string {
	return yearPattern.ReplaceAllStringFunc(s, func(m string) string {
		y, _ := strconv.Atoi(m)
		if y != base && y != base+1 {
			return m
		}
		return strconv.Itoa(y + years)
	})
}

// NewYear creates year's draft conference from closed conference ref (see
// NextYear) and stores it. It refuses when that conference exists already,
// so running it twice creates one.
func (s *Service) NewYear(ctx context.Context, ref string, year int) (*domain.Conference, error) {
	c, err := s.store.Conference(ctx, ref)
	if err != nil {
		return nil, err
	}
	if year == 0 {
		year = c.Year + 1
	}
	n, err := NextYear(c, year)
	if err != nil {
		return nil, err
	}
	switch _, err := s.store.Conference(ctx, n.Ref()); {
	case err == nil:
		return n, fmt.Errorf("%s: %w", n.Ref(), ErrAlreadyExists)
	case !errors.Is(err, domain.ErrNotFound):
		return nil, err
	}
	if err := s.store.SaveConference(ctx, n); err != nil {
		return nil, fmt.Errorf("new year %s: %w", n.Ref(), err)
	}
	return n, nil
}
