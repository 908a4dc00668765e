package e2e_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

func TestHandlerPanicIsSurvived(t *testing.T) {
	w := newWorld(t, withWrap(func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, u *models.Update) error {
			if u.Message != nil && u.Message.Text == "/whoami" {
				panic("boom")
			}
			return next.Handle(ctx, u)
		})
	}))
	w.addUser(5101, "Hà", "")
	w.say(5101, "/whoami", w.text(i18n.VI, "error.internal"))
	// The process lives on and answers the next command.
	w.say(5101, "/start", w.text(i18n.VI, "start.unknown", "name", "Hà"))
	if !strings.Contains(w.logs.String(), `"panic":"boom"`) || !strings.Contains(w.logs.String(), `"update_id"`) {
		t.Error("the panic was not logged with its update id")
	}
}

func TestTooManyRequestsHonoured(t *testing.T) {
	// The simulator enforces Telegram's 1 message/s per chat; the bot is told
	// it may send far faster, so it meets 429s and must wait them out.
	w := newWorld(t, withSim(telegramsim.WithLimits(telegramsim.DefaultLimits())),
		withEnv("SEND_RATE", "1000"), withEnv("SEND_RATE_CHAT", "1000"), withEnv("SEND_RATE_GROUP", "60000"))
	w.addUser(5201, "Tú", "")
	for i := 0; i < 3; i++ {
		w.sim.SendText(5201, 5201, "/start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	want := w.text(i18n.VI, "start.unknown", "name", "Tú")
	if err := w.sim.Await(ctx, func() bool {
		n := 0
		for _, m := range w.botMessages(5201) {
			if strings.Contains(m.Text, want) {
				n++
			}
		}
		return n == 3
	}); err != nil {
		t.Fatalf("not every reply arrived after the 429s: %d messages", len(w.botMessages(5201)))
	}
	if w.sim.Count429() == 0 {
		t.Error("the simulator never answered 429: the test proves nothing")
	}
}

// freeAddr is a loopback address nobody listens on, for a replica that
// must know its address before it starts (a webhook URL). It is picked below
// the kernel's ephemeral range, so a listener on port 0 (every other app and
// simulator of the suite) cannot be handed it between this check and the
// replica's own listen.
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 200 {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000))
		if ln, err := net.Listen("tcp", addr); err == nil {
			_ = ln.Close()
			return addr
		}
	}
	t.Fatal("no free loopback port below the ephemeral range")
	return ""
}

func TestWebhookChecksItsSecret(t *testing.T) {
	addr := freeAddr(t)
	hook := "http://" + addr + "/telegram/hook"
	w := newWorld(t, withEnv("HTTP_ADDR", addr), withEnv("WEBHOOK_URL", hook), withEnv("WEBHOOK_SECRET", "s3cret_-token"))
	w.addUser(5301, "Nga", "")
	w.say(5301, "/start", w.text(i18n.VI, "start.unknown", "name", "Nga"))

	forged := `{"update_id":777001,"message":{"message_id":1,"date":1700000000,"chat":{"id":5301,"type":"private"},"from":{"id":5301,"is_bot":false,"first_name":"X"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	for _, secret := range []string{"", "wrong"} {
		req, _ := http.NewRequest(http.MethodPost, hook, strings.NewReader(forged))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", secret, resp.StatusCode)
		}
	}
	w.say(5301, "/help", w.text(i18n.VI, "help.cmd.help"))
	if n := len(w.botMessages(5301)); n != 2 {
		t.Errorf("the forged updates were processed: %d bot messages, want 2", n)
	}
}

func TestShutdownWithUpdatesInFlightLosesNone(t *testing.T) {
	var started atomic.Int32
	w := newWorld(t, withWrap(func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, u *models.Update) error {
			started.Add(1)
			time.Sleep(200 * time.Millisecond) // a slow handler, so shutdown finds work in hand
			return next.Handle(ctx, u)
		})
	}))
	const n = 12
	for i := 0; i < n; i++ {
		id := int64(5400 + i)
		w.addUser(id, fmt.Sprint("U", i), "")
		w.sim.SendText(id, id, "/start")
		w.sim.SendText(id, id, "/help")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return started.Load() > 0 }); err != nil {
		t.Fatal("no update was taken")
	}
	sctx, scancel := context.WithTimeout(context.Background(), app.ShutdownTimeout)
	defer scancel()
	begun := time.Now()
	if err := w.apps[0].Shutdown(sctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(begun); took > app.ShutdownTimeout {
		t.Errorf("shutdown took %v", took)
	}
	// Whatever the first replica did not take, the next one does; nothing twice.
	w.startApp()
	for i := 0; i < n; i++ {
		id := int64(5400 + i)
		w.waitNew(id, 0, w.text(i18n.VI, "start.unknown", "name", fmt.Sprint("U", i)))
		w.waitNew(id, 0, w.text(i18n.VI, "help.cmd.help"))
		if got := len(w.botMessages(id)); got != 2 {
			t.Errorf("chat %d: %d replies, want exactly 2", id, got)
		}
	}
}
