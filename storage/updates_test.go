package storage_test

import (
	"context"
	"testing"

	"github.com/confbot/confbot/storage/storagetest"
)

func TestClaimUpdate(t *testing.T) {
	ctx := context.Background()
	s := storagetest.Store(t)
	claim := func(want string) {
		t.Helper()
		taken, done, err := s.ClaimUpdate(ctx, 42)
		got := map[[2]bool]string{{true, false}: "taken", {false, true}: "done", {false, false}: "held"}[[2]bool{taken, done}]
		if err != nil || got != want {
			t.Fatalf("claim = %s, %v; want %s", got, err, want)
		}
	}
	claim("taken")
	claim("held") // while another process handles it: not confirmed, comes again
	if err := s.RenewUpdate(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishUpdate(ctx, 42); err != nil {
		t.Fatal(err)
	}
	claim("done")
	if err := s.RenewUpdate(ctx, 42); err != nil { // never turns "done" back into a lease
		t.Fatal(err)
	}
	claim("done")
	if err := s.ReleaseUpdate(ctx, 42); err != nil {
		t.Fatal(err)
	}
	claim("taken")
}
