package domain

import (
	"slices"
	"time"
)

// Membership is what one person is in one conference.
type Membership struct {
	Ref    string `json:"ref"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Roles  []Role `json:"roles"`
	Source string `json:"source"` // "file" or "invite": a re-import only removes what a file added
}

// Membership sources.
const (
	SourceFile   = "file"
	SourceInvite = "invite"
)

// HasRole reports whether the membership carries role r.
func (m Membership) HasRole(r Role) bool { return slices.Contains(m.Roles, r) }

// Profile is what the bot keeps of a person across conferences.
type Profile struct {
	Lang   string // "" until the person chooses (/lang): the cluster's language applies
	Active string // the conference their commands act on: the latest they joined
}

// AuditEntry is one state change of a conference: who did what, when.
type AuditEntry struct {
	ID        string    // the stream id, set when read
	At        time.Time // when; the store's clock when zero on append
	ActorID   int64     // Telegram user id; 0 for the bot itself or the CLI
	ActorName string
	Action    string // import, open, close, checkin, override, handover, newyear, export, …
	Detail    string
}

// RoundInfo is one round of a ballot as stored.
type RoundInfo struct {
	Ballot     string
	Round      int // 0 (with State draft) when no round was ever opened
	State      BallotState
	Kind       BallotKind
	Secret     bool
	Candidates []string // in display order
	Eligible   int      // number of eligible voters
	OpenedAt   time.Time
	ClosesAt   time.Time // zero: closed by the secretary only
	ClosedAt   time.Time
	Rules      *BallotSpec   // the round's own rules, stored at opening (nil for rounds opened before they were)
	Closing    *ClosingFacts // stored at closing
}

// Due reports whether the round is open past its closing time at now.
func (r RoundInfo) Due(now time.Time) bool {
	return r.State == BallotOpen && !r.ClosesAt.IsZero() && !now.Before(r.ClosesAt)
}

// CastResult says what a cast did.
type CastResult struct {
	Receipt  string // receipt code of the ballot that now counts for the voter
	Changed  bool   // false: the same vote was stored already (a repeated delivery), nothing changed
	First    bool   // the voter's first ballot in this round: turnout grew by one
	Voted    int    // turnout after the cast
	Eligible int
}
