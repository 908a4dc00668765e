package storage_test

import (
	"context"
	"testing"

	"github.com/confbot/confbot/storage/storagetest"
)

func TestClaimUpdateOnce(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	first, err := s.ClaimUpdate(ctx, 42)
	if err != nil || !first {
		t.Fatalf("first claim = %v, %v; want true", first, err)
	}
	again, err := s.ClaimUpdate(ctx, 42)
	if err != nil || again {
		t.Fatalf("second claim while held = %v, %v; want false", again, err)
	}
	if err := s.FinishUpdate(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ClaimUpdate(ctx, 42); again {
		t.Fatal("a finished update was claimed again")
	}
	if err := s.ReleaseUpdate(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ClaimUpdate(ctx, 42); !again {
		t.Fatal("a released update could not be claimed")
	}
}
