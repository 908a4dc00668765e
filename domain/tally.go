package domain

import (
	"fmt"
	"math"
	"slices"
)

// TallyInput is everything one round of a ballot is counted from.
type TallyInput struct {
	Ballot     BallotSpec
	Round      int      // 1 for the first round, then one more per revote
	Candidates []string // in display order (CandidatesOf, or RevoteCandidates)
	Counters   Counters
	Members    int                // eligible voters: member units (voters: unit) or voting delegates
	Present    int                // eligible voters present (checked in)
	Scores     map[string]float64 // tie: score — self-assessed scores; a missing score counts as 0
	ChairPicks []string           // tie: chair — the units the chair chose among the tied, once decided
}

// Row is one candidate's line of a tally.
type Row struct {
	Candidate string
	Yes       int     // approve: đồng ý
	No        int     // approve: không đồng ý
	Abstain   int     // approve: không ý kiến (unmarked included)
	Votes     int     // what the threshold and the ranking use: Yes (approve) or picks
	Percent   float64 // Votes of the base, rounded half up to two decimals
	Passed    bool    // the threshold is met
	Awarded   bool    // within the quota
	Tied      bool    // at the quota's edge, still undecided
}

// Result is the tally of one round of a ballot.
type Result struct {
	Ballot      string
	Round       int
	Rows        []Row // in candidate order
	Base        int   // what percentages are of
	Turnout     int   // valid ballots cast
	Awarded     []string
	Tied        []string // undecided at the quota's edge, in candidate order
	Seats       int      // places left for the Tied to fill
	NeedsRevote bool     // a new round among Tied for Seats places
	NeedsChair  bool     // the chair must choose Seats of Tied (ChairPicks)
	Winner      string   // elect: the one awarded, when decided
}

// Tally counts one round: a candidate passes when Votes meets the threshold,
// the passed are ranked by Votes (candidate order among equals) and awarded up
// to the quota (no limit when Quota ≤ 0; elect awards one). When candidates
// with equal Votes straddle the quota's edge, those above the edge are
// awarded and the tie rule settles the rest: revote (also when the file says
// nothing) asks for a new round; score awards the higher self-assessed score
// and asks for a revote among equal scores; chair awards ChairPicks, or asks
// for them.
//
// Percentages are compared as the minutes print them, rounded half up to two
// decimals, in integers: "66.67" in a file means two thirds, so 4 of 6
// meets ">= 66.67" and does not meet "> 66.67"; "> 50" of 6 needs 4 and
// ">= 50" needs 3. With a base of 0 nothing passes.
//
// Errors wrap ErrInvalid: an unknown kind, operator, base or tie rule, a
// negative count, or a chair pick that is not among the tied.
func Tally(in TallyInput) (Result, error) {
	b := in.Ballot
	if b.Kind != KindApprove && b.Kind != KindChoose && b.Kind != KindElect {
		return Result{}, fmt.Errorf("%w: ballot %s: unknown kind %q", ErrInvalid, b.ID, b.Kind)
	}
	if b.Threshold.Op != ">" && b.Threshold.Op != ">=" {
		return Result{}, fmt.Errorf("%w: ballot %s: unknown threshold operator %q", ErrInvalid, b.ID, b.Threshold.Op)
	}
	switch b.Tie {
	case "", TieRevote, TieScore, TieChair:
	default:
		return Result{}, fmt.Errorf("%w: ballot %s: unknown tie rule %q", ErrInvalid, b.ID, b.Tie)
	}
	res := Result{Ballot: b.ID, Round: in.Round, Turnout: in.Counters.Ballots}
	switch b.Threshold.Of {
	case BaseMembers:
		res.Base = in.Members
	case BasePresent:
		res.Base = in.Present
	case BaseValid:
		res.Base = in.Counters.Ballots
	default:
		return Result{}, fmt.Errorf("%w: ballot %s: unknown threshold base %q", ErrInvalid, b.ID, b.Threshold.Of)
	}
	if res.Base < 0 || in.Counters.Ballots < 0 {
		return Result{}, fmt.Errorf("%w: ballot %s: negative count", ErrInvalid, b.ID)
	}

	need := hundredths(b.Threshold.Percent)
	var ranked []int // indexes of passed rows
	for _, code := range in.Candidates {
		row := Row{Candidate: code}
		if b.Kind == KindApprove {
			row.Yes, row.No = in.Counters.Yes[code], in.Counters.No[code]
			row.Abstain = in.Counters.Ballots - row.Yes - row.No
			row.Votes = row.Yes
		} else {
			row.Votes = in.Counters.Picks[code]
		}
		if row.Yes < 0 || row.No < 0 || row.Abstain < 0 || row.Votes < 0 {
			return Result{}, fmt.Errorf("%w: ballot %s: negative count for %s", ErrInvalid, b.ID, code)
		}
		if res.Base > 0 {
			pct := percentHundredths(row.Votes, res.Base)
			row.Percent = float64(pct) / 100
			row.Passed = pct > need || (b.Threshold.Op == ">=" && pct == need)
		}
		if row.Passed {
			ranked = append(ranked, len(res.Rows))
		}
		res.Rows = append(res.Rows, row)
	}
	// Stable: among equal votes the candidate order stays.
	slices.SortStableFunc(ranked, func(i, j int) int { return res.Rows[j].Votes - res.Rows[i].Votes })

	quota := b.Quota
	if b.Kind == KindElect {
		quota = 1
	}
	if quota <= 0 || quota > len(ranked) {
		quota = len(ranked)
	}
	award := func(i int) {
		res.Rows[i].Awarded = true
		res.Awarded = append(res.Awarded, res.Rows[i].Candidate)
	}
	if quota == len(ranked) || res.Rows[ranked[quota]].Votes < res.Rows[ranked[quota-1]].Votes {
		for _, i := range ranked[:quota] {
			award(i)
		}
	} else {
		edge := res.Rows[ranked[quota-1]].Votes
		var tied []int
		for _, i := range ranked {
			switch {
			case res.Rows[i].Votes > edge:
				award(i)
			case res.Rows[i].Votes == edge:
				tied = append(tied, i)
			}
		}
		if err := settleTie(&res, in, tied, quota-len(res.Awarded), award); err != nil {
			return Result{}, err
		}
	}
	if b.Kind == KindElect && len(res.Awarded) == 1 {
		res.Winner = res.Awarded[0]
	}
	return res, nil
}

// hundredths turns a configured percentage into hundredths of a percent.
func hundredths(percent float64) int64 {
	return int64(math.Round(percent * 100))
}

// percentHundredths is count/base in hundredths of a percent, rounded half
// up, computed in integers so 4/6 is exactly 6667. base must be positive.
func percentHundredths(count, base int) int64 {
	return (int64(count)*20000 + int64(base)) / (2 * int64(base))
}

// PercentOf is count of base as the minutes print it: a percentage rounded
// half up to two decimals; 0 when base is 0.
func PercentOf(count, base int) float64 {
	if base <= 0 {
		return 0
	}
	return float64(percentHundredths(count, base)) / 100
}

// RevoteCandidates lists who stands in the next round: the tied, when r needs
// a revote; nil otherwise (a chair decision is not a revote).
func RevoteCandidates(r Result) []string {
	if !r.NeedsRevote {
		return nil
	}
	return slices.Clone(r.Tied)
}

// RevoteSpec is the ballot of the next round after r: the same ballot among
// the tied only, for the places left (a choose ballot allows no more picks
// than places). The tied have already met the threshold in the earlier round,
// so the revote only ranks them: its threshold is ">= 0" of the same base.
// The final awarded list is r.Awarded followed by the next round's.
func RevoteSpec(b BallotSpec, r Result) BallotSpec {
	next := b
	next.Candidates = Candidates{Codes: RevoteCandidates(r)}
	next.Prerequisite = ""
	next.Quota = r.Seats
	if next.Kind == KindChoose && (next.MaxChoices <= 0 || next.MaxChoices > r.Seats) {
		next.MaxChoices = r.Seats
	}
	next.Threshold = Threshold{Op: ">=", Percent: 0, Of: b.Threshold.Of}
	return next
}

// settleTie applies the ballot's tie rule to tied (row indexes, candidate
// order), who compete for seats places at the quota's edge.
func settleTie(res *Result, in TallyInput, tied []int, seats int, award func(int)) error {
	var undecided []int
	switch in.Ballot.Tie {
	case TieRevote, "":
		undecided = tied
		res.NeedsRevote = true
	case TieScore:
		score := func(i int) float64 { return in.Scores[res.Rows[i].Candidate] }
		byScore := slices.Clone(tied)
		slices.SortStableFunc(byScore, func(i, j int) int {
			switch si, sj := score(i), score(j); {
			case si > sj:
				return -1
			case si < sj:
				return 1
			}
			return 0
		})
		edge := score(byScore[seats-1])
		if score(byScore[seats]) < edge {
			for _, i := range byScore[:seats] {
				award(i)
			}
			return nil
		}
		// Equal scores at the edge: those above it are in, the rest vote again.
		for _, i := range byScore {
			switch {
			case score(i) > edge:
				award(i)
				seats--
			case score(i) == edge:
				undecided = append(undecided, i)
			}
		}
		slices.Sort(undecided)
		res.NeedsRevote = true
	case TieChair:
		if len(in.ChairPicks) > seats {
			return fmt.Errorf("%w: ballot %s: the chair may choose %d, not %d", ErrInvalid, in.Ballot.ID, seats, len(in.ChairPicks))
		}
		picked := make(map[int]bool, len(in.ChairPicks))
		for _, code := range in.ChairPicks {
			at := slices.IndexFunc(tied, func(i int) bool { return res.Rows[i].Candidate == code })
			if at < 0 || picked[tied[at]] {
				return fmt.Errorf("%w: ballot %s: the chair's pick %s is not one of the tied", ErrInvalid, in.Ballot.ID, code)
			}
			picked[tied[at]] = true
			award(tied[at])
			seats--
		}
		if seats == 0 {
			return nil
		}
		for _, i := range tied {
			if !picked[i] {
				undecided = append(undecided, i)
			}
		}
		res.NeedsChair = true
	default:
		return fmt.Errorf("%w: ballot %s: unknown tie rule %q", ErrInvalid, in.Ballot.ID, in.Ballot.Tie)
	}
	res.Seats = seats
	for _, i := range undecided {
		res.Rows[i].Tied = true
		res.Tied = append(res.Tied, res.Rows[i].Candidate)
	}
	return nil
}
