// Package domain holds the rules of a cụm thi đua's year-end conference: units,
// people and their roles, the conference and ballot life cycles, thresholds,
// quotas and tallies. It imports nothing of the project and does no I/O, so
// every rule can be tested with plain tables.
package domain

import (
	"errors"
	"fmt"
	"time"
)

// Domain error kinds. Callers match them with errors.Is and turn them into
// user-facing text in one place.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalid      = errors.New("invalid")
	ErrForbidden    = errors.New("forbidden")
	ErrConflict     = errors.New("conflict")
	ErrIllegalState = errors.New("illegal state transition")
)

// Role is what a person may do in one cluster.
type Role string

// The roles of SPEC §1.
const (
	RoleAdmin     Role = "admin"
	RoleSecretary Role = "secretary"
	RoleHead      Role = "head"
	RoleDelegate  Role = "delegate"
	RoleObserver  Role = "observer"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleSecretary, RoleHead, RoleDelegate, RoleObserver:
		return true
	}
	return false
}

// Cluster is a cụm thi đua: a fixed group of member units, stable across years.
type Cluster struct {
	ID        string // [a-z0-9-]{1,40}
	Name      string
	Movement  string // phong trào thi đua
	Timezone  string // IANA name, e.g. Asia/Ho_Chi_Minh
	Language  string // vi or en: the default for people who chose none
	GroupChat int64  // 0 when the cluster has no group chat
}

// Unit is a member unit (đơn vị) or, when Guest is set, a guest (khách mời)
// that attends and never votes.
type Unit struct {
	Code  string
	Name  string
	Guest bool
}

// Person is a Telegram user known to a conference.
type Person struct {
	TelegramID int64  // 0 when only the username is known yet
	Username   string // without the @, lower case; may be empty
	Name       string
	Unit       string // unit or guest code
	Roles      []Role
	Rank       string // cấp bậc, e.g. "Thiếu tướng"; may be empty
	Position   string // chức vụ, e.g. "Cục trưởng Cục Công nghệ thông tin"; may be empty
}

// Has reports whether p holds role r.
func (p Person) Has(r Role) bool {
	for _, have := range p.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// QuorumBase says what the quorum percentage is taken of.
type QuorumBase string

// Quorum bases.
const (
	QuorumOfMembers   QuorumBase = "members"   // present member units / member units
	QuorumOfDelegates QuorumBase = "delegates" // present voting delegates / voting delegates
)

// Quorum is the share that must be present before ballots may open.
type Quorum struct {
	Percent float64
	Of      QuorumBase
}

// Conference is one year's hội nghị tổng kết of one cluster.
type Conference struct {
	Cluster         Cluster
	Units           []Unit // member units, in file order
	Guests          []Unit // guests, in file order
	ID              string // unique within the cluster, e.g. tk-2022
	Title           string
	Year            int
	StartsAt        time.Time
	EndsAt          time.Time
	Location        string
	ChairUnit       string
	DeputyUnit      string // may be empty
	Quorum          Quorum
	SummaryDeadline time.Time
	CheckinOpens    time.Time
	ScoreMax        float64 // the self-assessed score scale; 100 unless the file says otherwise
	People          []Person
	Ballots         []BallotSpec
	Reminders       []ReminderSpec
	Grace           time.Duration
	State           ConferenceState
	NextChairUnit   string // next year's chair, once elected or handed over
	NextDeputyUnit  string // next year's deputy chair, once elected or recorded
	Paperwork       Paperwork
}

// Ref names a conference across clusters and years: "cluster/conference".
func (c *Conference) Ref() string { return c.Cluster.ID + "/" + c.ID }

// TimeZone returns the cluster's time zone, falling back to UTC only when the
// zone cannot be loaded (the file parser refuses such files).
func (c *Conference) TimeZone() *time.Location {
	loc, err := time.LoadLocation(c.Cluster.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Unit finds a member unit or guest by code.
func (c *Conference) Unit(code string) (Unit, bool) {
	for _, u := range c.Units {
		if u.Code == code {
			return u, true
		}
	}
	for _, u := range c.Guests {
		if u.Code == code {
			return u, true
		}
	}
	return Unit{}, false
}

// IsMember reports whether code is a member (voting) unit.
func (c *Conference) IsMember(code string) bool {
	for _, u := range c.Units {
		if u.Code == code {
			return true
		}
	}
	return false
}

// Ballot finds a ballot by id.
func (c *Conference) Ballot(id string) (BallotSpec, bool) {
	for _, b := range c.Ballots {
		if b.ID == id {
			return b, true
		}
	}
	return BallotSpec{}, false
}

// MemberCodes lists the member units' codes in file order.
func (c *Conference) MemberCodes() []string {
	codes := make([]string, len(c.Units))
	for i, u := range c.Units {
		codes[i] = u.Code
	}
	return codes
}

func (c *Conference) String() string { return fmt.Sprintf("%s (%s)", c.Ref(), c.State) }
