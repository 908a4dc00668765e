package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Choice is one mark on an approve ballot.
type Choice string

// Choices of an approve ballot (SPEC F5).
const (
	ChoiceYes     Choice = "yes"     // đồng ý
	ChoiceNo      Choice = "no"      // không đồng ý
	ChoiceAbstain Choice = "abstain" // không ý kiến
)

// Valid reports whether ch is one of the three marks.
func (ch Choice) Valid() bool {
	return ch == ChoiceYes || ch == ChoiceNo || ch == ChoiceAbstain
}

// Vote is the content of one cast ballot, apart from who cast it.
//
// An approve ballot fills Approve; a candidate left unmarked counts as
// "không ý kiến" (abstain), exactly like an explicit abstain mark, so the
// typed form `/vote co-bca CNTT:yes KHTC:no` may name only some candidates
// and a ballot with no marks at all is a valid ballot of abstentions.
// A choose or elect ballot fills Picks.
type Vote struct {
	Approve map[string]Choice // candidate → mark
	Picks   []string          // chosen candidates
}

// Codes of a refused vote, for handlers to pick the message a person reads.
const (
	VoteWrongForm    = "wrong-form"    // picks on an approve ballot, marks on a choose/elect ballot, unknown kind
	VoteNotCandidate = "not-candidate" // a mark or pick for someone not on the ballot
	VoteBadChoice    = "bad-choice"    // a mark other than yes/no/abstain
	VoteNoChoice     = "no-choice"     // a choose/elect ballot with no pick
	VoteTooMany      = "too-many"      // more picks than the ballot allows (Max says how many)
	VoteDuplicate    = "duplicate"     // the same candidate picked twice
	VoteSelf         = "self-vote"     // the voter's own unit, where the ballot forbids it
)

// VoteError says why a vote was refused. It unwraps to ErrForbidden for a
// self vote and to ErrInvalid for everything else.
type VoteError struct {
	Code      string // one of the Vote* codes
	Candidate string // the candidate concerned, if any
	Max       int    // too-many: the number of picks allowed
}

// Error describes the refusal in short English; people see a translation
// chosen by Code. It leaves Candidate out because error texts end up in logs
// and what a voter tried to mark is part of their choice.
func (e *VoteError) Error() string {
	switch e.Code {
	case VoteWrongForm:
		return "vote does not match the ballot's form"
	case VoteNotCandidate:
		return "a chosen unit is not a candidate on this ballot"
	case VoteBadChoice:
		return "a mark must be yes, no or abstain"
	case VoteNoChoice:
		return "no candidate chosen"
	case VoteTooMany:
		return fmt.Sprintf("at most %d candidates may be chosen", e.Max)
	case VoteDuplicate:
		return "a candidate is chosen twice"
	case VoteSelf:
		return "a unit may not vote for itself on this ballot"
	}
	return "vote refused: " + e.Code
}

// Unwrap gives the domain error kind, so errors.Is(err, ErrInvalid) works.
func (e *VoteError) Unwrap() error {
	if e.Code == VoteSelf {
		return ErrForbidden
	}
	return ErrInvalid
}

// MaxPicks is how many candidates one choose or elect ballot may pick:
// one for elect, MaxChoices for choose (one when the file left it unset).
func MaxPicks(b BallotSpec) int {
	if b.Kind == KindChoose && b.MaxChoices > 0 {
		return b.MaxChoices
	}
	return 1
}

// ValidateVote checks that v is a well-formed ballot for b among candidates,
// cast for voterUnit (the unit of the voter; a delegate's own unit). Who may
// vote at all (member, head or authorised delegate, checked in) is the
// caller's duty; this checks only the content. It returns a *VoteError.
//
// When b forbids self votes the voter's own unit must be left unmarked (or
// marked abstain) on an approve ballot, and may not be picked otherwise:
// marking oneself "no" is refused as well, since a unit gives no opinion on
// itself.
func ValidateVote(b BallotSpec, candidates []string, voterUnit string, v Vote) error {
	switch b.Kind {
	case KindApprove:
		if len(v.Picks) > 0 {
			return &VoteError{Code: VoteWrongForm}
		}
		// Sorted, so the error names the same candidate every time.
		for _, code := range slices.Sorted(maps.Keys(v.Approve)) {
			ch := v.Approve[code]
			if !slices.Contains(candidates, code) {
				return &VoteError{Code: VoteNotCandidate, Candidate: code}
			}
			if !ch.Valid() {
				return &VoteError{Code: VoteBadChoice, Candidate: code}
			}
			if !b.SelfVote && code == voterUnit && ch != ChoiceAbstain {
				return &VoteError{Code: VoteSelf, Candidate: code}
			}
		}
		return nil
	case KindChoose, KindElect:
		if len(v.Approve) > 0 {
			return &VoteError{Code: VoteWrongForm}
		}
		if len(v.Picks) == 0 {
			return &VoteError{Code: VoteNoChoice}
		}
		seen := make(map[string]bool, len(v.Picks))
		for _, code := range v.Picks {
			if !slices.Contains(candidates, code) {
				return &VoteError{Code: VoteNotCandidate, Candidate: code}
			}
			if seen[code] {
				return &VoteError{Code: VoteDuplicate, Candidate: code}
			}
			seen[code] = true
			if !b.SelfVote && code == voterUnit {
				return &VoteError{Code: VoteSelf, Candidate: code}
			}
		}
		if allowed := MaxPicks(b); len(v.Picks) > allowed {
			return &VoteError{Code: VoteTooMany, Max: allowed}
		}
		return nil
	}
	return &VoteError{Code: VoteWrongForm}
}

// choiceLetters maps a mark to its one-letter stored form and back.
var (
	choiceLetters = map[Choice]string{ChoiceYes: "y", ChoiceNo: "n", ChoiceAbstain: "a"}
	letterChoices = map[string]Choice{"y": ChoiceYes, "n": ChoiceNo, "a": ChoiceAbstain}
)

// Encode gives v's stored form, compact and canonical (sorted), so equal
// votes encode equally: "a:CNTT=y,KHTC=n" for marks, "p:CNTT,KHTC" for
// picks. A vote whose Approve map is non-nil is an approve vote ("a:" when it
// marks nothing); any other vote is a pick vote. Unit codes must not contain
// ',' '=' or ':' (the file's codes never do).
func (v Vote) Encode() string {
	if v.Approve != nil {
		marks := make([]string, 0, len(v.Approve))
		for _, code := range slices.Sorted(maps.Keys(v.Approve)) {
			marks = append(marks, code+"="+choiceLetters[v.Approve[code]])
		}
		return "a:" + strings.Join(marks, ",")
	}
	return "p:" + strings.Join(slices.Sorted(slices.Values(v.Picks)), ",")
}

// DecodeVote reads the form Encode writes; its errors wrap ErrInvalid and
// never quote the content, since they may be logged and a choice must not be. It accepts marks or picks in any
// order but refuses a candidate named twice, an empty code and an unknown
// mark. Decoding "a:" gives an empty, non-nil Approve map; "p:" gives nil
// Picks, so Encode(DecodeVote(s)) == s for every canonical s.
func DecodeVote(s string) (Vote, error) {
	form, body, ok := strings.Cut(s, ":")
	if !ok {
		return Vote{}, fmt.Errorf("%w: decode vote: no form", ErrInvalid)
	}
	var items []string
	if body != "" {
		items = strings.Split(body, ",")
	}
	switch form {
	case "a":
		v := Vote{Approve: make(map[string]Choice, len(items))}
		for _, item := range items {
			code, letter, ok := strings.Cut(item, "=")
			ch, known := letterChoices[letter]
			if !ok || !known || code == "" {
				return Vote{}, fmt.Errorf("%w: decode vote: bad mark", ErrInvalid)
			}
			if _, twice := v.Approve[code]; twice {
				return Vote{}, fmt.Errorf("%w: decode vote: a candidate marked twice", ErrInvalid)
			}
			v.Approve[code] = ch
		}
		return v, nil
	case "p":
		var v Vote
		for _, code := range items {
			if code == "" || strings.Contains(code, "=") || slices.Contains(v.Picks, code) {
				return Vote{}, fmt.Errorf("%w: decode vote: bad pick", ErrInvalid)
			}
			v.Picks = append(v.Picks, code)
		}
		slices.Sort(v.Picks)
		return v, nil
	}
	return Vote{}, fmt.Errorf("%w: decode vote: unknown form", ErrInvalid)
}

// Counters are a ballot's running totals, what storage keeps instead of
// recounting every cast ballot. Abstentions are not counted: unmarked and
// "abstain" are the same mark, so a candidate's abstentions are
// Ballots − Yes − No, and one ballot's effect never depends on the candidate
// list.
type Counters struct {
	Ballots int            // valid ballots cast
	Yes     map[string]int // approve: candidate → yes marks
	No      map[string]int // approve: candidate → no marks
	Picks   map[string]int // choose/elect: candidate → picks
}

// Counter keys, as CounterKeys names them.
const (
	counterBallots = "ballots"
	counterYes     = "yes:"
	counterNo      = "no:"
	counterPick    = "pick:"
)

// CounterKeys names the counters one valid ballot adds one to, sorted:
// "ballots", then "yes:CNTT", "no:KHTC" (approve) or "pick:CNTT" (choose,
// elect). Storage applies a change of mind as −1 on the old vote's keys and +1
// on the new one's (e.g. HINCRBY in one script), and reads the totals back
// with CountersFromHash.
func (v Vote) CounterKeys(b BallotSpec) []string {
	keys := []string{counterBallots}
	if b.Kind == KindApprove {
		for code, ch := range v.Approve {
			switch ch {
			case ChoiceYes:
				keys = append(keys, counterYes+code)
			case ChoiceNo:
				keys = append(keys, counterNo+code)
			}
		}
	} else {
		for _, code := range v.Picks {
			keys = append(keys, counterPick+code)
		}
	}
	slices.Sort(keys)
	return keys
}

// Add adds (sign +1) or removes (sign −1) one valid ballot's effect.
// A counter that returns to zero is deleted, so equal totals compare equal.
func (c *Counters) Add(b BallotSpec, v Vote, sign int) {
	for _, key := range v.CounterKeys(b) {
		c.bump(key, sign)
	}
}

// bump changes one named counter; unknown names are reported by
// CountersFromHash, never here, since CounterKeys makes only known ones.
func (c *Counters) bump(key string, by int) bool {
	var m *map[string]int
	var code string
	switch {
	case key == counterBallots:
		c.Ballots += by
		return true
	case strings.HasPrefix(key, counterYes):
		m, code = &c.Yes, strings.TrimPrefix(key, counterYes)
	case strings.HasPrefix(key, counterNo):
		m, code = &c.No, strings.TrimPrefix(key, counterNo)
	case strings.HasPrefix(key, counterPick):
		m, code = &c.Picks, strings.TrimPrefix(key, counterPick)
	default:
		return false
	}
	if *m == nil {
		*m = make(map[string]int)
	}
	(*m)[code] += by
	if (*m)[code] == 0 {
		delete(*m, code)
	}
	return true
}

// Hash gives the counters as CounterKeys names them, zeros left out.
func (c Counters) Hash() map[string]int {
	h := make(map[string]int)
	if c.Ballots != 0 {
		h[counterBallots] = c.Ballots
	}
	for prefix, m := range map[string]map[string]int{counterYes: c.Yes, counterNo: c.No, counterPick: c.Picks} {
		for code, n := range m {
			if n != 0 {
				h[prefix+code] = n
			}
		}
	}
	return h
}

// CountersFromHash reads totals stored under CounterKeys' names. An unknown
// name wraps ErrInvalid.
func CountersFromHash(h map[string]int) (Counters, error) {
	var c Counters
	for _, key := range slices.Sorted(maps.Keys(h)) {
		if !c.bump(key, h[key]) {
			return Counters{}, fmt.Errorf("%w: unknown counter %q", ErrInvalid, key)
		}
	}
	return c, nil
}

// Equal reports whether c and o hold the same totals (nil and empty maps,
// and zero entries, are alike).
func (c Counters) Equal(o Counters) bool {
	return maps.Equal(c.Hash(), o.Hash())
}
