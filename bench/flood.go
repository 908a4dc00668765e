package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/telegramsim"
)

// FloodResult is how long bystanders wait for /whoami while someone floods
// the bot (issue 12, defect 1).
type FloodResult struct {
	Rounds, Flood, Bystanders int
	P50, P99, Max             time.Duration
	FloodNotices              int // "too many messages" answers, one per flooder wanted
}

func (r FloodResult) String() string {
	return fmt.Sprintf("flood: %d rounds of %d messages from one person, then %d others /whoami 0.5 s later: reply p50 %v, p99 %v, max %v (target p99 < 2s); %d flood notices for %d flooders",
		r.Rounds, r.Flood, r.Bystanders, r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond),
		r.Max.Round(time.Millisecond), r.FloodNotices, r.Rounds)
}

const floodBaseID = 600000

// Flood runs the attack at Telegram's default limits on both sides (the
// simulator's and the bot's own send limits, the default flood limit):
// each round a new person sends flood plain messages, and 0.5 s later
// bystanders new people send /whoami at once; each one's wait for the
// reply is one sample. The flooders' backlogs (20 answers at 1/s each) go
// on across rounds, as they would.
func Flood(ctx context.Context, redisURL string, rounds, flood, bystanders int) (FloodResult, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName),
		telegramsim.WithLimits(telegramsim.DefaultLimits()))
	defer sim.Close()
	r, err := startRig(ctx, sim, redisURL, nil, app.Options{})
	if err != nil {
		return FloodResult{}, err
	}
	defer r.close()
	var took latencies
	var flooders []int64
	for round := range rounds {
		a := int64(floodBaseID + round*1000)
		flooders = append(flooders, a)
		sim.AddUser(telegramsim.User{ID: a, FirstName: "Flooder"})
		for i := range bystanders {
			sim.AddUser(telegramsim.User{ID: a + 1 + int64(i), FirstName: "Bystander"})
		}
		for i := range flood {
			sim.SendText(a, a, fmt.Sprintf("tin nhắn %d", i))
		}
		select {
		case <-ctx.Done():
			return FloodResult{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		var wg sync.WaitGroup
		errs := make(chan error, bystanders)
		for i := range bystanders {
			b := a + 1 + int64(i)
			wg.Add(1)
			go func() {
				defer wg.Done()
				wctx, cancel := context.WithTimeout(ctx, time.Minute)
				defer cancel()
				start := time.Now()
				sim.SendText(b, b, "/whoami")
				if _, err := sim.WaitFor(wctx, b, func(telegramsim.Message) bool { return true }); err != nil {
					errs <- err
					return
				}
				took.add(time.Since(start))
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return FloodResult{}, fmt.Errorf("round %d: %w", round, err)
		}
	}
	res := FloodResult{Rounds: rounds, Flood: flood, Bystanders: bystanders,
		P50: took.p(0.50), P99: took.p(0.99), Max: took.p(1)}
	// The last flooder's notice comes after its 20 answers at 1/s.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	notice := "quá nhiều tin nhắn"
	_ = sim.Await(wctx, func() bool { return countBot(sim, flooders, notice) == rounds })
	res.FloodNotices = countBot(sim, flooders, notice)
	return res, nil
}

// countBot counts the bot's messages containing s in the chats.
func countBot(sim *telegramsim.Simulator, chats []int64, s string) int {
	n := 0
	for _, c := range chats {
		for _, m := range sim.Chat(c) {
			if m.FromBot && strings.Contains(m.Text, s) {
				n++
			}
		}
	}
	return n
}
