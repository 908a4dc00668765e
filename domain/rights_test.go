package domain_test

import (
	"slices"
	"testing"

	"github.com/confbot/confbot/domain"
)

func rightsConference() *domain.Conference {
	return &domain.Conference{
		Cluster: domain.Cluster{ID: "c"}, ID: "y",
		Units:  []domain.Unit{{Code: "A"}, {Code: "B"}, {Code: "C"}},
		Guests: []domain.Unit{{Code: "G", Guest: true}},
	}
}

func member(unit string, roles ...domain.Role) domain.Membership {
	return domain.Membership{Ref: "c/y", Unit: unit, Roles: roles}
}

func TestCastRights(t *testing.T) {
	c := rightsConference()
	members := map[int64]domain.Membership{
		1: member("A", domain.RoleHead),
		2: member("A", domain.RoleDelegate),
		3: member("A", domain.RoleDelegate),
		4: member("B", domain.RoleHead, domain.RoleSecretary),
		5: member("C", domain.RoleDelegate), // C has no known head
		6: member("G", domain.RoleObserver),
		7: member("A", domain.RoleSecretary),
	}
	rights := domain.NewCastRights(c, members, map[int64]string{3: "A"})
	unit := domain.BallotSpec{Voters: domain.VotersUnit}
	person := domain.BallotSpec{Voters: domain.VotersDelegate}
	other := member("A", domain.RoleHead)
	other.Ref = "c/other-year"
	tests := []struct {
		name    string
		spec    domain.BallotSpec
		user    int64
		m       *domain.Membership
		wantKey string
		wantOK  bool
	}{
		{"a head casts the unit's ballot", unit, 1, ptr(members[1]), "A", true},
		{"a delegate not authorised does not", unit, 2, ptr(members[2]), "", false},
		{"an authorised delegate does", unit, 3, ptr(members[3]), "A", true},
		{"a head who is also secretary does", unit, 4, ptr(members[4]), "B", true},
		{"a delegate of a headless unit does", unit, 5, ptr(members[5]), "C", true},
		{"a guest never does", unit, 6, ptr(members[6]), "", false},
		{"a secretary only does not", unit, 7, ptr(members[7]), "", false},
		{"a stranger does not", unit, 8, nil, "", false},
		{"a membership of another conference does not count", unit, 1, &other, "", false},
		{"per-person ballot: a delegate votes as themself", person, 2, ptr(members[2]), "2", true},
		{"per-person ballot: a head votes as themself", person, 1, ptr(members[1]), "1", true},
		{"per-person ballot: a guest does not", person, 6, ptr(members[6]), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, ok := rights.VoterKey(tc.spec, tc.user, tc.m)
			if key != tc.wantKey || ok != tc.wantOK {
				t.Errorf("VoterKey = %q, %v; want %q, %v", key, ok, tc.wantKey, tc.wantOK)
			}
		})
	}
}

func TestOwnVoterKeyAndRoll(t *testing.T) {
	c := rightsConference()
	members := map[int64]domain.Membership{1: member("A", domain.RoleHead), 2: member("A", domain.RoleDelegate), 6: member("G", domain.RoleObserver)}
	unit := domain.BallotSpec{Voters: domain.VotersUnit}
	person := domain.BallotSpec{Voters: domain.VotersDelegate}
	tests := []struct {
		name    string
		spec    domain.BallotSpec
		user    int64
		wantKey string
		wantOK  bool
	}{
		{"a delegate looks up the unit's receipt", unit, 2, "A", true},
		{"a guest has none", unit, 6, "", false},
		{"per-person: one's own", person, 2, "2", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := members[tc.user]
			key, ok := domain.OwnVoterKey(c, tc.spec, tc.user, &m)
			if key != tc.wantKey || ok != tc.wantOK {
				t.Errorf("OwnVoterKey = %q, %v; want %q, %v", key, ok, tc.wantKey, tc.wantOK)
			}
		})
	}
	if got := domain.EligibleKeys(c, unit, members); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("unit roll = %v, want every member unit", got)
	}
	got := domain.EligibleKeys(c, person, members)
	slices.Sort(got)
	if !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("per-person roll = %v, want the head and the delegate", got)
	}
}

func ptr[T any](v T) *T { return &v }
