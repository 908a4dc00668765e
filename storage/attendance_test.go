package storage_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

const attRef = "cum1/tk-2025"

func TestAttendanceAndPresence(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	at := time.Date(2022, 11, 20, 9, 0, 0, 0, time.UTC)
	yes := domain.Attendance{Answer: domain.AttendYes, Unit: "A", At: at}
	// A double click writes the same answer twice.
	for i := 0; i < 2; i++ {
		if err := s.SetAttendance(ctx, attRef, 11, yes); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetAttendance(ctx, attRef, 12, domain.Attendance{Answer: domain.AttendSubstitute, Substitute: "Nguyễn Văn An", Unit: "B", At: at}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Attendance(ctx, attRef)
	if err != nil || len(all) != 2 || all[11] != yes || all[12].Substitute != "Nguyễn Văn An" {
		t.Fatalf("Attendance = %+v, %v", all, err)
	}

	first, err := s.MarkPresent(ctx, attRef, 11, domain.Presence{Unit: "A", At: at, By: 11})
	if err != nil || !first {
		t.Fatalf("first check-in: %v, %v", first, err)
	}
	again, _ := s.MarkPresent(ctx, attRef, 11, domain.Presence{Unit: "A", At: at.Add(time.Minute), By: 11})
	if again {
		t.Error("a second check-in was recorded as new")
	}
	if first, _ := s.MarkUnitPresent(ctx, attRef, "B", domain.Presence{Unit: "B", At: at, By: 99}); !first {
		t.Error("the unit mark was not new")
	}
	people, units, err := s.Presence(ctx, attRef)
	if err != nil || len(people) != 1 || !people[11].At.Equal(at) || units["B"].By != 99 {
		t.Fatalf("Presence = %+v, %+v, %v", people, units, err)
	}
	if n, err := s.MarkAbsent(ctx, attRef, "B", 11, 12); err != nil || n != 2 {
		t.Errorf("MarkAbsent removed %d, %v", n, err)
	}
	people, units, _ = s.Presence(ctx, attRef)
	if len(people) != 0 || len(units) != 0 {
		t.Errorf("after MarkAbsent: %+v %+v", people, units)
	}
}

func TestCheckinSeedIsMadeOnce(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	if open, seed, err := s.Checkin(ctx, attRef); err != nil || open || seed != nil {
		t.Fatalf("before opening: %v %v %v", open, seed, err)
	}
	seed, err := s.OpenCheckin(ctx, attRef)
	if err != nil || len(seed) != 32 {
		t.Fatalf("OpenCheckin = %x, %v", seed, err)
	}
	if err := s.CloseCheckin(ctx, attRef); err != nil {
		t.Fatal(err)
	}
	if open, _, _ := s.Checkin(ctx, attRef); open {
		t.Error("check-in still open after closing")
	}
	again, _ := s.OpenCheckin(ctx, attRef)
	if !bytes.Equal(seed, again) {
		t.Error("reopening changed the seed: codes on the screen would stop working")
	}
	for want := 1; want <= 3; want++ {
		if n, err := s.CountCheckinFailure(ctx, attRef, 11, time.Minute); err != nil || n != want {
			t.Fatalf("failure %d counted as %d, %v", want, n, err)
		}
	}
	if n, _ := s.CheckinFailures(ctx, attRef, 11); n != 3 {
		t.Errorf("CheckinFailures = %d", n)
	}
	if n, _ := s.CheckinFailures(ctx, attRef, 12); n != 0 {
		t.Errorf("CheckinFailures of another person = %d", n)
	}
}

func TestQuorumRefreshIsClaimedOnce(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	if err := s.SetQuorumMessage(ctx, attRef, 11, storage.LiveMessage{MessageID: 5}); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.QuorumMessages(ctx, attRef)
	if err != nil || msgs[11].MessageID != 5 {
		t.Fatalf("QuorumMessages = %+v, %v", msgs, err)
	}
	// Ten changes at once: one owner refreshes, the others rely on it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	owners := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, wait, err := s.ClaimQuorumRefresh(ctx, attRef, 10*time.Second)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				owners++
				mu.Unlock()
				if wait != 0 {
					t.Errorf("first refresh waits %v", wait)
				}
			}
		}()
	}
	wg.Wait()
	if owners != 1 {
		t.Fatalf("%d owners of one refresh", owners)
	}
	if err := s.StartQuorumRefresh(ctx, attRef, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	ok, wait, err := s.ClaimQuorumRefresh(ctx, attRef, 10*time.Second)
	if err != nil || !ok || wait <= 0 || wait > 3*time.Second {
		t.Errorf("the next change after an edit: ok %v, wait %v, %v", ok, wait, err)
	}
	if err := s.DropQuorumMessage(ctx, attRef, 11); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := s.QuorumMessages(ctx, attRef); len(msgs) != 0 {
		t.Errorf("dropped message still there: %+v", msgs)
	}
}

func TestQuorumOverrideKeepsTheFirst(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	if _, ok, err := s.QuorumOverride(ctx, attRef); ok || err != nil {
		t.Fatalf("override before any: %v %v", ok, err)
	}
	at := time.Date(2022, 11, 24, 8, 5, 0, 0, time.UTC)
	if first, err := s.OverrideQuorum(ctx, attRef, domain.QuorumOverride{By: 11, Name: "Thư ký", At: at}); err != nil || !first {
		t.Fatalf("OverrideQuorum = %v, %v", first, err)
	}
	if first, _ := s.OverrideQuorum(ctx, attRef, domain.QuorumOverride{By: 12, At: at.Add(time.Hour)}); first {
		t.Error("a second override replaced the first")
	}
	o, ok, err := s.QuorumOverride(ctx, attRef)
	if err != nil || !ok || o.By != 11 || !o.At.Equal(at) {
		t.Errorf("QuorumOverride = %+v, %v, %v", o, ok, err)
	}
}

func TestSummaryVersionsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	at := time.Date(2022, 11, 15, 9, 0, 0, 0, time.UTC)
	doc := &domain.SummaryDocument{FileID: "F1", FileName: "bc.pdf", Size: 1234, SHA256: "ab"}
	v1, err := s.AddSummary(ctx, attRef, domain.SummaryVersion{Unit: "A", Document: doc, Score: 96.5, By: 11, At: at})
	if err != nil || v1.Version != 1 {
		t.Fatalf("v1 = %+v, %v", v1, err)
	}
	v2, err := s.AddSummary(ctx, attRef, domain.SummaryVersion{Unit: "A", Text: "bổ sung", Score: 97.25, By: 11, At: at.Add(time.Hour), Late: true})
	if err != nil || v2.Version != 2 {
		t.Fatalf("v2 = %+v, %v", v2, err)
	}
	all, err := s.Summaries(ctx, attRef, "A")
	if err != nil || len(all) != 2 || all[0].Document.SHA256 != "ab" || all[1].Score != 97.25 || all[1].Version != 2 {
		t.Fatalf("Summaries = %+v, %v", all, err)
	}
	latest, err := s.LatestSummaries(ctx, attRef, []string{"A", "B"})
	if err != nil || len(latest) != 1 || latest["A"].Version != 2 || !latest["A"].Late {
		t.Fatalf("LatestSummaries = %+v, %v", latest, err)
	}
	if none, err := s.LatestSummaries(ctx, attRef, []string{"B"}); err != nil || len(none) != 0 {
		t.Errorf("LatestSummaries of a unit without any = %+v, %v", none, err)
	}
}

func TestConversationLivesUntilEndedOrExpired(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	if _, err := s.Conversation(ctx, 11); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("no conversation: %v", err)
	}
	if err := s.SaveConversation(ctx, 11, []byte(`{"step":"score"}`), 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	raw, err := s.Conversation(ctx, 11)
	if err != nil || string(raw) != `{"step":"score"}` {
		t.Fatalf("Conversation = %s, %v", raw, err)
	}
	ttl := s.Client().TTL(ctx, s.Prefix()+":conv:11").Val()
	if ttl <= 29*time.Minute || ttl > 30*time.Minute {
		t.Errorf("conversation TTL %v, want 30m: an abandoned one must time out", ttl)
	}
	if ended, _ := s.EndConversation(ctx, 11); !ended {
		t.Error("EndConversation found nothing")
	}
	if ended, _ := s.EndConversation(ctx, 11); ended {
		t.Error("EndConversation ended one twice")
	}
	if ok, _ := s.ClaimPress(ctx, 11, "sm:A", time.Second); !ok {
		t.Error("first press not let through")
	}
	if ok, _ := s.ClaimPress(ctx, 11, "sm:A", time.Second); ok {
		t.Error("a double click was let through twice")
	}
}
