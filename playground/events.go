package playground

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/confbot/confbot/telegramsim"
)

// keepAlive is how often an idle event stream gets a comment, so proxies and
// browsers keep it open.
const keepAlive = 15 * time.Second

// handleEvents is a Server-Sent Events stream: a "chats" event naming the
// chats that changed (the page re-reads the one on screen) and a "clock"
// event when the clock jumps. The page polls instead when it cannot connect.
func (p *Playground) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	changes, unsubscribe := p.Sim.Subscribe()
	defer unsubscribe()
	_, cursor := p.Sim.Events(0)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprint(w, "retry: 2000\nevent: ready\ndata: {}\n\n")
	flusher.Flush()
	ticker := time.NewTicker(keepAlive)
	defer ticker.Stop()
	for {
		clock := p.clockChanged()
		select {
		case <-r.Context().Done():
			return
		case <-p.done:
			return
		case <-ticker.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-clock:
			fmt.Fprint(w, "event: clock\ndata: {}\n\n")
		case <-changes:
			var chats []int64
			chats, cursor = p.changedChats(cursor)
			if len(chats) == 0 {
				continue
			}
			data, _ := json.Marshal(map[string]any{"chats": chats})
			fmt.Fprintf(w, "event: chats\ndata: %s\n\n", data)
		}
		flusher.Flush()
	}
}

// changedChats lists the chats whose messages changed after cursor.
func (p *Playground) changedChats(cursor int) ([]int64, int) {
	events, next := p.Sim.Events(cursor)
	seen := map[int64]bool{}
	var chats []int64
	for _, ev := range events {
		if ev.ChatID != 0 && !seen[ev.ChatID] && (ev.Kind == telegramsim.EventMessage || ev.Kind == telegramsim.EventEdit || ev.Kind == telegramsim.EventDelete) {
			seen[ev.ChatID] = true
			chats = append(chats, ev.ChatID)
		}
	}
	sort.Slice(chats, func(i, j int) bool { return chats[i] < chats[j] })
	return chats, next
}
