package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// Draining: one drainer goroutine per chat in this process, which works
// only while it holds the chat's lease in Redis, so that across replicas
// too a chat's updates are handled one after another, in order.

// signal makes sure chat has a drainer in this process.
func (in *Inbox) signal(chat int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.runCtx == nil || in.stopping {
		return // Run's first sweep (or another replica) finds it
	}
	if l := in.lanes[chat]; l != nil {
		l.pending = true
		return
	}
	in.lanes[chat] = &inboxLane{}
	in.wg.Add(1)
	go in.drainer(in.runCtx, chat)
}

func (in *Inbox) drainer(ctx context.Context, chat int64) {
	defer in.wg.Done()
	for {
		in.drain(ctx, chat)
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
// staying at the head so that nothing overtakes it.
func (in *Inbox) drain(ctx context.Context, chat int64) {
	log := in.log.With().Int64("chat_id", chat).Logger()
	ok, err := in.store.LeaseInboxChat(ctx, chat, in.owner)
	if err != nil {
		log.Warn().Err(err).Msg("cannot lease chat")
		return
	}
	if !ok {
		return // another replica drains it
	}
	lost := make(chan struct{})
	stopLease := in.keepLease(ctx, chat, lost, log)
	defer func() {
		stopLease()
		rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		if err := in.store.ReleaseInboxChat(rctx, chat, in.owner); err != nil {
			log.Warn().Err(err).Msg("cannot release chat")
		}
	}()
	backoff := time.Duration(0)
	var failingSince time.Time
	for !in.stopped() {
		select {
		case <-lost:
			return
		default:
		}
		data, err := in.store.PeekInbox(ctx, chat)
		if err != nil {
			log.Warn().Err(err).Msg("cannot read inbox")
			return // the sweep comes back to it
		}
		if data == nil {
			return
		}
		if err := in.handle(ctx, data, log); err != nil {
			if failingSince.IsZero() {
				failingSince = time.Now()
			}
			if time.Since(failingSince) > giveUpAfter {
				in.drop(DropGaveUp)
				log.Error().Err(err).Dur("failing_for", giveUpAfter).Msg("update dropped after failing too long")
				_, _ = in.store.PopInbox(ctx, chat, data)
				failingSince, backoff = time.Time{}, 0
				continue
			}
			backoff = nextBackoff(backoff)
			select {
			case <-in.stop:
				return
			case <-time.After(backoff):
			}
			continue
		}
		backoff, failingSince = 0, time.Time{}
		if _, err := in.store.PopInbox(ctx, chat, data); err != nil {
			// Handled but still at the head: its claim skips it next time.
			log.Warn().Err(err).Msg("cannot pop inbox")
			return
		}
	}
}

// handle decodes one stored entry and has the Intake process it; an error is
// a transient failure worth a retry.
func (in *Inbox) handle(ctx context.Context, data []byte, log zerolog.Logger) error {
	var e inboxEntry
	var u models.Update
	if err := json.Unmarshal(data, &e); err != nil || json.Unmarshal(e.Update, &u) != nil {
		in.drop(DropUndecodable)
		log.Error().Msg("undecodable inbox entry dropped")
		return nil
	}
	h := in.intake.handler
	if e.Flood {
		if in.flooded == nil {
			return nil
		}
		h = in.flooded
	}
	if err := in.intake.ProcessWith(ctx, &u, h); err != nil {
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
		ok, err := in.store.LeaseInboxChat(ctx, chat, in.owner)
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
