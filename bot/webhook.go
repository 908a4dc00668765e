package bot

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"

	"github.com/go-telegram/bot/models"
)

// maxUpdateBytes bounds a webhook body; real updates are a few kilobytes.
const maxUpdateBytes = 1 << 20

// WebhookHandler receives updates pushed by Telegram. Unlike
// go-telegram/bot's handler it checks the secret before anything else (401
// when wrong or missing), refuses what is not an update (400: a body over
// 1 MiB, bad JSON, an update_id that is not positive), and answers once the
// Inbox has the update safe in Redis — not after handling, so one chat's
// backlog holds up no other — with 500 when it could not be stored:
// Telegram retries non-2xx answers.
func WebhookHandler(secret string, inbox *Inbox) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes+1))
		if err != nil || len(body) > maxUpdateBytes {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil || u.ID <= 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := inbox.Accept(r.Context(), []json.RawMessage{body}); err != nil {
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
