package domain

import "fmt"

// Office is a post a conference hands on to next year: the chair unit
// (Cụm trưởng) or the deputy chair unit (Cụm phó).
type Office string

// Offices.
const (
	OfficeChair  Office = "chair"
	OfficeDeputy Office = "deputy"
)

// Errors of recording next year's chair or deputy chair unit.
var (
	ErrNextUnchanged = fmt.Errorf("already recorded: %w", ErrConflict)
	ErrChairIsDeputy = fmt.Errorf("next year's chair and deputy chair units must differ: %w", ErrConflict)
)

// OfficeOf is the office an elect ballot fills, or "" for a ballot that
// fills none.
func OfficeOf(b BallotSpec) Office {
	switch b.OnResult {
	case OnResultHandover:
		return OfficeChair
	case OnResultDeputy:
		return OfficeDeputy
	}
	return ""
}

// Next is the unit recorded for office next year, or "".
func (c *Conference) Next(office Office) string {
	if office == OfficeDeputy {
		return c.NextDeputyUnit
	}
	return c.NextChairUnit
}

// RecordNext records unit as next year's office holder and returns the
// unit recorded before ("" for none). The same unit cannot hold both
// offices, as the file refuses a deputy_unit equal to chair_unit: next
// year's draft must import. Errors wrap ErrInvalid (not a member unit) or
// ErrConflict (ErrNextUnchanged, ErrChairIsDeputy).
func (c *Conference) RecordNext(office Office, unit string) (previous string, err error) {
	if !c.IsMember(unit) {
		return "", fmt.Errorf("%w: %s is not a member unit", ErrInvalid, unit)
	}
	previous = c.Next(office)
	other := c.NextChairUnit
	if office == OfficeChair {
		other = c.NextDeputyUnit
	}
	switch {
	case previous == unit:
		return previous, fmt.Errorf("%s: %w", unit, ErrNextUnchanged)
	case other == unit:
		return previous, fmt.Errorf("%s: %w", unit, ErrChairIsDeputy)
	}
	if office == OfficeDeputy {
		c.NextDeputyUnit = unit
	} else {
		c.NextChairUnit = unit
	}
	return previous, nil
}

// ErrNoNextChair: neither an election, a handover nor a deputy chair says
// who chairs next year.
var ErrNoNextChair = fmt.Errorf("next year's chair unit is not decided: %w", ErrIllegalState)

// Successors is who leads next year's conference, as this one decided.
type Successors struct {
	Chair  string
	Deputy string // "" when none was elected or recorded
	// ChairProposed: no chair was elected or recorded, so this year's
	// deputy chair unit is proposed as chair, as clusters commonly rotate
	// (the outgoing Cụm phó becomes Cụm trưởng); the draft may change it.
	ChairProposed bool
}

// SuccessorsOf says who chairs and deputises next year: the units elected
// or recorded; without a chair, this year's deputy chair unit, proposed.
// A deputy who ends up as the chair is dropped, since one unit cannot hold
// both offices. The error wraps ErrIllegalState when nobody can chair.
func SuccessorsOf(c *Conference) (Successors, error) {
	s := Successors{Chair: c.NextChairUnit, Deputy: c.NextDeputyUnit}
	if s.Chair == "" && c.DeputyUnit != "" && c.IsMember(c.DeputyUnit) {
		s.Chair, s.ChairProposed = c.DeputyUnit, true
	}
	if s.Chair == "" {
		return Successors{}, fmt.Errorf("%s: %w", c.Ref(), ErrNoNextChair)
	}
	if s.Deputy == s.Chair {
		s.Deputy = ""
	}
	return s, nil
}
