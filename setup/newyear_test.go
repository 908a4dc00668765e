package setup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/setup"
)

func closedReference(t *testing.T) *domain.Conference {
	t.Helper()
	c, err := conffile.Parse(examples.Cum8)
	if err != nil {
		t.Fatal(err)
	}
	c.State, c.NextChairUnit, c.NextDeputyUnit = domain.StateClosed, "VKHCN", "KHTC"
	return c
}

func TestNextYear(t *testing.T) {
	c := closedReference(t)
	n, err := setup.NextYear(c, 2023)
	if err != nil {
		t.Fatal(err)
	}
	loc := c.TimeZone()
	checks := []struct {
		name      string
		got, want any
	}{
		{"ref", n.Ref(), "cum8-bt/tk-2023"},
		{"year", n.Year, 2023},
		{"title", n.Title, "Hội nghị tổng kết phong trào thi đua “Vì an ninh Tổ quốc” Cụm thi đua số 8 năm 2023"},
		{"state", n.State, domain.StateDraft},
		{"chair", n.ChairUnit, "VKHCN"},
		{"deputy", n.DeputyUnit, "KHTC"},
		{"next chair", n.NextChairUnit, ""},
		{"next deputy", n.NextDeputyUnit, ""},
		{"starts", n.StartsAt.In(loc).Format("2006-01-02 15:04"), "2023-11-24 08:00"},
		{"ends", n.EndsAt.In(loc).Format("2006-01-02 15:04"), "2023-11-24 11:30"},
		{"summary deadline", n.SummaryDeadline.In(loc).Format("2006-01-02 15:04"), "2023-11-17 17:00"},
		{"check-in", n.CheckinOpens.In(loc).Format("2006-01-02 15:04"), "2023-11-24 07:00"},
		{"units", len(n.Units), 6},
		{"guests", len(n.Guests), 1},
		{"people", len(n.People), len(c.People)},
		{"ballots", len(n.Ballots), 5},
		{"deputy ballot id", n.Ballots[4].ID, "cum-pho-2024"},
		{"deputy ballot leaves the new chair out", strings.Join(n.Ballots[4].Candidates.NotAwardedOf, ","), "cum-truong-2024"},
		{"bang-khen leaves co-bca's winners out", strings.Join(n.Ballots[2].Candidates.NotAwardedOf, ","), "co-bca"},
		{"chair ballot id", n.Ballots[3].ID, "cum-truong-2024"},
		{"chair ballot title", n.Ballots[3].Title, "Đơn vị Cụm trưởng năm 2024"},
		{"prerequisite", n.Ballots[1].Candidates.AwardedOf, "co-bca"},
		{"digest from", n.Reminders[3].From.In(loc).Format("2006-01-02"), "2023-11-01"},
		{"digest until", n.Reminders[3].Until.In(loc).Format("2006-01-02"), "2023-11-24"},
		{"old conference untouched", c.ID + " " + c.ChairUnit + " " + c.Ballots[3].ID, "tk-2022 CNTT cum-truong-2023"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	// The copy shares no slice with the old conference.
	n.People[0].Roles[0] = domain.RoleObserver
	n.Units[0].Name = "changed"
	if c.People[0].Roles[0] == domain.RoleObserver || c.Units[0].Name == "changed" {
		t.Error("next year's conference shares memory with this year's")
	}
}

func TestNextYearRefusals(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *domain.Conference)
		year   int
		want   error
	}{
		{"in session", func(c *domain.Conference) { c.State = domain.StateInSession }, 2023, setup.ErrNotClosed},
		{"no next chair, no deputy", func(c *domain.Conference) { c.NextChairUnit, c.DeputyUnit = "", "" }, 2023, setup.ErrNoNextChair},
		{"same year", func(*domain.Conference) {}, 2022, setup.ErrBadYear},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := closedReference(t)
			tc.change(c)
			if _, err := setup.NextYear(c, tc.year); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestNextYearProposesTheDeputy: without a chair elected or recorded, this
// year's deputy chair unit (VKHCN) is proposed as next year's chair.
func TestNextYearProposesTheDeputy(t *testing.T) {
	c := closedReference(t)
	c.NextChairUnit, c.NextDeputyUnit = "", "TBKV"
	n, err := setup.NextYear(c, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if n.ChairUnit != "VKHCN" || n.DeputyUnit != "TBKV" {
		t.Errorf("chair %q deputy %q, want VKHCN TBKV", n.ChairUnit, n.DeputyUnit)
	}
	// The draft must import again: chair and deputy differ.
	if _, err := conffile.Parse(mustMarshal(t, n)); err != nil {
		t.Errorf("the draft does not read back: %v", err)
	}
}

func mustMarshal(t *testing.T, c *domain.Conference) []byte {
	t.Helper()
	out, err := conffile.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNextYearIDs(t *testing.T) {
	tests := []struct{ id, want string }{
		{"tk-2022", "tk-2024"},
		{"hoi-nghi", "hoi-nghi-2024"},
		{"2022-2023", "2024-2025"},
		{"tk-20221", "tk-20221-2024"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			c := closedReference(t)
			c.ID = tc.id
			n, err := setup.NextYear(c, 2024)
			if err != nil {
				t.Fatal(err)
			}
			if n.ID != tc.want {
				t.Errorf("id %q, want %q", n.ID, tc.want)
			}
			if got := n.StartsAt.In(c.TimeZone()).Year(); got != 2024 {
				t.Errorf("starts in %d, want 2024", got)
			}
		})
	}
}

func TestNewYearStoresOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 11, 24, 5, 0, 0, 0, time.UTC)
	svc, store := newService(t, &now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.NewYear(ctx, ref, 0); !errors.Is(err, setup.ErrNotClosed) {
		t.Fatalf("a draft made a new year: %v", err)
	}
	if err := store.SaveConference(ctx, closedReference(t)); err != nil {
		t.Fatal(err)
	}
	n, err := svc.NewYear(ctx, ref, 0)
	if err != nil || n.Ref() != "cum8-bt/tk-2023" {
		t.Fatalf("new year: %v, %v", n, err)
	}
	got, err := store.Conference(ctx, "cum8-bt/tk-2023")
	if err != nil || got.ChairUnit != "VKHCN" || got.State != domain.StateDraft {
		t.Fatalf("stored: %+v, %v", got, err)
	}
	members, err := store.Members(ctx, "cum8-bt/tk-2023")
	if err != nil || len(members) != len(got.People) {
		t.Errorf("members of the new year: %d, %v", len(members), err)
	}
	if _, err := svc.NewYear(ctx, ref, 2023); !errors.Is(err, setup.ErrAlreadyExists) {
		t.Errorf("a second new year: %v", err)
	}
	if _, err := svc.NewYear(ctx, "cum8-bt/nope", 0); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("an unknown conference: %v", err)
	}
}
