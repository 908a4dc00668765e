package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

// reminderClock is a settable clock for leases.
type reminderClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *reminderClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *reminderClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const remRef = "cum8-bt/tk-2022"

var remT0 = time.Date(2022, 11, 1, 8, 0, 0, 0, time.UTC)

func rem(id string, due time.Time) storage.Reminder {
	return storage.Reminder{ID: id, Kind: "offset", Audience: "units_without_summary", Zone: "Asia/Ho_Chi_Minh", Due: due}
}

func pendingIDs(t *testing.T, s *storage.Store) map[string]time.Time {
	t.Helper()
	rs, err := s.PendingReminders(context.Background(), remRef)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, r := range rs {
		out[r.ID] = r.Due
	}
	return out
}

func TestSyncRemindersAddsMovesRemovesAndRemembersDone(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	prefixes := []string{"summary_deadline/", "digest/"}
	d1 := remT0.Add(48 * time.Hour)
	jobs := []storage.Reminder{rem("summary_deadline/24h", d1), rem("summary_deadline/2h", d1.Add(22*time.Hour)),
		rem("ballot_close/co-bca/5m", d1.Add(time.Hour))}
	if err := s.SyncReminders(ctx, remRef, prefixes, jobs, remT0); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, s); len(got) != 3 || !got["summary_deadline/24h"].Equal(d1) {
		t.Fatalf("pending after first sync = %v", got)
	}
	if refs, _ := s.ReminderConferences(ctx); len(refs) != 1 || refs[0] != remRef {
		t.Fatalf("ReminderConferences = %v", refs)
	}
	if got, _ := s.PendingReminders(ctx, remRef); got[0].Due.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("due is shown in %s, want the cluster's zone", got[0].Due.Location())
	}

	// A re-import: the 2h reminder is gone from the file, the deadline moved a
	// day later; the ballot's reminder is outside the prefixes and stays.
	moved := d1.Add(24 * time.Hour)
	if err := s.SyncReminders(ctx, remRef, prefixes, []storage.Reminder{rem("summary_deadline/24h", moved)}, remT0); err != nil {
		t.Fatal(err)
	}
	got := pendingIDs(t, s)
	if len(got) != 2 || !got["summary_deadline/24h"].Equal(moved) || got["ballot_close/co-bca/5m"].IsZero() {
		t.Fatalf("pending after re-import = %v", got)
	}

	// Done for this due time: a repeated import does not bring it back.
	r := rem("summary_deadline/24h", moved)
	if err := s.CompleteReminder(ctx, remRef, r, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncReminders(ctx, remRef, prefixes, []storage.Reminder{r}, moved); err != nil {
		t.Fatal(err)
	}
	if _, ok := pendingIDs(t, s)["summary_deadline/24h"]; ok {
		t.Fatal("a completed reminder was scheduled again by the same import")
	}
	// Its deadline moved again, ahead of now: armed again for the new time.
	later := moved.Add(72 * time.Hour)
	if err := s.SyncReminders(ctx, remRef, prefixes, []storage.Reminder{rem("summary_deadline/24h", later)}, moved.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if due := pendingIDs(t, s)["summary_deadline/24h"]; !due.Equal(later) {
		t.Fatalf("re-armed reminder due %v, want %v", due, later)
	}
	// AddReminders never removes.
	if err := s.AddReminders(ctx, remRef, []storage.Reminder{rem("digest/secretaries/2022-11-07T17:00", d1)}, remT0); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, s); len(got) != 3 {
		t.Fatalf("pending after AddReminders = %v", got)
	}
	due, err := s.DueReminders(ctx, remRef, d1, 10)
	if err != nil || len(due) != 1 || due[0].ID != "digest/secretaries/2022-11-07T17:00" {
		t.Fatalf("DueReminders(d1) = %v, %v", due, err)
	}
}

func TestClaimReminderLeaseAndRecipients(t *testing.T) {
	ctx := context.Background()
	clock := &reminderClock{now: remT0}
	s := storagetest.Store(t, storage.WithClock(clock.Now))
	r := rem("conference/24h", remT0)
	if err := s.SyncReminders(ctx, remRef, []string{"conference/"}, []storage.Reminder{r}, remT0); err != nil {
		t.Fatal(err)
	}
	claim := func(owner string) bool {
		t.Helper()
		ok, err := s.ClaimReminder(ctx, remRef, r, owner, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("a") || claim("b") {
		t.Fatal("want a to win the claim and b to lose it")
	}
	if ok, _ := s.ClaimReminder(ctx, remRef, rem("conference/24h", remT0.Add(time.Minute)), "b", time.Minute); ok {
		t.Fatal("claimed an occurrence at a due time the job does not have")
	}
	began, _, err := s.BeginReminderSend(ctx, remRef, r, "100001", "a", time.Minute)
	if err != nil || !began {
		t.Fatalf("a begins 100001 = %v, %v", began, err)
	}
	if err := s.FinishReminderSend(ctx, remRef, r, "100001", "a", storage.ReminderSent); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.BeginReminderSend(ctx, remRef, r, "100002", "b", time.Minute); !errors.Is(err, storage.ErrClaimLost) {
		t.Fatalf("b without the claim: err = %v, want ErrClaimLost", err)
	}
	if began, _, _ := s.BeginReminderSend(ctx, remRef, r, "100002", "a", time.Minute); !began {
		t.Fatal("a could not begin 100002")
	}
	// a stops answering; its lease (renewed by the last begin) lapses.
	clock.Add(59 * time.Second)
	if claim("b") {
		t.Fatal("b took a live lease")
	}
	clock.Add(2 * time.Second)
	if !claim("b") {
		t.Fatal("b could not take a lapsed lease")
	}
	if ok, _ := s.RenewReminder(ctx, remRef, r, "a", time.Minute); ok {
		t.Fatal("a renewed a lease b holds")
	}
	tests := []struct {
		name      string
		recipient string
		began     bool
		state     string
	}{
		{"already sent", "100001", false, storage.ReminderSent},
		{"left sending by a", "100002", false, "sending:a"},
		{"nobody yet", "100003", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			began, state, err := s.BeginReminderSend(ctx, remRef, r, tc.recipient, "b", time.Minute)
			if err != nil || began != tc.began || state != tc.state {
				t.Fatalf("begin = %v, %q, %v; want %v, %q", began, state, err, tc.began, tc.state)
			}
		})
	}
	// A finish by a is ignored for b's mark; b's failed send removes its own mark.
	if err := s.FinishReminderSend(ctx, remRef, r, "100003", "a", storage.ReminderSent); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishReminderSend(ctx, remRef, r, "100003", "b", ""); err != nil {
		t.Fatal(err)
	}
	record, err := s.ReminderRecord(ctx, remRef, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(record) != 2 || record["100001"] != storage.ReminderSent || record["100002"] != "sending:a" {
		t.Fatalf("record = %v", record)
	}
	if owner, ok := storage.IsSending(record["100002"]); !ok || owner != "a" {
		t.Errorf("IsSending(%q) = %q, %v", record["100002"], owner, ok)
	}
	if err := s.CompleteReminder(ctx, remRef, r, "b"); err != nil {
		t.Fatal(err)
	}
	if claim("c") {
		t.Fatal("a completed reminder was claimed")
	}
	if due, _ := s.DueReminders(ctx, remRef, remT0.Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("due after completion = %v", due)
	}
}

func TestReleaseReminderOnlyOwnClaim(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	r := rem("conference/1h", remT0)
	if err := s.SyncReminders(ctx, remRef, []string{"conference/"}, []storage.Reminder{r}, remT0); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ClaimReminder(ctx, remRef, r, "a", time.Minute); !ok {
		t.Fatal("a could not claim")
	}
	if err := s.ReleaseReminder(ctx, remRef, r, "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ClaimReminder(ctx, remRef, r, "b", time.Minute); ok {
		t.Fatal("b released a's claim")
	}
	if err := s.ReleaseReminder(ctx, remRef, r, "a"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ClaimReminder(ctx, remRef, r, "b", time.Minute); !ok {
		t.Fatal("b could not claim a released reminder")
	}
}
