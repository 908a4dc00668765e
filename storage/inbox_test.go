package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

func entry(id int64) []byte { return []byte(fmt.Sprintf(`{"id":%d,"update":{}}`, id)) }

func ids(items []storage.InboxItem) string {
	var out []string
	for _, it := range items {
		s := fmt.Sprint(it.ID)
		if it.Done {
			s += "(done)"
		}
		out = append(out, s)
	}
	return fmt.Sprint(out)
}

func TestInboxKeepsEachChatInOrder(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	taken, err := s.PushInbox(ctx, "r1", []storage.InboxPush{{Chat: 7, Entries: [][]byte{entry(1), entry(2)}}, {Chat: 8, Entries: [][]byte{entry(9)}}})
	if err != nil || len(taken) != 2 {
		t.Fatalf("push = %v, %v", taken, err)
	}
	if taken[0].Lease != storage.InboxLeaseTaken || ids(taken[0].Items) != "[1 2]" {
		t.Fatalf("chat 7: %+v; want leased to r1 with [1 2]", taken[0])
	}
	// Another replica's push finds the chat held; r1's own push, its own.
	taken, _ = s.PushInbox(ctx, "r2", []storage.InboxPush{{Chat: 7, Entries: [][]byte{entry(3)}}})
	if taken[0].Lease != storage.InboxLeaseOther {
		t.Errorf("r2 took a chat r1 holds: %+v", taken[0])
	}
	taken, _ = s.PushInbox(ctx, "r1", []storage.InboxPush{{Chat: 7, Entries: [][]byte{entry(2)}}}) // 2 again
	if taken[0].Lease != storage.InboxLeaseOwn {
		t.Errorf("r1's own chat: %+v", taken[0])
	}
	if ok, _, _ := s.LeaseInbox(ctx, 7, "r2"); ok {
		t.Fatal("a second replica leased a chat that is held")
	}

	// r1 drains: 1 without more, 2 with more — which answers 3 and the
	// second 2, marked done.
	_, held, err := s.FinishInbox(ctx, 7, "r1", storage.InboxItem{ID: 1, Data: entry(1)}, false)
	if err != nil || !held {
		t.Fatalf("finish 1: %v, %v", held, err)
	}
	next, held, err := s.FinishInbox(ctx, 7, "r1", storage.InboxItem{ID: 2, Data: entry(2)}, true)
	if err != nil || !held || ids(next) != "[3 2(done)]" {
		t.Fatalf("finish 2: %s, %v, %v; want [3 2(done)] still held", ids(next), held, err)
	}
	// A stale drainer (r2) pops nothing it does not hold the head of.
	if _, held, _ := s.FinishInbox(ctx, 7, "r2", storage.InboxItem{ID: 9, Data: entry(9)}, true); held {
		t.Error("r2 holds chat 7")
	}
	_, _, _ = s.FinishInbox(ctx, 7, "r1", storage.InboxItem{ID: 3, Data: entry(3)}, false)
	next, held, _ = s.FinishInbox(ctx, 7, "r1", storage.InboxItem{ID: 2, Data: entry(2)}, true)
	if held || len(next) != 0 {
		t.Errorf("chat 7 empty: %s, held %v; want released", ids(next), held)
	}
	chats, _ := s.InboxChats(ctx)
	if fmt.Sprint(chats) != "[8]" {
		t.Errorf("waiting chats %v; want only 8 once 7 is empty", chats)
	}
	if ok, _, _ := s.LeaseInbox(ctx, 7, "r2"); !ok {
		t.Fatal("a released chat cannot be leased")
	}
	if err := s.ReleaseInboxChat(ctx, 7, "r1"); err != nil { // not the holder: no effect
		t.Fatal(err)
	}
	if ok, _ := s.RenewInboxLease(ctx, 7, "r2"); !ok {
		t.Fatal("a release by a non-holder freed the lease")
	}
}
