package bot

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Limits are the outbound rates the sender keeps to (SPEC §3 SEND_RATE,
// SEND_RATE_CHAT, SEND_RATE_GROUP). A zero or negative rate means unlimited.
type Limits struct {
	// Global is messages per second across all chats.
	Global float64
	// PerChat is messages per second into one chat, private or group.
	PerChat float64
	// PerGroupPerMinute is messages per minute into one group chat (a chat
	// id below zero); edits count, as Telegram counts them.
	PerGroupPerMinute float64
}

// DefaultLimits are Telegram's approximate limits: 30 messages/s overall,
// 1/s per chat, 20/min per group.
func DefaultLimits() Limits {
	return Limits{Global: 30, PerChat: 1, PerGroupPerMinute: 20}
}

// RateLimiter decides when each chat may next send. It holds no clock: every
// call is given the time, so it is deterministic and tests state times
// exactly. It is safe for concurrent use.
//
// The global and per-chat rates are kept as even spacing (1/30 s, 1 s), which
// Telegram tolerates better than bursts. The group rate is a sliding window:
// at most PerGroupPerMinute sends in any minute, so a tally of a few messages
// goes out at the per-chat pace and only a long run of posts waits.
type RateLimiter struct {
	globalInterval time.Duration
	chatInterval   time.Duration
	groupCapacity  int           // sends allowed per group window; 0 = unlimited
	groupWindow    time.Duration // length of that window

	mu          sync.Mutex
	globalNext  time.Time // no send anywhere before this
	globalPause time.Time // a global 429 stops everything until this
	chats       map[int64]*chatRate
	pruneAbove  int // prune idle chats when the map grows beyond this
}

// chatRate is what the limiter remembers of one chat.
type chatRate struct {
	next   time.Time   // per-chat spacing: no send before this
	pause  time.Time   // a 429 for this chat: no send before this
	recent []time.Time // groups only: the last groupCapacity sends, oldest first
}

// minPruneSize keeps small maps from being swept on every send.
const minPruneSize = 1024

// NewRateLimiter returns a limiter for limits.
func NewRateLimiter(limits Limits) *RateLimiter {
	l := &RateLimiter{
		globalInterval: interval(limits.Global),
		chatInterval:   interval(limits.PerChat),
		chats:          make(map[int64]*chatRate),
		pruneAbove:     minPruneSize,
	}
	if g := limits.PerGroupPerMinute; g > 0 {
		// A fractional rate below one a minute becomes one send per 60/g
		// seconds; otherwise floor(g) sends per minute (stretched so the
		// long-run rate is never above g).
		l.groupCapacity = max(1, int(math.Floor(g)))
		l.groupWindow = time.Duration(math.Ceil(float64(l.groupCapacity) * float64(time.Minute) / g))
	}
	return l
}

// interval is the spacing for rate per second, rounded up so that rounding
// never lets more through than the rate allows.
func interval(perSecond float64) time.Duration {
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(time.Second) / perSecond))
}

// IsGroupChat reports whether chatID is a group, supergroup or channel, the
// chats Telegram limits per minute.
func IsGroupChat(chatID int64) bool { return chatID < 0 }

// Earliest returns the earliest time, not before now, at which chatID may
// send, without reserving it.
func (l *RateLimiter) Earliest(chatID int64, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.earliestLocked(chatID, now)
}

func (l *RateLimiter) earliestLocked(chatID int64, now time.Time) time.Time {
	t := latest(now, l.globalNext, l.globalPause)
	c, ok := l.chats[chatID]
	if !ok {
		return t
	}
	t = latest(t, c.next, c.pause)
	if l.groupCapacity > 0 && len(c.recent) >= l.groupCapacity {
		t = latest(t, c.recent[len(c.recent)-l.groupCapacity].Add(l.groupWindow))
	}
	return t
}

// Take records a send to chatID at time at. The sender calls it when it
// actually dispatches, in time order, so a chat that must wait long (a full
// group window) does not hold the global slots of chats that are ready.
func (l *RateLimiter) Take(chatID int64, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.takeLocked(chatID, at)
}

func (l *RateLimiter) takeLocked(chatID int64, at time.Time) {
	l.globalNext = latest(l.globalNext, at.Add(l.globalInterval))
	c, ok := l.chats[chatID]
	if !ok {
		l.pruneLocked(at)
		c = &chatRate{}
		l.chats[chatID] = c
	}
	c.next = latest(c.next, at.Add(l.chatInterval))
	if l.groupCapacity > 0 && IsGroupChat(chatID) {
		i, _ := slices.BinarySearchFunc(c.recent, at, func(a, b time.Time) int { return a.Compare(b) })
		c.recent = slices.Insert(c.recent, i, at)
		if extra := len(c.recent) - l.groupCapacity; extra > 0 {
			c.recent = slices.Delete(c.recent, 0, extra)
		}
	}
}

// Reserve returns the earliest time chatID may send and records a send then.
// Use it when one caller owns the order of sends; a dispatcher choosing among
// many chats should pair Earliest with Take instead.
func (l *RateLimiter) Reserve(chatID int64, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.earliestLocked(chatID, now)
	l.takeLocked(chatID, t)
	return t
}

// PauseChat stops sends to chatID until until (a 429 with retry_after).
func (l *RateLimiter) PauseChat(chatID int64, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.chats[chatID]
	if !ok {
		c = &chatRate{}
		l.chats[chatID] = c
	}
	c.pause = latest(c.pause, until)
}

// PauseAll stops every send until until (a 429 that is not about one chat).
func (l *RateLimiter) PauseAll(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.globalPause = latest(l.globalPause, until)
}

// pruneLocked forgets chats whose every constraint has expired by now, so a
// broadcast to thousands of chats does not keep them all forever. It runs
// only when the map has doubled since the last sweep, which keeps it cheap.
func (l *RateLimiter) pruneLocked(now time.Time) {
	if len(l.chats) < l.pruneAbove {
		return
	}
	for id, c := range l.chats {
		idle := !c.next.After(now) && !c.pause.After(now)
		if n := len(c.recent); n > 0 && c.recent[n-1].Add(l.groupWindow).After(now) {
			idle = false
		}
		if idle {
			delete(l.chats, id)
		}
	}
	l.pruneAbove = max(minPruneSize, 2*len(l.chats))
}

// latest returns the latest of the times.
func latest(t time.Time, more ...time.Time) time.Time {
	for _, m := range more {
		if m.After(t) {
			t = m
		}
	}
	return t
}
