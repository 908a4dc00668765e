package domain

// Attendee is one known person of a conference, as attendance sees them.
type Attendee struct {
	Unit  string
	Roles []Role
}

// voting reports whether the attendee attends for a member unit and votes:
// its head or a delegate. Observers and secretaries without either role
// never count toward quorum.
func (a Attendee) voting(c *Conference) bool {
	if !c.IsMember(a.Unit) {
		return false
	}
	for _, r := range a.Roles {
		if r == RoleHead || r == RoleDelegate {
			return true
		}
	}
	return false
}

// AttendanceState is everything stored about attendance of one conference.
type AttendanceState struct {
	People       map[int64]Attendee
	Registered   map[int64]Attendance
	Present      map[int64]Presence  // people who checked in or were marked
	UnitsPresent map[string]Presence // whole units the secretary marked
	Summaries    map[string]SummaryVersion
}

// QuorumCount is the quorum as the secretary sees it.
type QuorumCount struct {
	Of       QuorumBase
	Present  int
	Eligible int
	Need     int
	Reached  bool
	Guests   int // guest units with someone present; shown, never counted
}

// UnitPresent reports whether a unit counts as present: the secretary marked
// it, or one of its people checked in (for member units: its head or a
// delegate).
func (s AttendanceState) UnitPresent(c *Conference, code string) bool {
	if _, ok := s.UnitsPresent[code]; ok {
		return true
	}
	member := c.IsMember(code)
	for id := range s.Present {
		a, known := s.People[id]
		if !known || a.Unit != code {
			continue
		}
		if !member || a.voting(c) {
			return true
		}
	}
	return false
}

// personPresent: checked in, or their whole unit was marked present.
func (s AttendanceState) personPresent(id int64, a Attendee) bool {
	if _, ok := s.Present[id]; ok {
		return true
	}
	_, ok := s.UnitsPresent[a.Unit]
	return ok
}

// Quorum counts present against eligible as c.Quorum says: member units
// with someone present of all member units, or present voting people of all
// voting people. Guests are left out of both numbers.
func (s AttendanceState) Quorum(c *Conference) QuorumCount {
	q := QuorumCount{Of: c.Quorum.Of}
	if q.Of == "" {
		q.Of = QuorumOfMembers
	}
	switch q.Of {
	case QuorumOfDelegates:
		for id, a := range s.People {
			if !a.voting(c) {
				continue
			}
			q.Eligible++
			if s.personPresent(id, a) {
				q.Present++
			}
		}
	default:
		for _, u := range c.Units {
			q.Eligible++
			if s.UnitPresent(c, u.Code) {
				q.Present++
			}
		}
	}
	for _, g := range c.Guests {
		if s.UnitPresent(c, g.Code) {
			q.Guests++
		}
	}
	q.Reached, q.Need = QuorumStatus(c.Quorum, q.Present, q.Eligible)
	return q
}

// UnitStatus is one line of the secretary's status board.
type UnitStatus struct {
	Unit       Unit
	People     int // known people of the unit
	Registered int // of them, those who answered /attend
	Yes        int
	No         int
	Substitute int
	Present    bool
	Summary    *SummaryVersion // the latest; nil when none
}

// Status builds the board: member units in file order, then guests.
func (s AttendanceState) Status(c *Conference) []UnitStatus {
	out := make([]UnitStatus, 0, len(c.Units)+len(c.Guests))
	for _, u := range append(append([]Unit(nil), c.Units...), c.Guests...) {
		st := UnitStatus{Unit: u, Present: s.UnitPresent(c, u.Code)}
		for id, a := range s.People {
			if a.Unit != u.Code {
				continue
			}
			st.People++
			reg, ok := s.Registered[id]
			if !ok {
				continue
			}
			st.Registered++
			switch reg.Answer {
			case AttendYes:
				st.Yes++
			case AttendNo:
				st.No++
			case AttendSubstitute:
				st.Substitute++
			}
		}
		if v, ok := s.Summaries[u.Code]; ok {
			st.Summary = &v
		}
		out = append(out, st)
	}
	return out
}

// PresentVoters counts the present among those who vote on a ballot with
// voters kind: member units with someone present (VotersUnit), or present
// heads and delegates of member units (VotersDelegate). It is the base of a
// threshold "of: present".
func (s AttendanceState) PresentVoters(c *Conference, kind VoterKind) int {
	n := 0
	if kind == VotersDelegate {
		for id, a := range s.People {
			if a.voting(c) && s.personPresent(id, a) {
				n++
			}
		}
		return n
	}
	for _, u := range c.Units {
		if s.UnitPresent(c, u.Code) {
			n++
		}
	}
	return n
}
