package playground_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/confbot/confbot/playground"
)

// wallStart is the frozen wall time of the API tests: 10:00 in Hà Nội.
var wallStart = time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// startPlayground runs a playground on a free port with the in-memory store
// and a clock that moves only when told.
func startPlayground(t *testing.T) *playground.Playground {
	t.Helper()
	ctx := context.Background()
	p, err := playground.Start(ctx, playground.Options{
		Addr:        "127.0.0.1:0",
		SecretFile:  filepath.Join(t.TempDir(), "secret"),
		Log:         zerolog.New(io.Discard),
		Wall:        func() time.Time { return wallStart },
		PollTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
		p.Sim.AssertNoViolations(t)
	})
	return p
}

// message is what /api/chat returns for one message.
type message struct {
	ID      int64  `json:"id"`
	FromBot bool   `json:"from_bot"`
	FromID  int64  `json:"from_id"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	Edited  int    `json:"edited"`
	Buttons [][]struct{ Text, Data string }
	Photo   *struct {
		URL string `json:"url"`
	} `json:"photo"`
	Document *struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"document"`
}

type chatAnswer struct {
	LastID   int64     `json:"last_id"`
	Messages []message `json:"messages"`
}

func getJSON(t *testing.T, url string, out any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func postJSON(t *testing.T, url string, body, out any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("POST %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

func chat(t *testing.T, p *playground.Playground, as, chatID, since int64) chatAnswer {
	t.Helper()
	var a chatAnswer
	url := p.URL() + "/api/chat?as=" + itoa(as) + "&chat=" + itoa(chatID) + "&since=" + itoa(since)
	if code := getJSON(t, url, &a); code != http.StatusOK {
		t.Fatalf("GET %s = %d", url, code)
	}
	return a
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// say sends text as a person in a chat through the API and waits for a bot
// message after the ones already there that contains want.
func say(t *testing.T, p *playground.Playground, as, chatID int64, text, want string) message {
	t.Helper()
	before := chat(t, p, as, chatID, 0).LastID
	if code := postJSON(t, p.URL()+"/api/send", map[string]any{"as": as, "chat": chatID, "text": text}, nil); code != http.StatusOK {
		t.Fatalf("send %q = %d", text, code)
	}
	return waitBot(t, p, as, chatID, before, want)
}

// waitBot polls the chat (an async answer: short polls under a deadline)
// for a bot message after message id `after` containing want.
func waitBot(t *testing.T, p *playground.Playground, as, chatID, after int64, want string) message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var seen []string
	for time.Now().Before(deadline) {
		seen = seen[:0]
		for _, m := range chat(t, p, as, chatID, after).Messages {
			if m.FromBot && m.ID > after {
				seen = append(seen, m.Text)
				if strings.Contains(m.Text, want) {
					return m
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no bot message containing %q in chat %d; the bot said:\n%s", want, chatID, strings.Join(seen, "\n---\n"))
	return message{}
}
