package bot_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/bot"
)

func msgUpdate(id, chat int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{Chat: models.Chat{ID: chat}, Text: "x"}}
}

func TestIntakeOrdersEachChatAndRunsChatsInParallel(t *testing.T) {
	var mu sync.Mutex
	order := map[int64][]int64{}
	var running, maxRunning atomic.Int32
	handler := bot.HandlerFunc(func(_ context.Context, u *models.Update) error {
		n := running.Add(1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		mu.Lock()
		order[u.Message.Chat.ID] = append(order[u.Message.Chat.ID], u.ID)
		mu.Unlock()
		return nil
	})
	in := bot.NewIntake(bot.IntakeConfig{Handler: handler, Parallel: 4, Log: zerolog.Nop()})

	// Each chat's updates are submitted one after another, as the poller and
	// Telegram's webhook do; chats concurrently.
	var wg sync.WaitGroup
	for chat := int64(1); chat <= 8; chat++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int64(0); i < 10; i++ {
				if err := in.Process(context.Background(), msgUpdate(chat*100+i, chat)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for chat, ids := range order {
		for i := 1; i < len(ids); i++ {
			if ids[i] < ids[i-1] {
				t.Fatalf("chat %d handled out of order: %v", chat, ids)
			}
		}
		if len(ids) != 10 {
			t.Errorf("chat %d: %d updates handled, want 10", chat, len(ids))
		}
	}
	if m := maxRunning.Load(); m < 2 || m > 4 {
		t.Errorf("at most %d chats ran at once; want parallel and bounded by 4", m)
	}
}

func TestIntakeSurvivesPanics(t *testing.T) {
	var calls atomic.Int32
	var answered atomic.Int32
	handler := bot.HandlerFunc(func(_ context.Context, u *models.Update) error {
		calls.Add(1)
		if u.ID == 2 {
			panic("handler bug")
		}
		return nil
	})
	in := bot.NewIntake(bot.IntakeConfig{Handler: handler, Log: zerolog.Nop(),
		OnPanic: func(context.Context, *models.Update) { answered.Add(1) }})
	ctx := context.Background()
	for _, id := range []int64{1, 2, 3} {
		if err := in.Process(ctx, msgUpdate(id, 7)); err != nil {
			t.Fatalf("update %d: %v", id, err)
		}
	}
	if calls.Load() != 3 || answered.Load() != 1 {
		t.Errorf("handled %d times, %d panics answered; want 3 and 1", calls.Load(), answered.Load())
	}
}

func TestIntakeGivesTransientFailuresBack(t *testing.T) {
	fail := true
	handler := bot.HandlerFunc(func(context.Context, *models.Update) error {
		if fail {
			return errors.Join(bot.ErrTransient, errors.New("redis down"))
		}
		return nil
	})
	in := bot.NewIntake(bot.IntakeConfig{Handler: handler, Log: zerolog.Nop()})
	if err := in.Process(context.Background(), msgUpdate(9, 1)); !errors.Is(err, bot.ErrTransient) {
		t.Fatalf("err = %v; want transient", err)
	}
	fail = false
	if err := in.Process(context.Background(), msgUpdate(9, 1)); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
}
