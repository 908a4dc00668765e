package setup_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/conffile"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

const ref = "cum8-bt/tk-2022"

func newService(t *testing.T, now *time.Time) (*setup.Service, *storage.Store) {
	t.Helper()
	clock := func() time.Time { return *now }
	store := storagetest.Store(t, storage.WithClock(clock))
	return setup.New(store, "confbot_test_bot", clock), store
}

func TestImportLifecycle(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 11, 1, 9, 0, 0, 0, time.UTC)
	svc, store := newService(t, &now)

	res, err := svc.Import(ctx, examples.Cum8)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Conference.State != domain.StateDraft || len(res.Conference.Units) != 6 {
		t.Fatalf("first import: created=%v state=%s units=%d", res.Created, res.Conference.State, len(res.Conference.Units))
	}
	members, err := store.Members(ctx, ref)
	if err != nil || len(members) != 9 {
		t.Fatalf("members = %d, %v; want the 9 people of the file", len(members), err)
	}

	res, err = svc.Import(ctx, examples.Cum8)
	if err != nil || res.Created || len(res.Changes) != 0 {
		t.Fatalf("re-import of the same file: %+v, %v; want unchanged", res, err)
	}

	changed := bytes.Replace(examples.Cum8, []byte(`location: "Hà Nội"`), []byte(`location: "Đà Nẵng"`), 1)
	res, err = svc.Import(ctx, changed)
	if err != nil || len(res.Changes) != 1 || !strings.Contains(res.Changes[0], "Đà Nẵng") {
		t.Fatalf("changed import: %+v, %v; want one change naming the new location", res.Changes, err)
	}

	if _, err := store.UpdateConference(ctx, ref, func(c *domain.Conference) error {
		if err := c.Transition(domain.StateOpen); err != nil {
			return err
		}
		return c.Transition(domain.StateInSession)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Import(ctx, examples.Cum8); !errors.Is(err, setup.ErrInSession) {
		t.Fatalf("import over a conference in session: %v; want ErrInSession", err)
	}
	c, _ := store.Conference(ctx, ref)
	if c.Location != "Đà Nẵng" {
		t.Errorf("refused import changed the conference: location %q", c.Location)
	}
	// The unchanged file over a conference in session is still "unchanged", not an error.
	changedBack := bytes.Replace(examples.Cum8, []byte(`location: "Hà Nội"`), []byte(`location: "Đà Nẵng"`), 1)
	if res, err := svc.Import(ctx, changedBack); err != nil || len(res.Changes) != 0 {
		t.Errorf("unchanged file in session: %v, %v", res.Changes, err)
	}
}

func TestImportBrokenStoresNothing(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc, store := newService(t, &now)
	broken := bytes.Replace(examples.Cum8, []byte("percent: 50, of: members}   # of"), []byte("percent: 150, of: members}   # of"), 1)
	broken = bytes.Replace(broken, []byte("timezone: Asia/Ho_Chi_Minh"), []byte("timezone: Asia/Hanoi_City"), 1)
	_, err := svc.Import(ctx, broken)
	var ferrs *conffile.Errors
	if !errors.As(err, &ferrs) || len(*ferrs) < 2 {
		t.Fatalf("err = %v; want both errors at once", err)
	}
	refs, _ := store.Conferences(ctx)
	if len(refs) != 0 {
		t.Errorf("a broken file stored %v", refs)
	}
}

func TestInviteAndJoin(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 11, 1, 9, 0, 0, 0, time.UTC)
	svc, store := newService(t, &now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}

	inv, err := svc.Invite(ctx, ref, "KHTC", domain.RoleDelegate, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^https://t\.me/confbot_test_bot\?start=([A-Za-z0-9_-]{22})$`).FindStringSubmatch(inv.Link)
	if m == nil {
		t.Fatalf("link %q is not a deep link with a 128-bit token", inv.Link)
	}
	token := m[1]
	if !inv.Invite.ExpiresAt.Equal(now.Add(7 * 24 * time.Hour)) {
		t.Errorf("expires %v; want 7 days", inv.Invite.ExpiresAt)
	}
	// Only the hash is stored: the token appears in no key or value.
	for _, k := range store.Client().Keys(ctx, store.Prefix()+":*").Val() {
		if strings.Contains(k, token) {
			t.Fatalf("token stored in key %s", k)
		}
	}

	ms, _, err := svc.Join(ctx, 200001, "Nguyễn Văn A", token)
	if err != nil || ms.Unit != "KHTC" {
		t.Fatalf("join: %+v, %v", ms, err)
	}
	if _, _, err := svc.Join(ctx, 200002, "B", token); !errors.Is(err, storage.ErrInviteUsed) {
		t.Errorf("second use of a single-use token: %v", err)
	}

	multi, _ := svc.Invite(ctx, ref, "VTCY", domain.RoleDelegate, 2, time.Hour)
	tok := multi.Link[strings.Index(multi.Link, "=")+1:]
	for i, id := range []int64{300001, 300002} {
		if _, _, err := svc.Join(ctx, id, "x", tok); err != nil {
			t.Fatalf("use %d of 2: %v", i+1, err)
		}
	}
	if _, _, err := svc.Join(ctx, 300003, "x", tok); !errors.Is(err, storage.ErrInviteUsed) {
		t.Errorf("third use of a two-use token: %v", err)
	}

	late, _ := svc.Invite(ctx, ref, "TBKV", domain.RoleHead, 0, 0)
	now = now.Add(8 * 24 * time.Hour)
	if _, _, err := svc.Join(ctx, 400001, "x", late.Link[strings.Index(late.Link, "=")+1:]); !errors.Is(err, storage.ErrInviteExpired) {
		t.Errorf("expired token: %v", err)
	}
	if _, _, err := svc.Join(ctx, 400001, "x", "AAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	if ms, _ := store.Memberships(ctx, 400001); len(ms) != 0 {
		t.Errorf("refused joins stored %v", ms)
	}
}

func TestInviteRefusesUnknownUnitsAndWrongRoles(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc, _ := newService(t, &now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		unit string
		role domain.Role
		want error
	}{
		{"unknown unit", "XYZ", domain.RoleDelegate, setup.ErrUnknownUnit},
		{"admin from a link", "CNTT", domain.RoleAdmin, setup.ErrBadRole},
		{"guest as head", "CTDCT", domain.RoleHead, setup.ErrBadRole},
		{"member as observer", "KHTC", domain.RoleObserver, setup.ErrBadRole},
		{"made-up role", "KHTC", "boss", setup.ErrBadRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := svc.Invite(ctx, ref, tt.unit, tt.role, 0, 0); !errors.Is(err, tt.want) {
				t.Errorf("err = %v; want %v", err, tt.want)
			}
		})
	}
	if _, err := svc.Invite(ctx, ref, "CTDCT", domain.RoleObserver, 0, 0); err != nil {
		t.Errorf("guest observer: %v", err)
	}
}

func TestJoinTokenForRemovedUnit(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc, _ := newService(t, &now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}
	inv, err := svc.Invite(ctx, ref, "VTCY", domain.RoleDelegate, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	without := bytes.Replace(examples.Cum8, []byte("  - {code: VTCY,  name: \"Cục Viễn thông và cơ yếu\"}\n"), nil, 1)
	without = bytes.Replace(without, []byte("  - {id: 100005, name: \"Thủ trưởng VTCY\",  unit: VTCY,  roles: [head]}\n"), nil, 1)
	without = bytes.Replace(without, []byte("[KHTC, QLXD, TBKV, VTCY,"), []byte("[KHTC, QLXD, TBKV,"), 1)
	if _, err := svc.Import(ctx, without); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Join(ctx, 500001, "x", inv.Link[strings.Index(inv.Link, "=")+1:]); !errors.Is(err, setup.ErrUnitGone) {
		t.Errorf("err = %v; want ErrUnitGone", err)
	}
}

// TestJoinRefusedAfterClose: an invite minted before /conference close adds
// nobody once the conference has ended (issue 12, defect 7).
func TestJoinRefusedAfterClose(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	svc, store := newService(t, &now)
	if _, err := svc.Import(ctx, examples.Cum8); err != nil {
		t.Fatal(err)
	}
	inv, err := svc.Invite(ctx, ref, "VTCY", domain.RoleDelegate, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpdateConference(ctx, ref, func(c *domain.Conference) error {
		for _, s := range []domain.ConferenceState{domain.StateOpen, domain.StateInSession, domain.StateClosed} {
			if err := c.Transition(s); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Join(ctx, 500002, "x", inv.Link[strings.Index(inv.Link, "=")+1:]); !errors.Is(err, setup.ErrClosed) {
		t.Errorf("err = %v; want ErrClosed", err)
	}
	ms, err := store.Memberships(ctx, 500002)
	if err != nil || len(ms) != 0 {
		t.Errorf("memberships after a refused join: %v, %v", ms, err)
	}
}
