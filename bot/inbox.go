package bot

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/confbot/confbot/storage"
)

// InboxStore keeps updates that were confirmed to Telegram but not yet
// handled, one ordered list per chat (*storage.Store satisfies it).
type InboxStore interface {
	PushInbox(ctx context.Context, owner string, pushes []storage.InboxPush) ([]storage.InboxTaken, error)
	InboxChats(ctx context.Context) ([]int64, error)
	LeaseInbox(ctx context.Context, chat int64, owner string) (bool, []storage.InboxItem, error)
	RenewInboxLease(ctx context.Context, chat int64, owner string) (bool, error)
	ReleaseInboxChat(ctx context.Context, chat int64, owner string) error
	FinishInbox(ctx context.Context, chat int64, owner string, item storage.InboxItem, more bool) ([]storage.InboxItem, bool, error)
}

// DropMetrics counts updates that were not handled, by reason.
type DropMetrics interface {
	Dropped(reason string)
}

// Reasons reported to DropMetrics.
const (
	DropFlood       = "flood"
	DropUndecodable = "undecodable"
	DropGaveUp      = "gave_up"
)

// giveUpAfter is how long one update may keep failing transiently before
// it is dropped (logged and counted), so that it does not stall its chat
// for good; Telegram itself keeps an unconfirmed update for 24 h.
const giveUpAfter = 15 * time.Minute

// Inbox is what sits between Telegram and the Intake. Accept stores updates
// in their chat's durable list (so the poller may confirm them at once, or
// the webhook answer 200) after flood control; one drainer per chat, in any
// replica that holds the chat's lease, hands them to the Intake in order.
// So a chat with a backlog holds up only itself.
type Inbox struct {
	store   InboxStore
	intake  *Intake
	flood   *FloodLimiter
	flooded Handler
	metrics DropMetrics
	log     zerolog.Logger
	owner   string
	sweep   time.Duration
	lease   time.Duration

	mu       sync.Mutex
	lanes    map[int64]*inboxLane
	decoded  map[int64]*models.Update // by update id: what Accept decoded, until handled
	runCtx   context.Context          // set by Run: the drainers' context
	stopping bool
	stop     chan struct{}
	wg       sync.WaitGroup
}

// inboxLane is one chat's drainer; pending says more was pushed meanwhile.
type inboxLane struct{ pending bool }

// InboxConfig configures an Inbox.
type InboxConfig struct {
	Store  InboxStore
	Intake *Intake
	Flood  *FloodLimiter // nil: no flood control
	// Flooded tells a person, once per flood, that the rest is dropped.
	Flooded Handler
	Metrics DropMetrics
	Log     zerolog.Logger
	Owner   string        // this replica's name in chat leases; random when ""
	Sweep   time.Duration // how often chats left by others are looked for; 1 s when 0
	Lease   time.Duration // a chat lease's length (storage.InboxLease); 20 s when 0
}

// inboxEntry is one stored update: Telegram's JSON as it came, and whether
// it is the one that answers a flood. ID comes first: the store's scripts
// read it from the entry's beginning (storage.EntryID).
type inboxEntry struct {
	ID     int64           `json:"id"`
	Flood  bool            `json:"flood,omitempty"`
	Update json.RawMessage `json:"update"`
}

// encode writes the entry as its JSON, by hand: the update is Telegram's
// JSON, already checked by decoding it, and need not be encoded again.
func (e inboxEntry) encode() []byte {
	b := make([]byte, 0, len(e.Update)+48)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	if e.Flood {
		b = append(b, `,"flood":true`...)
	}
	b = append(b, `,"update":`...)
	b = append(b, e.Update...)
	return append(b, '}')
}

// entryFlood reads the flood mark that encode puts after the id.
func entryFlood(entry []byte) bool {
	i := bytes.IndexByte(entry, ',')
	return i > 0 && bytes.HasPrefix(entry[i:], []byte(`,"flood":true`))
}

// maxDecoded bounds the updates kept decoded between Accept and handling.
const maxDecoded = 10_000

// remember keeps an update decoded for its handling here, which then need
// not decode its entry again (most updates are handled by the replica
// that pushed them).
func (in *Inbox) remember(u *models.Update) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.decoded) < maxDecoded {
		in.decoded[u.ID] = u
	}
}

// recall takes an update Accept decoded, if it is here.
func (in *Inbox) recall(id int64) *models.Update {
	in.mu.Lock()
	defer in.mu.Unlock()
	u := in.decoded[id]
	delete(in.decoded, id)
	return u
}

// NewInbox builds an Inbox; it drains once Run is called.
func NewInbox(c InboxConfig) *Inbox {
	if c.Owner == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		c.Owner = hex.EncodeToString(b[:])
	}
	if c.Sweep <= 0 {
		c.Sweep = time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 20 * time.Second
	}
	return &Inbox{
		store: c.Store, intake: c.Intake, flood: c.Flood, flooded: c.Flooded, metrics: c.Metrics,
		log: c.Log, owner: c.Owner, sweep: c.Sweep, lease: c.Lease,
		lanes: map[int64]*inboxLane{}, decoded: map[int64]*models.Update{}, stop: make(chan struct{}),
	}
}

// Accept stores raw updates (Telegram's JSON) for handling. When it returns
// nil they are safe in Redis and may be confirmed to Telegram; an error
// means nothing past the failing chat was stored, and the caller must let
// Telegram deliver them again (a duplicate is skipped by its update claim).
func (in *Inbox) Accept(ctx context.Context, raws []json.RawMessage) error {
	type item struct {
		id  int64
		raw []byte
	}
	byChat := map[int64][]item{}
	var order []int64
	for _, raw := range raws {
		var u models.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			in.drop(DropUndecodable)
			in.log.Warn().Err(err).Msg("undecodable update dropped")
			continue
		}
		chat := ChatOf(&u)
		e := inboxEntry{ID: u.ID, Update: raw}
		switch in.flood.Check(PersonOf(&u)) {
		case Drop:
			in.drop(DropFlood)
			continue
		case Warn:
			in.drop(DropFlood)
			in.log.Info().Int64("update_id", u.ID).Int64("chat_id", chat).Msg("flood: the rest of this burst is dropped")
			e.Flood = true
		}
		data := e.encode()
		in.remember(&u)
		if _, seen := byChat[chat]; !seen {
			order = append(order, chat)
		}
		byChat[chat] = append(byChat[chat], item{u.ID, data})
	}
	pushes := make([]storage.InboxPush, 0, len(order))
	for _, chat := range order {
		items := byChat[chat]
		sort.SliceStable(items, func(i, j int) bool { return items[i].id < items[j].id })
		data := make([][]byte, len(items))
		for i, it := range items {
			data[i] = it.raw
		}
		pushes = append(pushes, storage.InboxPush{Chat: chat, Entries: data})
	}
	// One step for the whole batch; each chat nobody drains is leased to
	// this replica at once, its waiting updates handed to a drainer here.
	taken, err := in.store.PushInbox(ctx, in.owner, pushes)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrTransient, err)
	}
	for _, t := range taken {
		switch t.Lease {
		case storage.InboxLeaseTaken:
			in.signal(t.Chat, t.Items, true)
		case storage.InboxLeaseOwn:
			in.signal(t.Chat, nil, false)
		}
	}
	return nil
}

func (in *Inbox) drop(reason string) {
	if in.metrics != nil {
		in.metrics.Dropped(reason)
	}
}

// Run drains until ctx ends, and looks every Sweep for chats that another
// replica left behind (it stopped, or died holding a lease that lapsed).
func (in *Inbox) Run(ctx context.Context) {
	in.mu.Lock()
	in.runCtx = context.WithoutCancel(ctx) // updates in hand finish after ctx ends
	in.mu.Unlock()
	t := time.NewTicker(in.sweep)
	defer t.Stop()
	for {
		chats, err := in.store.InboxChats(ctx)
		if err != nil && ctx.Err() == nil {
			in.log.Warn().Err(err).Msg("cannot list waiting chats")
		}
		for _, c := range chats {
			in.signal(c, nil, false)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stop lets each drainer finish the update in hand (the rest stays in Redis
// for whoever runs next) and waits for them, bounded by ctx. It is safe to
// call twice.
func (in *Inbox) Stop(ctx context.Context) error {
	in.mu.Lock()
	if !in.stopping {
		in.stopping = true
		close(in.stop)
	}
	in.mu.Unlock()
	done := make(chan struct{})
	go func() { in.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("inbox drainers: %w", ctx.Err())
	}
}
