package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

func TestAuditAppendAndTail(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 11, 24, 1, 0, 0, 0, time.UTC)
	s := storagetest.Store(t, storage.WithClock(func() time.Time { return now }))
	ref := "cum1/tk-2025"

	if got, err := s.AuditTail(ctx, ref, 5); err != nil || len(got) != 0 {
		t.Fatalf("empty log: %v, %v", got, err)
	}
	for i := 1; i <= 5; i++ {
		e := storage.AuditEntry{ActorID: int64(100 + i), ActorName: "Thư ký Đức", Action: "checkin", Detail: fmt.Sprintf("unit U%d", i)}
		if i == 5 {
			e.At = now.Add(time.Hour)
		}
		if _, err := s.AppendAudit(ctx, ref, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		n     int
		first string
		count int
	}{
		{"last three", 3, "unit U3", 3},
		{"more than there are", 50, "unit U1", 5},
		{"all", 0, "unit U1", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.AuditTail(ctx, ref, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.count || got[0].Detail != tc.first || got[len(got)-1].Detail != "unit U5" {
				t.Fatalf("got %+v", got)
			}
		})
	}
	all, _ := s.AuditTail(ctx, ref, 0)
	first, last := all[0], all[4]
	if !first.At.Equal(now) || first.ActorID != 101 || first.ActorName != "Thư ký Đức" || first.Action != "checkin" || first.ID == "" {
		t.Errorf("first entry: %+v", first)
	}
	if !last.At.Equal(now.Add(time.Hour)) {
		t.Errorf("an entry's own time is kept: %v", last.At)
	}
	// Another conference's log is apart.
	if other, _ := s.AuditTail(ctx, "cum1/tk-2026", 0); len(other) != 0 {
		t.Errorf("logs are per conference: %+v", other)
	}
}

func TestAuditIsCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("writes over ten thousand entries")
	}
	ctx := context.Background()
	s := storagetest.Store(t)
	ref := "cum1/cap"
	pipe := s.Client().Pipeline()
	// Fill past the cap directly, then let one AppendAudit trim.
	key := s.Prefix() + ":{" + ref + "}:audit"
	for i := 0; i < storage.AuditMaxLen+500; i++ {
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []any{"action", "filler", "detail", fmt.Sprint(i)}})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendAudit(ctx, ref, storage.AuditEntry{Action: "export"}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Client().XLen(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	// MAXLEN ~ trims whole macro nodes (100 entries by default), never below the cap.
	if n < storage.AuditMaxLen || n > storage.AuditMaxLen+200 {
		t.Errorf("stream length %d after trimming, want about %d", n, storage.AuditMaxLen)
	}
}
