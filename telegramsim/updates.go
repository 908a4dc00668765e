package telegramsim

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

const (
	defaultUpdatesLimit = 100
	conflictOtherPoll   = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	conflictWebhook     = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)

// updateQueue holds updates until the bot confirms them. Confirmation follows Telegram: a
// getUpdates offset greater than an update's id confirms it; until then it is delivered again.
type updateQueue struct {
	lastID  int64
	seq     int64
	pending []queuedUpdate
	sent    map[int64]json.RawMessage // every update ever queued, for Redeliver
}

type queuedUpdate struct {
	id   int64
	seq  int64 // identity within the queue: a duplicate shares the id, not the seq
	body json.RawMessage
	// duplicate marks a Redeliver copy: delivered once regardless of offset, then dropped.
	duplicate bool
}

// enqueueLocked queues an update of the given kind ("message", "callback_query", ...).
func (s *Simulator) enqueueLocked(kind string, payload any) int64 {
	s.queue.lastID++
	id := s.queue.lastID
	body, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		panic(fmt.Errorf("telegramsim: marshal update: %w", err))
	}
	s.pushLocked(id, body, false)
	return id
}

func (s *Simulator) pushLocked(id int64, body json.RawMessage, duplicate bool) {
	if s.queue.sent == nil {
		s.queue.sent = make(map[int64]json.RawMessage)
	}
	s.queue.sent[id] = body
	s.queue.seq++
	s.queue.pending = append(s.queue.pending, queuedUpdate{id: id, seq: s.queue.seq, body: body, duplicate: duplicate})
	s.changeLocked(Event{Kind: EventUpdate})
}

// InjectRawUpdate queues an arbitrary update object (for fuzzing and odd update kinds); its
// update_id is replaced by the next id, which is returned. It panics if raw is not a JSON object.
func (s *Simulator) InjectRawUpdate(raw []byte) int64 {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		panic(fmt.Errorf("telegramsim: InjectRawUpdate needs a JSON object: %w", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue.lastID++
	id := s.queue.lastID
	obj["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	body, _ := json.Marshal(obj)
	s.pushLocked(id, body, false)
	return id
}

// Redeliver queues a duplicate of an update already queued (same update_id and content), as
// Telegram does after a webhook failure or a lost confirmation. The duplicate is delivered once,
// whatever the bot's offset. It reports false for an unknown update id.
func (s *Simulator) Redeliver(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, ok := s.queue.sent[updateID]
	if !ok {
		return false
	}
	s.pushLocked(updateID, body, true)
	return true
}

// PendingUpdates returns how many updates wait for delivery or confirmation.
func (s *Simulator) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue.pending)
}

// confirm drops updates the offset confirms. A negative offset keeps only the last -offset.
func (q *updateQueue) confirm(offset int64) {
	kept := q.pending[:0]
	switch {
	case offset > 0:
		for _, u := range q.pending {
			if u.duplicate || u.id >= offset {
				kept = append(kept, u)
			}
		}
	case offset < 0:
		from := max(len(q.pending)+int(offset), 0)
		kept = append(kept, q.pending[from:]...)
	default:
		return
	}
	q.pending = kept
}

// take returns up to limit updates to deliver; duplicates leave the queue once delivered.
func (q *updateQueue) take(limit int) []json.RawMessage {
	var out []json.RawMessage
	kept := q.pending[:0]
	for _, u := range q.pending {
		if len(out) < limit {
			out = append(out, u.body)
			if u.duplicate {
				continue
			}
		}
		kept = append(kept, u)
	}
	q.pending = kept
	return out
}

func (q *updateQueue) remove(seq int64) {
	for i, u := range q.pending {
		if u.seq == seq {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
			return
		}
	}
}

// getUpdates answers a long poll: it returns pending updates at once, or waits up to timeout
// seconds for one. A newer getUpdates ends an older waiting one with 409, as Telegram does.
func (s *Simulator) getUpdates(ctx context.Context, req *request) (any, *apiError) {
	limit := int(req.int64Field("limit"))
	if limit <= 0 || limit > defaultUpdatesLimit {
		limit = defaultUpdatesLimit
	}
	timeout := time.Duration(req.int64Field("timeout")) * time.Second
	timer := time.NewTimer(timeout)
	defer timer.Stop()

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.url != "" {
		return nil, &apiError{code: 409, description: conflictWebhook}
	}
	s.pollGen++
	gen := s.pollGen
	s.changeLocked(Event{}) // wake an older poll so it can give way
	s.queue.confirm(req.int64Field("offset"))
	for {
		if s.pollGen != gen {
			return nil, &apiError{code: 409, description: conflictOtherPoll}
		}
		updates := s.queue.take(limit)
		if len(updates) > 0 || timeout <= 0 {
			return nonNil(updates), nil
		}
		changed := s.changed
		s.mu.Unlock()
		gone, expired := false, false
		select {
		case <-ctx.Done():
			gone = true
		case <-s.closed:
			gone = true
		case <-timer.C:
			expired = true
		case <-changed:
		}
		s.mu.Lock()
		if gone {
			// Nobody reads this answer: take nothing, so a duplicate is not lost.
			return []json.RawMessage{}, nil
		}
		if expired && s.pollGen == gen {
			return nonNil(s.queue.take(limit)), nil
		}
	}
}

func nonNil(updates []json.RawMessage) []json.RawMessage {
	if updates == nil {
		return []json.RawMessage{}
	}
	return updates
}
