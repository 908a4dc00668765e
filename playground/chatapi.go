package playground

import (
	"html"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/confbot/confbot/telegramsim"
)

// messageJSON is a chat message as the page shows it.
type messageJSON struct {
	ID       int64          `json:"id"`
	FromBot  bool           `json:"from_bot"`
	FromID   int64          `json:"from_id"`
	FromName string         `json:"from_name"`
	Date     time.Time      `json:"date"`
	Text     string         `json:"text"`
	HTML     string         `json:"html"` // safe to show as HTML
	Buttons  [][]buttonJSON `json:"buttons,omitempty"`
	Keyboard [][]string     `json:"keyboard,omitempty"`
	Document *fileJSON      `json:"document,omitempty"`
	Photo    *fileJSON      `json:"photo,omitempty"`
	Edited   int            `json:"edited"`
}

type buttonJSON struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

type fileJSON struct {
	Name   string `json:"name"`
	MIME   string `json:"mime,omitempty"`
	Size   int    `json:"size"`
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

func (p *Playground) toJSON(m telegramsim.Message) messageJSON {
	out := messageJSON{ID: m.ID, FromBot: m.FromBot, FromID: m.FromUserID, Date: m.Date, Text: m.Text, Edited: m.Edited, Keyboard: m.Keyboard}
	if m.FromBot {
		out.FromName = botDisplayName
	} else {
		out.FromName = p.byID[m.FromUserID].Name
	}
	if strings.EqualFold(m.ParseMode, "HTML") {
		out.HTML = SanitizeHTML(m.RawText)
	} else {
		out.HTML = html.EscapeString(m.Text) // plain text: an "&amp;" in it is meant literally
	}
	for _, row := range m.Buttons {
		var r []buttonJSON
		for _, b := range row {
			r = append(r, buttonJSON{Text: b.Text, Data: b.CallbackData, URL: b.URL})
		}
		out.Buttons = append(out.Buttons, r)
	}
	out.Document = fileInfo(m.Document)
	out.Photo = fileInfo(m.Photo)
	return out
}

func fileInfo(f *telegramsim.File) *fileJSON {
	if f == nil {
		return nil
	}
	name := f.Name
	if name == "" {
		name = "file"
	}
	return &fileJSON{Name: name, MIME: f.MIMEType, Size: len(f.Bytes), URL: "/api/file?id=" + url.QueryEscape(f.FileID), Width: f.Width, Height: f.Height}
}

// handleChat answers GET /api/chat?as=ID&chat=ID&since=N: the messages after
// message id N, and every message ever edited (the page replaces those in
// place); since=0 gives the whole chat.
func (p *Playground) handleChat(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	as, _ := strconv.ParseInt(q.Get("as"), 10, 64)
	chat, _ := strconv.ParseInt(q.Get("chat"), 10, 64)
	since, _ := strconv.ParseInt(q.Get("since"), 10, 64)
	if err := p.chatAccess(as, chat); err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	msgs := []messageJSON{}
	var last int64
	for _, m := range p.Sim.Chat(chat) {
		last = max(last, m.ID)
		if m.ID > since || m.Edited > 0 {
			msgs = append(msgs, p.toJSON(m))
		}
	}
	writeJSON(w, map[string]any{"chat": chat, "last_id": last, "messages": msgs})
}

// inlineImage lists the image types the page shows inline.
var inlineImage = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// handleFile serves a stored file: images inline, anything else as a
// download, never as a page of this origin.
func (p *Playground) handleFile(w http.ResponseWriter, r *http.Request) {
	f, ok := p.Sim.File(r.URL.Query().Get("id"))
	if !ok {
		http.Error(w, "no such file", http.StatusNotFound)
		return
	}
	name := f.Name
	if name == "" {
		name = "file"
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	// The bot's client uploads everything as application/octet-stream: what
	// an image is, the bytes say. SVG never passes (it can carry script).
	if ct := http.DetectContentType(f.Bytes); inlineImage[ct] {
		h.Set("Content-Type", ct)
		h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	_, _ = w.Write(f.Bytes)
}
