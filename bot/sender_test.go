package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/confbot/confbot/bot"
)

// These tests run in synctest bubbles: time is fake and jumps ahead whenever
// every goroutine waits, so minutes of rate limiting take no real time and
// the times recorded by the fake API are exact.

// apiCall is one request the fake Bot API received.
type apiCall struct {
	method string
	chat   int64
	text   string
	markup models.ReplyMarkup
	at     time.Time
}

// fakeAPI records calls; fail, when set, may return an error for a call
// (n counts earlier calls to the same chat).
type fakeAPI struct {
	mu    sync.Mutex
	calls []apiCall
	fail  func(method string, chat int64, n int) error
}

func (f *fakeAPI) record(method string, chatID any, text string, markup models.ReplyMarkup) (*models.Message, error) {
	chat, _ := chatID.(int64)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.chat == chat {
			n++
		}
	}
	f.calls = append(f.calls, apiCall{method: method, chat: chat, text: text, markup: markup, at: time.Now()})
	if f.fail != nil {
		if err := f.fail(method, chat, n); err != nil {
			return nil, err
		}
	}
	return &models.Message{ID: len(f.calls), Chat: models.Chat{ID: chat}, Text: text}, nil
}

func (f *fakeAPI) snapshot() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

func (f *fakeAPI) SendMessage(_ context.Context, p *tgbot.SendMessageParams) (*models.Message, error) {
	return f.record("sendMessage", p.ChatID, p.Text, p.ReplyMarkup)
}

func (f *fakeAPI) EditMessageText(_ context.Context, p *tgbot.EditMessageTextParams) (*models.Message, error) {
	return f.record("editMessageText", p.ChatID, p.Text, p.ReplyMarkup)
}

func (f *fakeAPI) EditMessageCaption(_ context.Context, p *tgbot.EditMessageCaptionParams) (*models.Message, error) {
	return f.record("editMessageCaption", p.ChatID, p.Caption, p.ReplyMarkup)
}

func (f *fakeAPI) EditMessageReplyMarkup(_ context.Context, p *tgbot.EditMessageReplyMarkupParams) (*models.Message, error) {
	return f.record("editMessageReplyMarkup", p.ChatID, "", p.ReplyMarkup)
}

func (f *fakeAPI) SendDocument(_ context.Context, p *tgbot.SendDocumentParams) (*models.Message, error) {
	return f.record("sendDocument", p.ChatID, p.Caption, p.ReplyMarkup)
}

func (f *fakeAPI) SendPhoto(_ context.Context, p *tgbot.SendPhotoParams) (*models.Message, error) {
	return f.record("sendPhoto", p.ChatID, p.Caption, p.ReplyMarkup)
}

func (f *fakeAPI) SendMediaGroup(_ context.Context, p *tgbot.SendMediaGroupParams) ([]*models.Message, error) {
	m, err := f.record("sendMediaGroup", p.ChatID, "", nil)
	if err != nil {
		return nil, err
	}
	return []*models.Message{m}, nil
}

func (f *fakeAPI) DeleteMessage(_ context.Context, p *tgbot.DeleteMessageParams) (bool, error) {
	_, err := f.record("deleteMessage", p.ChatID, "", nil)
	return err == nil, err
}

func (f *fakeAPI) AnswerCallbackQuery(_ context.Context, p *tgbot.AnswerCallbackQueryParams) (bool, error) {
	_, err := f.record("answerCallbackQuery", nil, p.Text, nil)
	return err == nil, err
}

// metrics counts what the sender reports.
type metrics struct {
	mu          sync.Mutex
	sent        int
	rateLimited int
}

func (m *metrics) Sent(string)    { m.mu.Lock(); m.sent++; m.mu.Unlock() }
func (m *metrics) RateLimited()   { m.mu.Lock(); m.rateLimited++; m.mu.Unlock() }
func (m *metrics) QueueDepth(int) {}

// runSender starts s.Run and returns a function that stops it and returns
// Run's error. Call it before the bubble ends.
func runSender(s *bot.Sender) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return func() error {
		cancel()
		return <-done
	}
}

func send(ctx context.Context, s *bot.Sender, prio bot.Priority, chat int64, text string) error {
	_, err := s.SendMessage(ctx, prio, &tgbot.SendMessageParams{ChatID: chat, Text: text})
	return err
}

// sendAll sends one message per entry concurrently and waits for all.
func sendAll(t *testing.T, s *bot.Sender, prio bot.Priority, chats []int64) {
	t.Helper()
	var wg sync.WaitGroup
	for i, chat := range chats {
		wg.Go(func() {
			if err := send(t.Context(), s, prio, chat, fmt.Sprint("tin ", i)); err != nil {
				t.Errorf("send %d: %v", i, err)
			}
		})
	}
	wg.Wait()
}

func TestSenderRespectsLimits(t *testing.T) {
	const group = int64(-1001000000008)
	many := make([]int64, 100)
	for i := range many {
		many[i] = int64(1000 + i)
	}
	tests := []struct {
		name       string
		chats      []int64
		minSpan    time.Duration // first to last call
		minSpacing time.Duration // between consecutive calls
	}{
		{name: "100 chats at 30/s", chats: many, minSpan: 3300 * time.Millisecond, minSpacing: time.Second / 30},
		{name: "5 to one private chat", chats: []int64{7, 7, 7, 7, 7}, minSpan: 4 * time.Second, minSpacing: time.Second},
		{name: "21 to one group", chats: repeat(group, 21), minSpan: time.Minute, minSpacing: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &fakeAPI{}
				s := bot.NewSender(api, bot.DefaultLimits())
				stop := runSender(s)
				sendAll(t, s, bot.Bulk, tt.chats)
				if err := stop(); !errors.Is(err, context.Canceled) {
					t.Errorf("Run = %v, want context.Canceled", err)
				}
				calls := api.snapshot()
				if len(calls) != len(tt.chats) {
					t.Fatalf("%d calls, want %d", len(calls), len(tt.chats))
				}
				if span := calls[len(calls)-1].at.Sub(calls[0].at); span < tt.minSpan {
					t.Errorf("span %v, want at least %v", span, tt.minSpan)
				}
				for i := 1; i < len(calls); i++ {
					if gap := calls[i].at.Sub(calls[i-1].at); gap < tt.minSpacing {
						t.Fatalf("calls %d and %d %v apart, want at least %v", i-1, i, gap, tt.minSpacing)
					}
				}
			})
		})
	}
}

func repeat(chat int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = chat
	}
	return out
}

func TestSenderKeepsOrderPerChat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		var wg sync.WaitGroup
		for i := range 6 {
			// Alternate priorities: order within the chat must still hold.
			prio := bot.Bulk
			if i%2 == 1 {
				prio = bot.Interactive
			}
			wg.Go(func() {
				if err := send(t.Context(), s, prio, 42, fmt.Sprint(i)); err != nil {
					t.Errorf("send %d: %v", i, err)
				}
			})
			synctest.Wait() // queued before the next is submitted
		}
		wg.Wait()
		var got []string
		for _, c := range api.snapshot() {
			got = append(got, c.text)
		}
		if want := "0 1 2 3 4 5"; strings.Join(got, " ") != want {
			t.Errorf("order %q, want %q", got, want)
		}
	})
}

func TestSenderInteractiveJumpsBulkQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		var wg sync.WaitGroup
		for i := range 1000 {
			wg.Go(func() { _ = send(t.Context(), s, bot.Bulk, int64(10_000+i), "nhắc hạn") })
		}
		synctest.Wait() // all 1000 queued; the first is sent, the dispatcher waits
		before := len(api.snapshot())
		start := time.Now()
		if err := send(t.Context(), s, bot.Interactive, 7, "trả lời"); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > time.Second/30+time.Millisecond {
			t.Errorf("interactive reply took %v behind the broadcast", took)
		}
		calls := api.snapshot()
		if got := calls[before]; got.chat != 7 {
			t.Errorf("call after %d bulk sends went to chat %d, want the interactive reply", before, got.chat)
		}
		wg.Wait()
	})
}

func TestSenderInteractivePromotesItsChat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Go(func() { _ = send(t.Context(), s, bot.Bulk, int64(10_000+i), "nhắc hạn") })
		}
		wg.Go(func() { _ = send(t.Context(), s, bot.Bulk, 7, "nhắc hạn cho 7") })
		synctest.Wait()
		if err := send(t.Context(), s, bot.Interactive, 7, "trả lời"); err != nil {
			t.Fatal(err)
		}
		// Chat 7's earlier reminder went first, then the reply one second
		// later, long before the other 100 reminders are through.
		var seven []apiCall
		for _, c := range api.snapshot() {
			if c.chat == 7 {
				seven = append(seven, c)
			}
		}
		if len(seven) != 2 || seven[0].text != "nhắc hạn cho 7" || seven[1].text != "trả lời" {
			t.Fatalf("chat 7 got %+v", seven)
		}
		if total := len(api.snapshot()); total > 50 {
			t.Errorf("reply sent after %d calls, want it well before the broadcast ends", total)
		}
		wg.Wait()
	})
}

func TestSenderErrors(t *testing.T) {
	errForbidden := fmt.Errorf("%w, %s", tgbot.ErrorForbidden, "Forbidden: bot was blocked by the user")
	errChatNotFound := fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: chat not found")
	errBadRequest := fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: can't parse entities")
	errBadGateway := errors.New("error response from telegram for method sendMessage, 502 Bad Gateway")
	tests := []struct {
		name            string
		fail            func(n int) error
		wantCalls       int
		wantErr         error // nil: success
		wantUnreachable bool
		minDuration     time.Duration
		wantFloods      int
	}{
		{
			name:      "429 honours retry_after",
			fail:      failFirst(1, &tgbot.TooManyRequestsError{Message: "too many requests", RetryAfter: 5}),
			wantCalls: 2, minDuration: 5 * time.Second, wantFloods: 1,
		},
		{
			name:      "5xx retried then success",
			fail:      failFirst(2, errBadGateway),
			wantCalls: 3, minDuration: 750 * time.Millisecond, // backoffs of at least 250 ms and 500 ms
		},
		{
			name:      "5xx given up after max attempts",
			fail:      failFirst(100, errBadGateway),
			wantCalls: 5, wantErr: errBadGateway,
		},
		{
			name:      "403 not retried and reported",
			fail:      failFirst(100, errForbidden),
			wantCalls: 1, wantErr: bot.ErrUnreachable, wantUnreachable: true,
		},
		{
			name:      "chat not found not retried and reported",
			fail:      failFirst(100, errChatNotFound),
			wantCalls: 1, wantErr: bot.ErrUnreachable, wantUnreachable: true,
		},
		{
			name:      "other 400 returned at once",
			fail:      failFirst(100, errBadRequest),
			wantCalls: 1, wantErr: tgbot.ErrorBadRequest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				api := &fakeAPI{fail: func(_ string, _ int64, n int) error { return tt.fail(n) }}
				m := &metrics{}
				var unreachable []int64
				s := bot.NewSender(api, bot.DefaultLimits(), bot.WithMetrics(m),
					bot.WithUnreachable(func(_ context.Context, chatID int64, err error) {
						unreachable = append(unreachable, chatID)
					}))
				stop := runSender(s)
				defer stop()

				start := time.Now()
				err := send(t.Context(), s, bot.Interactive, 99, "xin chào")
				took := time.Since(start)

				if tt.wantErr == nil && err != nil {
					t.Fatalf("err = %v, want success", err)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if got := len(api.snapshot()); got != tt.wantCalls {
					t.Errorf("%d calls, want %d", got, tt.wantCalls)
				}
				if took < tt.minDuration {
					t.Errorf("took %v, want at least %v", took, tt.minDuration)
				}
				if got := len(unreachable) == 1 && unreachable[0] == 99; got != tt.wantUnreachable {
					t.Errorf("unreachable reports %v, want one for chat 99: %v", unreachable, tt.wantUnreachable)
				}
				if m.rateLimited != tt.wantFloods {
					t.Errorf("RateLimited counted %d, want %d", m.rateLimited, tt.wantFloods)
				}
			})
		})
	}
}

// failFirst fails the first n calls to a chat with err.
func failFirst(n int, err error) func(int) error {
	return func(i int) error {
		if i < n {
			return err
		}
		return nil
	}
}

func TestSenderFloodInTwoChatsPausesAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		flooded := map[int64]bool{1: true, 2: true}
		api := &fakeAPI{fail: func(_ string, chat int64, n int) error {
			if flooded[chat] && n == 0 {
				return &tgbot.TooManyRequestsError{Message: "too many requests", RetryAfter: 10}
			}
			return nil
		}}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		start := time.Now()
		var wg sync.WaitGroup
		for _, chat := range []int64{1, 2, 3} {
			wg.Go(func() {
				if err := send(t.Context(), s, bot.Bulk, chat, "nhắc hạn"); err != nil {
					t.Errorf("send to %d: %v", chat, err)
				}
			})
			synctest.Wait() // queued in this order
		}
		wg.Wait()
		// Chat 3 was sent after both floods, so it waited for the global pause.
		for _, c := range api.snapshot() {
			if c.chat == 3 && c.at.Sub(start) < 10*time.Second {
				t.Errorf("chat 3 sent at +%v during a global flood pause", c.at.Sub(start))
			}
		}
	})
}

func TestSenderSplitsLongText(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		line := "Đơn vị CNTT chưa nộp báo cáo tổng kết 📄\n"
		text := strings.Repeat(line, 5000/len([]rune(line))+1)
		markup := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Nộp", CallbackData: "sum"}}}}
		msg, err := s.SendMessage(t.Context(), bot.Interactive, &tgbot.SendMessageParams{
			ChatID: int64(5), Text: text, ReplyMarkup: markup,
			ReplyParameters: &models.ReplyParameters{MessageID: 3},
		})
		if err != nil {
			t.Fatal(err)
		}
		calls := api.snapshot()
		if len(calls) != 2 {
			t.Fatalf("%d messages, want 2", len(calls))
		}
		if calls[0].markup != nil || calls[1].markup == nil {
			t.Errorf("markup on parts = %v, %v; want only on the last", calls[0].markup, calls[1].markup)
		}
		if got := calls[0].text + "\n" + calls[1].text; got != text {
			t.Error("parts do not rebuild the text")
		}
		if msg.ID != 2 {
			t.Errorf("returned message %d, want the last part (2)", msg.ID)
		}
	})
}

func TestSenderSplitStopsAfterFailedPart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{fail: func(_ string, _ int64, n int) error {
			return failFirst(1, fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, "Bad Request: can't parse entities"))(n)
		}}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		err := send(t.Context(), s, bot.Interactive, 5, strings.Repeat("a\n", 3000))
		if !errors.Is(err, tgbot.ErrorBadRequest) {
			t.Fatalf("err = %v, want the first part's error", err)
		}
		synctest.Wait()
		if got := len(api.snapshot()); got != 1 {
			t.Errorf("%d calls, want 1: later parts must not be sent", got)
		}
	})
}

func TestSenderOtherMethods(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		m := &metrics{}
		s := bot.NewSender(api, bot.DefaultLimits(), bot.WithMetrics(m))
		stop := runSender(s)
		defer stop()
		ctx := t.Context()
		const group = int64(-100500)
		start := time.Now()
		if _, err := s.EditMessageText(ctx, bot.Interactive, &tgbot.EditMessageTextParams{ChatID: group, MessageID: 1, Text: "7/9 đơn vị đã bỏ phiếu"}); err != nil {
			t.Error(err)
		}
		if _, err := s.EditMessageReplyMarkup(ctx, bot.Interactive, &tgbot.EditMessageReplyMarkupParams{ChatID: group, MessageID: 1}); err != nil {
			t.Error(err)
		}
		if _, err := s.EditMessageCaption(ctx, bot.Interactive, &tgbot.EditMessageCaptionParams{ChatID: group, MessageID: 2, Caption: "Kết quả"}); err != nil {
			t.Error(err)
		}
		if _, err := s.SendDocument(ctx, bot.Bulk, &tgbot.SendDocumentParams{ChatID: group, Document: &models.InputFileString{Data: "file-id"}}); err != nil {
			t.Error(err)
		}
		if _, err := s.SendPhoto(ctx, bot.Bulk, &tgbot.SendPhotoParams{ChatID: group, Photo: &models.InputFileString{Data: "photo-id"}}); err != nil {
			t.Error(err)
		}
		if err := s.DeleteMessage(ctx, bot.Bulk, &tgbot.DeleteMessageParams{ChatID: group, MessageID: 1}); err != nil {
			t.Error(err)
		}
		if took := time.Since(start); took < 5*time.Second {
			t.Errorf("6 requests to one group took %v: edits and deletes must be rate limited too", took)
		}
		// Callback answers bypass the queue and its limits.
		before := time.Now()
		if err := s.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: "q1", Text: "Đã ghi nhận"}); err != nil {
			t.Error(err)
		}
		if time.Since(before) != 0 {
			t.Error("callback answer waited for a rate limit")
		}
		if m.sent != 7 {
			t.Errorf("Sent counted %d, want 7", m.sent)
		}
		for _, id := range []any{"@cum8_kenh", "-100500", 12, int64(13)} {
			if _, err := s.SendMessage(ctx, bot.Bulk, &tgbot.SendMessageParams{ChatID: id, Text: "x"}); err != nil {
				t.Errorf("chat id %v: %v", id, err)
			}
		}
		if _, err := s.SendMessage(ctx, bot.Bulk, &tgbot.SendMessageParams{ChatID: 1.5, Text: "x"}); err == nil {
			t.Error("a float chat id was accepted")
		}
	})
}

func TestSenderCloseDrains(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runErr := make(chan error, 1)
		go func() { runErr <- s.Run(ctx) }()

		var wg sync.WaitGroup
		for i := range 5 {
			wg.Go(func() {
				if err := send(t.Context(), s, bot.Bulk, 8, fmt.Sprint(i)); err != nil {
					t.Errorf("queued send %d: %v", i, err)
				}
			})
		}
		synctest.Wait()
		if err := s.Close(context.Background()); err != nil {
			t.Fatalf("Close = %v", err)
		}
		wg.Wait()
		if got := len(api.snapshot()); got != 5 {
			t.Errorf("%d sent, want all 5 drained", got)
		}
		if err := <-runErr; err != nil {
			t.Errorf("Run after Close = %v, want nil", err)
		}
		if err := send(t.Context(), s, bot.Interactive, 8, "muộn"); !errors.Is(err, bot.ErrClosed) {
			t.Errorf("send after Close = %v, want ErrClosed", err)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
}

func TestSenderCloseDeadlineFailsTheRest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		errs := make(chan error, 10)
		for i := range 10 {
			go func() { errs <- send(t.Context(), s, bot.Bulk, 8, fmt.Sprint(i)) }()
		}
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
		defer cancel()
		if err := s.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Close = %v, want a deadline error", err)
		}
		sent, closed := 0, 0
		for range 10 {
			switch err := <-errs; {
			case err == nil:
				sent++
			case errors.Is(err, bot.ErrClosed):
				closed++
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if sent != 3 || closed != 7 {
			t.Errorf("sent %d, closed %d; want 3 sent in 2.5 s and 7 refused", sent, closed)
		}
	})
}

func TestSenderCallerGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &fakeAPI{}
		s := bot.NewSender(api, bot.DefaultLimits())
		stop := runSender(s)
		defer stop()
		if err := send(t.Context(), s, bot.Bulk, 8, "đầu"); err != nil {
			t.Fatal(err)
		}
		// The next send to chat 8 must wait a second; its caller leaves first.
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if err := send(ctx, s, bot.Bulk, 8, "bỏ"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the caller's deadline", err)
		}
		time.Sleep(2 * time.Second) // fake time: nothing is left to send
		if got := len(api.snapshot()); got != 1 {
			t.Errorf("%d calls, want 1: a withdrawn request must not be sent", got)
		}
	})
}
