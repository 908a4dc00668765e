package handlers

import (
	"context"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage/storagetest"
)

// TestQuorumGate checks the function the ballot handlers call before a
// ballot opens: quorum as configured, guests left out, overrides recorded.
func TestQuorumGate(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	c := &domain.Conference{
		Cluster: domain.Cluster{ID: "cum1", Timezone: "Asia/Ho_Chi_Minh"}, ID: "tk", State: domain.StateInSession,
		Units:  []domain.Unit{{Code: "A"}, {Code: "B"}, {Code: "C"}},
		Guests: []domain.Unit{{Code: "G", Guest: true}},
		Quorum: domain.Quorum{Percent: 66.67, Of: domain.QuorumOfMembers},
		People: []domain.Person{
			{TelegramID: 1, Unit: "A", Roles: []domain.Role{domain.RoleHead}},
			{TelegramID: 2, Unit: "B", Roles: []domain.Role{domain.RoleHead}},
			{TelegramID: 9, Unit: "G", Roles: []domain.Role{domain.RoleObserver}},
		},
	}
	if err := s.SaveConference(ctx, c); err != nil {
		t.Fatal(err)
	}
	r := NewRouter(Deps{Store: s, Attendance: s})
	now := time.Date(2022, 11, 24, 8, 0, 0, 0, time.UTC)
	steps := []struct {
		name       string
		do         func() error
		reached    bool
		present    int
		overridden bool
	}{
		{"nobody", func() error { return nil }, false, 0, false},
		{"a guest does not count", func() error {
			_, err := s.MarkPresent(ctx, c.Ref(), 9, domain.Presence{Unit: "G", At: now})
			return err
		}, false, 0, false},
		{"one of three", func() error {
			_, err := s.MarkPresent(ctx, c.Ref(), 1, domain.Presence{Unit: "A", At: now})
			return err
		}, false, 1, false},
		{"overridden, recorded", func() error {
			_, err := s.OverrideQuorum(ctx, c.Ref(), domain.QuorumOverride{By: 1, At: now})
			return err
		}, false, 1, true},
		{"two of three reach 66.67 %", func() error {
			_, err := s.MarkUnitPresent(ctx, c.Ref(), "B", domain.Presence{Unit: "B", At: now})
			return err
		}, true, 2, true},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		reached, present, eligible, overridden, err := r.quorumGate(ctx, c.Ref())
		if err != nil || reached != st.reached || present != st.present || eligible != 3 || overridden != st.overridden {
			t.Errorf("%s: quorumGate = %v, %d/%d, overridden %v, %v", st.name, reached, present, eligible, overridden, err)
		}
	}
	if n, err := r.attendancePresentVoters(ctx, c, domain.BallotSpec{Voters: domain.VotersUnit}); err != nil || n != 2 {
		t.Errorf("attendancePresentVoters = %d, %v", n, err)
	}
}
