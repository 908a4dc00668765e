package telegramsim

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

// User is a simulated Telegram user (or the bot itself, as getMe reports it).
type User struct {
	ID           int64
	FirstName    string
	Username     string
	LanguageCode string
}

// Message is a chat message as a person sees it: bot messages show their current text after
// edits, with their buttons and attachments.
type Message struct {
	ID     int64
	ChatID int64
	// FromBot is true for the bot's messages, false for a user's.
	FromBot bool
	// FromUserID is the sender's id (the bot's id for bot messages).
	FromUserID int64
	Date       time.Time
	// At is when the simulator recorded the message, to the nanosecond
	// (Date is Telegram's, to the second): benchmarks time replies by it.
	At time.Time
	// Text is the visible text (or caption) with parse_mode markup removed.
	Text string
	// RawText is the text (or caption) as sent, markup included.
	RawText   string
	ParseMode string
	// Buttons is the inline keyboard, row by row.
	Buttons [][]Button
	// Keyboard is the reply keyboard's button texts, row by row.
	Keyboard [][]string
	Document *File
	Photo    *File
	// MediaGroupID is shared by the messages of one album (sendMediaGroup).
	MediaGroupID string
	// Edited counts successful edits of the text, caption or buttons.
	Edited int
}

// Button is an inline keyboard button.
type Button struct {
	Text         string
	CallbackData string
	URL          string
}

// File is a stored file: an upload by the bot or a document sent by a user.
type File struct {
	FileID       string
	FileUniqueID string
	Name         string
	MIMEType     string
	Bytes        []byte
	Width        int
	Height       int
}

// UploadedFile is a multipart file part of a request.
type UploadedFile struct {
	Name     string
	MIMEType string
	Bytes    []byte
}

// Call is one request the bot made, with its raw form fields and the outcome.
type Call struct {
	Method string
	Fields map[string]string
	Files  map[string]UploadedFile
	At     time.Time
	// ErrorCode is 0 for a successful call, else the error_code answered.
	ErrorCode   int
	Description string
}

func newCall(req *request, at time.Time) Call {
	return Call{Method: req.method, Fields: maps.Clone(req.fields), Files: maps.Clone(req.files), At: at}
}

// Event kinds reported by Events.
const (
	EventMessage = "message" // a message appeared (bot's or user's)
	EventEdit    = "edit"    // a bot message changed
	EventDelete  = "delete"  // a message was deleted
	EventUpdate  = "update"  // an update was queued for the bot
	EventCall    = "call"    // the bot made a request
)

// Event is one change in the simulated world, for UIs that follow changes by cursor.
type Event struct {
	Seq       int
	Kind      string
	ChatID    int64
	MessageID int64
	Method    string
}

// Chat returns the chat's current messages in order, as a person in it sees them.
func (s *Simulator) Chat(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.world.chats[chatID]
	if ch == nil {
		return nil
	}
	out := make([]Message, 0, len(ch.messages))
	for _, m := range ch.messages {
		out = append(out, m.snapshot())
	}
	return out
}

// snapshot copies a message so callers never share what later edits change.
func (m *chatMessage) snapshot() Message {
	c := m.Message
	if c.Document != nil {
		d := *c.Document
		c.Document = &d
	}
	if c.Photo != nil {
		p := *c.Photo
		c.Photo = &p
	}
	return c
}

// WaitFor returns the first bot message in the chat that matches, waiting for changes until ctx
// ends. Messages already there count.
func (s *Simulator) WaitFor(ctx context.Context, chatID int64, match func(Message) bool) (Message, error) {
	var found Message
	err := s.Await(ctx, func() bool {
		for _, m := range s.Chat(chatID) {
			if m.FromBot && match(m) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return Message{}, fmt.Errorf("telegramsim: wait for a bot message in chat %d: %w", chatID, err)
	}
	return found, nil
}

// Await blocks until cond returns true, re-checking it after every change, or until ctx ends.
// cond may call the simulator's methods.
func (s *Simulator) Await(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return fmt.Errorf("telegramsim: closed")
		case <-changed:
		}
	}
}

// Calls returns the requests made to method in order; "" returns every request.
func (s *Simulator) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Count429 returns how many requests were answered 429, by flood limits or injected faults.
func (s *Simulator) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count429
}

// Violations returns every Bot API violation seen, as "method: problem".
func (s *Simulator) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Notes returns oddities Telegram accepts (each distinct note once).
func (s *Simulator) Notes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.notes...)
}

// AssertNoViolations fails t with every recorded violation.
func (s *Simulator) AssertNoViolations(t testing.TB) {
	t.Helper()
	if v := s.Violations(); len(v) > 0 {
		t.Errorf("telegramsim: %d Bot API violation(s):\n  %s", len(v), strings.Join(v, "\n  "))
	}
}

func (s *Simulator) recordViolation(method, problem string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violationLocked(method, problem)
	s.changeLocked(Event{})
}

func (s *Simulator) violationLocked(method, problem string) {
	s.violations = append(s.violations, method+": "+problem)
}

func (s *Simulator) noteLocked(note string) {
	if !s.seenNotes[note] {
		s.seenNotes[note] = true
		s.notes = append(s.notes, note)
	}
}

// Subscribe returns a channel that receives a signal after changes (signals coalesce: re-read
// the state on each) and a function that ends the subscription.
func (s *Simulator) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subscribers[ch] = struct{}{}
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		delete(s.subscribers, ch)
		s.mu.Unlock()
	}
}

// Events returns the events after cursor (0 for all) and the cursor to pass next time.
func (s *Simulator) Events(cursor int) ([]Event, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cursor < 0 || cursor > len(s.events) {
		cursor = len(s.events)
	}
	return append([]Event(nil), s.events[cursor:]...), len(s.events)
}
