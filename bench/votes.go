package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/app"
	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/domain"
	"github.com/confbot/confbot/setup"
	"github.com/confbot/confbot/telegramsim"
)

// Result is one measured throughput run.
type Result struct {
	Name    string
	N       int           // requests completed
	Elapsed time.Duration // first request sent to last one answered
	P50     time.Duration // handler latency percentiles (zero for the echo bot)
	P99     time.Duration
}

// PerSecond is the throughput of the run.
func (r Result) PerSecond() float64 { return float64(r.N) / r.Elapsed.Seconds() }

// String formats the result for people.
func (r Result) String() string {
	s := fmt.Sprintf("%s: %d in %v = %.0f/s", r.Name, r.N, r.Elapsed.Round(time.Millisecond), r.PerSecond())
	if r.P99 > 0 {
		s += fmt.Sprintf(", handler p50 %v p99 %v", r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond))
	}
	return s
}

// echoData is the echo bot's button: a ballot's submit button, as long.
const echoData = "bs:abcdefgh:0.1:yn"

// Votes casts n votes by button press, one per delegate, on the real bot
// with its store on redisURL: each press is a callback update that goes
// inbox → intake → router → Redis (the cast script) → answerCallbackQuery
// and editMessageText to the simulator. Each delegate first opens the
// ballot screen and its confirmation (untimed): the "bs" (submit) button
// pressed is the one the bot put there. Timed from the first press to the
// last handler's return (a handler returns once both calls were answered);
// P99 is the time inside the handler.
func Votes(ctx context.Context, redisURL string, n int) (Result, error) {
	v, err := startVoting(ctx, redisURL, n)
	if err != nil {
		return Result{}, err
	}
	defer v.close()
	sim, r, handled, took := v.sim, v.rig, v.handled, &v.took
	want := handled.load()
	// Mark A yes, then B yes, then review: the confirmation carries the
	// submit button.
	screens := make([]int64, n)
	for step, press := range []struct {
		prefix string
		nth    int
	}{{"bv:", 0}, {"bv:", 1}, {"bc:", 0}} {
		prefix := press.prefix
		want = handled.load() + int64(n)
		for i := range n {
			id := int64(baseID + i)
			if step == 0 {
				screens[i] = lastBotMessage(sim, id)
			}
			data := buttonWith(sim, id, screens[i], prefix, press.nth)
			if data == "" {
				return Result{}, fmt.Errorf("delegate %d: no %s button", id, prefix)
			}
			sim.PressButton(id, id, screens[i], data)
		}
		if err := handled.wait(ctx, want); err != nil {
			return Result{}, fmt.Errorf("ballot screens (%s): %w", prefix, err)
		}
	}
	submits := make([]string, n)
	for i := range n {
		if submits[i] = buttonWith(sim, int64(baseID+i), screens[i], "bs:", 0); submits[i] == "" {
			return Result{}, fmt.Errorf("delegate %d has no submit button", baseID+i)
		}
	}
	took.reset()
	want = handled.load() + int64(n)
	begun := time.Now()
	for i := range n {
		id := int64(baseID + i)
		sim.PressButton(id, id, screens[i], submits[i])
	}
	if err := handled.wait(ctx, want); err != nil {
		return Result{}, fmt.Errorf("votes: %w", err)
	}
	elapsed := time.Since(begun)
	counters, err := r.store.Counters(ctx, confRef, "khen", 1)
	if err != nil {
		return Result{}, err
	}
	if counters.Ballots != n || counters.Yes["A"] != n {
		return Result{}, fmt.Errorf("votes: %d ballots counted, %d yes for A; want %d", counters.Ballots, counters.Yes["A"], n)
	}
	return Result{Name: "confbot votes (button)", N: n, Elapsed: elapsed, P50: took.p(0.50), P99: took.p(0.99)}, nil
}

// voting is the bot with a ballot open to n delegates, each update counted
// and timed inside the handler.
type voting struct {
	sim     *telegramsim.Simulator
	rig     *rig
	handled *counter
	took    latencies
}

func startVoting(ctx context.Context, redisURL string, n int) (*voting, error) {
	v := &voting{sim: telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName)), handled: newCounter()}
	r, err := startRig(ctx, v.sim, redisURL, fastSend, app.Options{WrapHandler: timedBy(v.handled, &v.took)})
	if err != nil {
		v.sim.Close()
		return nil, err
	}
	v.rig = r
	if err := openBallot(ctx, r, n, v.handled); err != nil {
		v.close()
		return nil, err
	}
	// Every delegate opens the ballot screen (untimed): it is what a button
	// press acts on, and it teaches the bot what their votes read.
	want := v.handled.load() + int64(n)
	for i := range n {
		id := int64(baseID + i)
		v.sim.SendText(id, id, "/vote khen")
	}
	if err := v.handled.wait(ctx, want); err != nil {
		v.close()
		return nil, fmt.Errorf("ballot screens: %w", err)
	}
	return v, nil
}

func (v *voting) close() {
	v.rig.close()
	v.sim.Close()
}

// TypedVotes has n delegates each type `/vote khen …` changes times (all
// queued at once), choosing differently each time: every update is a cast
// that replaces the voter's ballot, answered with a receipt. It checks that
// the tally is each voter's last choice.
func TypedVotes(ctx context.Context, redisURL string, n, changes int) (Result, error) {
	v, err := startVoting(ctx, redisURL, n)
	if err != nil {
		return Result{}, err
	}
	defer v.close()
	sim, r, handled := v.sim, v.rig, v.handled
	want := handled.load() + int64(n*changes)
	begun := time.Now()
	for round := range changes {
		for i := range n {
			id := int64(baseID + i)
			sim.SendText(id, id, typedChoice(i, round))
		}
	}
	if err := handled.wait(ctx, want); err != nil {
		return Result{}, fmt.Errorf("typed votes: %w", err)
	}
	elapsed := time.Since(begun)
	replies := replyLatencies(sim, n, begun)
	counters, err := r.store.Counters(ctx, confRef, "khen", 1)
	if err != nil {
		return Result{}, err
	}
	wantYesA, wantYesB := 0, 0
	for i := range n {
		if i%2 == 0 {
			wantYesA++
		} else {
			wantYesB++
		}
	}
	if changes%2 == 0 { // the last round chose the other way
		wantYesA, wantYesB = wantYesB, wantYesA
	}
	if counters.Ballots != n || counters.Yes["A"] != wantYesA || counters.Yes["B"] != wantYesB {
		return Result{}, fmt.Errorf("typed votes: %d ballots, yes A %d, yes B %d; want %d, %d, %d (each voter's last choice)",
			counters.Ballots, counters.Yes["A"], counters.Yes["B"], n, wantYesA, wantYesB)
	}
	return Result{Name: "confbot votes (typed)", N: n * changes, Elapsed: elapsed, P50: replies.p(0.50), P99: replies.p(0.99)}, nil
}

// typedChoice is delegate i's vote in a round: even delegates approve A
// in even rounds and B in odd ones, odd delegates the other way.
func typedChoice(i, round int) string {
	if (i+round)%2 == 0 {
		return "/vote khen A:yes B:no"
	}
	return "/vote khen A:no B:yes"
}

// timedBy counts each handled update and records the time inside it.
func timedBy(handled *counter, took *latencies) func(bot.Handler) bot.Handler {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, u *models.Update) error {
			start := time.Now()
			err := next.Handle(ctx, u)
			took.add(time.Since(start))
			handled.add()
			return err
		})
	}
}

// buttonWith is the data of the nth button of message id in chat whose
// data starts with prefix ("" when none).
func buttonWith(sim *telegramsim.Simulator, chat, id int64, prefix string, nth int) string {
	for _, m := range sim.Chat(chat) {
		if m.ID != id {
			continue
		}
		for _, row := range m.Buttons {
			for _, b := range row {
				if strings.HasPrefix(b.CallbackData, prefix) {
					if nth == 0 {
						return b.CallbackData
					}
					nth--
				}
			}
		}
	}
	return ""
}

func lastBotMessage(sim *telegramsim.Simulator, chatID int64) int64 {
	msgs := sim.Chat(chatID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].FromBot && len(msgs[i].Buttons) > 0 {
			return msgs[i].ID
		}
	}
	return 0
}

// Echo is the same exchange on a bare go-telegram/bot that does no work:
// each user's text is answered with a message carrying one button, and
// each press of it is answered (answerCallbackQuery) and the message edited
// (editMessageText) — the two calls confbot makes for a vote. Only the
// presses are timed. Its handlers run as the library runs them by default
// (a goroutine per update).
func Echo(ctx context.Context, n int) (Result, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName))
	defer sim.Close()
	done := newCounter()
	var took latencies
	b, err := tgbot.New(token, tgbot.WithServerURL(sim.URL()), tgbot.WithSkipGetMe(),
		// A 2 s long poll as confbot's bench app uses; the client timeout above it.
		tgbot.WithHTTPClient(2*time.Second, &http.Client{Timeout: 20 * time.Second}),
		tgbot.WithErrorsHandler(func(error) {}), tgbot.WithDebugHandler(func(string, ...any) {}),
		tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
			start := time.Now()
			if echoOnce(ctx, b, u) == nil {
				took.add(time.Since(start))
				done.add()
			}
		}))
	if err != nil {
		return Result{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Start(runCtx)
	for i := range n {
		sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "U"})
	}
	for i := range n {
		id := int64(baseID + i)
		sim.SendText(id, id, "/vote khen")
	}
	if err := done.wait(ctx, int64(n)); err != nil {
		return Result{}, fmt.Errorf("echo screens: %w", err)
	}
	screens := make([]int64, n)
	for i := range n {
		screens[i] = lastBotMessage(sim, int64(baseID+i))
	}
	took.reset()
	begun := time.Now()
	for i := range n {
		id := int64(baseID + i)
		sim.PressButton(id, id, screens[i], echoData)
	}
	if err := done.wait(ctx, int64(2*n)); err != nil {
		return Result{}, fmt.Errorf("echo presses: %w", err)
	}
	return Result{Name: "echo bot (button)", N: n, Elapsed: time.Since(begun), P50: took.p(0.50), P99: took.p(0.99)}, nil
}

// EchoTyped is TypedVotes' exchange on the bare bot: the same n×changes
// texts, each answered with one sendMessage.
func EchoTyped(ctx context.Context, n, changes int) (Result, error) {
	sim := telegramsim.New(telegramsim.WithToken(token), telegramsim.WithBotUser(1000001, botName))
	defer sim.Close()
	done := newCounter()
	b, err := tgbot.New(token, tgbot.WithServerURL(sim.URL()), tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(2*time.Second, &http.Client{Timeout: 20 * time.Second}),
		tgbot.WithErrorsHandler(func(error) {}), tgbot.WithDebugHandler(func(string, ...any) {}),
		tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
			if echoOnce(ctx, b, u) == nil {
				done.add()
			}
		}))
	if err != nil {
		return Result{}, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.Start(runCtx)
	for i := range n {
		sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "U"})
	}
	begun := time.Now()
	for round := range changes {
		for i := range n {
			id := int64(baseID + i)
			sim.SendText(id, id, typedChoice(i, round))
		}
	}
	if err := done.wait(ctx, int64(n*changes)); err != nil {
		return Result{}, fmt.Errorf("echo texts: %w", err)
	}
	elapsed := time.Since(begun)
	replies := replyLatencies(sim, n, begun)
	return Result{Name: "echo bot (typed)", N: n * changes, Elapsed: elapsed, P50: replies.p(0.50), P99: replies.p(0.99)}, nil
}

// replyLatencies times each text the n delegates sent since begun to the
// bot's reply in their chat, the k-th reply answering the k-th text (as
// the simulator recorded them).
func replyLatencies(sim *telegramsim.Simulator, n int, begun time.Time) *latencies {
	var out latencies
	for i := range n {
		var asked, answered []time.Time
		for _, m := range sim.Chat(int64(baseID + i)) {
			switch {
			case m.At.Before(begun):
			case m.FromBot:
				answered = append(answered, m.At)
			default:
				asked = append(asked, m.At)
			}
		}
		for k := range min(len(asked), len(answered)) {
			out.add(answered[k].Sub(asked[k]))
		}
	}
	return &out
}

func echoOnce(ctx context.Context, b *tgbot.Bot, u *models.Update) error {
	switch {
	case u.Message != nil:
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "ok",
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "ok", CallbackData: echoData}}}}})
		return err
	case u.CallbackQuery != nil && u.CallbackQuery.Message.Message != nil:
		m := u.CallbackQuery.Message.Message
		if _, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "ok"}); err != nil {
			return err
		}
		_, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID, Text: "done"})
		return err
	}
	return fmt.Errorf("echo: unexpected update")
}

// openBallot imports a conference of n delegates and opens its ballot khen
// as the admin, through the bot.
func openBallot(ctx context.Context, r *rig, n int, handled *counter) error {
	r.sim.AddUser(telegramsim.User{ID: adminID, FirstName: "Admin"})
	for i := range n {
		r.sim.AddUser(telegramsim.User{ID: int64(baseID + i), FirstName: "Đại biểu"})
	}
	if _, err := setup.New(r.store, botName, time.Now).Import(ctx, Conference(n)); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if _, err := r.store.UpdateConference(ctx, confRef, func(c *domain.Conference) error {
		_ = c.Transition(domain.StateOpen)
		return c.Transition(domain.StateInSession)
	}); err != nil {
		return err
	}
	if err := r.store.SetActive(ctx, adminID, confRef); err != nil {
		return err
	}
	for _, cmd := range []string{"/quorum override", "/ballot open khen"} {
		want := handled.load() + 1
		r.sim.SendText(adminID, adminID, cmd)
		if err := handled.wait(ctx, want); err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
	}
	if info, err := r.store.BallotRound(ctx, confRef, "khen"); err != nil || info.State != domain.BallotOpen {
		return fmt.Errorf("ballot khen did not open: %v", err)
	}
	return nil
}

// Conference is a conference of n delegates (ids from 400000) in two units
// with one secret approve ballot, khen; extra is appended (top-level YAML,
// such as reminders).
func Conference(n int, extra ...string) []byte {
	return conferenceFile("big", "y2025", baseID, n, extra...)
}

func conferenceFile(cluster, conf string, firstID, n int, extra ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `cluster: {id: %s, name: "Cụm %s", timezone: Asia/Ho_Chi_Minh}
units:
  - {code: A, name: "Đơn vị A"}
  - {code: B, name: "Đơn vị B"}
conference: {id: %s, title: "Hội nghị", year: 2025, starts_at: "2025-11-24 08:00", ends_at: "2025-11-24 11:00", chair_unit: A, quorum: {percent: 50, of: members}, summary_deadline: "2025-11-17 17:00"}
people:
`, cluster, cluster, conf)
	for i := range n {
		fmt.Fprintf(&b, "  - {id: %d, name: \"Đại biểu %d\", unit: %s, roles: [delegate]}\n", firstID+i, i, []string{"A", "B"}[i%2])
	}
	b.WriteString(`ballots:
  - {id: khen, title: "Khen thưởng", kind: approve, candidates: all, voters: delegate, secret: true, threshold: {op: ">", percent: 50, of: valid}, quota: 1}
`)
	for _, e := range extra {
		b.WriteString(e)
	}
	return []byte(b.String())
}
