package bot_test

import (
	"testing"
	"time"

	"github.com/confbot/confbot/bot"
)

var t0 = time.Date(2022, 11, 24, 8, 0, 0, 0, time.UTC)

func TestRateLimiterReserve(t *testing.T) {
	const private, group = int64(1001), int64(-1001000000008)
	type call struct {
		chat int64
		at   time.Duration // offset from t0 at which the caller asks
		want time.Duration // offset from t0 of the slot it gets
	}
	tests := []struct {
		name   string
		limits bot.Limits
		calls  []call
	}{
		{
			name:   "private chat spaced one second",
			limits: bot.DefaultLimits(),
			calls: []call{
				{private, 0, 0}, {private, 0, time.Second}, {private, 0, 2 * time.Second},
				{private, 10 * time.Second, 10 * time.Second},
			},
		},
		{
			name:   "global spacing across chats",
			limits: bot.Limits{Global: 2, PerChat: 1},
			calls: []call{
				{1, 0, 0}, {2, 0, 500 * time.Millisecond}, {3, 0, time.Second}, {1, 0, 1500 * time.Millisecond},
			},
		},
		{
			name:   "group window of three per minute",
			limits: bot.Limits{PerChat: 1, PerGroupPerMinute: 3},
			calls: []call{
				{group, 0, 0}, {group, 0, time.Second}, {group, 0, 2 * time.Second},
				{group, 0, time.Minute}, {group, 0, time.Minute + time.Second},
				{group, 0, time.Minute + 2*time.Second}, {group, 0, 2 * time.Minute},
			},
		},
		{
			name:   "window applies to groups only",
			limits: bot.Limits{PerGroupPerMinute: 1},
			calls:  []call{{private, 0, 0}, {private, 0, 0}, {group, 0, 0}, {group, 0, time.Minute}},
		},
		{
			name:   "fractional group rate",
			limits: bot.Limits{PerGroupPerMinute: 0.5},
			calls:  []call{{group, 0, 0}, {group, 0, 2 * time.Minute}},
		},
		{
			name:   "unlimited",
			limits: bot.Limits{},
			calls:  []call{{group, 0, 0}, {group, 0, 0}, {private, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := bot.NewRateLimiter(tt.limits)
			for i, c := range tt.calls {
				got := l.Reserve(c.chat, t0.Add(c.at))
				if want := t0.Add(c.want); !got.Equal(want) {
					t.Fatalf("call %d: Reserve(%d, +%v) = +%v, want +%v", i, c.chat, c.at, got.Sub(t0), c.want)
				}
			}
		})
	}
}

func TestRateLimiterDefaultGroupTwentyOneSpanAMinute(t *testing.T) {
	l := bot.NewRateLimiter(bot.DefaultLimits())
	var first, last time.Time
	for i := range 21 {
		slot := l.Reserve(-42, t0)
		if i == 0 {
			first = slot
		}
		last = slot
	}
	if span := last.Sub(first); span < time.Minute {
		t.Errorf("21 group sends span %v, want at least a minute", span)
	}
}

func TestRateLimiterEarliestDoesNotReserve(t *testing.T) {
	l := bot.NewRateLimiter(bot.DefaultLimits())
	if got := l.Earliest(7, t0); !got.Equal(t0) {
		t.Fatalf("Earliest = %v, want now", got)
	}
	if got := l.Earliest(7, t0); !got.Equal(t0) {
		t.Fatalf("second Earliest = %v, want now: Earliest must not reserve", got)
	}
	l.Take(7, t0)
	if got, want := l.Earliest(7, t0), t0.Add(time.Second); !got.Equal(want) {
		t.Errorf("after Take, Earliest = %v, want %v", got, want)
	}
	// Another chat waits only for the global spacing.
	if got, want := l.Earliest(8, t0), t0.Add(time.Second/30+1); !got.Equal(want) {
		t.Errorf("other chat Earliest = %v, want %v", got, want)
	}
}

func TestRateLimiterPauses(t *testing.T) {
	tests := []struct {
		name  string
		pause func(l *bot.RateLimiter)
		chat  int64
		want  time.Time
	}{
		{
			name:  "paused chat waits",
			pause: func(l *bot.RateLimiter) { l.PauseChat(5, t0.Add(7*time.Second)) },
			chat:  5, want: t0.Add(7 * time.Second),
		},
		{
			name:  "other chat unaffected by a chat pause",
			pause: func(l *bot.RateLimiter) { l.PauseChat(5, t0.Add(7*time.Second)) },
			chat:  6, want: t0,
		},
		{
			name:  "global pause stops everyone",
			pause: func(l *bot.RateLimiter) { l.PauseAll(t0.Add(3 * time.Second)) },
			chat:  6, want: t0.Add(3 * time.Second),
		},
		{
			name: "shorter pause does not shorten a longer one",
			pause: func(l *bot.RateLimiter) {
				l.PauseChat(5, t0.Add(7*time.Second))
				l.PauseChat(5, t0.Add(time.Second))
			},
			chat: 5, want: t0.Add(7 * time.Second),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := bot.NewRateLimiter(bot.DefaultLimits())
			tt.pause(l)
			if got := l.Earliest(tt.chat, t0); !got.Equal(tt.want) {
				t.Errorf("Earliest = %v, want %v", got.Sub(t0), tt.want.Sub(t0))
			}
		})
	}
}

// TestRateLimiterForgetsIdleChats sends once to many chats, far apart in
// time, and checks the limiter still limits a chat that is active.
func TestRateLimiterForgetsIdleChats(t *testing.T) {
	l := bot.NewRateLimiter(bot.Limits{PerChat: 1})
	for i := range 5000 {
		l.Take(int64(i+1), t0.Add(time.Duration(i)*time.Hour))
	}
	now := t0.Add(5000 * time.Hour)
	l.Take(-1, now)
	if got, want := l.Earliest(-1, now), now.Add(time.Second); !got.Equal(want) {
		t.Errorf("active chat Earliest = %v, want %v", got, want)
	}
}
