package domain_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
)

// spec builds a ballot for the tally tables.
func spec(kind domain.BallotKind, op string, percent float64, of domain.ThresholdBase, quota int, tie domain.TieRule) domain.BallotSpec {
	return domain.BallotSpec{ID: "t", Kind: kind, MaxChoices: 2, SelfVote: true,
		Threshold: domain.Threshold{Op: op, Percent: percent, Of: of}, Quota: quota, Tie: tie}
}

// yes gives approve counters: ballots cast and yes marks per candidate.
func yes(ballots int, counts map[string]int) domain.Counters {
	return domain.Counters{Ballots: ballots, Yes: counts}
}

// picked gives choose/elect counters.
func picked(ballots int, counts map[string]int) domain.Counters {
	return domain.Counters{Ballots: ballots, Picks: counts}
}

var abcde = []string{"A", "B", "C", "D", "E"}

func TestTally(t *testing.T) {
	all := refConference().MemberCodes()
	tests := []struct {
		name        string
		in          domain.TallyInput
		wantBase    int
		wantPassed  []string // candidate order
		wantAwarded []string // rank order
		wantTied    []string
		wantSeats   int
		wantRevote  bool
		wantChair   bool
		wantWinner  string
		wantPercent map[string]float64
	}{
		// co-bca: > 50 % of 6 members needs 4 yes (3/6 = 50.00 is not > 50).
		// CNTT 6, KHTC 5, QLXD 4 pass; TBKV 3 fails; quota 2 → CNTT, KHTC.
		{name: "reference co-bca",
			in: domain.TallyInput{Ballot: refBallot(t, "co-bca"), Round: 1, Candidates: all, Members: 6, Present: 6,
				Counters: domain.Counters{Ballots: 6,
					Yes: map[string]int{"CNTT": 6, "KHTC": 5, "QLXD": 4, "TBKV": 3, "VTCY": 2, "VKHCN": 1},
					No:  map[string]int{"TBKV": 2, "VTCY": 4}}},
			wantBase: 6, wantPassed: []string{"CNTT", "KHTC", "QLXD"}, wantAwarded: []string{"CNTT", "KHTC"},
			wantPercent: map[string]float64{"CNTT": 100, "KHTC": 83.33, "QLXD": 66.67, "TBKV": 50, "VTCY": 33.33, "VKHCN": 16.67}},
		// >= 50 % of 6 members needs 3.
		{name: ">= of members",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">=", 50, domain.BaseMembers, 0, ""), Candidates: abcde[:3],
				Members: 6, Present: 4, Counters: yes(4, map[string]int{"A": 3, "B": 2, "C": 4})},
			wantBase: 6, wantPassed: []string{"A", "C"}, wantAwarded: []string{"C", "A"}},
		// > 50 % of 5 present: 3/5 = 60 passes, 2/5 = 40 fails.
		{name: "> of present",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BasePresent, 0, ""), Candidates: abcde[:2],
				Members: 6, Present: 5, Counters: yes(5, map[string]int{"A": 3, "B": 2})},
			wantBase: 5, wantPassed: []string{"A"}, wantAwarded: []string{"A"}},
		// >= 50 % of 4 present: 2/4 = 50 passes.
		{name: ">= of present",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">=", 50, domain.BasePresent, 0, ""), Candidates: abcde[:2],
				Members: 6, Present: 4, Counters: yes(4, map[string]int{"A": 2, "B": 1})},
			wantBase: 4, wantPassed: []string{"A"}, wantAwarded: []string{"A"}},
		// bang-khen: > 50 % of 5 valid ballots needs 3: KHTC 4 (80), QLXD 3 (60) pass, TBKV 2 (40) fails.
		{name: "reference bang-khen, > of valid",
			in: domain.TallyInput{Ballot: refBallot(t, "bang-khen"), Candidates: []string{"KHTC", "QLXD", "TBKV", "VTCY"},
				Members: 6, Present: 6, Counters: picked(5, map[string]int{"KHTC": 4, "QLXD": 3, "TBKV": 2, "VTCY": 1})},
			wantBase: 5, wantPassed: []string{"KHTC", "QLXD"}, wantAwarded: []string{"KHTC", "QLXD"},
			wantPercent: map[string]float64{"KHTC": 80, "QLXD": 60, "TBKV": 40, "VTCY": 20}},
		// >= 50 % of 4 valid ballots needs 2.
		{name: ">= of valid",
			in: domain.TallyInput{Ballot: spec(domain.KindChoose, ">=", 50, domain.BaseValid, 0, ""), Candidates: abcde[:3],
				Members: 6, Present: 6, Counters: picked(4, map[string]int{"A": 2, "B": 1, "C": 3})},
			wantBase: 4, wantPassed: []string{"A", "C"}, wantAwarded: []string{"C", "A"}},
		// 4/6 prints as 66.67: meets ">= 66.67", not "> 66.67".
		{name: "two thirds, >=",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">=", 66.67, domain.BaseMembers, 0, ""), Candidates: abcde[:2],
				Members: 6, Counters: yes(6, map[string]int{"A": 4, "B": 3})},
			wantBase: 6, wantPassed: []string{"A"}, wantAwarded: []string{"A"}},
		{name: "two thirds, >",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 66.67, domain.BaseMembers, 0, ""), Candidates: abcde[:2],
				Members: 6, Counters: yes(6, map[string]int{"A": 4, "B": 5})},
			wantBase: 6, wantPassed: []string{"B"}, wantAwarded: []string{"B"}},
		// Quota cut without a tie: 4 pass (of 10 members, > 50 needs 6), quota 2 → the two best.
		{name: "quota cut",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieRevote), Candidates: abcde,
				Members: 10, Counters: yes(10, map[string]int{"A": 6, "B": 9, "C": 7, "D": 8, "E": 5})},
			wantBase: 10, wantPassed: []string{"A", "B", "C", "D"}, wantAwarded: []string{"B", "D"}},
		// Equal votes inside the quota are no tie: A 8, B 8, C 6; quota 2 → A, B.
		{name: "equal votes within the quota",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieRevote), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 8, "B": 8, "C": 6})},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"A", "B"}},
		// Fewer passed than the quota: everyone passed is in, ties or not.
		{name: "fewer passed than the quota",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 3, domain.TieRevote), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 7, "B": 7, "C": 2})},
			wantBase: 10, wantPassed: []string{"A", "B"}, wantAwarded: []string{"A", "B"}},
		// A 9 is above the edge; B, C at 7 compete for the one seat left.
		{name: "tie at the edge, revote",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieRevote), Candidates: abcde[:4],
				Members: 10, Counters: yes(10, map[string]int{"A": 9, "B": 7, "C": 7, "D": 6})},
			wantBase: 10, wantPassed: []string{"A", "B", "C", "D"}, wantAwarded: []string{"A"},
			wantTied: []string{"B", "C"}, wantSeats: 1, wantRevote: true},
		{name: "no tie rule in the file means revote",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 1, ""), Candidates: abcde[:2],
				Members: 10, Counters: yes(10, map[string]int{"A": 7, "B": 7})},
			wantBase: 10, wantPassed: []string{"A", "B"}, wantTied: []string{"A", "B"}, wantSeats: 1, wantRevote: true},
		// Three at 7 for two seats: nobody is above the edge.
		{name: "three tied for two seats, revote",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieRevote), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 7, "B": 7, "C": 7})},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantTied: []string{"A", "B", "C"}, wantSeats: 2, wantRevote: true},
		// Score: B 90, C 95 → C takes the seat left after A.
		{name: "tie at the edge, score decides",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieScore), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 9, "B": 7, "C": 7}),
				Scores: map[string]float64{"A": 80, "B": 90, "C": 95}},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"A", "C"}},
		{name: "tie at the edge, equal scores revote",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieScore), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 9, "B": 7, "C": 7}),
				Scores: map[string]float64{"B": 92.5, "C": 92.5}},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"A"},
			wantTied: []string{"B", "C"}, wantSeats: 1, wantRevote: true},
		// Three at 7 for two seats; scores B 90, C 95, D 90: C is in, B and D revote for one seat.
		{name: "tie at the edge, score then revote",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieScore), Candidates: abcde[:4],
				Members: 10, Counters: yes(10, map[string]int{"B": 7, "C": 7, "D": 7}),
				Scores: map[string]float64{"B": 90, "C": 95, "D": 90}},
			wantBase: 10, wantPassed: []string{"B", "C", "D"}, wantAwarded: []string{"C"},
			wantTied: []string{"B", "D"}, wantSeats: 1, wantRevote: true},
		// A missing score counts as 0.
		{name: "tie, a missing score loses",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 1, domain.TieScore), Candidates: abcde[:2],
				Members: 10, Counters: yes(10, map[string]int{"A": 7, "B": 7}), Scores: map[string]float64{"B": 10}},
			wantBase: 10, wantPassed: []string{"A", "B"}, wantAwarded: []string{"B"}},
		{name: "tie at the edge, chair not yet decided",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieChair), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 9, "B": 7, "C": 7})},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"A"},
			wantTied: []string{"B", "C"}, wantSeats: 1, wantChair: true},
		{name: "tie at the edge, chair picked",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieChair), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 9, "B": 7, "C": 7}), ChairPicks: []string{"C"}},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"A", "C"}},
		// Three tied for two seats, the chair has chosen one so far.
		{name: "chair picked part of the seats",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BaseMembers, 2, domain.TieChair), Candidates: abcde[:3],
				Members: 10, Counters: yes(10, map[string]int{"A": 7, "B": 7, "C": 7}), ChairPicks: []string{"B"}},
			wantBase: 10, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"B"},
			wantTied: []string{"A", "C"}, wantSeats: 1, wantChair: true},
		// Base 0: nothing passes, no division by zero.
		{name: "base 0, no valid ballots",
			in: domain.TallyInput{Ballot: spec(domain.KindChoose, ">=", 0, domain.BaseValid, 1, ""), Candidates: abcde[:2],
				Members: 6, Counters: picked(0, nil)},
			wantBase: 0, wantPercent: map[string]float64{"A": 0, "B": 0}},
		{name: "base 0, nobody present",
			in: domain.TallyInput{Ballot: spec(domain.KindApprove, ">", 50, domain.BasePresent, 1, ""), Candidates: abcde[:2],
				Members: 6, Counters: yes(0, nil)},
			wantBase: 0},
		// cum-truong-2023: > 50 % of 6 present needs 4: VKHCN 4 wins.
		{name: "reference cum-truong-2023",
			in: domain.TallyInput{Ballot: refBallot(t, "cum-truong-2023"), Candidates: all, Members: 6, Present: 6,
				Counters: picked(6, map[string]int{"VKHCN": 4, "KHTC": 2})},
			wantBase: 6, wantPassed: []string{"VKHCN"}, wantAwarded: []string{"VKHCN"}, wantWinner: "VKHCN",
			wantPercent: map[string]float64{"VKHCN": 66.67, "KHTC": 33.33, "CNTT": 0}},
		// 3 and 3 of 6: 50 % is not > 50 %, nobody is elected.
		{name: "elect without a majority",
			in: domain.TallyInput{Ballot: refBallot(t, "cum-truong-2023"), Candidates: all, Members: 6, Present: 6,
				Counters: picked(6, map[string]int{"VKHCN": 3, "KHTC": 3})},
			wantBase: 6},
		// co-cp among co-bca's holders, both 3 of 6 with ">= 50": tied for the one seat.
		{name: "elect tie, revote",
			in: domain.TallyInput{Ballot: func() domain.BallotSpec {
				b := refBallot(t, "co-cp")
				b.Threshold.Op = ">="
				return b
			}(), Candidates: []string{"CNTT", "KHTC"}, Members: 6, Present: 6,
				Counters: picked(6, map[string]int{"CNTT": 3, "KHTC": 3})},
			wantBase: 6, wantPassed: []string{"CNTT", "KHTC"}, wantTied: []string{"CNTT", "KHTC"}, wantSeats: 1, wantRevote: true},
		// An elect ballot awards one even if the file's quota says more.
		{name: "elect awards one",
			in: domain.TallyInput{Ballot: spec(domain.KindElect, ">=", 0, domain.BaseValid, 3, ""), Candidates: abcde[:3],
				Counters: picked(5, map[string]int{"A": 1, "B": 3, "C": 1})},
			wantBase: 5, wantPassed: []string{"A", "B", "C"}, wantAwarded: []string{"B"}, wantWinner: "B"},
		// Counters for someone no longer a candidate are left out.
		{name: "stale counters ignored",
			in: domain.TallyInput{Ballot: spec(domain.KindChoose, ">", 0, domain.BaseValid, 0, ""), Candidates: abcde[:1],
				Counters: picked(2, map[string]int{"A": 1, "Z": 2})},
			wantBase: 2, wantPassed: []string{"A"}, wantAwarded: []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.Tally(tt.in)
			if err != nil {
				t.Fatalf("Tally() error = %v", err)
			}
			if got.Base != tt.wantBase || got.Turnout != tt.in.Counters.Ballots {
				t.Errorf("base, turnout = %d, %d; want %d, %d", got.Base, got.Turnout, tt.wantBase, tt.in.Counters.Ballots)
			}
			var passed []string
			for i, row := range got.Rows {
				if row.Candidate != tt.in.Candidates[i] {
					t.Fatalf("row %d is %s, want %s (candidate order)", i, row.Candidate, tt.in.Candidates[i])
				}
				if row.Passed {
					passed = append(passed, row.Candidate)
				}
				if row.Awarded != slices.Contains(got.Awarded, row.Candidate) || row.Tied != slices.Contains(got.Tied, row.Candidate) {
					t.Errorf("row %s flags disagree with the lists: %+v", row.Candidate, row)
				}
				if want, ok := tt.wantPercent[row.Candidate]; ok && row.Percent != want {
					t.Errorf("percent of %s = %v, want %v", row.Candidate, row.Percent, want)
				}
			}
			check := func(what string, got, want []string) {
				if !slices.Equal(got, want) {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			check("passed", passed, tt.wantPassed)
			check("awarded", got.Awarded, tt.wantAwarded)
			check("tied", got.Tied, tt.wantTied)
			if got.Seats != tt.wantSeats || got.NeedsRevote != tt.wantRevote || got.NeedsChair != tt.wantChair || got.Winner != tt.wantWinner {
				t.Errorf("seats, revote, chair, winner = %d, %v, %v, %q; want %d, %v, %v, %q",
					got.Seats, got.NeedsRevote, got.NeedsChair, got.Winner, tt.wantSeats, tt.wantRevote, tt.wantChair, tt.wantWinner)
			}
		})
	}
}

func TestTallyApproveRow(t *testing.T) {
	// 6 ballots on CNTT: 3 yes, 1 no, so 2 abstain (marked or unmarked).
	got, err := domain.Tally(domain.TallyInput{Ballot: refBallot(t, "co-bca"), Candidates: []string{"CNTT"}, Members: 6,
		Counters: domain.Counters{Ballots: 6, Yes: map[string]int{"CNTT": 3}, No: map[string]int{"CNTT": 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Row{Candidate: "CNTT", Yes: 3, No: 1, Abstain: 2, Votes: 3, Percent: 50}
	if got.Rows[0] != want {
		t.Errorf("row = %+v, want %+v", got.Rows[0], want)
	}
	if got.Ballot != "co-bca" {
		t.Errorf("ballot = %q", got.Ballot)
	}
}

func TestTallyRefuses(t *testing.T) {
	ok := spec(domain.KindApprove, ">", 50, domain.BaseMembers, 1, domain.TieChair)
	with := func(change func(*domain.BallotSpec)) domain.BallotSpec {
		b := ok
		change(&b)
		return b
	}
	tied := yes(4, map[string]int{"A": 3, "B": 3})
	tests := []struct {
		name string
		in   domain.TallyInput
	}{
		{"unknown kind", domain.TallyInput{Ballot: with(func(b *domain.BallotSpec) { b.Kind = "rank" })}},
		{"unknown operator", domain.TallyInput{Ballot: with(func(b *domain.BallotSpec) { b.Threshold.Op = "=" })}},
		{"unknown base", domain.TallyInput{Ballot: with(func(b *domain.BallotSpec) { b.Threshold.Of = "all" })}},
		{"unknown tie rule", domain.TallyInput{Ballot: with(func(b *domain.BallotSpec) { b.Tie = "coin" })}},
		{"negative count", domain.TallyInput{Ballot: ok, Candidates: abcde[:1], Members: 4, Counters: yes(4, map[string]int{"A": -1})}},
		{"more marks than ballots", domain.TallyInput{Ballot: ok, Candidates: abcde[:1], Members: 4,
			Counters: domain.Counters{Ballots: 1, Yes: map[string]int{"A": 1}, No: map[string]int{"A": 1}}}},
		{"chair pick not tied", domain.TallyInput{Ballot: ok, Candidates: abcde[:3], Members: 4, Counters: tied, ChairPicks: []string{"C"}}},
		{"negative base", domain.TallyInput{Ballot: ok, Candidates: abcde[:1], Members: -1}},
		{"chair picks one twice", domain.TallyInput{Ballot: with(func(b *domain.BallotSpec) { b.Quota = 2 }), Candidates: abcde[:3], Members: 4,
			Counters: yes(4, map[string]int{"A": 3, "B": 3, "C": 3}), ChairPicks: []string{"A", "A"}}},
		{"chair picks too many", domain.TallyInput{Ballot: ok, Candidates: abcde[:2], Members: 4, Counters: tied, ChairPicks: []string{"A", "B"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := domain.Tally(tt.in); !errors.Is(err, domain.ErrInvalid) {
				t.Errorf("Tally() error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestRevote(t *testing.T) {
	b := refBallot(t, "bang-khen") // choose 2 of 4, > 50 % of valid, quota 2, tie: chair
	b.Tie = domain.TieRevote
	// 6 ballots: KHTC 6, QLXD 4, TBKV 4 → KHTC in; QLXD, TBKV tied for one seat.
	first, err := domain.Tally(domain.TallyInput{Ballot: b, Round: 1, Candidates: b.Candidates.Codes, Members: 6,
		Counters: picked(6, map[string]int{"KHTC": 6, "QLXD": 4, "TBKV": 4})})
	if err != nil {
		t.Fatal(err)
	}
	if got := domain.RevoteCandidates(first); !slices.Equal(got, []string{"QLXD", "TBKV"}) {
		t.Fatalf("RevoteCandidates() = %v", got)
	}
	next := domain.RevoteSpec(b, first)
	if !slices.Equal(next.Candidates.Codes, []string{"QLXD", "TBKV"}) || next.Quota != 1 || next.MaxChoices != 1 ||
		next.Threshold != (domain.Threshold{Op: ">=", Percent: 0, Of: domain.BaseValid}) || next.ID != b.ID {
		t.Fatalf("RevoteSpec() = %+v", next)
	}
	// Round 2: QLXD 2, TBKV 3 of 5 ballots → TBKV.
	second, err := domain.Tally(domain.TallyInput{Ballot: next, Round: 2, Candidates: next.Candidates.Codes, Members: 6,
		Counters: picked(5, map[string]int{"QLXD": 2, "TBKV": 3})})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Awarded, []string{"TBKV"}) || second.NeedsRevote || second.Round != 2 {
		t.Errorf("round 2 = %+v", second)
	}
	if got := domain.RevoteCandidates(second); got != nil {
		t.Errorf("RevoteCandidates(decided) = %v, want nil", got)
	}
	chairTie := first
	chairTie.NeedsRevote, chairTie.NeedsChair = false, true
	if got := domain.RevoteCandidates(chairTie); got != nil {
		t.Errorf("RevoteCandidates(chair decides) = %v, want nil", got)
	}
}

func TestPercentOf(t *testing.T) {
	for _, tt := range []struct {
		count, base int
		want        float64
	}{{4, 6, 66.67}, {2, 3, 66.67}, {1, 3, 33.33}, {1, 8, 12.5}, {1, 0, 0}, {6, 6, 100}, {1, 200000, 0}, {1, 20000, 0.01}} {
		if got := domain.PercentOf(tt.count, tt.base); got != tt.want {
			t.Errorf("PercentOf(%d, %d) = %v, want %v", tt.count, tt.base, got, tt.want)
		}
	}
}
