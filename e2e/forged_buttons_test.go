package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestForgedButtonDataOfEveryShape keeps an attack that held: a head with
// no staff role presses forged callback data of every prefix and shape on
// their own ballot screen. Every press is answered, and none casts, closes,
// authorises, marks or reminds anything.
func TestForgedButtonDataOfEveryShape(t *testing.T) {
	w := referenceWorld(t)
	head := heads["QLXD"]
	w.say(100001, "/ballot open co-bca", "Cờ thi đua của Bộ Công an")
	for _, id := range heads { // the opening's fan-out is over before the presses
		w.waitNew(id, 0, "Xem lại")
	}
	w.waitNew(groupChat, 0, "Cờ thi đua của Bộ Công an")
	screen := w.botMessagesContaining(head, "Xem lại")[0]
	ctx := context.Background()
	version, _ := w.store.ConferenceVersion(ctx, cum8)
	audit, _ := w.store.AuditTail(ctx, cum8, 0)
	sent := len(w.sim.Calls("sendMessage"))

	forged := []string{
		"", ":", "bv", "bv:", "bv:0.1", "bv:0.1:yyyyyy", "bv:0.1:yyyyyy:99", "bv:0.1:zzzzzz:0", "bv:-1.1:yyyyyy:0",
		"bv:9.1:yyyyyy:0", "bv:0.9:yyyyyy:0", "bc:0.1:", "bc:0.1:" + strings.Repeat("y", 40), "bs:0.1:qqqqqq",
		"bs:0.1:yy", "bs:7.1:yyyyyy", "bs:0.0:yyyyyy", "bs:0.99999999999999999999:yyyyyy", "be:0.1", "be:x",
		"bo:0", "bo:99", "bx:0.1", "bx:0.-1", "au:100011:1", "au:100003:1", "au:x:y", "rm:summary", "rm:vote co-bca",
		"at:yes:extra", "at:maybe", "pr:CNTT:0", "pr:QLXD:1", "pr:XXX:1", "qm:refresh", "qm:override", "sm:CNTT",
		"sm:../../etc", "lang:xx", "lang:", "\x00\x01", "bv:0.1:yyyyyy:0\n", "ƀv:0.1:yyyyyy:0", strings.Repeat("a", 64),
	}
	var queries []string
	for _, data := range forged {
		_, q := w.sim.PressButton(head, head, screen.ID, data)
		queries = append(queries, q)
	}
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	unanswered := func() []string {
		var out []string
		for i, q := range queries {
			if len(w.sim.CallbackAnswers(q)) == 0 {
				out = append(out, fmt.Sprintf("%q", forged[i]))
			}
		}
		return out
	}
	if err := w.sim.Await(wait, func() bool { return len(unanswered()) == 0 }); err != nil {
		t.Errorf("presses never answered: %s", strings.Join(unanswered(), ", "))
	}
	if voted, err := w.store.Voted(ctx, cum8, "co-bca", 1); err != nil || len(voted) != 0 {
		t.Errorf("forged presses cast ballots: %v, %v", voted, err)
	}
	if v, _ := w.store.ConferenceVersion(ctx, cum8); v != version {
		t.Errorf("the conference changed: version %v → %v", version, v)
	}
	if after, _ := w.store.AuditTail(ctx, cum8, 0); len(after) != len(audit) {
		t.Errorf("the audit log grew by %d entries: %+v", len(after)-len(audit), after[len(audit):])
	}
	for _, c := range w.sim.Calls("sendMessage")[sent:] {
		if !strings.Contains(c.Fields["chat_id"], fmt.Sprint(head)) {
			t.Errorf("a forged press made the bot write to chat %s", c.Fields["chat_id"])
		}
	}
}
