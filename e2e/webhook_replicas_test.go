package e2e_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/config"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/setup"
)

// duplicatingProxy stands for a load balancer in front of two replicas:
// each update goes to the next replica in turn, and once that one has
// answered, a copy goes to the other one too — the worst a balancer and
// Telegram's retries can do together.
type duplicatingProxy struct {
	backends []string
	next     atomic.Uint64
	copies   atomic.Int64
}

func (p *duplicatingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	i := int(p.next.Add(1)) % len(p.backends)
	status := p.forward(r, p.backends[i], body)
	if status/100 == 2 {
		if p.forward(r, p.backends[(i+1)%len(p.backends)], body) != 0 {
			p.copies.Add(1)
		}
	}
	w.WriteHeader(status)
}

func (p *duplicatingProxy) forward(r *http.Request, backend string, body []byte) int {
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, "http://"+backend+r.URL.Path, bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return http.StatusBadGateway
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestTwoWebhookReplicasBehindOneProxy runs two replicas in webhook mode
// behind a proxy that delivers every update to both: each command is
// answered once, and a reminder ticked by both replicas at once reaches
// each person once.
func TestTwoWebhookReplicasBehindOneProxy(t *testing.T) {
	const people = 40
	addrs := []string{freeAddr(t), freeAddr(t)}
	proxy := &duplicatingProxy{backends: addrs}
	front := httptest.NewServer(proxy)
	defer front.Close()
	hook := front.URL + "/telegram/hook"
	w := newWorld(t, withEnv("HTTP_ADDR", addrs[0]), withEnv("WEBHOOK_URL", hook), withEnv("WEBHOOK_SECRET", "replica-secret"))

	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := newTestClock(time.Date(2025, 11, 20, 8, 0, 0, 0, hcm))
	ctx := context.Background()
	if _, err := setup.New(w.store, botName, clock.Now).Import(ctx, loadConference(people, `reminders:
  - {before: conference, offsets: [72h], to: delegates_not_registered}
`)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.UpdateConference(ctx, loadRef, func(c *domain.Conference) error { return c.Transition(domain.StateOpen) }); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < people; i++ {
		w.addUser(voterID(i), "Đại biểu", "")
	}
	// The replica newWorld started runs on the real clock: replace it by
	// two on the test clock, one per backend address.
	sctx, cancel := context.WithTimeout(ctx, app.ShutdownTimeout)
	if err := w.apps[0].Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	replicas := []*app.App{startReplica(t, w, addrs[0], clock), startReplica(t, w, addrs[1], clock)}

	tickBoth := func() {
		var wg sync.WaitGroup
		for _, a := range replicas {
			wg.Add(1)
			go func() { defer wg.Done(); a.Tick(ctx) }()
		}
		wg.Wait()
	}
	tickBoth() // plans the reminders
	clock.Set(time.Date(2025, 11, 21, 8, 1, 0, 0, hcm))
	for range 3 {
		tickBoth()
	}
	for i := 0; i < people; i++ {
		w.waitNew(voterID(i), 0, "")
	}

	// Everyone writes /start; both replicas see every update.
	for i := 0; i < people; i++ {
		w.sim.SendText(voterID(i), voterID(i), "/start")
	}
	for i := 0; i < people; i++ {
		w.waitNew(voterID(i), 1, "")
	}
	time.Sleep(300 * time.Millisecond) // a late double reply would show now
	for i := 0; i < people; i++ {
		if n := len(w.botMessages(voterID(i))); n != 2 {
			t.Errorf("delegate %d got %d messages, want the reminder and one reply", voterID(i), n)
		}
	}
	if proxy.copies.Load() < people {
		t.Errorf("only %d updates were delivered twice: the test proves nothing", proxy.copies.Load())
	}
	w.say(voterID(0), "/help", w.text(i18n.VI, "help.cmd.help"))
}

// startReplica boots one more replica of w's bot on clock, listening on addr.
func startReplica(t *testing.T, w *world, addr string, clock *testClock) *app.App {
	t.Helper()
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	env["HTTP_ADDR"] = addr
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeServe)
	if err != nil {
		t.Fatal(err)
	}
	log := zerolog.New(w.logs).With().Timestamp().Logger()
	a, err := app.New(context.Background(), cfg, log, app.Options{Store: w.store, Now: clock.Now, PollTimeout: 2 * time.Second, TickEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.apps = append(w.apps, a)
	return a
}
