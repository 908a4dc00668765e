package bench

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/telegramsim"
)

// BroadcastResult is one reminder fan-out under Telegram's limits.
type BroadcastResult struct {
	Reminders   int           // delegates that got the reminder
	Elapsed     time.Duration // the tick that found it due to the last one sent
	Allowed     time.Duration // what the limits allow: Reminders / 30 per second
	Count429    int           // 429 answers the simulator gave
	Interactive int           // /help commands answered during the fan-out
	ReplyP50    time.Duration // sent → reply seen, for those commands
	ReplyP99    time.Duration
	ReplyMax    time.Duration
}

// Ratio is Elapsed over Allowed (target ≤ 1.05).
func (r BroadcastResult) Ratio() float64 { return r.Elapsed.Seconds() / r.Allowed.Seconds() }

// RatioAll is Elapsed over what the limits allow for every message sent
// meanwhile: the interactive replies share the 30 a second.
func (r BroadcastResult) RatioAll() float64 {
	return r.Elapsed.Seconds() / (r.Allowed.Seconds() * float64(r.Reminders+r.Interactive) / float64(r.Reminders))
}

// String formats the result for people.
func (r BroadcastResult) String() string {
	return fmt.Sprintf("broadcast: %d reminders in %v (limits allow %v: ratio %.3f; %.3f counting the interactive replies), %d answered 429; "+
		"%d interactive replies meanwhile, p50 %v p99 %v max %v", r.Reminders, r.Elapsed.Round(time.Millisecond),
		r.Allowed.Round(time.Millisecond), r.Ratio(), r.RatioAll(), r.Count429, r.Interactive,
		r.ReplyP50.Round(time.Millisecond), r.ReplyP99.Round(time.Millisecond), r.ReplyMax.Round(time.Millisecond))
}

// benchClock is the app's settable clock: reminders fall due when it is
// moved, while the simulator's rate windows run on real time.
type benchClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *benchClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *benchClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

const interactiveBase = 800000

// Broadcast sends one scheduled reminder to n delegates through the real
// scheduler and sender at the bot's default limits (30/s, 1/s a chat),
// with the simulator enforcing Telegram's (DefaultLimits), while
// interactive users each send /help spaced evenly over the fan-out; every
// reply's time from command to message is measured.
func Broadcast(ctx context.Context, redisURL string, n, interactive int) (BroadcastResult, error) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return BroadcastResult{}, err
	}
	clock := &benchClock{now: time.Date(2025, 11, 20, 8, 0, 0, 0, hcm)}
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName),
		telegramsim.WithLimits(telegramsim.DefaultLimits()))
	defer sim.Close()
	r, err := startRig(ctx, sim, redisURL, nil, app.Options{Now: clock.Now, TickEvery: time.Hour})
	if err != nil {
		return BroadcastResult{}, err
	}
	defer r.close()
	for i := range n {
		sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "Đại biểu"})
	}
	for i := range interactive {
		sim.AddUser(telegramsim.User{ID: int64(interactiveBase + i), FirstName: "Khách"})
	}
	conf := Conference(n, "reminders:\n  - {before: conference, offsets: [72h], to: delegates_not_registered}\n")
	if _, err := setup.New(r.store, botName, clock.Now).Import(ctx, conf); err != nil {
		return BroadcastResult{}, fmt.Errorf("import: %w", err)
	}
	if _, err := r.store.UpdateConference(ctx, confRef, func(c *domain.Conference) error {
		return c.Transition(domain.StateOpen)
	}); err != nil {
		return BroadcastResult{}, err
	}
	r.app.Tick(ctx) // plans the reminders
	clock.Set(time.Date(2025, 11, 21, 8, 1, 0, 0, hcm))

	allowed := time.Duration(float64(n) / float64(telegramsim.DefaultLimits().Global) * float64(time.Second))
	begun := time.Now()
	runCtx, cancel := context.WithTimeout(ctx, waitMost)
	defer cancel()
	tickDone := make(chan struct{})
	go func() {
		defer close(tickDone)
		// One tick sends the whole fan-out; another only if a send failed.
		for runCtx.Err() == nil && reached(sim, n) < n {
			r.app.Tick(runCtx)
		}
	}()
	var replies latencies
	var wg sync.WaitGroup
	var replyErr error
	var errOnce sync.Once
	spacing := allowed / time.Duration(interactive+1)
	for i := range interactive {
		select {
		case <-time.After(spacing):
		case <-runCtx.Done():
		}
		id := int64(interactiveBase + i)
		sent := time.Now()
		sim.SendText(id, id, "/help")
		wg.Go(func() {
			if _, err := sim.WaitFor(runCtx, id, func(telegramsim.Message) bool { return true }); err != nil {
				errOnce.Do(func() { replyErr = err })
				return
			}
			replies.add(time.Since(sent))
		})
	}
	wg.Wait()
	<-tickDone
	if replyErr != nil {
		return BroadcastResult{}, fmt.Errorf("interactive reply: %w", replyErr)
	}
	res := BroadcastResult{Reminders: reached(sim, n), Allowed: allowed, Count429: sim.Count429(),
		Interactive: len(replies.d), ReplyP50: replies.p(0.5), ReplyP99: replies.p(0.99), ReplyMax: replies.p(1)}
	res.Elapsed = lastSend(sim, n).Sub(begun)
	if res.Reminders < n {
		return res, fmt.Errorf("broadcast: %d of %d reminded", res.Reminders, n)
	}
	return res, nil
}

// reached counts the delegates with a message from the bot.
func reached(sim *telegramsim.Simulator, n int) int {
	got := 0
	for i := range n {
		for _, m := range sim.Chat(int64(baseID + i)) {
			if m.FromBot {
				got++
				break
			}
		}
	}
	return got
}

// lastSend is when the last successful sendMessage to a delegate was made.
func lastSend(sim *telegramsim.Simulator, n int) time.Time {
	var last time.Time
	for _, c := range sim.Calls("sendMessage") {
		id, _ := strconv.ParseInt(c.Fields["chat_id"], 10, 64)
		if c.ErrorCode == 0 && id >= baseID && id < int64(baseID+n) && c.At.After(last) {
			last = c.At
		}
	}
	return last
}
