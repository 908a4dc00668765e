package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/storage"
	"github.com/confbot/confbot/storage/storagetest"
)

func rawUpdates(t *testing.T, us ...*models.Update) []json.RawMessage {
	t.Helper()
	out := make([]json.RawMessage, len(us))
	for i, u := range us {
		data, err := json.Marshal(map[string]any{"update_id": u.ID,
			"message": map[string]any{"message_id": u.ID, "date": 1, "text": "x",
				"chat": map[string]any{"id": u.Message.Chat.ID, "type": "private"},
				"from": map[string]any{"id": u.Message.Chat.ID, "first_name": "P"}}})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = data
	}
	return out
}

// recorder is a handler that records what it handled, per chat; the chats
// in slow block until release is closed.
type recorder struct {
	mu      sync.Mutex
	handled map[int64][]int64
	slow    map[int64]bool
	release chan struct{}
	seen    chan int64
}

func newRecorder(slow ...int64) *recorder {
	r := &recorder{handled: map[int64][]int64{}, slow: map[int64]bool{}, release: make(chan struct{}), seen: make(chan int64, 100)}
	for _, c := range slow {
		r.slow[c] = true
	}
	return r
}

func (r *recorder) Handle(_ context.Context, u *models.Update) error {
	chat := bot.ChatOf(u)
	if r.slow[chat] {
		<-r.release
	}
	r.mu.Lock()
	r.handled[chat] = append(r.handled[chat], u.ID)
	r.mu.Unlock()
	r.seen <- u.ID
	return nil
}

func (r *recorder) of(chat int64) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprint(r.handled[chat])
}

func waitSeen(t *testing.T, r *recorder, id int64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-r.seen:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("update %d not handled", id)
		}
	}
}

func TestInboxSlowChatHoldsUpNoOther(t *testing.T) {
	store := storagetest.Store(t)
	rec := newRecorder(1)
	in := bot.NewIntake(bot.IntakeConfig{Handler: rec, Log: zerolog.Nop()})
	inbox := bot.NewInbox(bot.InboxConfig{Store: store, Intake: in, Log: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	go inbox.Run(ctx)
	t.Cleanup(func() { cancel(); close(rec.release); _ = inbox.Stop(context.Background()) })

	if err := inbox.Accept(ctx, rawUpdates(t, msgUpdate(1, 1), msgUpdate(2, 1), msgUpdate(3, 2), msgUpdate(4, 1), msgUpdate(5, 2))); err != nil {
		t.Fatal(err)
	}
	waitSeen(t, rec, 5)
	if got := rec.of(2); got != "[3 5]" {
		t.Errorf("chat 2 handled %s; want [3 5] while chat 1 is stuck", got)
	}
	if got := rec.of(1); got != "[]" {
		t.Errorf("chat 1 handled %s before its first update finished", got)
	}
}

func TestInboxKeepsWhatACrashLeft(t *testing.T) {
	// The dead replica's push leased the chat to it: the next one takes
	// over once that lease lapses.
	store := storagetest.Store(t, storage.WithInboxLease(300*time.Millisecond))
	// The first replica stores (so the poller confirms) and dies before
	// handling: it never runs.
	dead := bot.NewInbox(bot.InboxConfig{Store: store,
		Intake: bot.NewIntake(bot.IntakeConfig{Handler: newRecorder(), Log: zerolog.Nop()}), Log: zerolog.Nop()})
	if err := dead.Accept(context.Background(), rawUpdates(t, msgUpdate(11, 3), msgUpdate(12, 3), msgUpdate(13, 3))); err != nil {
		t.Fatal(err)
	}

	rec := newRecorder()
	next := bot.NewInbox(bot.InboxConfig{Store: store, Sweep: 100 * time.Millisecond,
		Intake: bot.NewIntake(bot.IntakeConfig{Handler: rec, Log: zerolog.Nop()}), Log: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	go next.Run(ctx)
	t.Cleanup(func() { cancel(); _ = next.Stop(context.Background()) })
	waitSeen(t, rec, 13)
	if got := rec.of(3); got != "[11 12 13]" {
		t.Errorf("the next replica handled %s; want [11 12 13]", got)
	}
}

func TestInboxHandlesAnUpdateDeliveredTwiceOnce(t *testing.T) {
	store := storagetest.Store(t)
	rec := newRecorder()
	inbox := bot.NewInbox(bot.InboxConfig{Store: store, Intake: bot.NewIntake(bot.IntakeConfig{Handler: rec, Log: zerolog.Nop()}), Log: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	go inbox.Run(ctx)
	t.Cleanup(func() { cancel(); _ = inbox.Stop(context.Background()) })
	// Twice in one batch, then again after it was handled (Telegram
	// delivers an update again until a later getUpdates confirms it).
	if err := inbox.Accept(ctx, rawUpdates(t, msgUpdate(21, 4), msgUpdate(21, 4), msgUpdate(22, 4))); err != nil {
		t.Fatal(err)
	}
	waitSeen(t, rec, 22)
	if err := inbox.Accept(ctx, rawUpdates(t, msgUpdate(21, 4), msgUpdate(23, 4))); err != nil {
		t.Fatal(err)
	}
	waitSeen(t, rec, 23)
	if got := rec.of(4); got != "[21 22 23]" {
		t.Errorf("chat 4 handled %s; want [21 22 23], each once", got)
	}
}
