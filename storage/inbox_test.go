package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/confbot/confbot/storage/storagetest"
)

func TestInboxKeepsEachChatInOrder(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	if err := s.PushInbox(ctx, 7, []byte("a"), []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := s.PushInbox(ctx, 8, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.PushInbox(ctx, 7, []byte("c")); err != nil {
		t.Fatal(err)
	}
	chats, err := s.InboxChats(ctx)
	if err != nil || len(chats) != 2 {
		t.Fatalf("chats = %v, %v; want 7 and 8", chats, err)
	}

	ok, err := s.LeaseInboxChat(ctx, 7, "r1")
	if err != nil || !ok {
		t.Fatalf("lease = %v, %v", ok, err)
	}
	if ok, _ := s.LeaseInboxChat(ctx, 7, "r2"); ok {
		t.Fatal("a second replica leased a chat that is held")
	}
	if ok, _ := s.LeaseInboxChat(ctx, 7, "r1"); !ok {
		t.Fatal("the holder cannot renew its lease")
	}

	var got []string
	for {
		data, err := s.PeekInbox(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if data == nil {
			break
		}
		got = append(got, string(data))
		if _, err := s.PopInbox(ctx, 7, []byte("not the head")); err != nil { // a stale drainer pops nothing
			t.Fatal(err)
		}
		if _, err := s.PopInbox(ctx, 7, data); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(got) != "[a b c]" {
		t.Errorf("chat 7 drained %v; want [a b c]", got)
	}
	chats, _ = s.InboxChats(ctx)
	if fmt.Sprint(chats) != "[8]" {
		t.Errorf("waiting chats %v; want only 8 once 7 is empty", chats)
	}
	if err := s.ReleaseInboxChat(ctx, 7, "r2"); err != nil { // not the holder: no effect
		t.Fatal(err)
	}
	if ok, _ := s.LeaseInboxChat(ctx, 7, "r2"); ok {
		t.Fatal("a release by a non-holder freed the lease")
	}
	if err := s.ReleaseInboxChat(ctx, 7, "r1"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.LeaseInboxChat(ctx, 7, "r2"); !ok {
		t.Fatal("a released chat cannot be leased")
	}
}
