package bot

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// chatKey turns a Bot API chat_id into the limiter's key. A channel
// username ("@name") is limited as a group under a stable negative key; no
// chat (an inline message edit) is key 0.
func chatKey(chatID any) (int64, error) {
	switch id := chatID.(type) {
	case nil:
		return 0, nil
	case int64:
		return id, nil
	case int:
		return int64(id), nil
	case int32:
		return int64(id), nil
	case string:
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			return n, nil
		}
		if strings.HasPrefix(id, "@") {
			h := fnv.New64a()
			_, _ = io.WriteString(h, strings.ToLower(id))
			return -int64(h.Sum64() >> 1), nil
		}
	}
	return 0, fmt.Errorf("unsupported chat id %v (%T)", chatID, chatID)
}

// serverErrorPattern finds the status in the library's error for an
// unexpected error_code, the only place it reports 5xx codes.
var serverErrorPattern = regexp.MustCompile(`error response from telegram for method \S+, (\d{3}) `)

// isTransient reports whether err is worth retrying: a network failure, a
// 5xx, or a body that is not the Bot API's JSON (a proxy's error page).
func isTransient(err error) bool {
	var urlErr *url.Error
	if errors.As(err, &urlErr) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := err.Error()
	if m := serverErrorPattern.FindStringSubmatch(msg); m != nil {
		return m[1] >= "500"
	}
	return strings.Contains(msg, "error decode response body") || strings.Contains(msg, "error read response body")
}

// isUnreachable reports whether err means the chat cannot be written to.
// isNotModified reports Telegram's refusal of an edit that changes nothing.
func isNotModified(err error) bool {
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}

func isUnreachable(err error) bool {
	if errors.Is(err, tgbot.ErrorForbidden) {
		return true
	}
	return errors.Is(err, tgbot.ErrorBadRequest) && strings.Contains(strings.ToLower(err.Error()), "chat not found")
}

// backoff is exponential with equal jitter: half fixed, half random, so
// retries of a burst of failures spread out instead of striking together.
func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt-1, 16)
	d = min(d, backoffMax)
	return d/2 + rand.N(d/2+1)
}
