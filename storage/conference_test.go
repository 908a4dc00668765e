package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

func sampleConference() *domain.Conference {
	return &domain.Conference{
		Cluster: domain.Cluster{ID: "cum1", Name: "Cụm 1", Timezone: "Asia/Ho_Chi_Minh", Language: "vi"},
		Units:   []domain.Unit{{Code: "A", Name: "Đơn vị A"}, {Code: "B", Name: "Đơn vị B"}},
		ID:      "tk-2025", Title: "Hội nghị", State: domain.StateDraft,
		People: []domain.Person{
			{TelegramID: 11, Name: "Head A", Unit: "A", Roles: []domain.Role{domain.RoleHead}},
			{Username: "bob_b", Name: "Head B", Unit: "B", Roles: []domain.Role{domain.RoleHead, domain.RoleSecretary}},
		},
	}
}

func TestConferenceRoundTripAndMembers(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	c := sampleConference()
	if err := s.SaveConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conference(ctx, c.Ref())
	if err != nil || got.Title != c.Title || len(got.Units) != 2 {
		t.Fatalf("load: %+v, %v", got, err)
	}
	if _, err := s.Conference(ctx, "nope/x"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("missing conference: %v", err)
	}
	ms, _ := s.Memberships(ctx, 11)
	if len(ms) != 1 || ms[0].Unit != "A" {
		t.Fatalf("memberships of 11: %+v", ms)
	}
	// @bob_b is recognised on his first message, once.
	gained, _, err := s.ClaimUsername(ctx, 22, "@Bob_B")
	if err != nil || len(gained) != 1 || !gained[0].HasRole(domain.RoleSecretary) {
		t.Fatalf("claim: %+v, %v", gained, err)
	}
	if again, _, _ := s.ClaimUsername(ctx, 23, "bob_b"); len(again) != 0 {
		t.Errorf("a username was claimed twice: %+v", again)
	}
	// A re-import without Head A removes him; a person who joined by invite stays.
	if err := s.AddMember(ctx, 33, storage.Membership{Ref: c.Ref(), Unit: "B", Roles: []domain.Role{domain.RoleDelegate}, Source: storage.SourceInvite}); err != nil {
		t.Fatal(err)
	}
	c.People = c.People[1:]
	if err := s.SaveConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	members, _ := s.Members(ctx, c.Ref())
	if _, ok := members[11]; ok {
		t.Error("a person removed from the file is still a member")
	}
	if _, ok := members[33]; !ok {
		t.Error("a person who joined by invite was removed by a re-import")
	}
}

func TestUpdateConferenceRefusesIllegalTransition(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	c := sampleConference()
	if err := s.SaveConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	_, err := s.UpdateConference(ctx, c.Ref(), func(c *domain.Conference) error { return c.Transition(domain.StateClosed) })
	if !errors.Is(err, domain.ErrIllegalState) {
		t.Fatalf("draft → closed: %v", err)
	}
	got, _ := s.Conference(ctx, c.Ref())
	if got.State != domain.StateDraft {
		t.Errorf("state after a refused move: %s", got.State)
	}
}

// TestConferenceCacheFollowsOtherReplicas: a replica's decoded copy is
// replaced as soon as another replica changes the conference, and callers
// cannot change the cached copy.
func TestConferenceCacheFollowsOtherReplicas(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := storagetest.Redis(t)
	a, b := storage.New(rdb, prefix), storage.New(rdb, prefix)
	c := sampleConference()
	if err := a.SaveConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	first, err := a.Conference(ctx, c.Ref())
	if err != nil {
		t.Fatal(err)
	}
	first.Title = "changed by a careless caller"
	if _, err := b.UpdateConference(ctx, c.Ref(), func(c *domain.Conference) error { return c.Transition(domain.StateOpen) }); err != nil {
		t.Fatal(err)
	}
	got, err := a.Conference(ctx, c.Ref())
	if err != nil {
		t.Fatal(err)
	}
	if got.State != domain.StateOpen || got.Title != "Hội nghị" {
		t.Errorf("replica A sees state %s, title %q", got.State, got.Title)
	}
}
