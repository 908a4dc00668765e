package domain_test

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
)

// marks builds an approve vote from candidate/choice pairs.
func marks(pairs ...string) domain.Vote {
	v := domain.Vote{Approve: map[string]domain.Choice{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Approve[pairs[i]] = domain.Choice(pairs[i+1])
	}
	return v
}

// picks builds a choose or elect vote.
func picks(codes ...string) domain.Vote { return domain.Vote{Picks: codes} }

func TestValidateVote(t *testing.T) {
	all := refConference().MemberCodes()
	coBCA := refBallot(t, "co-bca")
	noSelfApprove := coBCA
	noSelfApprove.SelfVote = false
	bangKhen := refBallot(t, "bang-khen")
	noSelfChoose := bangKhen
	noSelfChoose.SelfVote = false
	chair := refBallot(t, "cum-truong-2023") // elect, self vote forbidden
	bangKhenCands := bangKhen.Candidates.Codes

	tests := []struct {
		name       string
		ballot     domain.BallotSpec
		candidates []string
		voter      string
		vote       domain.Vote
		wantCode   string // "" when valid
		wantKind   error
	}{
		{name: "approve: every candidate marked", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: marks("CNTT", "yes", "KHTC", "yes", "QLXD", "no", "TBKV", "abstain", "VTCY", "no", "VKHCN", "yes")},
		{name: "approve: partial, the rest abstain", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: marks("CNTT", "yes", "KHTC", "no")},
		{name: "approve: nothing marked is all abstain", ballot: coBCA, candidates: all, voter: "KHTC", vote: domain.Vote{}},
		{name: "approve: a guest marked", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: marks("CTDCT", "yes"), wantCode: domain.VoteNotCandidate, wantKind: domain.ErrInvalid},
		{name: "approve: unknown mark", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: marks("CNTT", "maybe"), wantCode: domain.VoteBadChoice, wantKind: domain.ErrInvalid},
		{name: "approve: picks instead of marks", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: picks("CNTT"), wantCode: domain.VoteWrongForm, wantKind: domain.ErrInvalid},
		{name: "approve: self yes allowed when self_vote", ballot: coBCA, candidates: all, voter: "KHTC",
			vote: marks("KHTC", "yes")},
		{name: "approve: self yes refused", ballot: noSelfApprove, candidates: all, voter: "KHTC",
			vote: marks("CNTT", "yes", "KHTC", "yes"), wantCode: domain.VoteSelf, wantKind: domain.ErrForbidden},
		{name: "approve: self no refused too", ballot: noSelfApprove, candidates: all, voter: "KHTC",
			vote: marks("KHTC", "no"), wantCode: domain.VoteSelf, wantKind: domain.ErrForbidden},
		{name: "approve: self explicit abstain allowed", ballot: noSelfApprove, candidates: all, voter: "KHTC",
			vote: marks("KHTC", "abstain", "CNTT", "yes")},
		{name: "approve: self unmarked allowed", ballot: noSelfApprove, candidates: all, voter: "KHTC",
			vote: marks("CNTT", "yes")},
		{name: "choose: two of four", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT", vote: picks("QLXD", "KHTC")},
		{name: "choose: one of four", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT", vote: picks("VTCY")},
		{name: "choose: three is too many", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT",
			vote: picks("KHTC", "QLXD", "TBKV"), wantCode: domain.VoteTooMany, wantKind: domain.ErrInvalid},
		{name: "choose: none", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT",
			vote: domain.Vote{}, wantCode: domain.VoteNoChoice, wantKind: domain.ErrInvalid},
		{name: "choose: the same twice", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT",
			vote: picks("KHTC", "KHTC"), wantCode: domain.VoteDuplicate, wantKind: domain.ErrInvalid},
		{name: "choose: not on the list", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT",
			vote: picks("CNTT"), wantCode: domain.VoteNotCandidate, wantKind: domain.ErrInvalid},
		{name: "choose: marks instead of picks", ballot: bangKhen, candidates: bangKhenCands, voter: "CNTT",
			vote: marks("KHTC", "yes"), wantCode: domain.VoteWrongForm, wantKind: domain.ErrInvalid},
		{name: "choose: self allowed when self_vote", ballot: bangKhen, candidates: bangKhenCands, voter: "KHTC",
			vote: picks("KHTC")},
		{name: "choose: self refused", ballot: noSelfChoose, candidates: bangKhenCands, voter: "KHTC",
			vote: picks("QLXD", "KHTC"), wantCode: domain.VoteSelf, wantKind: domain.ErrForbidden},
		{name: "elect: one", ballot: chair, candidates: all, voter: "CNTT", vote: picks("VKHCN")},
		{name: "elect: two is too many", ballot: chair, candidates: all, voter: "CNTT",
			vote: picks("VKHCN", "KHTC"), wantCode: domain.VoteTooMany, wantKind: domain.ErrInvalid},
		{name: "elect: none", ballot: chair, candidates: all, voter: "CNTT",
			vote: picks(), wantCode: domain.VoteNoChoice, wantKind: domain.ErrInvalid},
		{name: "elect: self refused (cum-truong forbids it)", ballot: chair, candidates: all, voter: "CNTT",
			vote: picks("CNTT"), wantCode: domain.VoteSelf, wantKind: domain.ErrForbidden},
		{name: "unknown ballot kind", ballot: domain.BallotSpec{Kind: "rank"}, candidates: all, voter: "CNTT",
			vote: picks("CNTT"), wantCode: domain.VoteWrongForm, wantKind: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateVote(tt.ballot, tt.candidates, tt.voter, tt.vote)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("ValidateVote() = %v, want nil", err)
				}
				return
			}
			var ve *domain.VoteError
			if !errors.As(err, &ve) {
				t.Fatalf("ValidateVote() = %v, want a *VoteError", err)
			}
			if ve.Code != tt.wantCode {
				t.Errorf("code = %q, want %q", ve.Code, tt.wantCode)
			}
			if !errors.Is(err, tt.wantKind) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantKind)
			}
			if ve.Error() == "" {
				t.Error("empty error text")
			}
		})
	}
}

func TestVoteErrorDetails(t *testing.T) {
	err := domain.ValidateVote(refBallot(t, "bang-khen"), []string{"KHTC", "QLXD", "TBKV"}, "CNTT", picks("KHTC", "QLXD", "TBKV"))
	var ve *domain.VoteError
	if !errors.As(err, &ve) || ve.Max != 2 {
		t.Fatalf("too many picks: got %#v, want Max 2", err)
	}
	err = domain.ValidateVote(refBallot(t, "co-bca"), []string{"KHTC"}, "CNTT", marks("VTCY", "yes"))
	if !errors.As(err, &ve) || ve.Candidate != "VTCY" {
		t.Fatalf("not a candidate: got %#v, want Candidate VTCY", err)
	}
}

func TestVoteEncoding(t *testing.T) {
	tests := []struct {
		name string
		vote domain.Vote
		want string
	}{
		{name: "marks sorted", vote: marks("KHTC", "no", "CNTT", "yes", "QLXD", "abstain"), want: "a:CNTT=y,KHTC=n,QLXD=a"},
		{name: "no marks", vote: marks(), want: "a:"},
		{name: "picks sorted", vote: picks("QLXD", "KHTC"), want: "p:KHTC,QLXD"},
		{name: "one pick", vote: picks("VKHCN"), want: "p:VKHCN"},
		{name: "no picks", vote: domain.Vote{}, want: "p:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.vote.Encode()
			if got != tt.want {
				t.Fatalf("Encode() = %q, want %q", got, tt.want)
			}
			back, err := domain.DecodeVote(got)
			if err != nil {
				t.Fatalf("DecodeVote(%q) error = %v", got, err)
			}
			if again := back.Encode(); again != got {
				t.Errorf("Encode(DecodeVote(%q)) = %q", got, again)
			}
			if !maps.Equal(back.Approve, tt.vote.Approve) || !slices.Equal(back.Picks, slices.Sorted(slices.Values(tt.vote.Picks))) {
				t.Errorf("DecodeVote(%q) = %#v, want the content of %#v", got, back, tt.vote)
			}
		})
	}
}

func TestDecodeVoteAcceptsAnyOrder(t *testing.T) {
	v, err := domain.DecodeVote("p:QLXD,KHTC")
	if err != nil || v.Encode() != "p:KHTC,QLXD" {
		t.Fatalf("DecodeVote(unsorted picks) = %#v, %v", v, err)
	}
}

func TestDecodeVoteRefuses(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"empty", ""},
		{"no form", "CNTT"},
		{"unknown form", "x:CNTT"},
		{"mark without choice", "a:CNTT"},
		{"unknown mark", "a:CNTT=q"},
		{"mark without code", "a:=y"},
		{"marked twice", "a:CNTT=y,CNTT=n"},
		{"empty pick", "p:CNTT,,KHTC"},
		{"picked twice", "p:CNTT,CNTT"},
		{"a mark among picks", "p:CNTT=y"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.DecodeVote(tt.in)
			if !errors.Is(err, domain.ErrInvalid) {
				t.Errorf("DecodeVote(%q) error = %v, want ErrInvalid", tt.in, err)
			}
		})
	}
}

func TestCounterKeys(t *testing.T) {
	tests := []struct {
		name   string
		ballot domain.BallotSpec
		vote   domain.Vote
		want   []string
	}{
		// Abstain marks add nothing but the ballot itself.
		{name: "approve", ballot: refBallot(t, "co-bca"), vote: marks("KHTC", "no", "CNTT", "yes", "QLXD", "abstain"),
			want: []string{"ballots", "no:KHTC", "yes:CNTT"}},
		{name: "approve, all abstain", ballot: refBallot(t, "co-bca"), vote: marks(), want: []string{"ballots"}},
		{name: "choose", ballot: refBallot(t, "bang-khen"), vote: picks("QLXD", "KHTC"),
			want: []string{"ballots", "pick:KHTC", "pick:QLXD"}},
		{name: "elect", ballot: refBallot(t, "cum-truong-2023"), vote: picks("VKHCN"), want: []string{"ballots", "pick:VKHCN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.vote.CounterKeys(tt.ballot); !slices.Equal(got, tt.want) {
				t.Errorf("CounterKeys() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCountersChangeOfMind(t *testing.T) {
	b := refBallot(t, "co-bca")
	var c domain.Counters
	first := marks("CNTT", "yes", "KHTC", "no")
	second := marks("CNTT", "no", "QLXD", "yes")
	c.Add(b, first, +1)
	c.Add(b, marks("CNTT", "yes"), +1) // another voter
	// The first voter changes their mind: remove the old ballot, add the new.
	c.Add(b, first, -1)
	c.Add(b, second, +1)
	// Two ballots: CNTT yes 1 (second voter) and no 1; QLXD yes 1; KHTC nothing.
	want := domain.Counters{Ballots: 2,
		Yes: map[string]int{"CNTT": 1, "QLXD": 1},
		No:  map[string]int{"CNTT": 1}}
	if !c.Equal(want) {
		t.Fatalf("counters = %+v, want %+v", c, want)
	}
	if _, left := c.No["KHTC"]; left {
		t.Error("a counter back at zero is kept")
	}
	wantHash := map[string]int{"ballots": 2, "yes:CNTT": 1, "yes:QLXD": 1, "no:CNTT": 1}
	if h := c.Hash(); !maps.Equal(h, wantHash) {
		t.Errorf("Hash() = %v, want %v", h, wantHash)
	}
	back, err := domain.CountersFromHash(c.Hash())
	if err != nil || !back.Equal(c) {
		t.Errorf("CountersFromHash(Hash()) = %+v, %v; want %+v", back, err, c)
	}
	if _, err := domain.CountersFromHash(map[string]int{"ballots": 1, "maybe:CNTT": 1}); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("CountersFromHash(unknown key) error = %v, want ErrInvalid", err)
	}
	if (domain.Counters{}).Equal(domain.Counters{Ballots: 1}) {
		t.Error("different ballots compare equal")
	}
	if !(domain.Counters{}).Equal(domain.Counters{Picks: map[string]int{}}) {
		t.Error("nil and empty maps compare different")
	}
}
