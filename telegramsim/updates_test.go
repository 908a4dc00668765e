package telegramsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/confbot/confbot/telegramsim"
	"github.com/go-telegram/bot"
)

// updateIDs decodes a getUpdates result into its update ids.
func updateIDs(t *testing.T, a apiAnswer) []int64 {
	t.Helper()
	if !a.OK {
		t.Fatalf("getUpdates failed: %d %s", a.ErrorCode, a.Description)
	}
	var ups []struct {
		UpdateID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(a.Result, &ups); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(ups))
	for i, u := range ups {
		ids[i] = u.UpdateID
	}
	return ids
}

func TestUnconfirmedUpdatesAreRedelivered(t *testing.T) {
	sim := newSim(t)
	first := sim.SendText(alice, alice, "/vote")
	second := sim.SendText(bob, bob, "hello")

	steps := []struct {
		name   string
		offset int64
		want   []int64
	}{
		{"first poll gets both", 0, []int64{first, second}},
		{"no offset: both again", 0, []int64{first, second}},
		{"offset confirms the first", first + 1, []int64{second}},
		{"confirmed update is gone for good", 0, []int64{second}},
		{"offset past the last confirms all", second + 1, nil},
	}
	for _, st := range steps {
		got := updateIDs(t, post(t, sim, "getUpdates", map[string]string{"offset": strconv.FormatInt(st.offset, 10)}))
		if !equalIDs(got, st.want) {
			t.Errorf("%s: got %v, want %v", st.name, got, st.want)
		}
	}

	if !sim.Redeliver(first) {
		t.Fatal("Redeliver of a known update reported false")
	}
	got := updateIDs(t, post(t, sim, "getUpdates", map[string]string{"offset": strconv.FormatInt(second+1, 10)}))
	if !equalIDs(got, []int64{first}) {
		t.Errorf("duplicate: got %v, want [%d] despite the offset", got, first)
	}
	got = updateIDs(t, post(t, sim, "getUpdates", map[string]string{"offset": strconv.FormatInt(second+1, 10)}))
	if len(got) != 0 {
		t.Errorf("duplicate delivered twice: %v", got)
	}
	sim.AssertNoViolations(t)
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLongPollWaitsForAnUpdate(t *testing.T) {
	sim := newSim(t)
	answered := make(chan apiAnswer, 1)
	go func() { answered <- post(t, sim, "getUpdates", map[string]string{"timeout": "10"}) }()

	// The poll must still be waiting when nothing has happened.
	select {
	case a := <-answered:
		t.Fatalf("long poll answered early: %+v", a)
	case <-time.After(100 * time.Millisecond):
	}
	id := sim.SendText(alice, alice, "hi")
	select {
	case a := <-answered:
		if got := updateIDs(t, a); !equalIDs(got, []int64{id}) {
			t.Errorf("long poll got %v, want [%d]", got, id)
		}
	case <-time.After(waitTimeout):
		t.Fatal("long poll not woken by a new update")
	}
}

func TestInjectRawUpdate(t *testing.T) {
	sim := newSim(t)
	id := sim.InjectRawUpdate([]byte(`{"update_id":0,"poll":{"id":"p1","question":"?","options":[]}}`))
	a := post(t, sim, "getUpdates", nil)
	if got := updateIDs(t, a); !equalIDs(got, []int64{id}) || !strings.Contains(string(a.Result), `"poll"`) {
		t.Errorf("injected update: %s", a.Result)
	}
}

func TestWebhookDeliveryWithSecretAndRetry(t *testing.T) {
	sim := newSim(t)
	var mu sync.Mutex
	var secrets []string
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		bodies = append(bodies, string(body))
		if len(bodies) == 1 {
			w.WriteHeader(http.StatusInternalServerError) // the first attempt fails
		}
	}))
	defer hook.Close()

	b := newBot(t, sim)
	ctx := waitCtx(t)
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: hook.URL, SecretToken: "s3cr3t_token"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	id := sim.SendText(alice, alice, "/start")
	err := sim.Await(ctx, func() bool { return sim.PendingUpdates() == 0 })
	if err != nil {
		t.Fatalf("update not delivered: %v", err)
	}
	mu.Lock()
	if len(bodies) != 2 || bodies[0] != bodies[1] || !strings.Contains(bodies[1], `"update_id":`+strconv.FormatInt(id, 10)) {
		t.Errorf("webhook bodies = %q, want the same update twice", bodies)
	}
	for _, s := range secrets {
		if s != "s3cr3t_token" {
			t.Errorf("secret header = %q", s)
		}
	}
	mu.Unlock()

	a := post(t, sim, "getUpdates", nil)
	if a.ErrorCode != 409 {
		t.Errorf("getUpdates with a webhook set: %+v, want 409", a)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL || info.LastErrorMessage == "" {
		t.Errorf("GetWebhookInfo = %+v, %v; want the URL and the 500 as last error", info, err)
	}
	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	if a := post(t, sim, "getUpdates", nil); !a.OK {
		t.Errorf("getUpdates after deleteWebhook: %+v", a)
	}
	sim.AssertNoViolations(t)
}

func TestNewerPollEndsOlderWithConflict(t *testing.T) {
	sim := newSim(t)
	older := make(chan apiAnswer, 1)
	go func() { older <- post(t, sim, "getUpdates", map[string]string{"timeout": "10"}) }()
	// Wait until the older poll is registered as a call before starting the newer one.
	ctx := waitCtx(t)
	if err := sim.Await(ctx, func() bool { return len(sim.Calls("getUpdates")) == 1 }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // let the older poll reach its wait; harmless if it already has
	newer := make(chan apiAnswer, 1)
	go func() { newer <- post(t, sim, "getUpdates", map[string]string{"timeout": "1"}) }()
	select {
	case a := <-older:
		if a.ErrorCode != 409 {
			t.Errorf("older poll = %+v, want 409", a)
		}
	case <-time.After(waitTimeout):
		t.Fatal("older poll not ended")
	}
	<-newer
}

func TestFailurePlanIsDeterministic(t *testing.T) {
	outcomes := func() []int {
		sim := newSim(t, telegramsim.WithFailures(telegramsim.FailurePlan{Seed: 7, Rate500: 0.3, Rate429: 0.2, RetryAfter: 3}))
		var codes []int
		for range 20 {
			codes = append(codes, post(t, sim, "sendMessage", map[string]string{"chat_id": "111", "text": "x"}).ErrorCode)
		}
		return codes
	}
	first, second := outcomes(), outcomes()
	var failed int
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("run 1 %v, run 2 %v: not deterministic", first, second)
		}
		if first[i] != 0 {
			failed++
		}
	}
	if failed == 0 || failed == len(first) {
		t.Errorf("outcomes %v: want some failures and some successes", first)
	}
}

func TestHeldRequestIsCarriedOutButAnswerTimesOut(t *testing.T) {
	sim := newSim(t, telegramsim.WithFailures(telegramsim.FailurePlan{RateHold: 1, HoldFor: time.Minute}))
	b := newBot(t, sim)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: alice, Text: "đã gửi?"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("held send: err = %v, want deadline exceeded", err)
	}
	if chat := sim.Chat(alice); len(chat) != 1 || chat[0].Text != "đã gửi?" {
		t.Errorf("chat = %+v, want the message delivered despite the timeout", chat)
	}
}
