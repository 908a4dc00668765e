package playground_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/playground"
)

const (
	headCNTT  int64 = 100001
	headKHTC  int64 = 100002
	groupChat int64 = -1001000000008
)

func TestStartAndSwitchingPersonKeepsHistory(t *testing.T) {
	p := startPlayground(t)
	say(t, p, playground.AdminID, playground.AdminID, "/start", "Quản trị viên")
	greeting := say(t, p, headCNTT, headCNTT, "/start", "Dương Văn Tính")
	say(t, p, headKHTC, headKHTC, "/help", "/lang")

	back := chat(t, p, headCNTT, headCNTT, 0)
	if len(back.Messages) != 2 || back.Messages[0].Text != "/start" || back.Messages[1].ID != greeting.ID {
		t.Errorf("the CNTT head's chat after switching away and back = %+v", back.Messages)
	}
	if got := chat(t, p, headCNTT, headCNTT, back.LastID); len(got.Messages) != 0 {
		t.Errorf("since the last id there is nothing new or edited, got %+v", got.Messages)
	}
}

func TestPressingAButtonChangesLanguage(t *testing.T) {
	p := startPlayground(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	menu := say(t, p, headCNTT, headCNTT, "/lang", "")
	var data string
	for _, row := range menu.Buttons {
		for _, b := range row {
			if b.Data == "lang::en" {
				data = b.Data
			}
		}
	}
	if data == "" {
		t.Fatalf("/lang shows no English button: %+v", menu.Buttons)
	}
	var pressed struct {
		Answered bool `json:"answered"`
	}
	body := map[string]any{"as": headCNTT, "chat": headCNTT, "message_id": menu.ID, "data": data}
	if code := postJSON(t, p.URL()+"/api/press", body, &pressed); code != http.StatusOK || !pressed.Answered {
		t.Fatalf("press = %d, answered %v", code, pressed.Answered)
	}
	want := cat.T(i18n.EN, "lang.set", "lang_name", cat.T(i18n.EN, "lang.name.en"))
	waitBot(t, p, headCNTT, headCNTT, menu.ID, want)
}

func TestGroupChatIsSharedAndChatsAreChecked(t *testing.T) {
	p := startPlayground(t)
	if code := postJSON(t, p.URL()+"/api/send", map[string]any{"as": headKHTC, "chat": groupChat, "text": "Chào cả cụm"}, nil); code != http.StatusOK {
		t.Fatalf("send in the group = %d", code)
	}
	msgs := chat(t, p, headCNTT, groupChat, 0).Messages
	if len(msgs) == 0 || msgs[0].Text != "Chào cả cụm" || msgs[0].FromID != headKHTC {
		t.Errorf("the CNTT head sees the group as %+v", msgs)
	}
	cases := []struct {
		name string
		url  string
		body map[string]any
	}{
		{"unknown person", "/api/chat?as=42&chat=42", nil},
		{"someone else's chat", "/api/chat?as=100001&chat=100002", nil},
		{"send into someone else's chat", "/api/send", map[string]any{"as": headCNTT, "chat": headKHTC, "text": "hi"}},
		{"empty text", "/api/send", map[string]any{"as": headCNTT, "chat": headCNTT, "text": "  "}},
		{"oversized callback data", "/api/press", map[string]any{"as": headCNTT, "chat": headCNTT, "message_id": 1, "data": strings.Repeat("x", 65)}},
		{"clock backwards", "/api/clock", map[string]any{"advance": "-1h"}},
		{"clock nonsense", "/api/clock", map[string]any{"advance": "soon"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var code int
			if tc.body == nil {
				code = getJSON(t, p.URL()+tc.url, nil)
			} else {
				code = postJSON(t, p.URL()+tc.url, tc.body, nil)
			}
			if code != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", code)
			}
		})
	}
}

func TestDatesMovedAndClockAdvances(t *testing.T) {
	p := startPlayground(t)
	loc := p.Conference.TimeZone()
	wantStart := time.Date(2026, 3, 4, 8, 0, 0, 0, loc)
	wantDeadline := time.Date(2026, 3, 3, 17, 0, 0, 0, loc)
	if !p.Conference.StartsAt.Equal(wantStart) || !p.Conference.SummaryDeadline.Equal(wantDeadline) {
		t.Errorf("moved dates: start %v deadline %v, want %v and %v", p.Conference.StartsAt, p.Conference.SummaryDeadline, wantStart, wantDeadline)
	}
	if !p.Conference.EndsAt.Equal(wantStart.Add(3*time.Hour + 30*time.Minute)) {
		t.Errorf("the end moved to %v", p.Conference.EndsAt)
	}
	type clock struct {
		Now time.Time `json:"now"`
	}
	var c clock
	getJSON(t, p.URL()+"/api/clock", &c)
	if !c.Now.Equal(wallStart) {
		t.Fatalf("clock starts at %v, want %v", c.Now, wallStart)
	}
	var ticks atomic.Int32
	p.SetTick(func(context.Context) { ticks.Add(1) })
	steps := []struct {
		advance string
		want    time.Time
	}{
		{"1h", wallStart.Add(time.Hour)},
		{"24h", wallStart.Add(25 * time.Hour)},
		{"to_conference", wantStart},
		{"to_conference", wantStart}, // already there: nothing moves
	}
	for _, s := range steps {
		if code := postJSON(t, p.URL()+"/api/clock", map[string]string{"advance": s.advance}, &c); code != http.StatusOK {
			t.Fatalf("advance %s = %d", s.advance, code)
		}
		if !c.Now.Equal(s.want) {
			t.Errorf("after %s the clock says %v, want %v", s.advance, c.Now, s.want)
		}
	}
	// At least once an advance, and once more at each due time stepped through.
	if n := int(ticks.Load()); n < len(steps) {
		t.Errorf("the tick ran %d times for %d advances", n, len(steps))
	}
}

func TestAdvancingTheClockClosesABallot(t *testing.T) {
	p := startPlayground(t)
	const secretary int64 = 100011
	say(t, p, secretary, secretary, "/conference start", "")
	say(t, p, secretary, secretary, "/quorum override", "")
	opened := say(t, p, secretary, secretary, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	say(t, p, headKHTC, headKHTC, "/vote co-bca CNTT:yes KHTC:yes QLXD:no TBKV:yes VTCY:yes VKHCN:abstain", "")
	// co-bca closes 15 minutes after opening: an hour later the scheduler
	// has closed it and the secretary has the tally and its chart.
	if code := postJSON(t, p.URL()+"/api/clock", map[string]string{"advance": "1h"}, nil); code != http.StatusOK {
		t.Fatalf("advance = %d", code)
	}
	tally := waitBot(t, p, secretary, secretary, opened.ID, "Kết quả kiểm phiếu")
	deadline := time.Now().Add(10 * time.Second)
	for {
		var photo *message
		for _, m := range chat(t, p, secretary, secretary, tally.ID).Messages {
			if m.FromBot && m.Photo != nil {
				photo = &m
			}
		}
		if photo != nil {
			resp, err := http.Get(p.URL() + photo.Photo.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
				t.Errorf("the chart is served as %q", ct)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no chart after the tally")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUploadReachesTheSimulator(t *testing.T) {
	p := startPlayground(t)
	content := []byte("%PDF-1.4 báo cáo tổng kết")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("as", "100001")
	_ = w.WriteField("chat", "100001")
	_ = w.WriteField("caption", "Báo cáo năm 2022")
	part, _ := w.CreateFormFile("file", "bao-cao.pdf")
	_, _ = part.Write(content)
	_ = w.Close()
	resp, err := http.Post(p.URL()+"/api/upload", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	sim := p.Sim.Chat(headCNTT)
	if len(sim) == 0 || sim[0].FromBot || sim[0].Document == nil || sim[0].Document.Name != "bao-cao.pdf" || !bytes.Equal(sim[0].Document.Bytes, content) || sim[0].Text != "Báo cáo năm 2022" {
		t.Fatalf("the simulator's chat holds %+v", sim)
	}
	msgs := chat(t, p, headCNTT, headCNTT, 0).Messages
	if len(msgs) == 0 || msgs[0].Document == nil {
		t.Fatalf("the page's chat lacks the document: %+v", msgs)
	}
	r2, err := http.Get(p.URL() + msgs[0].Document.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	if !bytes.Equal(got, content) || !strings.HasPrefix(r2.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("/api/file gave %q (%s)", got, r2.Header.Get("Content-Disposition"))
	}
}

func TestEventsStreamNamesChangedChats(t *testing.T) {
	p := startPlayground(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	next := func(event string) string {
		t.Helper()
		for lines.Scan() {
			if lines.Text() == "event: "+event && lines.Scan() {
				return strings.TrimPrefix(lines.Text(), "data: ")
			}
		}
		t.Fatalf("no %q event: %v", event, lines.Err())
		return ""
	}
	next("ready")
	postJSON(t, p.URL()+"/api/send", map[string]any{"as": headCNTT, "chat": headCNTT, "text": "/start"}, nil)
	var ev struct{ Chats []int64 }
	if err := json.Unmarshal([]byte(next("chats")), &ev); err != nil || len(ev.Chats) == 0 || ev.Chats[0] != headCNTT {
		t.Errorf("chats event = %+v (%v)", ev, err)
	}
	postJSON(t, p.URL()+"/api/clock", map[string]string{"advance": "1h"}, nil)
	next("clock")
}

func TestCrossOriginChangesRefused(t *testing.T) {
	p := startPlayground(t)
	req, _ := http.NewRequest(http.MethodPost, p.URL()+"/api/send", strings.NewReader(`{"as":100001,"chat":100001,"text":"/start"}`))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin send = %d, want 403", resp.StatusCode)
	}
	if n := len(p.Sim.Chat(headCNTT)); n != 0 {
		t.Errorf("the refused send left %d message(s)", n)
	}
}

func TestPageIsServed(t *testing.T) {
	p := startPlayground(t)
	for _, path := range []string{"/", "/style.css", "/app.js"} {
		resp, err := http.Get(p.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s = %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
}
