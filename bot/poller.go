package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// Poller receives updates by long polling. It does its own getUpdates,
// unlike go-telegram/bot's, so that an update is confirmed to Telegram (by a
// later offset) only once the Inbox has it safe in Redis: a crash loses
// nothing. It never waits for handling, so one chat's backlog holds up no
// other chat's updates.
type Poller struct {
	client  *http.Client
	url     string // {api}/bot{token}/getUpdates: never log it
	inbox   *Inbox
	timeout time.Duration
	log     zerolog.Logger
	after   func(time.Duration) <-chan time.Time
}

// PollerConfig configures a Poller.
type PollerConfig struct {
	APIURL  string
	Token   string
	Inbox   *Inbox
	Timeout time.Duration // long-poll timeout; 30 s when 0
	Client  *http.Client  // its timeout must exceed Timeout; a fitting one is made when nil
	Log     zerolog.Logger
}

// NewPoller builds a Poller.
func NewPoller(c PollerConfig) *Poller {
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: c.Timeout + 15*time.Second}
	}
	return &Poller{
		client: c.Client, url: c.APIURL + "/bot" + c.Token + "/getUpdates",
		inbox: c.Inbox, timeout: c.Timeout, log: c.Log, after: time.After,
	}
}

// Run polls until ctx ends, then confirms what the Inbox holds.
func (p *Poller) Run(ctx context.Context) error {
	var offset int64
	backoff := time.Duration(0)
	for {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return p.confirm(offset)
			case <-p.after(backoff):
			}
		}
		updates, err := p.getUpdates(ctx, offset, p.timeout)
		if err != nil {
			if ctx.Err() != nil {
				return p.confirm(offset)
			}
			backoff = nextBackoff(backoff)
			p.log.Warn().Err(err).Dur("retry_in", backoff).Msg("getUpdates failed")
			continue
		}
		backoff = 0
		if len(updates) == 0 {
			continue
		}
		// Storing a batch is quick and not bound to shutdown: what Telegram
		// gave us is kept or comes again.
		storeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err = p.inbox.Accept(storeCtx, updates)
		cancel()
		if err != nil {
			// Not confirmed: Telegram sends the batch again, and updates
			// already stored are skipped by their claim.
			backoff = nextBackoff(backoff)
			p.log.Warn().Err(err).Dur("retry_in", backoff).Msg("cannot store updates")
		} else {
			offset = lastID(updates) + 1
		}
		if ctx.Err() != nil {
			return p.confirm(offset)
		}
	}
}

// lastID is the highest update_id of a batch.
func lastID(updates []json.RawMessage) int64 {
	var last int64
	for _, raw := range updates {
		var u struct {
			ID int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &u) == nil && u.ID > last {
			last = u.ID
		}
	}
	return last
}

// confirm tells Telegram the handled updates need not come again.
func (p *Poller) confirm(offset int64) error {
	if offset == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := p.getUpdates(ctx, offset, 0); err != nil {
		return fmt.Errorf("confirm updates: %w", err)
	}
	return nil
}

type getUpdatesRequest struct {
	Offset  int64    `json:"offset,omitempty"`
	Timeout int      `json:"timeout"`
	Allowed []string `json:"allowed_updates,omitempty"`
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func (p *Poller) getUpdates(ctx context.Context, offset int64, timeout time.Duration) ([]json.RawMessage, error) {
	body, _ := json.Marshal(getUpdatesRequest{Offset: offset, Timeout: int(timeout / time.Second),
		Allowed: []string{"message", "edited_message", "callback_query", "my_chat_member"}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("build getUpdates request")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		// The URL holds the token: report the cause only.
		var uerr interface{ Unwrap() error }
		if errors.As(err, &uerr) && uerr.Unwrap() != nil {
			return nil, fmt.Errorf("getUpdates: %w", uerr.Unwrap())
		}
		return nil, errors.New("getUpdates: request failed")
	}
	defer resp.Body.Close()
	var ar apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&ar); err != nil {
		return nil, fmt.Errorf("getUpdates: decode answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if !ar.OK {
		return nil, fmt.Errorf("getUpdates: %d %s", ar.ErrorCode, ar.Description)
	}
	var updates []json.RawMessage
	if err := json.Unmarshal(ar.Result, &updates); err != nil {
		return nil, fmt.Errorf("getUpdates: decode updates: %w", err)
	}
	return updates, nil
}

func nextBackoff(d time.Duration) time.Duration {
	switch {
	case d == 0:
		return 100 * time.Millisecond
	case d*2 > 5*time.Second:
		return 5 * time.Second
	}
	return d * 2
}
