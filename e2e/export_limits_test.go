package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/confbot/confbot/examples"
	"github.com/confbot/confbot/i18n"
	"github.com/confbot/confbot/telegramsim"
)

// TestExportAtTelegramsLimits asks for /export with the simulator enforcing
// Telegram's default limits (1 message a second in a private chat) and the
// bot at its default rates — the setting that once made /export resend its
// CSV files forever. The answer comes at once; every file arrives exactly
// once, in albums, and the "done" message last; asking again while the files
// are on their way gets "already being sent".
func TestExportAtTelegramsLimits(t *testing.T) {
	t.Parallel() // mostly waiting (Telegram's limits, leases): it overlaps the other slow tests
	for _, tc := range []struct {
		file, name string
		data       []byte
		imported   string
		secretary  int64
		lang       i18n.Lang // the cluster's language
	}{
		{"reference", "cum8-2022.yaml", examples.Cum8, "6", 100011, i18n.VI},
		{"cum12-full", "cum12-full.yaml", examples.Cum12, "12 đơn vị", 200002, i18n.EN},
	} {
		t.Run(tc.file, func(t *testing.T) {
			w := newWorld(t, withSim(telegramsim.WithLimits(telegramsim.DefaultLimits())),
				withEnv("SEND_RATE", "30"), withEnv("SEND_RATE_CHAT", "1"), withEnv("SEND_RATE_GROUP", "20"))
			w.addUser(tc.secretary, "Thư ký", "")
			w.importFile(tc.name, tc.data, tc.imported)
			start := time.Now()
			before := len(w.botMessages(tc.secretary))
			w.say(tc.secretary, "/export", "⏳")
			w.say(tc.secretary, "/export", w.text(tc.lang, "effect.already_sending"))
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			err := w.sim.Await(ctx, func() bool {
				for _, m := range w.botMessages(tc.secretary)[before:] {
					if strings.Contains(m.Text, "SHA-256") && m.Document == nil {
						return true
					}
				}
				return false
			})
			if err != nil {
				t.Fatalf("no done message: %v", err)
			}
			elapsed := time.Since(start)
			seen, albums, last := map[string]int{}, map[string]bool{}, ""
			for _, m := range w.botMessages(tc.secretary)[before:] {
				switch {
				case m.Document != nil:
					seen[m.Document.Name]++
					albums[m.MediaGroupID] = true
					last = "file"
				case strings.Contains(m.Text, "SHA-256"):
					last = "done"
				}
			}
			if len(seen) < 8 {
				t.Errorf("%d files arrived, want at least 8: %v", len(seen), seen)
			}
			for name, n := range seen {
				if n != 1 {
					t.Errorf("%s arrived %d times", name, n)
				}
			}
			if last != "done" {
				t.Error("the done message is not the last")
			}
			// Timing is reported, not asserted: BENCHMARKS.md holds figures.
			t.Logf("%d files in %d albums, done after %v at default limits", len(seen), len(albums), elapsed.Round(10*time.Millisecond))
		})
	}
}
