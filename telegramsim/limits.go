package telegramsim

import (
	"strings"
	"time"
)

// Limits are Telegram's flood limits as the simulator enforces them. A zero field is not
// enforced, so the zero Limits enforces nothing.
type Limits struct {
	// Global is the number of send-type requests per second across all chats.
	Global int
	// PerChat is the number of send-type requests per second into one chat (private or group).
	PerChat int
	// PerGroup is the number of send-type requests per minute into one group (negative chat id).
	PerGroup int
}

// DefaultLimits returns the limits Telegram applies to an ordinary bot: 30 messages per second
// overall, 1 per second per chat, 20 per minute per group.
func DefaultLimits() Limits {
	return Limits{Global: 30, PerChat: 1, PerGroup: 20}
}

// rateLimiter keeps sliding windows of accepted request times. Rejected requests do not count,
// as a bot that backs off correctly must get through once the window has moved on.
type rateLimiter struct {
	limits  Limits
	global  []time.Time
	perChat map[int64][]time.Time
	group   map[int64][]time.Time
}

func newRateLimiter(l Limits) rateLimiter {
	return rateLimiter{limits: l, perChat: make(map[int64][]time.Time), group: make(map[int64][]time.Time)}
}

// isRateLimited reports whether a method counts against flood limits: everything that puts or
// changes a message in a chat. Chat actions and callback answers do not.
func isRateLimited(method string) bool {
	if method == "sendChatAction" {
		return false
	}
	for _, prefix := range []string{"send", "edit", "copyMessage", "forwardMessage", "stopPoll"} {
		if strings.HasPrefix(method, prefix) {
			return true
		}
	}
	return false
}

// admit records a request into chatID at now, or returns the seconds to wait when a window is
// full. Nothing is recorded for a refused request.
func (r *rateLimiter) admit(chatID int64, now time.Time) (retryAfter int, ok bool) {
	type window struct {
		times *[]time.Time
		limit int
		span  time.Duration
	}
	var windows []window
	if r.limits.Global > 0 {
		windows = append(windows, window{&r.global, r.limits.Global, time.Second})
	}
	if r.limits.PerChat > 0 && chatID != 0 {
		t := r.perChat[chatID]
		windows = append(windows, window{&t, r.limits.PerChat, time.Second})
		defer func() { r.perChat[chatID] = t }()
	}
	if r.limits.PerGroup > 0 && chatID < 0 {
		t := r.group[chatID]
		windows = append(windows, window{&t, r.limits.PerGroup, time.Minute})
		defer func() { r.group[chatID] = t }()
	}
	wait := time.Duration(0)
	for _, w := range windows {
		*w.times = prune(*w.times, now.Add(-w.span))
		if len(*w.times) >= w.limit {
			// The window frees up when its oldest entry leaves it.
			if d := (*w.times)[0].Add(w.span).Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		return max(secs, 1), false
	}
	for _, w := range windows {
		*w.times = append(*w.times, now)
	}
	return 0, true
}

// prune drops times at or before cutoff; the slices are in time order.
func prune(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}
