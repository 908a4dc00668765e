package e2e_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

const (
	flooderID = 710001
	bystander = 710002
	floodSent = 500
	floodCap  = 20 // the app's default: 20 updates per person in 10 s
)

// defaultLimits runs the world at Telegram's limits, on both sides: the
// simulator enforces them and the bot's sender keeps to them.
func defaultLimits() []worldOption {
	return []worldOption{
		withSim(telegramsim.WithLimits(telegramsim.DefaultLimits())),
		withEnv("SEND_RATE", "30"), withEnv("SEND_RATE_CHAT", "1"), withEnv("SEND_RATE_GROUP", "20"),
		withEnv("FLOOD_LIMIT", "20/10s"), // the default
	}
}

// handledOrder records, per chat, the update ids the router was given.
type handledOrder struct {
	mu  sync.Mutex
	ids map[int64][]int64
}

func (h *handledOrder) wrap(next bot.Handler) bot.Handler {
	return bot.HandlerFunc(func(ctx context.Context, u *models.Update) error {
		h.mu.Lock()
		h.ids[bot.ChatOf(u)] = append(h.ids[bot.ChatOf(u)], u.ID)
		h.mu.Unlock()
		return next.Handle(ctx, u)
	})
}

func (h *handledOrder) of(chat int64) []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int64(nil), h.ids[chat]...)
}

// TestFloodHoldsUpNobodyElse replays issue 12's first attack: A sends 500
// plain messages, then B sends /whoami. B is answered at once, before A's
// backlog is through; A's first 20 are handled in order, A hears "too many
// messages" once, and the other 480 are dropped and counted.
func TestFloodHoldsUpNobodyElse(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	floodAttack(t)
}

// TestFloodHoldsUpNobodyElseByWebhook is the same attack on a bot taking
// its updates by webhook.
func TestFloodHoldsUpNobodyElseByWebhook(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	addr := freeAddr(t)
	floodAttack(t, withEnv("HTTP_ADDR", addr), withEnv("WEBHOOK_URL", "http://"+addr+"/telegram/hook"),
		withEnv("WEBHOOK_SECRET", "flood_secret-1"))
}

func floodAttack(t *testing.T, opts ...worldOption) {
	t.Helper()
	order := &handledOrder{ids: map[int64][]int64{}}
	w := newWorld(t, append(append(defaultLimits(), withWrap(order.wrap)), opts...)...)
	w.addUser(flooderID, "Flooder", "")
	w.addUser(bystander, "Bystander", "")

	var sent []int64
	for i := range floodSent {
		sent = append(sent, w.sim.SendText(flooderID, flooderID, fmt.Sprintf("tin nhắn %d", i)))
	}
	start := time.Now()
	w.sim.SendText(bystander, bystander, "/whoami")
	w.waitNew(bystander, 0, "")
	took := time.Since(start)
	answeredA := len(w.botMessages(flooderID))
	t.Logf("B answered after %v, when A had %d answers", took, answeredA)
	if took > 2*time.Second {
		t.Errorf("B waited %v for /whoami; want under 2 s", took)
	}
	if answeredA >= floodCap {
		t.Errorf("A had %d answers before B had one: B waited for A's backlog", answeredA)
	}

	notice := w.text(i18n.VI, "flood.too_many")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := w.sim.Await(ctx, func() bool { return len(w.botMessages(flooderID)) >= floodCap+1 }); err != nil {
		t.Fatalf("A has %d answers; want %d and the flood notice", len(w.botMessages(flooderID)), floodCap)
	}
	msgs := w.botMessages(flooderID)
	if got := countContaining(msgs, notice); got != 1 {
		t.Errorf("flood notice sent %d times; want once", got)
	}
	if last := msgs[len(msgs)-1]; last.Text != notice {
		t.Errorf("A's last answer is %q; want the flood notice after the handled ones", last.Text)
	}
	if got, want := order.of(flooderID), sent[:floodCap]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("A's handled updates %v; want the first %d in order %v", got, floodCap, want)
	}
	_, body := httpGet(t, "http://"+w.apps[0].HTTPAddr()+"/metrics")
	if got := metricValue(body, `confbot_updates_dropped_total{reason="flood"}`); got != floodSent-floodCap {
		t.Errorf("dropped counted %v; want %d", got, floodSent-floodCap)
	}
}

// metricValue reads one sample from a Prometheus text exposition (-1 when absent).
func metricValue(body, sample string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` ([0-9.e+]+)$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	var v float64
	_, _ = fmt.Sscan(strings.TrimSpace(m[1]), &v)
	return v
}
