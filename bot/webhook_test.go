package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/bot"
	"github.com/confbot/confbot/storage/storagetest"
)

// TestWebhookRefusesWhatIsNotAnUpdate keeps the webhook's checks held:
// secret first, then the method, the body's size and shape, and a positive
// update_id; only a good update is stored, and answered before handling.
func TestWebhookRefusesWhatIsNotAnUpdate(t *testing.T) {
	store := storagetest.Store(t)
	inbox := bot.NewInbox(bot.InboxConfig{Store: store, Owner: "hook-test",
		Intake: bot.NewIntake(bot.IntakeConfig{Handler: newRecorder(), Log: zerolog.Nop()}), Log: zerolog.Nop()})
	h := bot.WebhookHandler("s3cret_-token", inbox)
	update := func(id string) string {
		return `{"update_id":` + id + `,"message":{"message_id":1,"date":1,"chat":{"id":61,"type":"private"},"from":{"id":61,"first_name":"X"},"text":"hi"}}`
	}
	cases := []struct {
		name, method, secret, body string
		want                       int
	}{
		{"no secret", http.MethodPost, "", update("1"), http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "s3cret_-tokem", update("1"), http.StatusUnauthorized},
		{"secret prefix", http.MethodPost, "s3cret", update("1"), http.StatusUnauthorized},
		{"GET", http.MethodGet, "s3cret_-token", "", http.StatusMethodNotAllowed},
		{"over 1 MiB", http.MethodPost, "s3cret_-token", `{"update_id":1,"x":"` + strings.Repeat("a", 1<<20) + `"}`, http.StatusBadRequest},
		{"not JSON", http.MethodPost, "s3cret_-token", "<xml/>", http.StatusBadRequest},
		{"no update_id", http.MethodPost, "s3cret_-token", `{"message":{}}`, http.StatusBadRequest},
		{"negative update_id", http.MethodPost, "s3cret_-token", update("-5"), http.StatusBadRequest},
		{"good", http.MethodPost, "s3cret_-token", update("9"), http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/hook", strings.NewReader(c.body))
			if c.secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", c.secret)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Errorf("status %d; want %d", rec.Code, c.want)
			}
		})
	}
	// The push leased the chat to this (not running) replica.
	ok, items, err := store.LeaseInbox(context.Background(), 61, "hook-test")
	if err != nil || !ok || len(items) != 1 || !strings.Contains(string(items[0].Data), `"update_id":9`) {
		t.Errorf("inbox of chat 61 = %v %v, %v; want only the good update", ok, items, err)
	}
}
