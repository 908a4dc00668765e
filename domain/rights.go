package domain

import "strconv"

// MayVote says whether a member may take part in votes at all: heads and
// delegates of member units; guests and staff-only members never do.
func MayVote(c *Conference, m Membership) bool {
	return c.IsMember(m.Unit) && (m.HasRole(RoleHead) || m.HasRole(RoleDelegate))
}

// EligibleKeys are the voter keys of a ballot's roll: the member units
// (voters: unit), or the ids of the people who may vote (voters: delegate).
func EligibleKeys(c *Conference, spec BallotSpec, members map[int64]Membership) []string {
	if spec.Voters == VotersUnit {
		return c.MemberCodes()
	}
	var keys []string
	for id, m := range members {
		if MayVote(c, m) {
			keys = append(keys, strconv.FormatInt(id, 10))
		}
	}
	return keys
}

// CastRights says who may cast which ballots in a conference: for
// `voters: unit` ballots the unit's head, or a delegate the head authorised
// (/authorize) — or any delegate of a unit whose head the bot does not know,
// so that no unit is left without a voice; for `voters: delegate` ballots
// every head and delegate of a member unit.
type CastRights struct {
	conf       *Conference
	authorized map[int64]string // delegate → unit
	headless   map[string]bool  // member units without a known head
}

// NewCastRights builds the rights of c from its members and the
// authorisations heads gave (delegate id → unit).
func NewCastRights(c *Conference, members map[int64]Membership, authorized map[int64]string) *CastRights {
	headless := map[string]bool{}
	for _, code := range c.MemberCodes() {
		headless[code] = true
	}
	for _, m := range members {
		if m.HasRole(RoleHead) {
			delete(headless, m.Unit)
		}
	}
	return &CastRights{conf: c, authorized: authorized, headless: headless}
}

// VoterKey is whose ballot a person casts (their unit's, or their own), and
// whether they may cast it.
func (cr *CastRights) VoterKey(spec BallotSpec, userID int64, m *Membership) (string, bool) {
	if m == nil || m.Ref != cr.conf.Ref() || !MayVote(cr.conf, *m) {
		return "", false
	}
	if spec.Voters != VotersUnit {
		return strconv.FormatInt(userID, 10), true
	}
	if m.HasRole(RoleHead) || cr.authorized[userID] == m.Unit || cr.headless[m.Unit] {
		return m.Unit, true
	}
	return "", false
}

// OwnVoterKey is the voter key whose receipt a person may look up: their
// unit's (whoever of the unit cast it) or their own.
func OwnVoterKey(c *Conference, spec BallotSpec, userID int64, m *Membership) (string, bool) {
	if m == nil || m.Ref != c.Ref() || !MayVote(c, *m) {
		return "", false
	}
	if spec.Voters == VotersUnit {
		return m.Unit, true
	}
	return strconv.FormatInt(userID, 10), true
}
