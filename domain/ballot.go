package domain

import "time"

// BallotKind is the form of a ballot.
type BallotKind string

// Ballot kinds (SPEC F5).
const (
	KindApprove BallotKind = "approve" // each candidate: đồng ý / không đồng ý / không ý kiến
	KindChoose  BallotKind = "choose"  // up to MaxChoices of N
	KindElect   BallotKind = "elect"   // one of N
)

// VoterKind says who casts the ballots.
type VoterKind string

// Voter kinds.
const (
	VotersUnit     VoterKind = "unit"     // one ballot per member unit, cast by its head or an authorised delegate
	VotersDelegate VoterKind = "delegate" // one ballot per voting delegate
)

// ThresholdBase is what a threshold percentage is taken of.
type ThresholdBase string

// Threshold bases.
const (
	BaseMembers ThresholdBase = "members" // all eligible voters
	BasePresent ThresholdBase = "present" // eligible voters present at the conference
	BaseValid   ThresholdBase = "valid"   // valid ballots cast
)

// Threshold is the share a candidate needs to pass, e.g. "> 50 % of members".
type Threshold struct {
	Op      string // ">" or ">="
	Percent float64
	Of      ThresholdBase
}

// TieRule settles a tie at the quota's edge.
type TieRule string

// Tie rules.
const (
	TieRevote TieRule = "revote" // a new round among the tied only
	TieScore  TieRule = "score"  // the highest self-assessed score wins
	TieChair  TieRule = "chair"  // the chair unit's head decides
)

// Candidates says who may be voted for: a base (every member unit, an
// explicit list, or the holders of an earlier ballot's title) less the
// winners of the ballots NotAwardedOf names, since one achievement is not
// rewarded with several forms (Luật Thi đua, khen thưởng 2022).
type Candidates struct {
	All          bool     // every member unit
	Codes        []string // an explicit list of unit codes
	AwardedOf    string   // holders of the title awarded by that earlier ballot
	NotAwardedOf []string // ballots whose winners are left out; nil when none
}

// BallotSpec is a ballot as the conference file configures it.
type BallotSpec struct {
	ID           string
	Title        string
	Kind         BallotKind
	Candidates   Candidates
	MaxChoices   int // choose: at most this many per ballot; elect: 1
	Voters       VoterKind
	Secret       bool
	SelfVote     bool
	Threshold    Threshold
	Quota        int
	Tie          TieRule
	ClosesAfter  time.Duration // 0: closed by the secretary only
	OnResult     string        // "", OnResultHandover or OnResultDeputy
	Prerequisite string        // id of an earlier ballot whose title a candidate must hold; set from AwardedOf too
	// ProposalTo overrides the conference's Paperwork.ProposalTo for this
	// ballot ("Bộ trưởng Bộ Công an trình Thủ tướng Chính phủ").
	ProposalTo string
	// CountingBoard overrides the conference's ban kiểm phiếu for this ballot.
	CountingBoard []Signer
}

// What an elect ballot's winner becomes (on_result).
const (
	OnResultHandover = "handover" // next year's chair unit (Cụm trưởng)
	OnResultDeputy   = "deputy"   // next year's deputy chair unit (Cụm phó)
)

// Elects reports whether the ballot elects next year's chair or deputy
// chair unit: its winner is trúng cử, not proposed for a title.
func (b BallotSpec) Elects() bool {
	return b.OnResult == OnResultHandover || b.OnResult == OnResultDeputy
}

// References lists the ballots whose results b needs before it opens: its
// prerequisite (awarded: included) and those whose winners it leaves out,
// each once, in that order.
func (b BallotSpec) References() []string {
	var refs []string
	add := func(id string) {
		for _, r := range refs {
			if r == id {
				return
			}
		}
		refs = append(refs, id)
	}
	if b.Candidates.AwardedOf != "" {
		add(b.Candidates.AwardedOf)
	}
	if b.Prerequisite != "" {
		add(b.Prerequisite)
	}
	for _, id := range b.Candidates.NotAwardedOf {
		add(id)
	}
	return refs
}

// PendingReference is the first ballot b needs whose result is not in
// awarded yet, or "" when b may open.
func (b BallotSpec) PendingReference(awarded map[string][]string) string {
	for _, id := range b.References() {
		if _, decided := awarded[id]; !decided {
			return id
		}
	}
	return ""
}

// BallotState is where a ballot is in its life cycle.
type BallotState string

// Ballot states.
const (
	BallotDraft  BallotState = "draft"
	BallotOpen   BallotState = "open"
	BallotClosed BallotState = "closed"
)
