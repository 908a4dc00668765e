package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"
)

// Poller receives updates by long polling. It does its own getUpdates,
// unlike go-telegram/bot's, so that an update is confirmed to Telegram (by a
// later offset) only after it was handled: a crash loses nothing, Telegram
// delivers it again and the Intake's claim keeps it from being handled twice.
type Poller struct {
	client  *http.Client
	url     string // {api}/bot{token}/getUpdates: never log it
	intake  *Intake
	timeout time.Duration
	log     zerolog.Logger
	after   func(time.Duration) <-chan time.Time
}

// PollerConfig configures a Poller.
type PollerConfig struct {
	APIURL  string
	Token   string
	Intake  *Intake
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
		intake: c.Intake, timeout: c.Timeout, log: c.Log, after: time.After,
	}
}

// Run polls until ctx ends. Updates in hand when ctx ends are finished (with
// a context that outlives ctx, bounded by drain) and then confirmed.
func (p *Poller) Run(ctx context.Context, drain time.Duration) error {
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
		// Updates in hand are finished even when shutdown starts meanwhile.
		handleCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
		next, failed := p.handleBatch(handleCtx, updates)
		cancel()
		offset = next
		if failed {
			backoff = nextBackoff(backoff)
		}
		if ctx.Err() != nil {
			return p.confirm(offset)
		}
	}
}

// handleBatch handles a batch, each chat in order and chats in parallel, and
// returns the offset that confirms the handled prefix of the batch.
func (p *Poller) handleBatch(ctx context.Context, updates []*models.Update) (next int64, failed bool) {
	sort.Slice(updates, func(i, j int) bool { return updates[i].ID < updates[j].ID })
	byChat := map[int64][]*models.Update{}
	var order []int64
	for _, u := range updates {
		c := ChatOf(u)
		if _, seen := byChat[c]; !seen {
			order = append(order, c)
		}
		byChat[c] = append(byChat[c], u)
	}
	var mu sync.Mutex
	firstFailed := int64(-1)
	var wg sync.WaitGroup
	for _, chat := range order {
		wg.Add(1)
		go func(us []*models.Update) {
			defer wg.Done()
			for _, u := range us {
				if err := p.intake.Process(ctx, u); err != nil {
					mu.Lock()
					if firstFailed < 0 || u.ID < firstFailed {
						firstFailed = u.ID
					}
					mu.Unlock()
					return // the rest of this chat waits for the redelivery, in order
				}
			}
		}(byChat[chat])
	}
	wg.Wait()
	if firstFailed >= 0 {
		return firstFailed, true // redeliver from the first failure; handled ones are skipped by their claim
	}
	return updates[len(updates)-1].ID + 1, false
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

func (p *Poller) getUpdates(ctx context.Context, offset int64, timeout time.Duration) ([]*models.Update, error) {
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
	var updates []*models.Update
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
