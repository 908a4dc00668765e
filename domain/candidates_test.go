package domain_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
)

// refConference is the reference scenario of examples/cum8-2022.yaml: six
// member units, one guest and its four ballots.
func refConference() *domain.Conference {
	majority := func(of domain.ThresholdBase) domain.Threshold {
		return domain.Threshold{Op: ">", Percent: 50, Of: of}
	}
	return &domain.Conference{
		Cluster: domain.Cluster{ID: "cum8-bt", Timezone: "Asia/Ho_Chi_Minh"},
		ID:      "tk-2022",
		Units: []domain.Unit{
			{Code: "CNTT"}, {Code: "KHTC"}, {Code: "QLXD"}, {Code: "TBKV"}, {Code: "VTCY"}, {Code: "VKHCN"},
		},
		Guests:    []domain.Unit{{Code: "CTDCT", Guest: true}},
		ChairUnit: "CNTT",
		Quorum:    domain.Quorum{Percent: 66.67, Of: domain.QuorumOfMembers},
		Ballots: []domain.BallotSpec{
			{ID: "co-bca", Kind: domain.KindApprove, Candidates: domain.Candidates{All: true},
				Voters: domain.VotersUnit, Secret: true, SelfVote: true, Threshold: majority(domain.BaseMembers), Quota: 2},
			{ID: "co-cp", Kind: domain.KindElect, Candidates: domain.Candidates{AwardedOf: "co-bca"}, MaxChoices: 1,
				Voters: domain.VotersUnit, Secret: true, SelfVote: true, Threshold: majority(domain.BaseMembers), Quota: 1,
				Tie: domain.TieRevote, Prerequisite: "co-bca"},
			{ID: "bang-khen", Kind: domain.KindChoose, Candidates: domain.Candidates{Codes: []string{"KHTC", "QLXD", "TBKV", "VTCY"}},
				MaxChoices: 2, Voters: domain.VotersUnit, SelfVote: true, Threshold: majority(domain.BaseValid), Quota: 2,
				Tie: domain.TieChair},
			{ID: "cum-truong-2023", Kind: domain.KindElect, Candidates: domain.Candidates{All: true}, MaxChoices: 1,
				Voters: domain.VotersUnit, Secret: true, SelfVote: false, Threshold: majority(domain.BasePresent), Quota: 1,
				OnResult: "handover"},
		},
	}
}

// refBallot returns one of the reference conference's ballots.
func refBallot(t *testing.T, id string) domain.BallotSpec {
	t.Helper()
	b, ok := refConference().Ballot(id)
	if !ok {
		t.Fatalf("no ballot %s in the reference conference", id)
	}
	return b
}

func TestCandidatesOf(t *testing.T) {
	all := []string{"CNTT", "KHTC", "QLXD", "TBKV", "VTCY", "VKHCN"}
	withCodes := func(codes ...string) domain.BallotSpec {
		return domain.BallotSpec{ID: "x", Candidates: domain.Candidates{Codes: codes}}
	}
	tests := []struct {
		name    string
		ballot  domain.BallotSpec
		awarded map[string][]string
		want    []string
		wantErr error
	}{
		{name: "all member units in file order, guest left out", ballot: refBallot(t, "co-bca"), want: all},
		{name: "explicit list as written", ballot: refBallot(t, "bang-khen"),
			want: []string{"KHTC", "QLXD", "TBKV", "VTCY"}},
		// co-bca awarded KHTC then CNTT (by votes); candidates come back in file order.
		{name: "holders of an earlier title", ballot: refBallot(t, "co-cp"),
			awarded: map[string][]string{"co-bca": {"KHTC", "CNTT"}}, want: []string{"CNTT", "KHTC"}},
		{name: "earlier ballot not decided", ballot: refBallot(t, "co-cp"),
			awarded: map[string][]string{"bang-khen": {"KHTC"}}, wantErr: domain.ErrIllegalState},
		{name: "earlier ballot awarded nobody", ballot: refBallot(t, "co-cp"),
			awarded: map[string][]string{"co-bca": {}}, wantErr: domain.ErrIllegalState},
		{name: "a guest listed", ballot: withCodes("KHTC", "CTDCT"), wantErr: domain.ErrInvalid},
		{name: "an unknown code listed", ballot: withCodes("NOPE"), wantErr: domain.ErrInvalid},
		{name: "a code listed twice", ballot: withCodes("KHTC", "KHTC"), wantErr: domain.ErrInvalid},
		{name: "no candidates configured", ballot: domain.BallotSpec{ID: "x"}, wantErr: domain.ErrInvalid},
		{name: "prerequisite keeps holders among all",
			ballot:  domain.BallotSpec{ID: "x", Candidates: domain.Candidates{All: true}, Prerequisite: "co-bca"},
			awarded: map[string][]string{"co-bca": {"VKHCN", "KHTC"}}, want: []string{"KHTC", "VKHCN"}},
		{name: "prerequisite keeps holders among a list, list order",
			ballot:  domain.BallotSpec{ID: "x", Candidates: domain.Candidates{Codes: []string{"VTCY", "QLXD", "KHTC"}}, Prerequisite: "co-bca"},
			awarded: map[string][]string{"co-bca": {"KHTC", "VTCY", "CNTT"}}, want: []string{"VTCY", "KHTC"}},
		{name: "prerequisite not decided",
			ballot:  domain.BallotSpec{ID: "x", Candidates: domain.Candidates{All: true}, Prerequisite: "co-bca"},
			wantErr: domain.ErrIllegalState},
		{name: "prerequisite that no candidate holds",
			ballot:  domain.BallotSpec{ID: "x", Candidates: domain.Candidates{Codes: []string{"QLXD"}}, Prerequisite: "co-bca"},
			awarded: map[string][]string{"co-bca": {"KHTC"}}, wantErr: domain.ErrIllegalState},
		// One award per achievement: not-awarded leaves another ballot's winners out.
		{name: "not-awarded alone: every member unit but the winners",
			ballot:  notAwarded(domain.Candidates{}, "co-bca"),
			awarded: map[string][]string{"co-bca": {"KHTC", "CNTT"}}, want: []string{"QLXD", "TBKV", "VTCY", "VKHCN"}},
		{name: "all and not-awarded",
			ballot:  notAwarded(domain.Candidates{All: true}, "cum-truong-2023"),
			awarded: map[string][]string{"cum-truong-2023": {"VKHCN"}}, want: []string{"CNTT", "KHTC", "QLXD", "TBKV", "VTCY"}},
		{name: "a list and not-awarded, list order",
			ballot:  notAwarded(domain.Candidates{Codes: []string{"VTCY", "KHTC", "QLXD", "TBKV"}}, "co-bca"),
			awarded: map[string][]string{"co-bca": {"KHTC", "CNTT"}}, want: []string{"VTCY", "QLXD", "TBKV"}},
		{name: "awarded and not-awarded: holders of one title less the winners of another",
			ballot: domain.BallotSpec{ID: "x", Prerequisite: "co-bca",
				Candidates: domain.Candidates{AwardedOf: "co-bca", NotAwardedOf: []string{"co-cp"}}},
			awarded: map[string][]string{"co-bca": {"KHTC", "CNTT"}, "co-cp": {"CNTT"}}, want: []string{"KHTC"}},
		{name: "two not-awarded ballots",
			ballot:  notAwarded(domain.Candidates{All: true}, "co-bca", "co-cp"),
			awarded: map[string][]string{"co-bca": {"KHTC"}, "co-cp": {"VKHCN"}}, want: []string{"CNTT", "QLXD", "TBKV", "VTCY"}},
		{name: "a not-awarded ballot that awarded nobody leaves everyone",
			ballot:  notAwarded(domain.Candidates{All: true}, "co-bca"),
			awarded: map[string][]string{"co-bca": {}}, want: all},
		{name: "not-awarded ballot not decided",
			ballot:  notAwarded(domain.Candidates{All: true}, "co-bca"),
			awarded: map[string][]string{"co-cp": {"CNTT"}}, wantErr: domain.ErrIllegalState},
		{name: "not-awarded leaving nobody",
			ballot:  notAwarded(domain.Candidates{Codes: []string{"KHTC"}}, "co-bca"),
			awarded: map[string][]string{"co-bca": {"KHTC"}}, wantErr: domain.ErrIllegalState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := refConference().CandidatesOf(tt.ballot, tt.awarded)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("CandidatesOf() error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("CandidatesOf() error = %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("CandidatesOf() = %v, want %v", got, tt.want)
			}
		})
	}
}

// notAwarded is a ballot x whose candidates leave out the winners of others.
func notAwarded(c domain.Candidates, others ...string) domain.BallotSpec {
	c.NotAwardedOf = others
	return domain.BallotSpec{ID: "x", Candidates: c}
}

func TestPendingReference(t *testing.T) {
	b := domain.BallotSpec{ID: "x", Prerequisite: "co-bca",
		Candidates: domain.Candidates{AwardedOf: "co-bca", NotAwardedOf: []string{"co-cp", "co-bca"}}}
	tests := []struct {
		name    string
		awarded map[string][]string
		want    string
	}{
		{"nothing decided: the prerequisite first", nil, "co-bca"},
		{"the prerequisite decided: the excluded ballot", map[string][]string{"co-bca": {"KHTC"}}, "co-cp"},
		{"all decided", map[string][]string{"co-bca": {"KHTC"}, "co-cp": {}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.PendingReference(tt.awarded); got != tt.want {
				t.Errorf("PendingReference() = %q, want %q", got, tt.want)
			}
		})
	}
	if got := b.References(); !slices.Equal(got, []string{"co-bca", "co-cp"}) {
		t.Errorf("References() = %v, want each ballot once", got)
	}
}

func TestCandidatesOfDoesNotShareTheList(t *testing.T) {
	c := refConference()
	b := refBallot(t, "bang-khen")
	got, err := c.CandidatesOf(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	got[0] = "CHANGED"
	if b.Candidates.Codes[0] != "KHTC" {
		t.Errorf("changing the returned list changed the ballot: %v", b.Candidates.Codes)
	}
}
