package telegramsim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Webhook delivery: one update at a time in order (max_connections 1), each retried on failure
// with a short doubling backoff, then given up, as Telegram gives up "after a reasonable amount
// of attempts". Backoff is real time: it paces real HTTP calls, not the simulated clock.
const (
	webhookMaxAttempts = 5
	webhookFirstDelay  = 20 * time.Millisecond
	webhookTimeout     = 10 * time.Second
)

type webhookState struct {
	url              string
	secret           string
	cancel           context.CancelFunc
	lastErrorDate    int64
	lastErrorMessage string
}

func (s *Simulator) setWebhook(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWebhookLocked()
	if req.fields["drop_pending_updates"] == "true" {
		s.queue.pending = nil
	}
	target := req.fields["url"]
	if target == "" {
		return true, nil
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		// Telegram wants HTTPS on ports 443, 80, 88 or 8443; the simulator also takes plain
		// http so tests can use httptest servers.
		return nil, badRequest("bad webhook: invalid URL")
	}
	select {
	case <-s.closed:
		return nil, &apiError{code: 500, description: "Internal Server Error: simulator closed"}
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.webhook = webhookState{url: target, secret: req.fields["secret_token"], cancel: cancel}
	s.workers.Add(1)
	go s.deliverWebhook(ctx, target, s.webhook.secret)
	return true, nil
}

func (s *Simulator) deleteWebhook(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWebhookLocked()
	if req.fields["drop_pending_updates"] == "true" {
		s.queue.pending = nil
	}
	return true, nil
}

func (s *Simulator) stopWebhookLocked() {
	if s.webhook.cancel != nil {
		s.webhook.cancel()
	}
	s.webhook = webhookState{}
}

func (s *Simulator) getWebhookInfo() (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{
		"url":                    s.webhook.url,
		"has_custom_certificate": false,
		"pending_update_count":   len(s.queue.pending),
	}
	if s.webhook.url != "" {
		info["max_connections"] = 1
	}
	if s.webhook.lastErrorDate != 0 {
		info["last_error_date"] = s.webhook.lastErrorDate
		info["last_error_message"] = s.webhook.lastErrorMessage
	}
	return info, nil
}

// deliverWebhook pushes queued updates to the webhook until ctx ends (deleteWebhook, a new
// setWebhook or Close). An update interrupted by ctx stays queued for whoever reads next.
func (s *Simulator) deliverWebhook(ctx context.Context, target, secret string) {
	defer s.workers.Done()
	client := &http.Client{Timeout: webhookTimeout}
	for {
		s.mu.Lock()
		if ctx.Err() != nil {
			s.mu.Unlock()
			return
		}
		if len(s.queue.pending) == 0 {
			changed := s.changed
			s.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
			continue
		}
		next := s.queue.pending[0]
		s.mu.Unlock()

		errMsg := postUpdate(ctx, client, target, secret, next.body)
		s.mu.Lock()
		if ctx.Err() != nil {
			s.mu.Unlock()
			return
		}
		s.queue.remove(next.seq)
		if errMsg != "" {
			s.webhook.lastErrorDate = s.nowUnix()
			s.webhook.lastErrorMessage = errMsg
		}
		s.changeLocked(Event{})
		s.mu.Unlock()
	}
}

// postUpdate sends one update, retrying until a 2xx answer or the attempts run out; it returns
// the last failed attempt's error message ("" when the first attempt succeeded), which Telegram
// keeps showing in getWebhookInfo after a later success.
func postUpdate(ctx context.Context, client *http.Client, target, secret string, body []byte) string {
	delay := webhookFirstDelay
	var lastErr string
	for attempt := 1; attempt <= webhookMaxAttempts; attempt++ {
		errMsg := postOnce(ctx, client, target, secret, body)
		if errMsg == "" {
			return lastErr
		}
		lastErr = errMsg
		if attempt == webhookMaxAttempts || ctx.Err() != nil {
			break
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return lastErr
		case <-timer.C:
		}
		delay *= 2
	}
	return lastErr
}

func postOnce(ctx context.Context, client *http.Client, target, secret string, body []byte) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Sprintf("Connection failed: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Sprintf("Wrong response from the webhook: %s", resp.Status)
	}
	return ""
}
