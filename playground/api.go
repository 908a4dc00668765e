package playground

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"time"
)

// Limits of what the page may send, as Telegram's.
const (
	maxTextRunes   = 4096
	maxUploadBytes = 20 << 20
	pressWait      = 3 * time.Second // how long /api/press waits for the bot's answer to the button
)

// routes is the page and its JSON API.
func (p *Playground) routes() http.Handler {
	mux := http.NewServeMux()
	web, _ := fs.Sub(webFiles, "web") // the directory is embedded: Sub cannot fail
	mux.Handle("GET /", http.FileServerFS(web))
	mux.HandleFunc("GET /api/info", p.handleInfo)
	mux.HandleFunc("GET /api/people", p.handlePeople)
	mux.HandleFunc("GET /api/chat", p.handleChat)
	mux.HandleFunc("POST /api/send", p.handleSend)
	mux.HandleFunc("POST /api/press", p.handlePress)
	mux.HandleFunc("POST /api/upload", p.handleUpload)
	mux.HandleFunc("GET /api/file", p.handleFile)
	mux.HandleFunc("GET /api/clock", p.handleClock)
	mux.HandleFunc("POST /api/clock", p.handleClock)
	mux.HandleFunc("GET /api/events", p.handleEvents)
	return sameOrigin(mux)
}

// sameOrigin refuses changes requested by other sites' pages: the playground
// listens on loopback, but any page the browser opens could post to it.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" {
				u, err := url.Parse(o)
				if err != nil || u.Host != r.Host {
					http.Error(w, "cross-origin request refused", http.StatusForbidden)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

func httpError(w http.ResponseWriter, code int, format string, args ...any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": fmt.Sprintf(format, args...)})
}

// chatAccess checks that as is a person of the playground and chat is their
// private chat or the cluster's group; the simulator panics on anything else.
func (p *Playground) chatAccess(as, chat int64) error {
	if _, ok := p.byID[as]; !ok {
		return fmt.Errorf("unknown person %d", as)
	}
	if chat != as && (chat == 0 || chat != p.Conference.Cluster.GroupChat) {
		return fmt.Errorf("person %d has no chat %d", as, chat)
	}
	return nil
}

func (p *Playground) handleInfo(w http.ResponseWriter, r *http.Request) {
	c := p.Conference
	type unitJSON struct {
		Code  string `json:"code"`
		Name  string `json:"name"`
		Guest bool   `json:"guest"`
	}
	var units []unitJSON
	for _, u := range c.Units {
		units = append(units, unitJSON{u.Code, u.Name, false})
	}
	for _, u := range c.Guests {
		units = append(units, unitJSON{u.Code, u.Name, true})
	}
	info := map[string]any{
		"bot_username": BotUsername,
		"bot_name":     botDisplayName,
		"in_memory":    p.InMemory(),
		"redis":        redactURL(p.redisURL),
		"admin_id":     AdminID,
		"units":        units,
		"conference": map[string]any{
			"ref": c.Ref(), "title": c.Title, "location": c.Location, "timezone": c.TimeZone().String(),
			"starts_at": c.StartsAt, "summary_deadline": c.SummaryDeadline,
		},
		"group": nil,
	}
	if c.Cluster.GroupChat != 0 {
		info["group"] = map[string]any{"id": c.Cluster.GroupChat, "title": c.Cluster.Name}
	}
	writeJSON(w, info)
}

// redactURL hides a password in a Redis URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

func (p *Playground) handlePeople(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, p.People())
}

// decodeBody reads a small JSON request body.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(v); err != nil {
		httpError(w, http.StatusBadRequest, "bad JSON body: %v", err)
		return false
	}
	return true
}
