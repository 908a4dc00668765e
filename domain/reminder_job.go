package domain

import "time"

// Reminder is one scheduled job of a conference as stored: a reminder, a
// digest occurrence, a ballot close or an effect; the scheduler owns its
// meaning.
type Reminder struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"`
	Anchor   string        `json:"anchor,omitempty"`
	Offset   time.Duration `json:"offset,omitempty"`
	Ballot   string        `json:"ballot,omitempty"`
	What     string        `json:"what,omitempty"`
	Audience string        `json:"audience"`
	Grace    time.Duration `json:"grace,omitempty"`
	Zone     string        `json:"zone,omitempty"`  // IANA name: Due is shown in this zone
	Round    int           `json:"round,omitempty"` // effects: the ballot round
	Chat     int64         `json:"chat,omitempty"`  // effects: the chat that asked (an export)
	Picks    []string      `json:"picks,omitempty"` // effects: the chair's choice among the tied
	Due      time.Time     `json:"-"`               // the ZSET score, to the second
}
