package bot

import (
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// Verdict is what the flood limiter decides about one update.
type Verdict int

// Verdicts.
const (
	// Admit: handle the update.
	Admit Verdict = iota
	// Warn: the person just went over the limit; the update is not
	// handled, and they are told once that they send too much.
	Warn
	// Drop: over the limit and already told; the update is counted and dropped.
	Drop
)

// FloodLimiter admits at most Limit updates per person in each Window
// (fixed windows that start at a person's first update). It lives in one
// process: with several webhook replicas behind a balancer each one counts
// what reaches it, so a person may get up to Limit per replica.
type FloodLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	people map[int64]*floodWindow
	swept  time.Time
}

type floodWindow struct {
	start  time.Time
	count  int
	warned bool
}

// NewFloodLimiter builds a limiter of limit updates per window; limit 0
// admits everything. now is the clock (time.Now when nil).
func NewFloodLimiter(limit int, window time.Duration, now func() time.Time) *FloodLimiter {
	if now == nil {
		now = time.Now
	}
	return &FloodLimiter{limit: limit, window: window, now: now, people: map[int64]*floodWindow{}}
}

// Check counts one update from person and says what to do with it.
func (f *FloodLimiter) Check(person int64) Verdict {
	if f == nil || f.limit <= 0 {
		return Admit
	}
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweep(now)
	w := f.people[person]
	if w == nil || now.Sub(w.start) >= f.window {
		w = &floodWindow{start: now}
		f.people[person] = w
	}
	w.count++
	switch {
	case w.count <= f.limit:
		return Admit
	case !w.warned:
		w.warned = true
		return Warn
	}
	return Drop
}

// sweep forgets windows that ended, at most once a window, so the map holds
// only people who wrote recently.
func (f *FloodLimiter) sweep(now time.Time) {
	if now.Sub(f.swept) < f.window {
		return
	}
	f.swept = now
	for p, w := range f.people {
		if now.Sub(w.start) >= f.window {
			delete(f.people, p)
		}
	}
}

// PersonOf returns who sent an update (its lane for flood control); updates
// without a sender count against their chat.
func PersonOf(u *models.Update) int64 {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.ID
	case u.EditedMessage != nil && u.EditedMessage.From != nil:
		return u.EditedMessage.From.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.From.ID
	}
	return ChatOf(u)
}

// Tracked is how many people the limiter remembers (for tests and metrics).
func (f *FloodLimiter) Tracked() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.people)
}
