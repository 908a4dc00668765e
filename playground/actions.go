package playground

import (
	"context"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/confbot/confbot/telegramsim"
)

func (p *Playground) handleSend(w http.ResponseWriter, r *http.Request) {
	var req struct {
		As   int64  `json:"as"`
		Chat int64  `json:"chat"`
		Text string `json:"text"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if err := p.chatAccess(req.As, req.Chat); err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	n := utf8.RuneCountInString(req.Text)
	if strings.TrimSpace(req.Text) == "" || n > maxTextRunes || !utf8.ValidString(req.Text) {
		httpError(w, http.StatusBadRequest, "text must be 1-%d characters", maxTextRunes)
		return
	}
	writeJSON(w, map[string]any{"update_id": p.Sim.SendText(req.As, req.Chat, req.Text)})
}

// handlePress presses an inline button and waits briefly for the bot's
// answer to it (the toast Telegram shows), which it returns.
func (p *Playground) handlePress(w http.ResponseWriter, r *http.Request) {
	var req struct {
		As        int64  `json:"as"`
		Chat      int64  `json:"chat"`
		MessageID int64  `json:"message_id"`
		Data      string `json:"data"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if err := p.chatAccess(req.As, req.Chat); err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if req.Data == "" || len(req.Data) > 64 {
		httpError(w, http.StatusBadRequest, "callback data must be 1-64 bytes")
		return
	}
	updateID, queryID := p.Sim.PressButton(req.As, req.Chat, req.MessageID, req.Data)
	ctx, cancel := context.WithTimeout(r.Context(), pressWait)
	defer cancel()
	var answer *telegramsim.CallbackAnswer
	_ = p.Sim.Await(ctx, func() bool {
		if a := p.Sim.CallbackAnswers(queryID); len(a) > 0 {
			answer = &a[0]
		}
		return answer != nil
	})
	out := map[string]any{"update_id": updateID, "answered": answer != nil}
	if answer != nil {
		out["text"], out["show_alert"] = answer.Text, answer.ShowAlert
	}
	writeJSON(w, out)
}

func (p *Playground) handleUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		httpError(w, http.StatusBadRequest, "bad upload (at most %d MB): %v", maxUploadBytes>>20, err)
		return
	}
	as, _ := strconv.ParseInt(r.FormValue("as"), 10, 64)
	chat, _ := strconv.ParseInt(r.FormValue("chat"), 10, 64)
	if err := p.chatAccess(as, chat); err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		httpError(w, http.StatusBadRequest, "no file: %v", err)
		return
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, maxUploadBytes+1))
	if err != nil || len(content) > maxUploadBytes {
		httpError(w, http.StatusBadRequest, "file over %d MB", maxUploadBytes>>20)
		return
	}
	name := path.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	mimeType := mime.TypeByExtension(path.Ext(name))
	if ct := hdr.Header.Get("Content-Type"); ct != "" && ct != "application/octet-stream" {
		mimeType = ct
	}
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	caption := r.FormValue("caption")
	if utf8.RuneCountInString(caption) > 1024 {
		httpError(w, http.StatusBadRequest, "caption over 1024 characters")
		return
	}
	writeJSON(w, map[string]any{"update_id": p.Sim.SendDocument(as, chat, name, mimeType, content, caption)})
}

// handleClock shows the simulated time (GET) or advances it (POST
// {"advance": "1h" | "24h" | "to_conference" | any Go duration up to 31 days}).
func (p *Playground) handleClock(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var req struct {
			Advance string `json:"advance"`
		}
		if !decodeBody(w, r, &req) {
			return
		}
		// The tick may send reminders: let it finish even if the page goes away.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
		defer cancel()
		if req.Advance == "to_conference" {
			p.AdvanceToConference(ctx)
		} else {
			d, err := time.ParseDuration(req.Advance)
			if err != nil || d <= 0 || d > 31*24*time.Hour {
				httpError(w, http.StatusBadRequest, "advance must be to_conference or a duration up to 744h")
				return
			}
			p.Advance(ctx, d)
		}
	}
	now := p.Clock.Now()
	start := p.Conference.StartsAt
	if c, err := p.Store.Conference(r.Context(), p.Conference.Ref()); err == nil {
		start = c.StartsAt
	}
	writeJSON(w, map[string]any{
		"now":       now,
		"local":     now.In(p.Conference.TimeZone()).Format("15:04 02/01/2006"),
		"skipped":   p.Clock.Skipped().String(),
		"starts_at": start,
		"until_start": func() string {
			if d := start.Sub(now); d > 0 {
				return d.Truncate(time.Minute).String()
			}
			return ""
		}(),
	})
}
