package telegramsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/telegramsim"
	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

const (
	alice = int64(111)
	bob   = int64(222)
	group = int64(-1001234567890)
)

// waitTimeout bounds every wait for asynchronous I/O in these tests.
const waitTimeout = 5 * time.Second

// newSim starts a simulator with two people and a group, closed when the test ends.
func newSim(t *testing.T, opts ...telegramsim.Option) *telegramsim.Simulator {
	t.Helper()
	sim := telegramsim.New(opts...)
	t.Cleanup(sim.Close)
	sim.AddUser(telegramsim.User{ID: alice, FirstName: "Alice", Username: "alice", LanguageCode: "vi"})
	sim.AddUser(telegramsim.User{ID: bob, FirstName: "Bob"})
	sim.AddGroup(group, "Cụm 8")
	return sim
}

// newBot connects the real go-telegram/bot client to the simulator without starting it.
func newBot(t *testing.T, sim *telegramsim.Simulator, opts ...bot.Option) *bot.Bot {
	t.Helper()
	opts = append([]bot.Option{
		bot.WithServerURL(sim.URL()),
		// The library's default handlers log whole updates; keep test output quiet.
		bot.WithErrorsHandler(func(error) {}),
		bot.WithDefaultHandler(func(context.Context, *bot.Bot, *models.Update) {}),
	}, opts...)
	b, err := bot.New(sim.Token(), opts...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// startBot runs the bot's polling loop until the test ends.
func startBot(t *testing.T, b *bot.Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.Start(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
}

// updateSink collects updates a handler receives.
type updateSink chan *models.Update

func (s updateSink) handler(_ context.Context, _ *bot.Bot, u *models.Update) { s <- u }

func (s updateSink) next(t *testing.T) *models.Update {
	t.Helper()
	select {
	case u := <-s:
		return u
	case <-time.After(waitTimeout):
		t.Fatal("no update delivered")
		return nil
	}
}

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// apiAnswer is the Bot API's response envelope.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// post sends a raw multipart request, as the library does, for requests the library would not
// build.
func post(t *testing.T, sim *telegramsim.Simulator, method string, fields map[string]string) apiAnswer {
	t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := form.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := form.Close(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(sim.URL()+"/bot"+sim.Token()+"/"+method, form.FormDataContentType(), &body)
	if err != nil {
		t.Fatalf("post %s: %v", method, err)
	}
	defer resp.Body.Close()
	var a apiAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("decode %s answer: %v", method, err)
	}
	return a
}

// fakeClock is a settable clock for rate windows and dates.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func mustTime(t *testing.T, rfc3339 string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
