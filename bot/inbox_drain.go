package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/storage"
)

// Draining: one drainer goroutine per chat in this process, which works
// only while it holds the chat's lease in Redis, so that across replicas
// too a chat's updates are handled one after another, in order.

// signal makes sure chat has a drainer in this process. When leased, the
// push that stored the chat's updates took its lease for this replica, and
// items are the first of them.
func (in *Inbox) signal(chat int64, items []storage.InboxItem, leased bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.runCtx == nil || in.stopping {
		// Run's first sweep, or another replica once the lease is given
		// back (or lapses), finds them.
		if leased && in.stopping {
			in.wg.Add(1)
			go func() {
				defer in.wg.Done()
				in.release(context.Background(), chat, in.log)
			}()
		}
		return
	}
	if l := in.lanes[chat]; l != nil {
		l.pending = true
		return
	}
	in.lanes[chat] = &inboxLane{}
	in.wg.Add(1)
	go in.drainer(in.runCtx, chat, items, leased)
}

func (in *Inbox) drainer(ctx context.Context, chat int64, items []storage.InboxItem, leased bool) {
	defer in.wg.Done()
	for {
		in.drain(ctx, chat, items, leased)
		items, leased = nil, false
		in.mu.Lock()
		l := in.lanes[chat]
		if l.pending && !in.stopping {
			l.pending = false
			in.mu.Unlock()
			continue
		}
		delete(in.lanes, chat)
		in.mu.Unlock()
		return
	}
}

func (in *Inbox) stopped() bool {
	select {
	case <-in.stop:
		return true
	default:
		return false
	}
}

// drain hands chat's updates to the Intake in order while it holds the
// chat's lease; a transient failure is retried with backoff, the update
// staying at the head so that nothing overtakes it. queue, when leased, is
// what the push handed over; otherwise drain takes the lease itself.
func (in *Inbox) drain(ctx context.Context, chat int64, queue []storage.InboxItem, leased bool) {
	log := in.log.With().Int64("chat_id", chat).Logger()
	if !leased {
		ok, items, err := in.store.LeaseInbox(ctx, chat, in.owner)
		if err != nil {
			log.Warn().Err(err).Msg("cannot lease chat")
			return
		}
		if !ok {
			return // another replica drains it
		}
		queue = items
	}
	lost := make(chan struct{})
	stopLease := in.keepLease(ctx, chat, lost, log)
	held := true
	defer func() {
		stopLease()
		if held {
			in.release(ctx, chat, log)
		}
	}()
	// An update pushed twice within one window is handled once; across
	// windows the store's done record says so.
	handled := map[int64]bool{}
	backoff := time.Duration(0)
	var failingSince time.Time
	for len(queue) > 0 && !in.stopped() {
		select {
		case <-lost:
			held = false
			return
		default:
		}
		item := queue[0]
		if item.Done || handled[item.ID] {
			in.skip(item)
		} else if err := in.handle(ctx, item, log); err != nil {
			if failingSince.IsZero() {
				failingSince = time.Now()
			}
			if time.Since(failingSince) <= giveUpAfter {
				backoff = nextBackoff(backoff)
				select {
				case <-in.stop:
					return
				case <-time.After(backoff):
				}
				continue
			}
			in.drop(DropGaveUp)
			log.Error().Err(err).Int64("update_id", item.ID).Dur("failing_for", giveUpAfter).Msg("update dropped after failing too long")
		}
		backoff, failingSince = 0, time.Time{}
		handled[item.ID] = true
		last := len(queue) == 1
		next, stillHeld, ok := in.finish(ctx, chat, item, last, log)
		switch {
		case !ok:
			return // the sweep brings the chat back once Redis answers
		case !stillHeld:
			held = false
			return
		case last:
			queue = next
			clear(handled)
		default:
			queue = queue[1:]
		}
	}
}

// finish records item as handled and takes it off the chat's list, trying
// a few times (an update handled but not recorded would be handled again
// once the lease lapses). The call belongs to the update's handling.
func (in *Inbox) finish(ctx context.Context, chat int64, item storage.InboxItem, more bool, log zerolog.Logger) ([]storage.InboxItem, bool, bool) {
	ctx = WithUpdateID(ctx, item.ID)
	backoff := time.Duration(0)
	for attempt := 0; ; attempt++ {
		next, held, err := in.store.FinishInbox(ctx, chat, in.owner, item, more)
		if err == nil {
			return next, held, true
		}
		if attempt == 4 || in.stopped() {
			log.Error().Err(err).Int64("update_id", item.ID).Msg("cannot record update as handled")
			return nil, false, false
		}
		backoff = nextBackoff(backoff)
		time.Sleep(backoff)
	}
}

func (in *Inbox) release(ctx context.Context, chat int64, log zerolog.Logger) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	if err := in.store.ReleaseInboxChat(rctx, chat, in.owner); err != nil {
		log.Warn().Err(err).Msg("cannot release chat")
	}
}

// skip counts an update handled already.
func (in *Inbox) skip(item storage.InboxItem) {
	var e inboxEntry
	var u models.Update
	if json.Unmarshal(item.Data, &e) == nil && json.Unmarshal(e.Update, &u) == nil {
		in.intake.skipped(&u)
	}
}

// handle decodes one stored entry and has the Intake process it; an error is
// a transient failure worth a retry.
func (in *Inbox) handle(ctx context.Context, item storage.InboxItem, log zerolog.Logger) error {
	u, flood := in.recall(item.ID), entryFlood(item.Data)
	if u == nil {
		var e inboxEntry
		u = new(models.Update)
		if json.Unmarshal(item.Data, &e) != nil || json.Unmarshal(e.Update, u) != nil {
			in.drop(DropUndecodable)
			log.Error().Msg("undecodable inbox entry dropped")
			return nil
		}
		flood = e.Flood
	}
	h := in.intake.handler
	if flood {
		if in.flooded == nil {
			return nil
		}
		h = in.flooded
	}
	if err := in.intake.ProcessWith(ctx, u, h); err != nil {
		if errors.Is(err, ErrTransient) {
			return err
		}
		log.Error().Err(err).Int64("update_id", u.ID).Msg("update failed")
	}
	return nil
}

// keepLease renews the chat's lease every third of it while the drainer
// runs; it closes lost when another replica has the chat.
func (in *Inbox) keepLease(ctx context.Context, chat int64, lost chan struct{}, log zerolog.Logger) func() {
	return every(in.lease/3, func() bool {
		ok, err := in.store.RenewInboxLease(ctx, chat, in.owner)
		if err != nil {
			log.Warn().Err(err).Msg("cannot renew chat lease")
			return true
		}
		if !ok {
			close(lost)
		}
		return ok
	})
}
