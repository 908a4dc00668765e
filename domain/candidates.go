package domain

import "fmt"

// CandidatesOf lists who may be voted for on ballot b: every member unit, the
// file's list, or the holders of the title an earlier ballot awarded. awarded
// maps a ballot id to the unit codes its final result awarded; a ballot that
// has no result yet has no entry (an entry with an empty list means "closed,
// nobody awarded"). The winners of the ballots b.Candidates.NotAwardedOf
// names are left out; when b has a Prerequisite only holders of that title
// stay.
//
// Guests are never candidates: a listed code that is not a member unit is an
// error, as is a list that ends up empty, because a ballot without candidates
// cannot be opened. Errors wrap ErrInvalid (a bad specification) or
// ErrIllegalState (an earlier ballot must be decided first).
//
// The order is the file's: the explicit list as written, otherwise the member
// units in file order, so a ballot never ranks candidates by an earlier
// result.
func (c *Conference) CandidatesOf(b BallotSpec, awarded map[string][]string) ([]string, error) {
	var codes []string
	switch {
	case b.Candidates.All:
		codes = c.MemberCodes()
	case len(b.Candidates.Codes) > 0:
		seen := make(map[string]bool, len(b.Candidates.Codes))
		for _, code := range b.Candidates.Codes {
			if !c.IsMember(code) {
				return nil, fmt.Errorf("%w: ballot %s: candidate %s is not a member unit", ErrInvalid, b.ID, code)
			}
			if seen[code] {
				return nil, fmt.Errorf("%w: ballot %s: candidate %s is listed twice", ErrInvalid, b.ID, code)
			}
			seen[code] = true
			codes = append(codes, code)
		}
	case b.Candidates.AwardedOf != "":
		holders, err := holdersOf(b.Candidates.AwardedOf, b.ID, awarded)
		if err != nil {
			return nil, err
		}
		codes = c.inFileOrder(holders)
	case len(b.Candidates.NotAwardedOf) > 0:
		codes = c.MemberCodes() // "not-awarded:X" alone: every member unit but X's winners
	default:
		return nil, fmt.Errorf("%w: ballot %s names no candidates", ErrInvalid, b.ID)
	}

	// One award per achievement: the winners of the named ballots are left
	// out, whatever the base.
	for _, other := range b.Candidates.NotAwardedOf {
		winners, err := holdersOf(other, b.ID, awarded)
		if err != nil {
			return nil, err
		}
		kept := codes[:0:0]
		for _, code := range codes {
			if !winners[code] {
				kept = append(kept, code)
			}
		}
		codes = kept
	}

	if b.Prerequisite != "" {
		holders, err := holdersOf(b.Prerequisite, b.ID, awarded)
		if err != nil {
			return nil, err
		}
		kept := codes[:0:0]
		for _, code := range codes {
			if holders[code] {
				kept = append(kept, code)
			}
		}
		codes = kept
	}

	if len(codes) == 0 {
		return nil, fmt.Errorf("%w: ballot %s has no candidates", ErrIllegalState, b.ID)
	}
	return codes, nil
}

// holdersOf returns the set of units the earlier ballot awarded, or an error
// when that ballot has not been decided yet.
func holdersOf(earlier, ballot string, awarded map[string][]string) (map[string]bool, error) {
	list, decided := awarded[earlier]
	if !decided {
		return nil, fmt.Errorf("%w: ballot %s needs the result of ballot %s first", ErrIllegalState, ballot, earlier)
	}
	set := make(map[string]bool, len(list))
	for _, code := range list {
		set[code] = true
	}
	return set, nil
}

// inFileOrder keeps the member units found in set, in file order; anything
// else (a guest, a unit since removed) is dropped.
func (c *Conference) inFileOrder(set map[string]bool) []string {
	var codes []string
	for _, u := range c.Units {
		if set[u.Code] {
			codes = append(codes, u.Code)
		}
	}
	return codes
}
