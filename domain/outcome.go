package domain

// Outcome is where a ballot stands after its rounds: who holds the title
// and whether anything is left to decide.
type Outcome struct {
	Awarded     []string // in rank order: earlier rounds' awards first
	Decided     bool     // no revote or chair decision pending
	NeedsRevote bool
	NeedsChair  bool
	Rounds      int
}

// OutcomeOf combines a ballot's rounds (in round order): each round after
// the first is a revote among the previous round's tied candidates, for
// the places that were left.
func OutcomeOf(rounds []Result) Outcome {
	var o Outcome
	for _, r := range rounds {
		o.Awarded = append(o.Awarded, r.Awarded...)
		o.Rounds = r.Round
	}
	if len(rounds) == 0 {
		return o
	}
	last := rounds[len(rounds)-1]
	o.NeedsRevote, o.NeedsChair = last.NeedsRevote, last.NeedsChair
	o.Decided = !last.NeedsRevote && !last.NeedsChair
	return o
}

// AwardedMap gives the awarded units of every decided ballot, the input
// CandidatesOf needs for `awarded:BALLOT` candidates.
func AwardedMap(results map[string][]Result) map[string][]string {
	out := map[string][]string{}
	for id, rounds := range results {
		if o := OutcomeOf(rounds); o.Decided {
			out[id] = append([]string{}, o.Awarded...)
		}
	}
	return out
}
